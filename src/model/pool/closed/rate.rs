//! One replica level of a scaled pool in one hour, as the carried day
//! ([`super::carry`]) takes it: its rates (a two-state process, down → up
//! at ν, up → down at 1/E) and the affine map of its share up across the
//! hour that they make.

/// What one level does in one hour, as rates a second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rate {
    /// ν: starts a second while down (infinite: started at once).
    pub(super) start: f64,
    /// 1/E: stops a second while up (0: kept for good).
    pub(super) stop: f64,
    /// Mean seconds each up-period is rounded up by.
    pub(super) round_up_s: f64,
    /// Requests that wait for each start's cold start.
    pub(super) waiting_per_start: f64,
    /// For a level above replica 1 of a scale-to-zero pool: the share of
    /// replica 1's starts that start it too (the requests that arrive
    /// during replica 1's cold start pile up past its trigger).
    pub(super) storm: f64,
    /// Restarts a second while up (stops the next arrival undoes).
    pub(super) restart: f64,
    /// Requests that wait for each restart's cold start.
    pub(super) waiting_per_restart: f64,
}

impl Rate {
    /// A level 5 sd below the hour's mean: up at once, for good.
    pub(super) const CERTAIN: Rate = Rate {
        start: f64::INFINITY,
        stop: 0.0,
        round_up_s: 0.0,
        waiting_per_start: 0.0,
        storm: 0.0,
        restart: 0.0,
        waiting_per_restart: 0.0,
    };

    /// A level the hour never starts: it stops once its idle timeout runs
    /// out with nothing in flight.
    pub(super) fn unreached(idle_timeout_s: f64) -> Rate {
        Rate {
            start: 0.0,
            stop: 1.0 / idle_timeout_s.max(1.0),
            round_up_s: 0.0,
            waiting_per_start: 0.0,
            storm: 0.0,
            restart: 0.0,
            waiting_per_restart: 0.0,
        }
    }

    /// The share up at the stationary state.
    pub(super) fn stationary(&self) -> f64 {
        if self.start.is_infinite() {
            return 1.0;
        }
        let r = self.start + self.stop;
        if r > 0.0 {
            self.start / r
        } else {
            0.0
        }
    }
}

/// A level's hour as an affine map of its share up at the hour's start:
/// p(t) = p∞ + (p0 − p∞)·e^(−rt), r = ν + 1/E, p∞ = ν/r, so the hour's
/// mean is p∞ + (p0 − p∞)·(1 − e^(−rH))/(rH) and its end p∞ + (p0 −
/// p∞)·e^(−rH); the starts are ν·H·(1 − mean). The exponentials depend
/// on the rates only, so they are taken once per hour's rates, not once
/// per hour of the day (two passes of 24 hours share them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Step {
    /// ν (infinite: started at once).
    start: f64,
    /// p∞.
    p_inf: f64,
    /// 1 − e^(−rH).
    gone: f64,
    /// rH (0: the share stays where it is).
    rh: f64,
    /// e^(−rH).
    left: f64,
}

impl Step {
    const H: f64 = 3600.0;

    /// The step of a level's rates.
    pub(super) fn of(rate: &Rate) -> Step {
        let r = rate.start + rate.stop;
        let mut step = Step {
            start: rate.start,
            p_inf: 0.0,
            gone: 0.0,
            rh: 0.0,
            left: 1.0,
        };
        if rate.start.is_infinite() || r <= 0.0 {
            return step;
        }
        step.p_inf = rate.start / r;
        step.gone = -(-r * Step::H).exp_m1();
        step.rh = r * Step::H;
        step.left = (-r * Step::H).exp();
        step
    }

    /// An hour from `p0` up: (mean share up, starts, share up at its end).
    pub(super) fn hour(&self, p0: f64) -> (f64, f64, f64) {
        if self.start.is_infinite() {
            return (1.0, 1.0 - p0, 1.0);
        }
        if self.rh <= 0.0 {
            return (p0, 0.0, p0);
        }
        let p_inf = self.p_inf;
        let mean = p_inf + (p0 - p_inf) * self.gone / self.rh;
        (mean, self.start * Step::H * (1.0 - mean), self.end(p0))
    }

    /// How much of a share up at the hour's start is left of it at its
    /// end: e^(−rH), 0 for a level started at once.
    pub(super) fn kept(&self) -> f64 {
        if self.start.is_infinite() {
            0.0
        } else {
            self.left
        }
    }

    /// The share up at the end of an hour from `p0` up: [`Step::hour`]'s
    /// third figure alone.
    pub(super) fn end(&self, p0: f64) -> f64 {
        if self.start.is_infinite() {
            return 1.0;
        }
        if self.rh <= 0.0 {
            return p0;
        }
        self.p_inf + (p0 - self.p_inf) * self.left
    }
}
