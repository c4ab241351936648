//! The pool's closed form: what [`super::sim`] measures, in a few dozen
//! operations an hour (docs/design.md, "Replica pools", with its measured
//! error).
//!
//! Per hour of constant λ, with d = C·s the time a request holds a slot and
//! N ~ Poisson(λd) the requests in the pool (M/G/∞), the hour bills
//! E(R) = Σ_k P(R ≥ k), R the replicas up or starting, plus each start's
//! round-up. Levels k ≤ min_replicas are always up. Every other level is an
//! alternating renewal process, down until it is started, up for its cold
//! start and until its idle timer runs out (`level`). Replica 1 of a
//! scale-to-zero pool is started and kept by every arrival (the renewal
//! cycle). Replica k is started at the first arrival that finds
//! N ≥ x_k = ⌊u·C·(k − 1)⌋ while k − 1 are up (`start_rate`: Alm's
//! scan-statistic rate where x_k is well above the mean, the birth–death
//! walk's first passage near it), and kept while N's excursions above
//! L = (k − 1)·C (packing gives it requests only when the k − 1 before it
//! are full) come back within τ + d (each request holds it d seconds, and
//! its idle timer starts at its last completion), restarted within that
//! up-period each time it stops given nothing. An hour never bills less
//! than its load with headroom, L/u. A day carries each level from hour to hour
//! (`carry`: the idle timeout that keeps replicas into quiet hours, the
//! replicas started together at an onset).

mod carry;
mod level;
mod onset;
mod poisson;
mod queue;
mod rate;

use super::{Arrivals, Policy, Pool, PoolDay};
use carry::{Rate, Table};
use level::{kept_by_arrivals, kept_by_excursions, Bill};
use poisson::{Passage, Poisson};

/// The start rate of a level whose trigger is z = (x + 1 − m)/√m standard
/// deviations above the mean count: the birth–death walk's first passage
/// at z ≤ 1, Alm's scan-statistic rate at z ≥ 3, geometric in between
/// ([`start_rate`]; fitted on the bundled options and the grid, 2026-12-07).
const ALM_BLEND_SD: (f64, f64) = (1.0, 3.0);

/// Levels whose P(R ≥ k) falls below this end the sum.
const NEGLIGIBLE: f64 = 1e-7;

/// One hour of a pool at constant λ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hour {
    /// Replica-hours billed in the hour, round-ups included.
    pub billed: f64,
    /// Mean replicas up or starting: E(R).
    pub replicas: f64,
    /// Replicas started in the hour.
    pub starts: f64,
    /// Requests of the hour that wait for a cold start.
    pub waiting: f64,
}

/// The closed form of one hour of `lambda` arrivals a second, at its
/// stationary state (the hour before at the same rate).
pub fn hour(pool: &Pool, lambda: f64) -> Hour {
    table(pool, lambda, true).stationary
}

/// One hour of a pool: its stationary figures and, for a scaled pool, the
/// rates of its levels that carry the day from hour to hour ([`carry`]);
/// the waits above replica 1 only when `waits` ([`queue`]).
fn table(pool: &Pool, lambda: f64, waits: bool) -> Table {
    match pool.policy {
        Policy::Fixed(n) => Table::fixed(Hour {
            billed: f64::from(n),
            replicas: f64::from(n),
            starts: 0.0,
            waiting: 0.0,
        }),
        Policy::Scaled { min_replicas } => scaled_hour(pool, min_replicas, lambda.max(0.0), waits),
    }
}

/// The closed form of a day: the hours summed in order, the cold-start
/// share over the day's arrivals, and the expected peak ([`peak`]).
pub fn day(pool: &Pool, arrivals: &Arrivals) -> PoolDay {
    let sum = hours(pool, arrivals, true);
    PoolDay {
        billed_replica_hours: sum.billed,
        busy_replica_hours: sum.requests * pool.seconds_per_request / 3600.0,
        cold_starts: sum.starts,
        cold_start_wait_share: if sum.requests > 0.0 {
            (sum.waiting / sum.requests).min(1.0)
        } else {
            0.0
        },
        peak_replicas: peak(pool, arrivals).max(sum.busiest_hour),
    }
}

/// The replica-hours a day bills: [`day`]'s, bit for bit, without its peak
/// (what the break-even searches price).
pub fn billed_replica_hours(pool: &Pool, arrivals: &Arrivals) -> f64 {
    hours(pool, arrivals, false).billed
}

/// The day's hours summed in hour order, each distinct λ priced once; a
/// scaled pool's levels carried from hour to hour ([`carry::day`]) where
/// every hour's levels are counted one by one; the waits above replica 1
/// only when `waits` (three erfc a level).
fn hours(pool: &Pool, arrivals: &Arrivals, waits: bool) -> Sum {
    // Hours of equal λ (a flat day, business hours, a symmetric diurnal
    // curve) are priced once.
    let mut seen: Vec<(u64, Table)> = Vec::with_capacity(24);
    let mut of_hour = [0usize; 24];
    for (h, &lambda) in arrivals.iter().enumerate() {
        let bits = lambda.to_bits();
        of_hour[h] = match seen.iter().position(|(b, _)| *b == bits) {
            Some(i) => i,
            None => {
                seen.push((bits, table(pool, lambda, waits)));
                seen.len() - 1
            }
        };
    }
    let day: [&Table; 24] = of_hour.map(|i| &seen[i].1);
    let mut sum = Sum::default();
    match (pool.policy, seen.iter().all(|(_, t)| t.rates.is_some())) {
        (Policy::Scaled { .. }, true) => {
            let carried = carry::day(&day, pool, waits);
            (sum.billed, sum.starts, sum.waiting, sum.busiest_hour) = (
                carried.billed,
                carried.starts,
                carried.waiting,
                carried.busiest_hour,
            );
        }
        (Policy::Scaled { .. }, false) => {
            let strided = onset::strided_day(&day, pool, waits);
            (sum.billed, sum.starts, sum.waiting) =
                (strided.billed, strided.starts, strided.waiting);
        }
        _ => {
            for t in day {
                sum.billed += t.stationary.billed;
                sum.starts += t.stationary.starts;
                sum.waiting += t.stationary.waiting;
            }
        }
    }
    sum.requests = arrivals.iter().map(|&l| 3600.0 * l.max(0.0)).sum();
    sum
}

/// A day's hours added up.
#[derive(Debug, Default)]
struct Sum {
    billed: f64,
    starts: f64,
    waiting: f64,
    requests: f64,
    /// The most replicas up on average in one hour (carried days only).
    busiest_hour: f64,
}

/// The expected most replicas up at once in the day: Σ_k P(R ≥ k at some
/// moment), with P(R < k all day) = Π_h P(max over the hour ≤ x_k).
pub fn peak(pool: &Pool, arrivals: &Arrivals) -> f64 {
    let min_replicas = match pool.policy {
        Policy::Fixed(n) => return f64::from(n),
        Policy::Scaled { min_replicas } => min_replicas,
    };
    let busiest = arrivals.iter().copied().fold(0.0, f64::max);
    if busiest <= 0.0 {
        return f64::from(min_replicas);
    }
    // Replica 1 of a scale-to-zero pool is up at some moment when any request arrives.
    let mut expected = f64::from(min_replicas.max(1));
    let per_replica = pool.target_utilization * f64::from(pool.slots);
    let mut walks: Vec<(f64, Poisson)> = arrivals
        .iter()
        .filter(|&&l| l > 0.0)
        .map(|&l| (l, Poisson::new(l * pool.hold_s())))
        .collect();
    let m = busiest * pool.hold_s();
    for (k, weight) in levels(min_replicas, m, per_replica) {
        if weight == 0.0 {
            expected += k;
            continue;
        }
        let x = (per_replica * (k - 1.0)).floor();
        let mut below_all_day = 1.0;
        for (lambda, walk) in &mut walks {
            let (p, f) = walk.at(x);
            below_all_day *= stays_at_or_below(*lambda * p, f, 3600.0);
        }
        let reached = 1.0 - below_all_day;
        expected += weight * reached;
        if reached < NEGLIGIBLE && x > m {
            break;
        }
    }
    expected
}

/// The levels k ≥ 2 (past min_replicas) of a pool whose busiest mean count
/// is `m`: first `(n, 0.0)`, the n levels 5 sd below the mean, reached for
/// certain (each misses at most F(m − 5√m) < 3·10⁻⁷); then `(k, w)`,
/// level k standing for w levels: one by one up to 128 levels from the
/// mean, in strides beyond (a pool of thousands of replicas is summed at
/// 128-odd points, its lingering a rounding error).
fn levels(min_replicas: u32, m: f64, per_replica: f64) -> impl Iterator<Item = (f64, f64)> {
    let first = f64::from(min_replicas.max(1)) + 1.0;
    let sure = ((m - 5.0 * m.sqrt()) / per_replica).floor().max(0.0);
    let start = first.max(sure + 1.0);
    let end = ((m + 9.0 * m.sqrt() + 1.0) / per_replica).ceil() + 2.0;
    let stride = ((end - start) / 32.0).floor().max(1.0);
    let certain = std::iter::once((start - first, 0.0));
    let sampled =
        (0..).map(move |i| (start + f64::from(i) * stride + (stride - 1.0) / 2.0, stride));
    certain.chain(sampled.take_while(|&(k, _)| k <= 1e7))
}

/// One hour of a scaled pool: Σ_k P(R ≥ k), starts, round-ups and waits
/// (above replica 1 only when `waits`), and each level's rates ([`Rate`];
/// none when levels are strided).
fn scaled_hour(pool: &Pool, min_replicas: u32, lambda: f64, waits: bool) -> Table {
    let floor = f64::from(min_replicas);
    if lambda == 0.0 {
        let idle = Hour {
            billed: floor,
            replicas: floor,
            starts: 0.0,
            waiting: 0.0,
        };
        return Table::new(idle, floor, Some(Vec::new()));
    }
    let d = pool.hold_s();
    let (c, tau) = (pool.cold_start_s, pool.idle_timeout_s);
    let bill = Bill {
        increment_s: pool.billing_increment_s,
        unbilled_s: pool.unbilled_cold_start_s(),
    };
    let per_replica = pool.target_utilization * f64::from(pool.slots);
    let mut total = Hour {
        billed: 0.0,
        replicas: floor,
        starts: 0.0,
        waiting: 0.0,
    };
    let mut round_ups = 0.0;
    let mut rates = Some(Vec::new());
    // The share of the hour the level below is up (replica k starts only
    // while k − 1 are up or starting).
    let mut below_up = 1.0;
    if min_replicas == 0 {
        // Replica 1: started and kept by any arrival, for the last
        // replica's window (τ₁ ≥ τ).
        let t = pool.first_idle_timeout_s() + d;
        let first = kept_by_arrivals(lambda, lambda, c, t, bill);
        total.replicas += first.up;
        total.starts += first.starts;
        total.waiting += first.starts * (1.0 + lambda * c);
        round_ups += first.starts * first.round_up_s;
        push(&mut rates, first.rate(1.0 + lambda * c), 1.0);
        below_up = first.up;
    }
    let m = lambda * d;
    let load_with_headroom = lambda * pool.seconds_per_request / pool.target_utilization;
    // Level 2 out of reach (P(N ≥ x₂) below 10⁻¹⁸ or so): replica 1 is all.
    let second = (per_replica * f64::from(min_replicas.max(1))).floor();
    if second > m + 10.0 * m.sqrt() + 12.0 {
        total.billed = billed_hours(
            total.replicas + round_ups / 3600.0,
            load_with_headroom.max(floor),
            total.starts * bill.unbilled_s,
        );
        return Table::new(total, load_with_headroom.max(floor), rates);
    }
    // Walks along the levels: the first passage to each trigger
    // level x_k and to each full level plus one, the pmf and cdf at the
    // full level (k − 1)·C, and the cdf at x_k (a one-slot pool).
    let mut passage = Passage::new(m);
    let mut keep = Passage::new(m);
    let mut full = Poisson::new(m);
    let mut trigger = Poisson::new(m);
    // The cdf at x_k for the restarts' waits, walked apart so that the
    // bill is the same bits with waits or without.
    let mut band = Poisson::new(m);
    // The levels' starts, for their waits ([`queue`]).
    let mut starts = Vec::new();
    // The requests that arrive during replica 1's cold start (min 0).
    let mut storm = (min_replicas == 0 && c > 0.0).then(|| Poisson::new(lambda * c));
    // The levels' restarts in the hour and their round-ups.
    let mut restarts = (0.0, 0.0);
    for (k, weight) in levels(min_replicas, m, per_replica) {
        if weight == 0.0 {
            // Levels 5 sd below the mean are up all hour: P = 1, no starts.
            total.replicas += k;
            push(&mut rates, Rate::CERTAIN, k);
            continue;
        }
        let x = (per_replica * (k - 1.0)).floor();
        let l = f64::from(pool.slots) * (k - 1.0);
        let (p_full, at_most_full) = full.at(l);
        let r = {
            let nu = below_up * start_rate(lambda, m, x, &mut trigger, &mut passage);
            // Beyond 8 sd above the mean a replica all but never gets a
            // request: the upcrossing rate, ~10⁻¹⁵·λ, stands in for the
            // passage, which would walk far into the tail.
            let returns = if l > m + 8.0 * m.sqrt() + 8.0 {
                lambda * p_full / at_most_full.max(f64::MIN_POSITIVE)
            } else {
                lambda / keep.to(l + 1.0).max(f64::MIN_POSITIVE)
            };
            kept_by_excursions(nu, returns, at_most_full, c, (tau, d), bill)
        };
        total.replicas += weight * r.up;
        below_up = r.up;
        total.starts += weight * (r.starts + r.restarts);
        round_ups += weight * (r.starts + r.restarts) * r.round_up_s;
        restarts.0 += weight * r.restarts;
        restarts.1 += weight * r.restarts * r.round_up_s;
        // Arrivals during its cold start wait when every ready replica is
        // full: counted once the levels above are known ([`queue`]).
        if waits {
            starts.push(queue::Start {
                trigger: x,
                full_below: l,
                weight,
                starts: r.starts,
                restarts: r.restarts,
                restart_from: if r.restarts > 0.0 {
                    queue::restart_from(&mut band, m, x, p_full, at_most_full)
                } else {
                    x
                },
                ready: (r.up - (r.starts + r.restarts) * c / 3600.0).clamp(0.0, 1.0),
                rate: rates.as_ref().map(Vec::len).filter(|_| weight == 1.0),
            });
        }
        if weight == 1.0 {
            // With the first request, 1 + Poisson(λc) requests are in the
            // pool when replica 1 is ready: level k started if that is
            // above x_k.
            let storm = storm
                .as_mut()
                .map_or(0.0, |s| 1.0 - s.at(x.max(1.0) - 1.0).1);
            push(
                &mut rates,
                Rate {
                    storm,
                    ..r.rate(0.0)
                },
                1.0,
            );
        } else {
            rates = None;
        }
        if r.up < NEGLIGIBLE && x > m {
            break;
        }
    }
    let kept = restarts_kept(lambda, total.starts, restarts.0);
    if kept < 1.0 {
        total.starts -= (1.0 - kept) * restarts.0;
        round_ups -= (1.0 - kept) * restarts.1;
        starts.iter_mut().for_each(|s| s.restarts *= kept);
        if let Some(v) = rates.as_mut() {
            v.iter_mut().for_each(|r| r.restart *= kept);
        }
    }
    if waits {
        let hour = queue::Hour {
            lambda,
            hold_s: d,
            cold_start_s: c,
            slots: f64::from(pool.slots),
        };
        total.waiting += queue::waiting(&hour, &starts, &mut rates);
    }
    total.billed = billed_hours(
        total.replicas + round_ups / 3600.0,
        load_with_headroom.max(floor),
        total.starts * bill.unbilled_s,
    );
    Table::new(total, load_with_headroom.max(floor), rates).with_onset(onset::Onset {
        lambda,
        slots: f64::from(pool.slots),
        hold_s: d,
        per_replica,
        cold_start_s: c,
    })
}

/// The share of the levels' `restarts` an hour keeps so that its starts
/// and restarts (`starts`, restarts included) are at most its arrivals,
/// λ·3600: every start is made by an arrival, one at most each. The
/// restarts' stretch, c + (1 − e^(−rτ))·e^(rT)/(r·F), shrinks to the
/// cold start as the idle timeout τ goes to 0, and 1/stretch restarts a
/// second while up would then outnumber the arrivals hundreds of times
/// (a 1 ms cold start and no idle timeout billed 29,896 replica-hours a
/// day at a peak of 5 replicas; a second read). 1 where the bound holds,
/// which it does on every bundled option and the grid. Only restarts are
/// scaled (the first starts set the levels' up-time): where first starts
/// alone pass the arrivals, all restarts go and the excess stays.
/// The levels' shares up and their waits' ready shares are left as the
/// uncapped restarts made them, part of what leaves τ = 0 +62% off.
fn restarts_kept(lambda: f64, starts: f64, restarts: f64) -> f64 {
    let arrivals = lambda * 3600.0;
    if starts <= arrivals || restarts <= 0.0 {
        return 1.0;
    }
    ((arrivals - (starts - restarts)).max(0.0) / restarts).clamp(0.0, 1.0)
}

/// An hour's bill: its replicas up or starting with their round-ups, at
/// least `floor` (the load with headroom, a floor on replicas up or
/// starting), less `unbilled_s` seconds of cold starts that are not on the
/// bill (taken after the floor: the floor holds starting replicas too).
pub(super) fn billed_hours(up_with_round_ups: f64, floor: f64, unbilled_s: f64) -> f64 {
    (up_with_round_ups.max(floor) - unbilled_s / 3600.0).max(0.0)
}

/// Most levels a day carries: a pool of more replicas is summed hour by
/// hour at its stationary state (its hour-to-hour lingering is a small
/// share of its bill), which keeps the day's cost to a few dozen µs.
const MOST_CARRIED_LEVELS: f64 = 256.0;

/// Appends `count` levels of `rate` to an hour's rates (while it has them).
fn push(rates: &mut Option<Vec<Rate>>, rate: Rate, count: f64) {
    if let Some(v) = rates {
        if v.len() as f64 + count > MOST_CARRIED_LEVELS {
            *rates = None;
        } else {
            v.extend(std::iter::repeat_n(rate, count as usize));
        }
    }
}

/// The rate of clusters of arrivals that find N = x (N then exceeds the
/// trigger): with deterministic holds, N is the count of arrivals in the
/// last d seconds, a scan statistic, and Alm's approximation gives the
/// rate of first crossings as λ·p(x)·(x + 1 − m)/(x + 1).
fn start_rate(lambda: f64, m: f64, x: f64, at: &mut Poisson, passage: &mut Passage) -> f64 {
    let (lo, hi) = ALM_BLEND_SD;
    let z = (x + 1.0 - m) / m.sqrt().max(1e-9);
    let mut walk = || lambda / (passage.to(x) + 1.0);
    if z <= lo {
        return walk();
    }
    let (p, _) = at.at(x);
    let alm = lambda * p * (x + 1.0 - m) / (x + 1.0);
    if z >= hi {
        return alm;
    }
    let w = (z - lo) / (hi - lo);
    walk().powf(1.0 - w) * alm.powf(w)
}

/// P(N ≤ x at the start and no upcrossing of x in `window` seconds):
/// F·e^(−ν·window/F), ν the upcrossing rate.
fn stays_at_or_below(nu: f64, f: f64, window: f64) -> f64 {
    let exponent = -nu * window / f;
    if f <= 0.0 || exponent < -700.0 {
        return 0.0;
    }
    f * exponent.exp()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod window_tests;
