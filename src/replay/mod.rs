//! Replay: the recorded requests of a log priced on every option of a
//! workload (the price step, on recorded traffic instead of a profile).
//! Per-token offers bill the sums of the requests' own tokens (cached
//! tokens at the cached rate, the profile's batch share at the batch
//! discount); per-prediction offers bill each request; dedicated pools run
//! the pool simulator on the recorded arrival times, each request holding
//! its slot for its own prefill and decode time, every recorded request
//! served to its end ([`crate::model::pool::sim::simulate_recorded_served`]).
//! Beside each, what the engine predicts from the profile for the same
//! period. Pure: the log and the engine's pricing in, figures out; the
//! words are `cli::replay`'s.

use rayon::prelude::*;

mod traffic;

pub(crate) use traffic::{difference, traffic};

use crate::contract::PricedOption;
use crate::engine::Pricing;
use crate::model::dedicated::Replica;
use crate::model::pool::{sim, Policy, Pool};
use crate::model::{per_token, Demand, Unit};
use crate::price::{Costed, Offer};
use crate::profile::Scaling;
use crate::trace::{Log, Request};

/// Seconds in a day.
const DAY_S: f64 = 86_400.0;

/// The recorded period and the requests' token sums.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Recorded {
    /// First arrival.
    pub first_t: f64,
    /// Last arrival.
    pub last_t: f64,
    /// Requests.
    pub requests: u64,
    /// Σ input tokens (cached included).
    pub input: u64,
    /// Σ cached input tokens.
    pub cached: u64,
    /// Σ output tokens.
    pub output: u64,
}

impl Recorded {
    /// The requests' sums and period (the log sorted, at least one request).
    pub(crate) fn of(log: &Log) -> Recorded {
        let r = &log.requests;
        Recorded {
            first_t: r.first().map_or(0.0, |q| q.t),
            last_t: r.last().map_or(0.0, |q| q.t),
            requests: r.len() as u64,
            input: r.iter().map(|q| u64::from(q.input)).sum(),
            cached: r.iter().map(|q| u64::from(q.cached)).sum(),
            output: r.iter().map(|q| u64::from(q.output)).sum(),
        }
    }

    /// Seconds covered: last arrival − first.
    pub(crate) fn span_s(&self) -> f64 {
        self.last_t - self.first_t
    }

    /// The mean request, as the dedicated model's unit.
    fn mean_unit(&self) -> Unit {
        let n = self.requests.max(1) as f64;
        Unit::Request {
            input: self.input as f64 / n,
            cached: self.cached as f64 / n,
            output: self.output as f64 / n,
        }
    }
}

/// One option on the recorded traffic, beside the profile's prediction.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Replayed {
    /// The option as the engine priced it on the profile.
    pub option: PricedOption,
    /// What it bills on the recorded requests.
    pub bill: Bill,
    /// The profile's $ a day × the period's share of a day.
    pub predicted_usd: f64,
    /// The profile's billed replica-hours a day × the same share (dedicated).
    pub predicted_billed_replica_hours: Option<f64>,
    /// More of the recorded requests after the recording's opening cold
    /// start waited for a cold start than the workload allows
    /// (`requirements.max_cold_start_share`): the test the engine makes of
    /// a scaled pick, on the recording ([`Bill::judged_cold_start_share`]).
    pub over_cold_start_budget: bool,
}

/// What an option bills on the recorded requests.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Bill {
    /// $ for the recorded period on the recorded requests.
    pub usd: f64,
    /// Replica-hours billed in the period (dedicated).
    pub billed_replica_hours: Option<f64>,
    /// Replicas of an always-on pool sized on the recorded busiest hour.
    pub fixed_replicas: Option<u32>,
    /// Replicas started in the period (scaled pools).
    pub cold_starts: Option<f64>,
    /// 99th percentile of queueing waits, seconds (dedicated).
    pub wait_p99_s: Option<f64>,
    /// Share of the recorded requests that waited for a replica to start
    /// (scaled pools).
    pub cold_start_wait_share: Option<f64>,
    /// Of those, the requests that arrived during the cold start the
    /// recording opens with (a scaled pool at zero replicas when the log
    /// begins): billed and counted in the share, but an edge of the
    /// recording, not held against the allowance (scaled pools).
    pub opening_waits: Option<u64>,
    /// Requests the pool simulation served (scaled pools and always-on).
    pub simulated_requests: u64,
}

impl Bill {
    /// The share of recorded requests after the recording's opening cold
    /// start that waited for a replica to start: what the cold-start
    /// allowance judges, counted on the requests the simulation served
    /// (`None` unless a scaled pool, or when every request arrived during
    /// the opening).
    pub(crate) fn judged_cold_start_share(&self) -> Option<f64> {
        let share = self.cold_start_wait_share?;
        let requests = self.simulated_requests;
        let opening = self.opening_waits.unwrap_or(0).min(requests);
        let waited = (share * requests as f64).round() - opening as f64;
        let after = requests - opening;
        (after > 0).then(|| waited.max(0.0) / after as f64)
    }
}

impl Replayed {
    /// Eligible on the recording: eligible for the profile and, for a
    /// scaled pool, within the cold-start allowance on the recorded
    /// arrivals.
    pub(crate) fn eligible_on_recording(&self) -> bool {
        self.option.eligible() && !self.over_cold_start_budget
    }
}

/// Every serving option of `pricing` replayed on `log` (training offers,
/// committed ones and dedicated ones without a throughput left out), the options' pools
/// simulated on every core and returned in the options' order.
pub(crate) fn replay(log: &Log, pricing: &Pricing, options: &[PricedOption]) -> Vec<Replayed> {
    let rec = Recorded::of(log);
    let share_of_day = rec.span_s() / DAY_S;
    let times: Vec<f64> = log.requests.iter().map(|q| q.t - rec.first_t).collect();
    let allowance = crate::pick::cold_start_allowance(pricing.workload);
    options
        .par_iter()
        .zip(pricing.costed.par_iter())
        // A committed option's plan is made for the profile's day, not the
        // log's; its dedicated or per-token option is replayed.
        .filter(|(o, _)| o.offer != crate::contract::OfferKind::Committed)
        .filter_map(|(o, c)| {
            let bill = bill(c, &rec, &log.requests, &times, pricing)?;
            Some(Replayed {
                option: o.clone(),
                over_cold_start_budget: bill
                    .judged_cold_start_share()
                    .is_some_and(|share| share > allowance),
                bill,
                predicted_usd: c.usd_per_day * share_of_day,
                predicted_billed_replica_hours: c
                    .dedicated
                    .as_ref()
                    .map(|(_, d)| d.billed_replica_hours * share_of_day),
            })
        })
        .collect()
}

/// One option's bill on the recorded requests (`requests` sorted, `times`
/// their arrivals from the first).
pub(crate) fn bill(
    c: &Costed,
    rec: &Recorded,
    requests: &[Request],
    times: &[f64],
    pricing: &Pricing,
) -> Option<Bill> {
    let blank = |usd: f64| Bill {
        usd,
        ..Bill::default()
    };
    match c.offer {
        Offer::Serverless(o) => {
            let usd =
                per_token::request_cost(o, rec.input as f64, rec.cached as f64, rec.output as f64)
                    * per_token::batch_factor(o, pricing.workload.batch_share);
            Some(blank(usd))
        }
        Offer::Prediction(o) => Some(blank(rec.requests as f64 * o.usd_per_prediction())),
        Offer::Dedicated(..) => {
            let (replica, _) = c.dedicated.as_ref()?;
            let target = pricing.workload.traffic.target_utilization;
            let own = |i: usize| own_seconds(replica, &requests[i]);
            let (pool, fixed) = recorded_pool(replica, rec, times, &own, target)?;
            let horizon = served_until(rec, times, &own);
            let s = sim::simulate_recorded_served(&pool, times, own, horizon);
            let billed = s.mean.billed_replica_hours;
            let scaled = !matches!(pool.policy, Policy::Fixed(_));
            Some(Bill {
                billed_replica_hours: Some(billed),
                fixed_replicas: fixed,
                cold_starts: scaled.then_some(s.mean.cold_starts),
                wait_p99_s: Some(s.wait_p99_s),
                cold_start_wait_share: scaled.then_some(cold_wait_share(&pool, &s)),
                opening_waits: scaled.then(|| opening_waits(&pool, times)),
                simulated_requests: s.requests,
                ..blank(billed * replica.usd_per_replica_hour)
            })
        }
        Offer::Training(_) => None,
    }
}

/// Share of the requests that waited for a replica to start: none where
/// replicas start at once (`cold_start_s` 0: the simulator counts a
/// request that finds only a starting replica, here one ready the same
/// instant).
fn cold_wait_share(pool: &Pool, s: &sim::Simulated) -> f64 {
    if pool.cold_start_s > 0.0 {
        s.mean.cold_start_wait_share
    } else {
        0.0
    }
}

/// Requests that arrive before the first replica of a pool at zero can
/// be ready: the first arrival starts it, and every request until its cold
/// start ends finds no ready replica (`times` from the first arrival, in
/// order). 0 where the pool keeps replicas up or they start at once. The
/// log does not say whether the pool was up before it began: on a week the
/// opening is a handful of requests, on the 84 s Azure slice it was every
/// wait (before 2026-12-08 it alone excluded Modal's pools there).
fn opening_waits(pool: &Pool, times: &[f64]) -> u64 {
    let at_zero = matches!(pool.policy, Policy::Scaled { min_replicas: 0 });
    if !at_zero || pool.cold_start_s <= 0.0 {
        return 0;
    }
    times.partition_point(|t| *t < pool.cold_start_s) as u64
}

/// The horizon of a pool replay: the recorded period plus the last
/// arrival's own service time (a horizon at the last arrival itself would
/// leave it out: the simulator takes arrivals in `[0, horizon)`), and
/// past the last arrival however short its own time (one of 0 tokens out,
/// every input token cached, took 0 s and was left out, and its cold
/// start unbilled: a second read). The run goes on past it until every
/// request taken is served ([`sim::simulate_recorded_served`]): requests
/// queued behind a cold start or behind longer ones before them are
/// billed too.
fn served_until(rec: &Recorded, times: &[f64], own: &dyn Fn(usize) -> f64) -> f64 {
    let tail = times.len().checked_sub(1).map_or(0.0, own);
    let span = rec.span_s();
    // The next float up from span ≥ 0 or above (span · ε is at least one
    // unit in the last place of span; `f64::next_up` is past the MSRV).
    (span + tail).max((span + span * f64::EPSILON).max(f64::MIN_POSITIVE))
}

/// Replica-seconds one recorded request keeps a saturated replica busy:
/// its own (input − cached)/prefill + output/decode
/// ([`Replica::seconds_per_unit`] of the request itself).
pub(crate) fn own_seconds(replica: &Replica, q: &Request) -> f64 {
    replica.seconds_per_unit(&Unit::Request {
        input: f64::from(q.input),
        cached: f64::from(q.cached),
        output: f64::from(q.output),
    })
}

/// The pool of a replica serving the recorded requests, each holding a
/// slot for its own time (`own`); an always-on pool keeps the whole
/// replicas of the recorded busiest hour. `None` when the replica has no
/// throughput (the mean request's time is not finite).
pub(crate) fn recorded_pool(
    replica: &Replica,
    rec: &Recorded,
    times: &[f64],
    own: &dyn Fn(usize) -> f64,
    target_utilization: f64,
) -> Option<(Pool, Option<u32>)> {
    let demand = Demand {
        units_per_day: rec.requests as f64,
        unit: rec.mean_unit(),
        batch_share: 0.0,
    };
    let mut pool = replica.pool(&demand, target_utilization);
    if !pool.seconds_per_request.is_finite() {
        return None;
    }
    if replica.scaling != Scaling::AlwaysOn {
        return Some((pool, None));
    }
    let n = busiest_hour_replicas(times, own, target_utilization);
    pool.policy = Policy::Fixed(n);
    Some((pool, Some(n)))
}

/// ⌈busy replica-seconds of the busiest hour (Σ of its requests' own
/// seconds) / (3600 · target)⌉, at least 1; hours counted from the first
/// arrival, and a recording shorter than an hour is one window of its own
/// length.
pub(crate) fn busiest_hour_replicas(times: &[f64], own: &dyn Fn(usize) -> f64, target: f64) -> u32 {
    let span = times.last().copied().unwrap_or(0.0);
    let window = span.clamp(1.0, 3600.0);
    let last = (span / window).floor();
    // The times are sorted: sum each window's run, keep the largest.
    let (mut busiest, mut current, mut run) = (0.0f64, f64::NAN, 0.0f64);
    for (i, t) in times.iter().enumerate() {
        let w = (t / window).floor().min(last);
        if w != current {
            (current, run) = (w, 0.0);
        }
        run += own(i);
        busiest = busiest.max(run);
    }
    let replicas = busiest / (window * target.max(1e-3));
    (replicas - 1e-9).ceil().clamp(1.0, f64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests;
