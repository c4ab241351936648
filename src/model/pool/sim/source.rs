//! Where a day's arrivals come from: a piecewise Poisson process, or a
//! given list (the tests' hand-built days).

use super::rng::Rng;

/// Arrival times in increasing order, then +∞ for ever.
pub(crate) trait ArrivalSource {
    /// The next arrival time in seconds after 00:00 (negative in a
    /// warm-up), or +∞ when the day has no more.
    fn next(&mut self) -> f64;
}

/// Poisson arrivals at rate λ_h within hour h: exponential gaps; a gap
/// that crosses the hour's end is redrawn from the end at the next hour's
/// rate (the process is memoryless, so this is exact). A warm-up of w
/// whole hours before 00:00 runs at the rates of the day's last w hours
/// (the day before, as the traffic model repeats daily).
pub(crate) struct Poisson {
    rng: Rng,
    /// 1/λ_h, or 0 for an hour without arrivals.
    mean_gap: [f64; 24],
    /// Hours from the start of the warm-up; 24 + warm-up hours in all.
    hour: usize,
    warm_up_hours: usize,
    t: f64,
}

impl Poisson {
    /// ArrivalSource of one day at rates `rates` (already sanitised: finite,
    /// ≥ 0), from `warm_up_hours` (at most 24) before 00:00.
    pub(crate) fn new(rates: &[f64; 24], rng: Rng, warm_up_hours: usize) -> Poisson {
        let warm_up_hours = warm_up_hours.min(24);
        Poisson {
            rng,
            mean_gap: rates.map(|l| if l > 0.0 { 1.0 / l } else { 0.0 }),
            hour: 0,
            warm_up_hours,
            t: -3600.0 * warm_up_hours as f64,
        }
    }
}

impl ArrivalSource for Poisson {
    #[inline]
    fn next(&mut self) -> f64 {
        let last = 24 + self.warm_up_hours;
        while self.hour < last {
            let gap = self.mean_gap[(self.hour + 24 - self.warm_up_hours) % 24];
            let end = (self.hour as f64 - self.warm_up_hours as f64 + 1.0) * 3600.0;
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

impl ArrivalSource for List<'_> {
    fn next(&mut self) -> f64 {
        self.times.next().copied().unwrap_or(f64::INFINITY)
    }
}
