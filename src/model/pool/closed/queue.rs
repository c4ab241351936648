//! The requests that wait for a replica level's cold start, in the closed
//! form (docs/design.md, "Replica pools", "Waits"): the arrivals during
//! its cold start that find every ready replica full. Used by
//! [`super::day`] only: the break-even searches do not price waits.

use super::carry::Rate;
use super::poisson::{erfc, Poisson};

/// One level's starts in an hour, kept until the levels above it are
/// known (the replicas ready during its cold start include them).
#[derive(Debug, Clone, Copy)]
pub(super) struct Start {
    /// x: the count of requests its start is triggered above.
    pub(super) trigger: f64,
    /// L = (k − 1)·C: the requests that fill the k − 1 levels below it.
    pub(super) full_below: f64,
    /// Levels it stands for (strided sums).
    pub(super) weight: f64,
    /// Starts of one such level in the hour, from down.
    pub(super) starts: f64,
    /// Its restarts in the hour (stops the next arrival undoes).
    pub(super) restarts: f64,
    /// The count of requests a restart is made at, less its own.
    pub(super) restart_from: f64,
    /// Share of the hour one such level is up and past its cold start.
    pub(super) ready: f64,
    /// Its place in the hour's carried rates, if it has one.
    pub(super) rate: Option<usize>,
}

/// The pool's hour as the waits need it.
pub(super) struct Hour {
    pub(super) lambda: f64,
    /// d: seconds a request holds a slot.
    pub(super) hold_s: f64,
    pub(super) cold_start_s: f64,
    /// C: slots a replica.
    pub(super) slots: f64,
}

/// The requests of the hour that wait for the starts of levels above
/// replica 1, the levels taken from the top: each start's waits are
/// [`during_cold_start`] with the full level raised by the replicas ready
/// above it (their mean, and their variance in N's). A restart (a level
/// that stopped idle, started again within its up-period) is the top of
/// the pool: it stopped with nothing in flight, so no level above it was
/// given a request either, and its waits take the full level alone, from
/// the count it restarts at. Sets each carried level's waits a start and
/// a restart in `rates`.
pub(super) fn waiting(hour: &Hour, starts: &[Start], rates: &mut Option<Vec<Rate>>) -> f64 {
    let (mut above, mut above_var, mut total) = (0.0, 0.0, 0.0);
    for s in starts.iter().rev() {
        let full = s.full_below + hour.slots * above;
        let spread = hour.slots * hour.slots * above_var;
        let per_start = during_cold_start(hour, s.trigger, full, spread);
        let per_restart = if s.restarts > 0.0 {
            during_cold_start(hour, s.restart_from, s.full_below, 0.0)
        } else {
            0.0
        };
        total += s.weight * (s.starts * per_start + s.restarts * per_restart);
        if let (Some(i), Some(v)) = (s.rate, rates.as_mut()) {
            v[i].waiting_per_start = per_start;
            v[i].waiting_per_restart = per_restart;
        }
        above += s.weight * s.ready;
        above_var += s.weight * s.ready * (1.0 - s.ready);
    }
    total
}

/// Requests that wait during one start of a level triggered by the
/// arrival that brought N to x + 1, every ready replica full at `full`
/// requests (`spread`: the variance that the ready replicas above it add,
/// in requests²).
///
/// With deterministic holds N(t) is the count of arrivals in the last d
/// seconds, so t seconds after the start it is the starting arrival, the
/// x before it still held (each with probability 1 − t/d, their arrival
/// times uniform over the last d seconds) and Poisson(λt) new ones; at t
/// ≥ d it is N's stationary law Poisson(λd) again. The waits are
/// λ·∫₀^c P(N(t) ≥ full) dt: normal over the first min(c, d) seconds
/// (three-point Gauss–Legendre), the Poisson tail after (normal when the
/// spread of the replicas above matters).
fn during_cold_start(hour: &Hour, x: f64, full: f64, spread: f64) -> f64 {
    let (lambda, c, d) = (hour.lambda, hour.cold_start_s, hour.hold_s);
    if c <= 0.0 || lambda <= 0.0 {
        return 0.0;
    }
    let at_least = |mean: f64, var: f64| {
        let var = (var + spread).max(1e-9);
        0.5 * erfc((full - 0.5 - mean) / (2.0 * var).sqrt())
    };
    let early = c.min(d);
    let late = (c - early).max(0.0);
    let m = lambda * d;
    // Out of reach all through the cold start (8 sd above the highest
    // mean, at the widest spread): no waits, no tails to evaluate.
    let highest = (x + 1.0).max(1.0 + x * (1.0 - early / d) + lambda * early);
    let highest = if late > 0.0 { highest.max(m) } else { highest };
    let widest = x / 4.0 + lambda * early + if late > 0.0 { m } else { 0.0 } + spread;
    if full - 0.5 - highest > 8.0 * widest.sqrt() {
        return 0.0;
    }
    let held = |t: f64| {
        let kept = 1.0 - t / d;
        at_least(
            1.0 + x * kept + lambda * t,
            x * kept * (1.0 - kept) + lambda * t,
        )
    };
    const NODES: [(f64, f64); 3] = [
        (0.112_701_665_379_258_3, 5.0 / 18.0),
        (0.5, 8.0 / 18.0),
        (0.887_298_334_620_741_7, 5.0 / 18.0),
    ];
    let transient: f64 = NODES.iter().map(|&(u, w)| w * held(u * early)).sum();
    let stationary = if late == 0.0 {
        0.0
    } else if spread < 0.05 * m.max(1.0) {
        let (p, at_most) = Poisson::new(m).at(full.ceil());
        1.0 - at_most + p
    } else {
        at_least(m, m)
    };
    lambda * (early * transient + late * stationary)
}

/// The mean count a level's restart finds, less the arrival that makes
/// it: the level stopped with N at most its full level L, and the next
/// arrival that finds N above its trigger x restarts it, so N's law
/// between the two, E[N | x < N ≤ L] = m·(F(L − 1) − F(x − 1))/(F(L) −
/// F(x)) (Σ n·p(n) = m·Σ p(n − 1)); x itself where that band is empty.
pub(super) fn restart_from(
    at: &mut Poisson,
    m: f64,
    x: f64,
    p_full: f64,
    at_most_full: f64,
) -> f64 {
    let (p_x, at_most_x) = at.at(x);
    let band = at_most_full - at_most_x;
    if band <= 1e-12 {
        return x;
    }
    let mean = m * ((at_most_full - p_full) - (at_most_x - p_x)) / band;
    (mean - 1.0).max(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hour(lambda: f64, hold_s: f64, cold_start_s: f64) -> Hour {
        Hour {
            lambda,
            hold_s,
            cold_start_s,
            slots: 16.0,
        }
    }

    /// Holds far longer than the cold start: N stays near its trigger.
    /// At λ = 1/s, d = 1,000 s, c = 10 s, a start at x = 100 sees N(t)
    /// of mean 1 + 100·(1 − t/d) + t ≤ 102 and sd ≤ 3.3 through the cold
    /// start: reaching 200 is 29 sd away, so nobody waits (the stationary
    /// law, Poisson(1,000) ≥ 200, would have counted all 10 arrivals).
    #[test]
    fn a_start_far_below_the_full_level_with_long_holds_keeps_nobody_waiting() {
        let w = during_cold_start(&hour(1.0, 1000.0, 10.0), 100.0, 200.0, 0.0);
        assert!(w < 1e-12, "{w}");
    }

    /// Holds far shorter than the cold start: after d the count is N's
    /// stationary law. λ = 1/s, d = 1 s, c = 101 s, full at 1 request:
    /// (c − d)·λ·P(Poisson(1) ≥ 1) = 100·(1 − e^(−1)) = 63.212 arrivals,
    /// plus the first second, where the starting request is still held
    /// (N ≥ 1 for sure; the normal tail gives 0.9–1 of λ·d = 1).
    #[test]
    fn a_cold_start_much_longer_than_the_holds_waits_at_the_stationary_law() {
        let w = during_cold_start(&hour(1.0, 1.0, 101.0), 0.0, 1.0, 0.0);
        let stationary = 100.0 * (1.0 - (-1.0f64).exp());
        assert!((63.212..63.213).contains(&stationary));
        assert!(w - stationary >= 0.9 && w - stationary <= 1.0, "{w}");
    }

    /// No cold start, nobody waits for one.
    #[test]
    fn no_cold_start_no_waits() {
        assert_eq!(
            during_cold_start(&hour(5.0, 10.0, 0.0), 3.0, 16.0, 0.0),
            0.0
        );
    }

    /// The levels above a start that are ready raise its full level: one
    /// ready level above a start at x = 12 (C = 16, λ = 1/s, d = c = 20 s)
    /// moves the full level from 16 to 32 requests. Alone, N(t) has mean
    /// 13 + 0.4t and variance 12·(t/20)(1 − t/20) + t; at the three nodes
    /// t = 2.254, 10, 17.746 s, P(N ≥ 16) = Φ(−0.86), Φ(0.416), Φ(1.057)
    /// = 0.195, 0.661, 0.855, so the waits are 20·(5·0.195 + 8·0.661 +
    /// 5·0.855)/18 = 11.7 of the λc = 20 arrivals; with the level above
    /// ready, reaching 32 takes z = 2.62 at the last node (Q = 0.0044) and
    /// 4 sd or more before it: 20·5·0.0044/18 = 0.024.
    #[test]
    fn ready_levels_above_a_start_take_its_arrivals() {
        let h = hour(1.0, 20.0, 20.0);
        let starts = |ready_above: f64| {
            let s = [
                Start {
                    trigger: 12.0,
                    full_below: 16.0,
                    weight: 1.0,
                    starts: 1.0,
                    restarts: 0.0,
                    restart_from: 12.0,
                    ready: 1.0,
                    rate: None,
                },
                Start {
                    trigger: 25.0,
                    full_below: 32.0,
                    weight: 1.0,
                    starts: 0.0,
                    restarts: 0.0,
                    restart_from: 25.0,
                    ready: ready_above,
                    rate: None,
                },
            ];
            waiting(&h, &s, &mut None)
        };
        let alone = starts(0.0);
        let with_one_above = starts(1.0);
        assert!((alone - 11.7).abs() < 0.05, "{alone}");
        assert!((with_one_above - 0.024).abs() < 0.002, "{with_one_above}");
    }
}
