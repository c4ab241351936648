//! The axes of every chart: a plotters coordinate with the ticks we choose
//! (round ones, also on log axes, which are drawn as linear axes of log10),
//! and the tick values themselves.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight, Ranged};
use plotters::prelude::Cartesian2d;

/// A linear axis with the ticks we choose (plotters' own key points are not
/// round on transformed log axes). Log axes are drawn as linear axes of log10.
#[derive(Debug, Clone)]
pub(super) struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    /// An axis from `lo` to `hi` (widened when empty) with these ticks.
    pub(super) fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Axis {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Axis { lo, hi, ticks }
    }

    /// An axis over `(lo, hi)` with round ticks, logarithmic or linear.
    pub(super) fn over((lo, hi): (f64, f64), log: bool) -> Axis {
        if log {
            let ticks = log_ticks(lo, hi).into_iter().map(f64::log10).collect();
            Axis::new(lo.log10(), hi.log10(), ticks)
        } else {
            Axis::new(lo, hi, linear_ticks(lo, hi))
        }
    }
}

impl Axis {
    /// The tick positions (log10 of the values on a log axis).
    pub(super) fn tick_positions(&self) -> &[f64] {
        &self.ticks
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, (p0, p1): (i32, i32)) -> i32 {
        let t = ((v - self.lo) / (self.hi - self.lo)).clamp(-1.0, 2.0);
        let t = if t.is_finite() { t } else { 0.0 };
        p0 + (f64::from(p1 - p0) * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Only bold lines: the light mesh would double every grid line.
        match hint.weight() {
            KeyPointWeight::Bold => self.ticks.clone(),
            KeyPointWeight::Any => vec![],
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// The coordinates of every chart.
pub(super) type Coord = Cartesian2d<Axis, Axis>;

/// About six round ticks (1, 2 or 5 times a power of ten) from `lo` to `hi`.
pub(super) fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return vec![lo];
    }
    let raw = span / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Ticks at 1, 2 and 5 times powers of ten on a short log axis, every decade
/// (or every other) on a long one.
pub(super) fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return vec![];
    }
    let (d0, d1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let decades = d1 - d0;
    let mantissas: &[f64] = if decades <= 3 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let every = if decades > 8 { 2 } else { 1 };
    (d0..=d1)
        .filter(|d| (d - d0) % every == 0)
        .flat_map(|d| mantissas.iter().map(move |m| m * 10f64.powi(d)))
        .filter(|v| *v >= lo && *v <= hi)
        .collect()
}

/// Removes float noise from a tick value computed through log10/powf.
pub(super) fn round_tick(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = 3 - v.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (v * scale).round() / scale
}
