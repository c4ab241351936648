//! What every line chart's data is made of: an option's line (styled by its
//! kind and eligibility), lines sampled over an axis, the order they are
//! drawn in, the markers on them, and the points and ranges of log axes.

use super::{Marker, Series, Style};
use crate::contract::OfferKind;
use crate::report::subject::{Priced, Subject};

/// How an option's line is drawn.
fn style_of(p: &Priced) -> Style {
    match (p.option.eligible, p.option.offer) {
        (false, _) => Style::Excluded,
        (true, OfferKind::Dedicated) => Style::Dedicated,
        (true, OfferKind::Serverless | OfferKind::Prediction | OfferKind::Training) => {
            Style::PerToken
        }
    }
}

/// An option's line through `points`.
pub(super) fn line(s: &Subject, p: &Priced, points: Vec<(f64, f64)>) -> Series {
    let colour = s
        .serving()
        .filter(|q| q.option.eligible)
        .position(|q| std::ptr::eq(q.option, p.option))
        .unwrap_or(0);
    let role = s.result.role(p.option);
    let label = if role.is_empty() {
        p.option.label()
    } else {
        format!("{} ({role})", p.option.label())
    };
    Series {
        label,
        points,
        style: style_of(p),
        colour,
        picked: !role.is_empty(),
        folded: false,
    }
}

/// One line per serving option through `(x, y(option, x))` for each of `xs`,
/// keeping the points whose y is `drawable`; an option left with fewer than
/// two points gets no line.
pub(super) fn sampled<'a>(
    s: &Subject<'a>,
    xs: &[f64],
    y: impl Fn(&Priced, f64) -> f64,
    drawable: impl Fn(f64) -> bool,
) -> Vec<(Series, Priced<'a>)> {
    let mut series = Vec::new();
    for p in s.serving() {
        let points: Vec<(f64, f64)> = xs
            .iter()
            .map(|&x| (x, y(p, x)))
            .filter(|&(_, y)| drawable(y))
            .collect();
        if points.len() >= 2 {
            series.push((line(s, p, points), *p));
        }
    }
    series
}

/// Most coloured lines in one chart: the pick, the runner-up and the
/// cheapest others; the rest are drawn grey as "other options".
pub const MAX_LINES: usize = 8;

/// Series paired with their options, sorted so that excluded and folded
/// ones are drawn first (under the others); beyond [`MAX_LINES`] eligible
/// lines, the dearest are folded into grey "other options".
pub(super) fn ordered<'a>(mut series: Vec<(Series, Priced<'a>)>) -> Vec<(Series, Priced<'a>)> {
    let mut eligible: Vec<usize> = (0..series.len())
        .filter(|&i| series[i].0.style != Style::Excluded)
        .collect();
    // The pick and runner-up first, then the cheapest per-token offer (the
    // line the crossovers are measured against), then by $/month.
    let cheapest_per_token = eligible
        .iter()
        .copied()
        .filter(|&i| series[i].0.style == Style::PerToken)
        .min_by_key(|&i| series[i].0.colour);
    eligible.sort_by_key(|&i| {
        (
            !series[i].0.picked,
            Some(i) != cheapest_per_token,
            series[i].0.colour,
        )
    });
    for &i in eligible.iter().skip(MAX_LINES) {
        series[i].0.folded = true;
    }
    series.sort_by_key(|(s, _)| s.style != Style::Excluded && !s.folded);
    series
}

/// Markers at `at(option)` on each eligible line, the pick's and runner-up's
/// first (their labels win when labels collide), and the bare series.
pub(super) fn mark(
    s: &Subject,
    paired: Vec<(Series, Priced)>,
    at: impl Fn(&Priced) -> Option<(f64, f64, String)>,
) -> (Vec<Series>, Vec<Marker>) {
    let mut order: Vec<usize> = (0..paired.len()).collect();
    order.sort_by_key(|&i| s.result.role(paired[i].1.option).is_empty());
    let mut markers = Vec::new();
    for i in order {
        let (line, p) = &paired[i];
        if line.style == Style::Excluded || line.folded {
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
pub(super) fn log_range(series: &[Series]) -> (f64, f64) {
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
