//! The data of the utilization chart: $/M tokens of each dedicated option
//! against the busy share of its billed time, each per-token offer flat,
//! and the crossovers marked.

use super::series::{line, mark, ordered};
use super::{log_space, LineChart, Tick, SAMPLES};
use crate::contract::OfferKind;
use crate::format::percent;
use crate::report::subject::{PricedOffer, Subject};

/// Cheapest and dearest utilization drawn.
const UTILIZATION_RANGE: (f64, f64) = (0.02, 1.0);

/// $/M tokens against utilization: each dedicated option's cost falls as
/// 1/u, each per-token offer is flat; the crossovers are marked. `None` when
/// the workload moves no tokens or has no dedicated option.
pub fn cost_vs_utilization(s: &Subject) -> Option<LineChart> {
    let tokens_per_unit = s.demand.tokens_per_unit();
    if tokens_per_unit <= 0.0 {
        return None;
    }
    let per_mtok = |usd_per_unit: f64| usd_per_unit / tokens_per_unit * 1e6;
    // $/M tokens of each dedicated option on a fully busy replica.
    let dedicated: Vec<(&PricedOffer, f64)> = s
        .serving()
        .filter_map(|p| {
            let full = per_mtok(p.replica()?.usd_per_unit_at_full_load(&s.demand.unit));
            (full.is_finite() && full > 0.0).then_some((p, full))
        })
        .collect();
    if dedicated.is_empty() {
        return None;
    }
    let flat: Vec<(&PricedOffer, f64)> = s
        .serving()
        .filter(|p| p.option.offer == OfferKind::Serverless)
        .filter_map(|p| {
            let rate = per_mtok(p.option.usd_per_unit?);
            (rate.is_finite() && rate > 0.0).then_some((p, rate))
        })
        .collect();
    let lowest = dedicated
        .iter()
        .chain(&flat)
        .map(|&(_, v)| v)
        .fold(f64::INFINITY, f64::min);
    let highest_flat = flat.iter().map(|&(_, v)| v).fold(0.0, f64::max);
    let y_range = (lowest * 0.7, (highest_flat * 1.5).max(lowest * 20.0));
    let (u0, u1) = UTILIZATION_RANGE;
    let mut series = Vec::new();
    for &(p, full) in &dedicated {
        // The curve enters the chart where full/u meets the top edge.
        let start = (full / y_range.1).max(u0);
        let points = log_space(start, u1, SAMPLES)
            .into_iter()
            .map(|u| (u, full / u))
            .collect();
        series.push((line(s, p, points), *p));
    }
    for &(p, rate) in &flat {
        series.push((line(s, p, vec![(u0, rate), (u1, rate)]), *p));
    }
    let (series, markers) = mark(s, ordered(series), |p| {
        let full = dedicated
            .iter()
            .find(|(d, _)| std::ptr::eq(d.option, p.option))?
            .1;
        let x = p
            .option
            .crossover_utilization
            .filter(|x| (u0..=u1).contains(x))?;
        Some((x, full / x, percent(x)))
    });
    Some(LineChart {
        x_range: (u0, u1),
        y_range,
        x_log: false,
        y_log: true,
        x_label: "utilization (busy share of billed replica time)".into(),
        y_label: "$ per million tokens".into(),
        x_ticks: Tick::Percent,
        y_ticks: Tick::Usd,
        series,
        markers,
        today: None,
    })
}
