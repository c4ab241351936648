//! The seeded discrete-event simulation of a replica pool under the
//! reference model (docs/design.md, "Replica pools").
//!
//! Each day is an independent replication: it starts with `min_replicas`
//! (or the fixed count) ready and idle, nothing in flight, a few hours
//! before 00:00 at the rates of the day's last hours (a warm-up, so that
//! the pool at 00:00 is what the day before left, not an empty pool:
//! `Params::warm_up_hours`); its tally starts at 00:00 and ends at 24:00. Replicas still up at 24:00 are billed to 24:00 (that
//! last up-period rounded up like any other); requests in flight at 24:00
//! count as busy only for their part before 24:00; requests still waiting
//! at 24:00 count with their wait so far. Day k draws from xoshiro256++
//! seeded by SplitMix64 of (seed, k), so days can run on any number of
//! threads (rayon) and are combined in day order: the result is the same,
//! bit for bit, whatever the thread count.
//!
//! The event rules, exactly: an arrival joins (goes to the ready replica
//! with the most requests in flight that has a free slot, else to the end
//! of one FIFO queue); then, if requests in flight or waiting exceed
//! target_utilization · C · (replicas up or starting), one replica starts.
//! A completion's slot goes to the queue's head; a replica that becomes
//! ready takes up to C waiting requests. At equal times replica events
//! (completions, readiness, timeouts) come before an arrival. A request
//! waits for a cold start when it queues on arrival while a replica is
//! starting, the one its own arrival started included (the first request
//! to a pool scaled to zero does). The cost is proportional to the
//! requests simulated: about 70-100 ns each on one core (`cargo bench
//! --bench pool`). Recorded requests of different sizes, each holding its
//! slot for its own time, go through [`simulate_recorded_each`] (`own`).

mod day;
mod hist;
mod own;
#[cfg(test)]
mod props;
mod replica;
pub(crate) mod rng;
mod source;
#[cfg(test)]
mod tests;

use rayon::prelude::*;

pub use own::{simulate_recorded_each, simulate_recorded_served};

use super::{Arrivals, Policy, Pool, PoolDay};
use day::Tally;
use hist::Waits;

/// Seconds in the simulated day.
const DAY_S: f64 = 86_400.0;

/// Most expected arrivals one run of the event loop takes: a simulated day
/// with its warm-up hours, or the first hour ([`first_hour`]). About 0.3 s
/// on one core (~70 ns a request); support-chat's 1.5 million a day fits.
/// Above it [`bounded`] and [`first_hour`] simulate nothing and the caller
/// keeps the closed form (docs/design.md, "Replica pools").
pub const MOST_ARRIVALS_A_RUN: f64 = 4_000_000.0;

/// Most expected arrivals all the days of one [`bounded`] call take.
pub const MOST_ARRIVALS_IN_ALL: f64 = 40_000_000.0;

/// Too many arrivals to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TooBusy {
    /// Expected arrivals of the run refused (a day with its warm-up, or
    /// the first hour).
    pub arrivals: f64,
}

/// Expected arrivals of one simulated day of `pool` at `arrivals`, its
/// warm-up hours (the day's last hours again) included.
pub fn arrivals_a_day(pool: &Pool, arrivals: &Arrivals) -> f64 {
    let rates = arrivals.map(non_negative);
    let warm_up = Params::of(pool).warm_up_hours();
    let day: f64 = rates.iter().sum();
    let before: f64 = rates[24 - warm_up.min(24)..].iter().sum();
    3600.0 * (day + before)
}

/// [`simulate`] within the bounds: `Err` when one day would put more than
/// [`MOST_ARRIVALS_A_RUN`] arrivals through the event loop; else as many of
/// `settings.days` as keep all of them within [`MOST_ARRIVALS_IN_ALL`] (at
/// least one), with the days run.
pub fn bounded(
    pool: &Pool,
    arrivals: &Arrivals,
    settings: Run,
) -> Result<(Simulated, u32), TooBusy> {
    let a_day = arrivals_a_day(pool, arrivals);
    if a_day > MOST_ARRIVALS_A_RUN {
        return Err(TooBusy { arrivals: a_day });
    }
    let days = days_within(a_day, settings.days);
    let run = simulate(pool, arrivals, Run { days, ..settings });
    Ok((run, days))
}

/// Of `days` asked (0 counts as 1), as many as keep `a_day` arrivals a day
/// within [`MOST_ARRIVALS_IN_ALL`] in all, at least one.
fn days_within(a_day: f64, days: u32) -> u32 {
    let fit = (MOST_ARRIVALS_IN_ALL / a_day.max(1.0)).floor().max(1.0);
    days.max(1).min(fit.min(f64::from(u32::MAX)) as u32)
}

/// How long and from which seed to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Days simulated (independent replications); 0 counts as 1.
    pub days: u32,
    /// Seed of the whole run.
    pub seed: u64,
}

/// A simulation's result.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Simulated {
    /// Mean over the days. Its two shares are pooled over all the days'
    /// requests (a ratio of sums); `peak_replicas` is the mean of each day's peak.
    pub mean: PoolDay,
    /// 95% confidence interval of billed replica-hours per day: mean ±
    /// 1.96 · sd/√days (sd over days, n − 1); equal to the mean for one day.
    pub billed_ci95: [f64; 2],
    /// 95% confidence interval of the cold-start wait share (a ratio of
    /// sums over the days): share ± 1.96 · sd/√days of each day's waits
    /// less the share of its requests, over the mean requests a day (the
    /// waits come in bursts, so the days, not the requests, are the
    /// samples); equal to the share for one day.
    pub cold_start_wait_share_ci95: [f64; 2],
    /// Median queueing wait (arrival to slot), seconds, over all requests,
    /// zeros included; within 0.39% (a histogram bucket's half width).
    pub wait_p50_s: f64,
    /// 99th percentile of the same waits, within 0.39%.
    pub wait_p99_s: f64,
    /// Share of all requests that waited at all (wait > 0).
    pub waited_share: f64,
    /// Requests simulated in all.
    pub requests: u64,
    /// The ramp: one hour at the busiest hour's rate starting from
    /// `min_replicas` ready and idle (billed to the hour's end, rounded
    /// up); for [`simulate_arrivals`], the given day's first hour.
    pub first_hour: PoolDay,
}

/// The pool's rules as the event loop reads them, sanitised: no NaN, no
/// negative time, at least one slot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Params {
    slots: u32,
    seconds_per_request: f64,
    hold_s: f64,
    /// target_utilization · C: requests per replica before one more starts.
    scale_per_replica: f64,
    cold_start_s: f64,
    idle_timeout_s: f64,
    /// Seconds the last replica up of a scale-to-zero pool lingers past
    /// its idle timeout ([`Pool::first_idle_timeout_s`] − τ; 0: one window).
    linger_s: f64,
    /// Seconds after a start that its billing starts (0: from the start;
    /// c: once the replica is ready).
    unbilled_s: f64,
    increment_s: f64,
    min_replicas: u32,
    /// Replicas ready at 00:00.
    initial: u32,
    scaled: bool,
    horizon_s: f64,
    /// Seconds simulated before 00:00 (whole hours of the day's last hours).
    warm_up_s: f64,
}

/// `x` if finite and ≥ 0, else 0.
fn non_negative(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

impl Params {
    fn of(pool: &Pool) -> Params {
        let slots = pool.slots.max(1);
        let s = non_negative(pool.seconds_per_request);
        // A target outside (0.001, 1e6) would start a replica per arrival
        // or never; NaN counts as 1.
        let u = if pool.target_utilization.is_nan() {
            1.0
        } else {
            pool.target_utilization.clamp(1e-3, 1e6)
        };
        let (scaled, min_replicas) = match pool.policy {
            Policy::Fixed(n) => (false, n),
            Policy::Scaled { min_replicas } => (true, min_replicas),
        };
        Params {
            slots,
            seconds_per_request: s,
            hold_s: f64::from(slots) * s,
            scale_per_replica: u * f64::from(slots),
            cold_start_s: non_negative(pool.cold_start_s),
            idle_timeout_s: non_negative(pool.idle_timeout_s),
            linger_s: if scaled {
                non_negative(pool.first_idle_timeout_s() - non_negative(pool.idle_timeout_s))
            } else {
                0.0
            },
            unbilled_s: if scaled {
                non_negative(pool.unbilled_cold_start_s())
            } else {
                0.0
            },
            increment_s: non_negative(pool.billing_increment_s),
            min_replicas,
            initial: min_replicas,
            scaled,
            horizon_s: DAY_S,
            warm_up_s: 0.0,
        }
    }

    /// Hours of warm-up before 00:00 so that the pool at 00:00 is the one
    /// the day before left: long enough for a replica to start, time out
    /// and linger once more, ⌈(c + τ₁ + d)/3600⌉ + 1, at most 24.
    fn warm_up_hours(&self) -> usize {
        if !self.scaled {
            return 0;
        }
        let span = (self.cold_start_s + self.idle_timeout_s + self.linger_s + self.hold_s) / 3600.0;
        (span.ceil().min(23.0) as usize) + 1
    }

    /// Whether a ready replica whose idle timeout falls with `up` replicas
    /// up or starting stays for the last replica's longer window: it is
    /// the last, and has not lingered since its last request.
    fn lingers(&self, up: u32, rep: &replica::Rep) -> bool {
        self.linger_s > 0.0 && up == 1 && !rep.lingering
    }

    /// An up-period of `period_s` rounded up to whole increments (as it is
    /// when the increment is 0, or so small that the count overflows).
    fn billed(&self, period_s: f64) -> f64 {
        let p = period_s.max(0.0);
        let n = (p / self.increment_s).ceil();
        if self.increment_s > 0.0 && n.is_finite() {
            n * self.increment_s
        } else {
            p
        }
    }
}

/// Simulates `settings.days` days of `pool` under Poisson arrivals at the
/// hourly rates `arrivals` (a rate that is not finite and positive counts
/// as no arrivals). Unbounded: time and memory grow with the arrivals,
/// so every command calls [`bounded`].
pub fn simulate(pool: &Pool, arrivals: &Arrivals, settings: Run) -> Simulated {
    let mut p = Params::of(pool);
    let warm_up_hours = p.warm_up_hours();
    p.warm_up_s = 3600.0 * warm_up_hours as f64;
    let rates = arrivals.map(non_negative);
    let days = settings.days.max(1);
    let (mut tallies, waits) = (0..days)
        .into_par_iter()
        .fold(
            || (Vec::new(), Waits::new()),
            |(mut v, mut w), d| {
                let rng = rng::Rng::for_day(settings.seed, u64::from(d));
                let mut src = source::Poisson::new(&rates, rng, warm_up_hours);
                let (day, _) = day::run(&p, &mut src, &mut w, false);
                v.push((d, day));
                (v, w)
            },
        )
        .reduce(
            || (Vec::new(), Waits::new()),
            |(mut a, mut wa), (b, wb)| {
                a.extend(b);
                wa.merge(&wb);
                (a, wa)
            },
        );
    tallies.sort_by_key(|&(d, _)| d);
    let days: Vec<Tally> = tallies.into_iter().map(|(_, t)| t).collect();
    combine(&days, &waits, ramp(pool, arrivals, settings.seed))
}

/// The ramp: one hour at the day's busiest rate from `min_replicas` ready
/// and nothing in flight (traffic starting from a quiet pool, as on a
/// Monday morning), seeded apart from the days.
fn ramp(pool: &Pool, arrivals: &Arrivals, seed: u64) -> Tally {
    let mut p = Params::of(pool);
    p.horizon_s = 3600.0;
    let busiest = arrivals.map(non_negative).into_iter().fold(0.0, f64::max);
    let rng = rng::Rng::for_day(seed, u64::MAX);
    let mut src = source::Poisson::new(&[busiest; 24], rng, 0);
    day::run(&p, &mut src, &mut Waits::new(), false).0
}

/// The ramp alone ([`Simulated::first_hour`]), without simulating days:
/// what the report says of traffic starting from a quiet pool. About 70 ns
/// per request of the busiest hour; `Err` (nothing simulated) when the
/// hour would take more than [`MOST_ARRIVALS_A_RUN`].
pub fn first_hour(pool: &Pool, arrivals: &Arrivals, seed: u64) -> Result<PoolDay, TooBusy> {
    let busiest = arrivals.map(non_negative).into_iter().fold(0.0, f64::max);
    if 3600.0 * busiest > MOST_ARRIVALS_A_RUN {
        return Err(TooBusy {
            arrivals: 3600.0 * busiest,
        });
    }
    Ok(pool_day(&ramp(pool, arrivals, seed)))
}

/// One day of `pool` with the given arrival times (seconds after 00:00;
/// sorted here, those outside [0, 86,400) or not finite dropped).
pub fn simulate_arrivals(pool: &Pool, times: &[f64]) -> Simulated {
    simulate_recorded(pool, times, DAY_S)
}

/// `pool` over recorded arrival times (seconds from the recording's start;
/// sorted here, those outside [0, `horizon_s`) or not finite dropped), from
/// 0 to `horizon_s` of any length: replicas up at the horizon are billed to
/// it, as at a day's end ([`simulate_arrivals`] is this for one day).
pub fn simulate_recorded(pool: &Pool, times: &[f64], horizon_s: f64) -> Simulated {
    let mut p = Params::of(pool);
    p.horizon_s = non_negative(horizon_s);
    let mut times: Vec<f64> = times
        .iter()
        .copied()
        .filter(|t| t.is_finite() && (0.0..p.horizon_s).contains(t))
        .collect();
    times.sort_by(f64::total_cmp);
    let mut waits = Waits::new();
    let (day, first) = day::run(&p, &mut source::List::new(&times), &mut waits, true);
    combine(&[day], &waits, first.unwrap_or_default())
}

/// A day's figures from its tally.
fn pool_day(t: &Tally) -> PoolDay {
    PoolDay {
        billed_replica_hours: t.billed_s / 3600.0,
        busy_replica_hours: t.busy_s / 3600.0,
        cold_starts: t.cold_starts as f64,
        cold_start_wait_share: share(t.cold_waits, t.requests),
        peak_replicas: f64::from(t.peak),
    }
}

/// a/b, 0 when b is 0.
fn share(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The days' mean and spread, summed in day order.
fn combine(days: &[Tally], waits: &Waits, first: Tally) -> Simulated {
    let n = days.len().max(1) as f64;
    let mean_of = |f: &dyn Fn(&Tally) -> f64| days.iter().map(f).sum::<f64>() / n;
    let billed = mean_of(&|t| t.billed_s / 3600.0);
    let requests: u64 = days.iter().map(|t| t.requests).sum();
    let cold_waits: u64 = days.iter().map(|t| t.cold_waits).sum();
    let half = if days.len() > 1 {
        let var = days
            .iter()
            .map(|t| (t.billed_s / 3600.0 - billed).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        1.96 * (var / n).sqrt()
    } else {
        0.0
    };
    let wait_share = share(cold_waits, requests);
    let wait_half = if days.len() > 1 && requests > 0 {
        let per_day = requests as f64 / n;
        let var = days
            .iter()
            .map(|t| (t.cold_waits as f64 - wait_share * t.requests as f64).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        1.96 * (var / n).sqrt() / per_day
    } else {
        0.0
    };
    let recorded = waits.count();
    Simulated {
        mean: PoolDay {
            billed_replica_hours: billed,
            busy_replica_hours: mean_of(&|t| t.busy_s / 3600.0),
            cold_starts: mean_of(&|t| t.cold_starts as f64),
            cold_start_wait_share: wait_share,
            peak_replicas: mean_of(&|t| f64::from(t.peak)),
        },
        billed_ci95: [billed - half, billed + half],
        cold_start_wait_share_ci95: [
            (wait_share - wait_half).max(0.0),
            (wait_share + wait_half).min(1.0),
        ],
        wait_p50_s: waits.quantile(0.5),
        wait_p99_s: waits.quantile(0.99),
        waited_share: share(recorded - waits.zeros(), recorded),
        requests,
        first_hour: pool_day(&first),
    }
}
