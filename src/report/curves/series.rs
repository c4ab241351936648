//! What every line chart's data is made of: an option's line (styled by its
//! kind and eligibility), lines sampled over an axis, the order they are
//! drawn in, the markers on them, and the points and ranges of log axes.

use rayon::prelude::*;

use super::{Marker, Series, Style};
use crate::contract::OfferKind;
use crate::price::Offer;
use crate::profile::Scaling;
use crate::report::subject::{PricedOffer, Subject};

/// How an option's line is drawn.
fn style_of(p: &PricedOffer) -> Style {
    match (p.option.eligible(), p.option.offer) {
        (false, _) => Style::Excluded,
        (true, OfferKind::Dedicated | OfferKind::Committed) => Style::Dedicated,
        (true, OfferKind::Serverless | OfferKind::Prediction | OfferKind::Training) => {
            Style::PerToken
        }
    }
}

/// An option's line through `points`.
pub(super) fn line(s: &Subject, p: &PricedOffer, points: Vec<(f64, f64)>) -> Series {
    let colour = s
        .serving()
        .filter(|q| q.option.eligible())
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

/// A scaled pool's line (autoscale, scale-to-zero) drawn in colour takes
/// every this-many samples (and the last): its cost is smooth in volume and
/// turns, and each sample prices the pool's closed form (microseconds),
/// where an always-on option's steps need every sample and a per-token line
/// costs nothing.
const POOL_STRIDE: usize = 4;
/// A scaled pool's line drawn grey (excluded, or folded into "other
/// options") takes every this-many samples and the last: 6 of the
/// volume chart's 161; on a turns chart every 32nd turn (3 points for
/// agent-rl-rollouts' 64 turns, whose grey lines lose a kink); context
/// only (the figures are in the options table). At 16 (11 samples) the grey lines
/// took 2,160 pool days of the bundled report, 8% of its instructions.
const GREY_POOL_STRIDE: usize = 32;

/// Whether an option is a dedicated deployment that autoscales or scales to zero.
fn is_pooled(p: &PricedOffer) -> bool {
    matches!(p.offer, Offer::Dedicated(d, _) if d.scaling != Scaling::AlwaysOn)
}

/// One line per serving option through `(x, y(option, x))` for each of `xs`
/// (fewer for a scaled pool: [`POOL_STRIDE`], [`GREY_POOL_STRIDE`]),
/// keeping the points whose y is `drawable`, in the order of [`ordered`];
/// an option left with fewer than two points gets no line. Options are
/// priced on every core; rayon collects in order, so the bytes do not
/// depend on the thread count.
pub(super) fn sampled<'a>(
    s: &Subject<'a>,
    xs: &[f64],
    y: impl Fn(&PricedOffer, f64) -> f64 + Sync,
    drawable: impl Fn(f64) -> bool + Sync,
) -> Vec<(Series, PricedOffer<'a>)> {
    let last = xs.len().saturating_sub(1);
    let sample = |p: &PricedOffer<'a>, grey: bool| {
        let stride = match (is_pooled(p), grey) {
            (false, _) => 1,
            (true, false) => POOL_STRIDE,
            (true, true) => GREY_POOL_STRIDE,
        };
        let points: Vec<(f64, f64)> = xs
            .iter()
            .enumerate()
            .filter(|&(i, _)| i % stride == 0 || i == last)
            .map(|(_, &x)| (x, y(p, x)))
            .filter(|&(_, y)| drawable(y))
            .collect();
        (points.len() >= 2).then(|| (line(s, p, points), *p))
    };
    // A committed option's plan is made for today's demand curve only:
    // at another volume or turn count it would be planned again, so it has
    // no line (its dedicated option has one).
    let serving: Vec<&PricedOffer<'a>> = s
        .serving()
        .filter(|p| p.option.offer != OfferKind::Committed)
        .collect();
    let grey = drawn_grey(s, &serving);
    let lines: Vec<Option<(Series, PricedOffer<'a>)>> = serving
        .par_iter()
        .zip(&grey)
        .map(|(&p, &g)| sample(p, g))
        .collect();
    let mut series = ordered(lines.into_iter().flatten().collect());
    // A line foreseen grey that the order draws in colour after all (an
    // option before it had no line) is sampled again in full.
    for (line, p) in &mut series {
        let foreseen_grey = serving
            .iter()
            .zip(&grey)
            .any(|(q, &g)| g && std::ptr::eq(q.option, p.option));
        if foreseen_grey && line.style != Style::Excluded && !line.folded {
            if let Some((again, _)) = sample(p, false) {
                *line = again;
            }
        }
    }
    series
}

/// Which serving options [`ordered`] will draw grey: the excluded ones, and
/// the eligible ones past [`MAX_LINES`] in its order (the pick and
/// runner-up, the cheapest per-token offer, then by $/month), foreseen
/// from the options as if each had a line.
fn drawn_grey(s: &Subject, serving: &[&PricedOffer]) -> Vec<bool> {
    let style = |p: &PricedOffer| style_of(p);
    let eligible: Vec<usize> = (0..serving.len())
        .filter(|&i| style(serving[i]) != Style::Excluded)
        .collect();
    let colour = |i: usize| eligible.iter().position(|&j| j == i).unwrap_or(0);
    let cheapest_per_token = eligible
        .iter()
        .copied()
        .find(|&i| style(serving[i]) == Style::PerToken);
    let mut order = eligible.clone();
    order.sort_by_key(|&i| {
        (
            s.result.role(serving[i].option).is_empty(),
            Some(i) != cheapest_per_token,
            colour(i),
        )
    });
    let mut grey: Vec<bool> = serving
        .iter()
        .map(|p| style(p) == Style::Excluded)
        .collect();
    for &i in order.iter().skip(MAX_LINES) {
        grey[i] = true;
    }
    grey
}

/// Most coloured lines in one chart: the pick, the runner-up and the
/// cheapest others; the rest are drawn grey as "other options".
pub(super) const MAX_LINES: usize = 8;

/// Series paired with their options, sorted so that excluded and folded
/// ones are drawn first (under the others); beyond [`MAX_LINES`] eligible
/// lines, the dearest are folded into grey "other options".
pub(super) fn ordered<'a>(
    mut series: Vec<(Series, PricedOffer<'a>)>,
) -> Vec<(Series, PricedOffer<'a>)> {
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
    paired: Vec<(Series, PricedOffer)>,
    at: impl Fn(&PricedOffer) -> Option<(f64, f64, String)>,
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
