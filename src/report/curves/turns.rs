//! The data of the turns chart (episode workloads only): the cost of one
//! episode from 1 to twice today's number of turns, the rest of the episode
//! and the daily volume unchanged, with today's turns marked.

use super::series::{mark, sampled};
use super::volume::cost_under;
use super::{LineChart, Tick};
use crate::format::count;
use crate::model::Unit;
use crate::report::subject::{PricedOffer, Subject};

/// Cost per episode against turns, 1 to 2·T, the other episode figures and
/// the daily volume unchanged: re-prefill grows quadratically; a dedicated
/// replica (the history stays in its KV cache) costs what it is billed, which
/// grows linearly once the replica is busy. `None` for a request workload.
pub fn cost_vs_turns(s: &Subject) -> Option<LineChart> {
    let Unit::Episode(ep) = s.demand.unit else {
        return None;
    };
    let max_turns = (2.0 * ep.turns).max(2.0);
    let turns = turn_samples(max_turns);
    let per_episode = |p: &PricedOffer, t: f64| {
        cost_under(s, p, &s.demand.at_turns(t))
            .1
            .unwrap_or(f64::NAN)
    };
    let series = sampled(s, &turns, per_episode, |y| y.is_finite() && y >= 0.0);
    let (series, markers) = mark(s, series, |p| {
        Some((ep.turns, per_episode(p, ep.turns), String::new()))
    });
    let top = series
        .iter()
        .flat_map(|l| l.points.iter().map(|&(_, y)| y))
        .fold(0.0, f64::max);
    Some(LineChart {
        x_range: (1.0, max_turns),
        y_range: (0.0, if top > 0.0 { top * 1.08 } else { 1.0 }),
        x_log: false,
        y_log: false,
        x_label: "turns per episode".into(),
        y_label: "$ per episode".into(),
        x_ticks: Tick::Count,
        y_ticks: Tick::Usd,
        series,
        markers,
        today: Some((ep.turns, format!("today: {} turns", count(ep.turns)))),
    })
}

/// Most turn counts sampled: a chart shows no more, and 2·T may be 8·10⁹
/// (a profile may say `turns: 4294967295`), 64 GB of points.
const MOST_SAMPLES: u32 = 200;

/// Whole turn counts from 1 to `max`: each of them up to [`MOST_SAMPLES`],
/// else that many spread evenly, first and last included.
fn turn_samples(max: f64) -> Vec<f64> {
    let last = max as u32;
    if last <= MOST_SAMPLES {
        return (1..=last).map(f64::from).collect();
    }
    let step = f64::from(last - 1) / f64::from(MOST_SAMPLES - 1);
    let mut turns: Vec<f64> = (0..MOST_SAMPLES)
        .map(|i| (1.0 + step * f64::from(i)).round())
        .collect();
    turns.dedup();
    turns
}
