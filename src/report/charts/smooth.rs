//! Which sampled points of a line the SVG draws (render stage): plotters'
//! SVG has whole-pixel coordinates, so samples a pixel or two apart round
//! to a staircase; this keeps a line's corners and, between them, points
//! far enough apart for the rounding not to show. The line charts
//! (`lines`) call it on every line; the curves' data is unchanged.

use plotters::prelude::*;

use super::axis::Coord;

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Coord>;

/// How far (in pixels) a drawn line may stray from a sampled point that
/// it skips.
const SMOOTHING_PX: f64 = 1.0;

/// The shortest piece of a curve drawn between two samples, in pixels:
/// rounding a point moves it by at most half a pixel, which turns a piece
/// this long by a few degrees only.
const SHORTEST_PIECE_PX: f64 = 16.0;

/// The points of a line worth drawing. The SVG has whole-pixel
/// coordinates, so samples a pixel or two apart (where a 1/utilization
/// curve is steep) round to a staircase: the jagged line. The corners a
/// line has (a replica step; Douglas-Peucker within [`SMOOTHING_PX`]) are
/// kept, and between them samples at least [`SHORTEST_PIECE_PX`] apart,
/// so a curve is drawn in pieces long enough for rounding not to show.
pub(super) fn smoothed(chart: &Chart, points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let pixels: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let (x, y) = chart.backend_coord(p);
            (f64::from(x), f64::from(y))
        })
        .collect();
    let keep = spaced(&pixels, &kept(&pixels, SMOOTHING_PX), SHORTEST_PIECE_PX);
    points
        .into_iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}

/// `corners`, and between two corners the points at least `gap` from the
/// last one kept and from the next corner.
fn spaced(pixels: &[(f64, f64)], corners: &[bool], gap: f64) -> Vec<bool> {
    let mut keep = corners.to_vec();
    let mut last = None;
    let mut next_corner = 0;
    for i in 0..pixels.len() {
        if corners[i] {
            last = Some(pixels[i]);
            continue;
        }
        if next_corner <= i {
            next_corner = (i..pixels.len()).find(|&j| corners[j]).unwrap_or(i);
        }
        let far = |q: (f64, f64)| distance(pixels[i], q) >= gap;
        if last.is_some_and(far) && far(pixels[next_corner]) {
            keep[i] = true;
            last = Some(pixels[i]);
        }
    }
    keep
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Which of `pixels` a line within `tolerance` of all of them must pass
/// through (the first and last always).
fn kept(pixels: &[(f64, f64)], tolerance: f64) -> Vec<bool> {
    let mut keep = vec![false; pixels.len()];
    let Some(last) = pixels.len().checked_sub(1) else {
        return keep;
    };
    keep[0] = true;
    keep[last] = true;
    let mut spans = vec![(0, last)];
    while let Some((a, b)) = spans.pop() {
        let farthest = (a + 1..b)
            .map(|i| (i, distance_to_segment(pixels[i], pixels[a], pixels[b])))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, _)) = farthest.filter(|&(_, d)| d > tolerance) {
            keep[i] = true;
            spans.push((a, i));
            spans.push((i, b));
        }
    }
    keep
}

/// Distance from `p` to the segment `a`-`b`, in pixels.
fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_pixel_staircase_is_drawn_as_straight_pieces() {
        // A steep line sampled a pixel apart and rounded: (0,0) (1,2) (1,4)
        // (2,6) (3,8) ... zigzags by up to half a pixel around y = 2x.
        let stairs: Vec<(f64, f64)> = (0..=20)
            .map(|i| ((f64::from(i) / 2.0).round(), f64::from(2 * i / 2)))
            .collect();
        let keep = kept(&stairs, SMOOTHING_PX);
        // Every point is within a pixel of the line from the first to the
        // last, so only those two are drawn.
        assert_eq!(keep.iter().filter(|k| **k).count(), 2, "{keep:?}");
        // A step (a replica added) keeps its corners.
        let step = [
            (0.0, 10.0),
            (5.0, 10.0),
            (10.0, 10.0),
            (10.0, 0.0),
            (20.0, 0.0),
        ];
        assert_eq!(kept(&step, SMOOTHING_PX), [true, false, true, true, true]);
        // Between corners, points at least 8 px apart: of x = 0, 3, ..., 30
        // on one straight line, 0, 9, 18 and 30 (27 is 3 px from the end).
        let line: Vec<(f64, f64)> = (0..=10).map(|i| (f64::from(3 * i), 0.0)).collect();
        let keep = spaced(&line, &kept(&line, SMOOTHING_PX), 8.0);
        let xs: Vec<f64> = line
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(p, _)| p.0)
            .collect();
        assert_eq!(xs, [0.0, 9.0, 18.0, 30.0]);
    }
}
