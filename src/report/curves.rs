//! The data behind the charts, computed by calling the cost model again:
//! cost per option, $/M tokens against utilization, $/month against volume,
//! cost per episode against turns. Pure functions, testable without drawing;
//! `charts.rs` turns each into an SVG.

use crate::contract::OfferKind;
use crate::format::{count, percent, usd};
use crate::model::dedicated::{self, Replica};
use crate::model::episode::EpisodeTokens;
use crate::model::{per_token, usd_per_month, Demand, Unit};
use crate::price::Offer;

use super::subject::{Priced, Subject};

/// One horizontal bar: an option and its $/month.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The option's label.
    pub label: String,
    /// $/month.
    pub value: f64,
    /// Excluded options are drawn grey.
    pub excluded: bool,
    /// The primary and runner-up are marked.
    pub picked: bool,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// An eligible option billed for GPU time: a solid line in its own colour.
    Dedicated,
    /// An eligible per-token or per-prediction offer: a dashed line in its own colour.
    PerToken,
    /// An excluded option: thin grey.
    Excluded,
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The option's label.
    pub label: String,
    /// Points (x, y), x increasing, all finite and positive.
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub style: Style,
}

/// A marked point: a crossover, a break-even volume, today's figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Where.
    pub at: (f64, f64),
    /// A short text drawn beside it.
    pub text: String,
    /// Index of the series it belongs to (for its colour).
    pub series: usize,
}

/// The data of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// X axis range.
    pub x_range: (f64, f64),
    /// Y axis range.
    pub y_range: (f64, f64),
    /// Log scale on x.
    pub x_log: bool,
    /// Log scale on y.
    pub y_log: bool,
    /// X axis caption.
    pub x_label: String,
    /// Y axis caption.
    pub y_label: String,
    /// How x tick labels read.
    pub x_ticks: Tick,
    /// How y tick labels read.
    pub y_ticks: Tick,
    /// The lines.
    pub series: Vec<Series>,
    /// Marked points.
    pub markers: Vec<Marker>,
    /// A vertical reference line (x, text): the workload as it is today.
    pub today: Option<(f64, String)>,
}

/// How tick values are written (always with `crate::format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Money.
    Usd,
    /// A share, as a percentage.
    Percent,
    /// A count.
    Count,
}

impl Tick {
    /// The value as text.
    pub fn text(self, v: f64) -> String {
        match self {
            Tick::Usd => usd(v),
            Tick::Percent => percent(v),
            Tick::Count => count(v),
        }
    }
}

/// Points per curve.
const SAMPLES: usize = 161;

/// Cheapest and dearest utilization drawn.
const UTILIZATION_RANGE: (f64, f64) = (0.02, 1.0);

/// $/month of every serving option, in the result's order.
pub fn cost_by_option(s: &Subject) -> Vec<Bar> {
    let pick = &s.result.pick;
    s.result
        .options
        .iter()
        .filter(|o| o.offer != OfferKind::Training)
        .map(|o| {
            let id = Some(o.id());
            Bar {
                label: o.label(),
                value: finite(o.usd_per_month),
                excluded: !o.eligible,
                picked: id == pick.primary || id == pick.runner_up,
            }
        })
        .collect()
}

fn style_of(p: &Priced) -> Style {
    match (p.option.eligible, p.option.offer) {
        (false, _) => Style::Excluded,
        (true, OfferKind::Dedicated) => Style::Dedicated,
        _ => Style::PerToken,
    }
}

/// Series paired with their options, sorted so that excluded ones are drawn
/// first (under the others).
fn ordered<'a>(mut series: Vec<(Series, Priced<'a>)>) -> Vec<(Series, Priced<'a>)> {
    series.sort_by_key(|(s, _)| s.style != Style::Excluded);
    series
}

/// Markers at `at(option)` on each eligible line, the pick's and runner-up's
/// first (their labels win when labels collide), and the bare series.
fn mark(
    s: &Subject,
    paired: Vec<(Series, Priced)>,
    at: impl Fn(&Priced) -> Option<(f64, f64, String)>,
) -> (Vec<Series>, Vec<Marker>) {
    let pick = &s.result.pick;
    let mut order: Vec<usize> = (0..paired.len()).collect();
    order.sort_by_key(|&i| {
        let id = Some(paired[i].1.option.id());
        !(id == pick.primary || id == pick.runner_up)
    });
    let mut markers = Vec::new();
    for i in order {
        let (line, p) = &paired[i];
        if line.style == Style::Excluded {
            continue;
        }
        if let Some((x, y, text)) = at(p).filter(|(x, y, _)| x.is_finite() && y.is_finite()) {
            markers.push(Marker {
                at: (x, y),
                text,
                series: i,
            });
        }
    }
    (paired.into_iter().map(|(s, _)| s).collect(), markers)
}

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
    let dedicated: Vec<(&Priced, f64)> = s
        .serving()
        .filter_map(|p| {
            let full = per_mtok(p.replica()?.usd_per_unit_at_full_load(&s.demand.unit));
            (full.is_finite() && full > 0.0).then_some((p, full))
        })
        .collect();
    if dedicated.is_empty() {
        return None;
    }
    let flat: Vec<(&Priced, f64)> = s
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
        let line = Series {
            label: p.option.label(),
            points,
            style: style_of(p),
        };
        series.push((line, *p));
    }
    for &(p, rate) in &flat {
        let line = Series {
            label: p.option.label(),
            points: vec![(u0, rate), (u1, rate)],
            style: style_of(p),
        };
        series.push((line, *p));
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

/// $/month against volume, from 1/100 to 100 times the workload's, on log
/// axes; each dedicated option's break-even volume is marked.
pub fn cost_vs_volume(s: &Subject) -> LineChart {
    let today = s.demand.units_per_day;
    // A workload of zero volume still gets a readable chart around one unit a day.
    let centre = if today > 0.0 && today.is_finite() {
        today
    } else {
        1.0
    };
    let (x0, x1) = (centre / 100.0, centre * 100.0);
    let volumes = log_space(x0, x1, SAMPLES);
    let mut series = Vec::new();
    for p in s.serving() {
        let points: Vec<(f64, f64)> = volumes
            .iter()
            .map(|&r| (r, monthly_at_volume(s, p, r)))
            .filter(|&(_, y)| y.is_finite() && y > 0.0)
            .collect();
        if points.len() >= 2 {
            let line = Series {
                label: p.option.label(),
                points,
                style: style_of(p),
            };
            series.push((line, *p));
        }
    }
    let (series, markers) = mark(s, ordered(series), |p| {
        let r = p
            .option
            .break_even_units_per_day
            .filter(|r| (x0..=x1).contains(r))?;
        let y = monthly_at_volume(s, p, r);
        (y > 0.0).then(|| (r, y, count(r)))
    });
    LineChart {
        x_range: (x0, x1),
        y_range: log_range(&series),
        x_log: true,
        y_log: true,
        x_label: format!("{}s per day", s.unit_word()),
        y_label: "$ per month".into(),
        x_ticks: Tick::Count,
        y_ticks: Tick::Usd,
        series,
        markers,
        today: Some((centre, format!("today: {}", count(today)))),
    }
}

/// $/month of an option at another volume, the rest of the workload unchanged.
pub fn monthly_at_volume(s: &Subject, p: &Priced, units_per_day: f64) -> f64 {
    let demand = s.demand.at_volume(units_per_day);
    usd_per_month(daily_cost(s, p, &demand))
}

/// $/day of an option under a demand (volume or shape changed).
fn daily_cost(s: &Subject, p: &Priced, demand: &Demand) -> f64 {
    match p.offer {
        Offer::Serverless(o) => demand.units_per_day * per_token::usd_per_unit(o, demand),
        Offer::Dedicated(d, dep) => {
            dedicated::price(
                &Replica::of(d, dep),
                demand,
                &s.weights,
                s.workload.traffic.target_utilization,
            )
            .usd_per_day
        }
        Offer::Prediction(o) => demand.units_per_day * o.usd_per_prediction(),
        Offer::Training(_) => p.option.usd_per_day,
    }
}

/// Cost per episode against turns, 1 to 2·T, the other episode figures and
/// the daily volume unchanged: re-prefill grows quadratically; a dedicated
/// replica (the history stays in its KV cache) costs what it is billed, which
/// grows linearly once the replica is busy. `None` for a request workload.
pub fn cost_vs_turns(s: &Subject) -> Option<LineChart> {
    let Unit::Episode(ep) = s.demand.unit else {
        return None;
    };
    let max_turns = (2.0 * ep.turns).max(2.0);
    let turns: Vec<f64> = (1..=max_turns as u32).map(f64::from).collect();
    let at_turns = |t: f64| Demand {
        unit: Unit::Episode(EpisodeTokens::new(
            t,
            ep.initial_prompt,
            ep.growth,
            ep.generation,
        )),
        ..s.demand
    };
    let per_episode = |p: &Priced, t: f64| {
        let demand = at_turns(t);
        match p.offer {
            Offer::Serverless(o) => per_token::usd_per_unit(o, &demand),
            _ if demand.units_per_day > 0.0 => daily_cost(s, p, &demand) / demand.units_per_day,
            _ => f64::NAN,
        }
    };
    let mut series = Vec::new();
    for p in s.serving() {
        let points: Vec<(f64, f64)> = turns
            .iter()
            .map(|&t| (t, per_episode(p, t)))
            .filter(|&(_, y)| y.is_finite() && y >= 0.0)
            .collect();
        if points.len() >= 2 {
            let line = Series {
                label: p.option.label(),
                points,
                style: style_of(p),
            };
            series.push((line, *p));
        }
    }
    let (series, markers) = mark(s, ordered(series), |p| {
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

/// `n` points from `a` to `b`, evenly spaced on a log scale.
pub fn log_space(a: f64, b: f64, n: usize) -> Vec<f64> {
    let (la, lb) = (a.ln(), b.ln());
    (0..n)
        .map(|i| {
            if i + 1 == n {
                b
            } else {
                (la + (lb - la) * i as f64 / (n - 1) as f64).exp()
            }
        })
        .collect()
}

/// A log-axis range that holds every point, with a little room.
fn log_range(series: &[Series]) -> (f64, f64) {
    let ys = series.iter().flat_map(|l| l.points.iter().map(|&(_, y)| y));
    let (lo, hi) = ys.fold((f64::INFINITY, 0.0_f64), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    if lo.is_finite() && hi > 0.0 && lo > 0.0 {
        (lo / 1.5, hi * 1.5)
    } else {
        (0.01, 1.0)
    }
}

fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}
