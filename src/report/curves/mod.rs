//! The data behind the charts, computed by calling the cost model again:
//! cost per option, $/M tokens against utilization, $/month against volume,
//! cost per episode against turns. Pure functions, testable without drawing;
//! `charts` turns each into an SVG.
//!
//! This module owns the data types and the bar chart's data; each line
//! chart's data has its file (`utilization`, `volume`, `turns`), and
//! `series` holds what they share: sampling, styling, ordering and marking
//! lines.

use crate::contract::OfferKind;
use crate::format::{count, percent, usd};

use super::subject::Subject;

mod series;
mod turns;
mod utilization;
mod volume;

pub use series::log_space;
pub use turns::cost_vs_turns;
pub use utilization::cost_vs_utilization;
pub use volume::{cost_vs_volume, monthly_at_volume};

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
    /// The option's rank among the workload's eligible serving options
    /// ($/month order): its colour, the same in every chart of the report.
    pub colour: usize,
    /// The pick or the runner-up: drawn heavier, and named so in the legend.
    pub picked: bool,
    /// An eligible option beyond the chart's line limit, drawn grey among
    /// "other options" (the All options table has its figures).
    pub folded: bool,
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

/// $/month of every serving option, in the result's order.
pub fn cost_by_option(s: &Subject) -> Vec<Bar> {
    // Bars above 20x the cheapest eligible option would shrink the ones a
    // founder compares to slivers (dedicated options on every GPU a vendor
    // sells reach hundreds of times the pick); the table lists them all.
    let cheapest = s
        .result
        .options
        .iter()
        .filter(|o| o.eligible() && o.offer != OfferKind::Training && o.usd_per_month > 0.0)
        .map(|o| o.usd_per_month)
        .fold(f64::INFINITY, f64::min);
    let ceiling = if cheapest.is_finite() {
        cheapest * MAX_BAR_RATIO
    } else {
        f64::INFINITY
    };
    s.result
        .options
        .iter()
        .filter(|o| o.offer != OfferKind::Training)
        .filter(|o| o.usd_per_month <= ceiling || !s.result.role(o).is_empty())
        .map(|o| Bar {
            label: o.label(),
            value: finite(o.usd_per_month),
            excluded: !o.eligible(),
            picked: !s.result.role(o).is_empty(),
        })
        .collect()
}

/// Widest ratio of a bar to the cheapest eligible option's in the cost chart.
const MAX_BAR_RATIO: f64 = 20.0;

fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}
