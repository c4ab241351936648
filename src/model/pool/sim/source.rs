//! Where a day's arrivals come from: a piecewise Poisson process, or a
//! given list (the tests' hand-built days).

use super::rng::Rng;

/// Arrival times in increasing order, then +∞ for ever.
pub(crate) trait Source {
    /// The next arrival time in seconds after 00:00, or +∞ when the day has no more.
    fn next(&mut self) -> f64;
}

/// Poisson arrivals at rate λ_h within hour h: exponential gaps; a gap
/// that crosses the hour's end is redrawn from the end at the next hour's
/// rate (the process is memoryless, so this is exact).
pub(crate) struct Poisson {
    rng: Rng,
    /// 1/λ_h, or 0 for an hour without arrivals.
    mean_gap: [f64; 24],
    hour: usize,
    t: f64,
}

impl Poisson {
    /// Arrivals of one day at rates `rates` (already sanitised: finite, ≥ 0).
    pub(crate) fn new(rates: &[f64; 24], rng: Rng) -> Poisson {
        Poisson {
            rng,
            mean_gap: rates.map(|l| if l > 0.0 { 1.0 / l } else { 0.0 }),
            hour: 0,
            t: 0.0,
        }
    }
}

impl Source for Poisson {
    #[inline]
    fn next(&mut self) -> f64 {
        while self.hour < 24 {
            let gap = self.mean_gap[self.hour];
            let end = (self.hour + 1) as f64 * 3600.0;
            if gap > 0.0 {
                let t = self.t + self.rng.exp1() * gap;
                if t < end {
                    self.t = t;
                    return t;
                }
            }
            self.t = end;
            self.hour += 1;
        }
        f64::INFINITY
    }
}

/// A given list of arrival times (sorted, in [0, 86,400)).
pub(crate) struct List<'a> {
    times: std::slice::Iter<'a, f64>,
}

impl<'a> List<'a> {
    /// The arrivals `times`, which the caller has sorted and bounded.
    pub(crate) fn new(times: &'a [f64]) -> List<'a> {
        List {
            times: times.iter(),
        }
    }
}

impl Source for List<'_> {
    fn next(&mut self) -> f64 {
        self.times.next().copied().unwrap_or(f64::INFINITY)
    }
}
