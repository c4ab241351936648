//! One replica level of a pool in an hour of constant λ: an alternating
//! renewal process, down until it is started, up for its cold start and
//! until its idle timer runs out (docs/design.md, "Replica pools"). Used by
//! [`super`]'s hour; the rates it yields carry the day ([`super::carry`]).

use super::carry::Rate;

/// One replica level of a pool in an hour: an alternating renewal process.
pub(super) struct Level {
    /// Share of the hour the replica is up (or starting).
    pub(super) up: f64,
    /// Starts in the hour from down (its up-periods).
    pub(super) starts: f64,
    /// Restarts in the hour: stops within an up-period that the next
    /// arrival undoes.
    pub(super) restarts: f64,
    /// Mean seconds each up-period is rounded up by.
    pub(super) round_up_s: f64,
    /// ν: starts a second while down.
    start_rate: f64,
    /// 1/E: stops a second while up (0: kept for good).
    stop_rate: f64,
    /// Restarts a second while up: the stops within an up-period that the
    /// next arrival undoes (0 for replica 1).
    restart_rate: f64,
}

impl Level {
    /// The level's rates for the day's carry, with the requests that wait
    /// at each start.
    pub(super) fn rate(&self, waiting_per_start: f64) -> Rate {
        Rate {
            start: self.start_rate,
            stop: self.stop_rate,
            round_up_s: self.round_up_s,
            waiting_per_start,
            storm: 0.0,
            restart: self.restart_rate,
            waiting_per_restart: 0.0,
        }
    }
}

/// A replica started at rate ν while down, and kept by requests it takes
/// at rate μ: up for E = c + (e^(μT) − 1)/μ (the cold start, then until
/// T = τ + d passes without a request). With ν = μ = λ this is the
/// renewal cycle of a lone scale-to-zero replica, up = 1 − 1/(e^(λT) + λc).
/// The shortest up-period, c + T, happens with probability e^(−μT).
pub(super) fn kept_by_arrivals(nu: f64, mu: f64, c: f64, t: f64, bill: Bill) -> Level {
    let kept = expm1_over(mu, t).map(|e| e / mu.max(f64::MIN_POSITIVE));
    let kept = if mu * t < 1e-9 { Some(t) } else { kept };
    renewal(nu, kept, (-mu * t).exp(), c + t, c, bill)
}

/// Replica k of a batching pool, with L = (k − 1)·C: it is given a
/// request when the count N of requests in the pool passes L (packing
/// gives it work only when the k − 1 before it are full), and each
/// request holds it for d = `hold` seconds, however soon N falls back to
/// L (the slots freed below it are other requests'). Its idle timer starts
/// at its last completion, so it stops at the first gap longer than
/// T = τ + d between the requests it is given, as replica 1 does
/// ([`kept_by_arrivals`]). N comes back above L in clusters (it jitters
/// across L + ½), so a gap is not ended at the rate of upcrossings but,
/// for the long gaps that count, at the rate of first passages to L + 1
/// from N's law at or below L: r = `returns` = 1/E[T_(L+1)]
/// ([`Passage`]), and the gaps run until one passes T, (e^(rT) − 1)/r.
/// The first gap, from its ready moment, is taken at T too: the level was
/// started by a cluster of arrivals that N holds for d seconds, so N is
/// still near its trigger, not at its law below L, when it is ready (taken
/// at τ from that law, the first gap under-billed pools of d ≫ τ by up to
/// 8%; docs/design.md, "Replica pools", v3). Over its up-period the busy
/// spells add 1 − F(L) of the time for every F(L) idle, so E = c +
/// (e^(rT) − 1)/(r·F(L)). It is started at the first arrival that finds
/// N ≥ x_k while the k − 1 below it are up (`nu`: a first passage, thinned
/// by the share of time level k − 1 is up), not at the rate of such
/// arrivals: N crosses x_k in clusters too, and only a cluster's first
/// crossing starts a replica. The shortest up-period is a replica that
/// never takes a request, c + τ, with probability e^(−rT).
///
/// Within an up-period the simulation stops and restarts the level (v4):
/// a stretch of it ends at its first gap of τ from its ready moment (a
/// replica given nothing stops after c + τ), then of T, c + (1 −
/// e^(−rτ))·e^(rT)/(r·F(L)) long, and the next arrival that finds N
/// above the trigger starts it again, N having moved little in τ when d
/// is long. The up-period E above bills what those stretches bill (v3's
/// measured error), so the restarts are counted at 1/stretch − 1/E a
/// second while up, each rounded up and waited for as a start.
///
/// [`Passage`]: super::poisson::Passage
pub(super) fn kept_by_excursions(
    nu: f64,
    returns: f64,
    at_most_full: f64,
    c: f64,
    (tau, hold): (f64, f64),
    bill: Bill,
) -> Level {
    if at_most_full <= 0.0 {
        return renewal(nu, None, 0.0, c + tau, c, bill);
    }
    let t = tau + hold;
    // A level that all but never gets a request is up for c + τ.
    let kept = if returns * t < 1e-9 {
        Some(tau)
    } else {
        expm1_over(returns, t).map(|e| e / (returns * at_most_full))
    };
    let mut level = renewal(nu, kept, (-returns * t).exp(), c + tau, c, bill);
    // One stretch of it, ready until its first gap of τ, then of T.
    let stretch = if returns * t < 1e-9 {
        tau
    } else {
        -(-returns * tau).exp_m1() / returns * (returns * t).exp() / at_most_full
    };
    let stretch = c + stretch;
    if level.stop_rate > 0.0 && stretch.is_finite() && stretch > 0.0 {
        level.restart_rate = (1.0 / stretch - level.stop_rate).max(0.0);
        level.restarts = 3600.0 * level.up * level.restart_rate;
    }
    level
}

/// e^(rate·t) − 1, or None when it overflows (the replica is never stopped).
fn expm1_over(rate: f64, t: f64) -> Option<f64> {
    (rate * t <= 700.0).then(|| (rate * t).exp_m1())
}

/// The alternating renewal of one level: down for 1/ν, up for c + `kept`
/// (None: for good), so up = νE/(1 + νE) and 3600·ν/(1 + νE) starts an
/// hour. The shortest up-period (`shortest` long, with probability
/// `p_shortest`; billed without its unbilled seconds) is rounded up
/// exactly; any other by half an increment on average.
fn renewal(
    nu: f64,
    kept: Option<f64>,
    p_shortest: f64,
    shortest: f64,
    c: f64,
    bill: Bill,
) -> Level {
    let inc = bill.increment_s;
    let period = kept.map(|k| c + k).filter(|p| p.is_finite());
    let start_rate = if nu.is_nan() { 0.0 } else { nu.max(0.0) };
    let stop_rate = period.map_or(0.0, |p| 1.0 / p.max(f64::MIN_POSITIVE));
    let (up, starts) = match period {
        _ if start_rate == 0.0 => (0.0, 0.0),
        None => (1.0, 0.0),
        // νE overflows only when the level is up all but 1/νE of the time.
        Some(period) if (nu * period).is_finite() => (
            nu * period / (1.0 + nu * period),
            3600.0 * nu / (1.0 + nu * period),
        ),
        Some(_) => (1.0, 0.0),
    };
    let billed_shortest = shortest - bill.unbilled_s;
    let round_up_s = p_shortest * round_up(billed_shortest, inc) + (1.0 - p_shortest) * inc / 2.0;
    Level {
        up,
        starts,
        restarts: 0.0,
        round_up_s,
        start_rate,
        stop_rate,
        restart_rate: 0.0,
    }
}

/// How an up-period is billed: rounded up to whole increments, its first
/// `unbilled_s` seconds (an unbilled cold start) left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Bill {
    /// Seconds an up-period is rounded up to (0: not rounded).
    pub(super) increment_s: f64,
    /// Seconds at its start that are not billed.
    pub(super) unbilled_s: f64,
}

/// Seconds by which a warm period of `length` seconds is rounded up.
fn round_up(length: f64, inc: f64) -> f64 {
    if inc <= 0.0 {
        return 0.0;
    }
    (length / inc).ceil() * inc - length
}
