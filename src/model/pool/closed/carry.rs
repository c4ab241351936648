//! The closed form's day, carried from hour to hour: each replica level
//! of a scaled pool is a two-state process, down → up at its start rate ν
//! and up → down at 1/E (its mean up-period), with the rates of the hour
//! it is in. An hour that starts where the one before ended (a replica
//! kept into a quiet hour by its idle timeout, the levels started at an
//! onset after quiet hours, the levels an overloaded onset starts before
//! any of them is ready: [`Onset`](super::onset::Onset)) is then billed for it; a day of one
//! rate is the stationary sum of [`super::hour`], figure for figure. The
//! day is run twice, the first time from the last hour's stationary
//! state, so that 00:00 finds what the day before left (as the simulation's
//! warm-up); the first run starts as late as the day allows
//! ([`warm_up_from`]). A level's rates and its hour: [`super::rate`].

use super::onset::{Onset, Walk};
pub(super) use super::rate::{Rate, Step};
use super::{Hour, Policy, Pool};

/// One hour of a pool: the stationary hour, the least it bills (its load
/// with headroom, min_replicas), and its levels' rates above min_replicas
/// (`None`: summed in strides, not carried).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Table {
    pub(super) stationary: Hour,
    floor: f64,
    pub(super) rates: Option<Vec<Rate>>,
    /// Each rate's [`Step`], taken once.
    steps: Vec<Step>,
    /// The most of its start any of these steps keeps ([`Step::kept`]).
    kept: f64,
    /// The hour's overload at its start, if the replicas up then cannot
    /// serve it.
    pub(super) onset: Option<Onset>,
}

impl Table {
    pub(super) fn new(stationary: Hour, floor: f64, rates: Option<Vec<Rate>>) -> Table {
        let steps: Vec<Step> = rates.iter().flatten().map(Step::of).collect();
        Table {
            stationary,
            floor,
            rates,
            kept: steps.iter().map(Step::kept).fold(0.0, f64::max),
            steps,
            onset: None,
        }
    }

    /// The table with the hour's [`Onset`].
    pub(super) fn with_onset(self, onset: Onset) -> Table {
        Table {
            onset: Some(onset),
            ..self
        }
    }

    /// A fixed pool's hour: nothing to carry.
    pub(super) fn fixed(hour: Hour) -> Table {
        Table {
            stationary: hour,
            floor: hour.billed,
            rates: None,
            steps: Vec::new(),
            kept: 1.0,
            onset: None,
        }
    }
}

/// The day's billed replica-hours, starts and waits.
#[derive(Debug, Default)]
pub(super) struct Carried {
    pub(super) billed: f64,
    pub(super) starts: f64,
    pub(super) waiting: f64,
    /// The most replicas up on average in any one hour (a floor of the
    /// day's expected peak that counts the storms).
    pub(super) busiest_hour: f64,
}

/// Most levels a day carries one by one; an onset that starts more puts
/// the rest in one sum (they are all past the hour's rates, so alike).
const MOST_LEVELS: usize = 1024;

/// The day carried from hour to hour, `min_replicas` always up; an
/// overloaded onset's waits walked only when `waits` (the searches price
/// bills alone).
pub(super) fn day(hours: &[&Table; 24], pool: &Pool, waits: bool) -> Carried {
    carried(hours, pool, waits, false)
}

/// [`day`], its warm-up pass the whole day when `whole_warm_up` (what it
/// was before [`warm_up_from`]; the tests compare the two).
fn carried(hours: &[&Table; 24], pool: &Pool, waits: bool, whole_warm_up: bool) -> Carried {
    let min_replicas = match pool.policy {
        Policy::Scaled { min_replicas } => f64::from(min_replicas),
        Policy::Fixed(n) => f64::from(n),
    };
    let unreached = Rate::unreached(pool.idle_timeout_s);
    let unreached = (unreached, Step::of(&unreached));
    // Replica 1 of a scale-to-zero pool, in an hour without arrivals,
    // stops at the last replica's window.
    let first = Rate::unreached(pool.first_idle_timeout_s());
    let first = (first, Step::of(&first));
    let unbilled_s = pool.unbilled_cold_start_s();
    let levels = hours
        .iter()
        .map(|t| t.rates.as_ref().map_or(0, Vec::len))
        .max()
        .unwrap_or(0);
    let last = hours[23];
    let mut up: Vec<f64> = (0..levels)
        .map(|i| {
            last.rates
                .as_ref()
                .and_then(|r| r.get(i))
                .unwrap_or(&unreached.0)
                .stationary()
        })
        .collect();
    let mut sum = Carried::default();
    // Levels at or past this index are down for certain (share 0).
    let mut live = up.len();
    // Replicas up in the levels past MOST_LEVELS an onset started: they
    // are all unreached, so their shares add up (the step is linear).
    let mut bulk = 0.0;
    let mut in_flight = last.onset.map_or(0.0, |o| o.in_flight());
    let warm_up = if whole_warm_up {
        0
    } else {
        warm_up_from(hours, [&unreached.1, &first.1], min_replicas)
    };
    for tally in [false, true] {
        let from = if tally { 0 } else { warm_up };
        for t in &hours[from..] {
            let mut hour = HourSum {
                replicas: min_replicas,
                ..HourSum::default()
            };
            // The levels an overload at the hour's start starts at once.
            let above_min = up[..live].iter().sum::<f64>() + bulk;
            let ready = min_replicas + above_min;
            let walk = t.onset.map_or(Walk::NONE, |o| o.started(ready));
            let (mut surge, overload_s) = (walk.levels, walk.seconds);
            if let (Some(o), true) = (t.onset, waits && tally && surge > 0.0) {
                // Its arrivals while every ready slot is taken wait.
                sum.waiting += o.lambda * o.waiting_s(ready, in_flight);
            }
            in_flight = t.onset.map_or(0.0, |o| o.in_flight());
            // Room for the surge: `up` holds the levels above min_replicas.
            let needed = ((above_min + surge).ceil() as usize).min(MOST_LEVELS);
            if up.len() < needed {
                up.resize(needed, 0.0);
            }
            let rates = t.rates.as_deref().unwrap_or(&[]);
            let given = rates.len().min(t.steps.len()).min(up.len());
            // Past the live levels every share is 0 and stays 0 in an
            // hour that starts nothing there: no surge, no rates.
            let in_reach = if surge > 0.0 {
                up.len()
            } else {
                live.max(given)
            };
            let (with_rates, beyond) = up[..in_reach].split_at_mut(given);
            let lanes = with_rates.iter_mut().zip(rates.iter().zip(&t.steps));
            for (i, (p, (rate, step))) in lanes.enumerate() {
                hour.level(i, p, rate, step, &mut surge, tally.then_some(&mut sum));
            }
            if let (Some(o), true) = (t.onset, surge > 0.0) {
                // The levels it starts past the hour's rates stop at the
                // idle timeout from the hour's start on; each is up from
                // its start until its idle clock runs, which is added
                // (the hour's own levels' up-periods count their cold
                // starts already).
                hour.replicas += surge * o.up_before_idle_s(overload_s) / 3600.0;
            }
            // Replica 1 of a scale-to-zero pool, when the hour has no
            // rates, keeps the last replica's window; the rest the others'.
            let lone = usize::from(given == 0 && min_replicas == 0.0).min(beyond.len());
            let (first_level, rest) = beyond.split_at_mut(lone);
            let lanes = first_level
                .iter_mut()
                .map(|p| (p, &first))
                .chain(rest.iter_mut().map(|p| (p, &unreached)));
            for (i, (p, (rate, step))) in lanes.enumerate() {
                hour.level(
                    given + i,
                    p,
                    rate,
                    step,
                    &mut surge,
                    tally.then_some(&mut sum),
                );
            }
            live = live_levels(&mut up[..in_reach], given);
            let step = &unreached.1;
            if surge > 0.0 || bulk > 0.0 {
                // The surge past the levels carried one by one.
                bulk += surge;
                let (mean, _, end) = step.hour(bulk);
                bulk = end;
                hour.replicas += mean;
                hour.starts += surge;
            }
            if tally {
                // An unbilled cold start leaves c of each start's up-time off the bill.
                sum.billed += super::billed_hours(
                    hour.replicas + hour.round_ups / 3600.0,
                    t.floor,
                    hour.starts * unbilled_s,
                );
                sum.starts += hour.starts;
                sum.busiest_hour = sum.busiest_hour.max(hour.replicas.max(t.floor));
            }
        }
    }
    sum
}

/// How much of where a day starts its warm-up from may still show at
/// 00:00 for the warm-up to start as late as it does ([`warm_up_from`]).
const FORGOTTEN: f64 = 1e-18;

/// The first hour of the warm-up pass: the latest from which every
/// level's share at 00:00 depends on its share then by at most
/// [`FORGOTTEN`]. An hour keeps at most the largest e^(−rH) of its
/// levels' steps, of a level past its rates (`idle`: the idle timeouts'
/// steps) or none of a level started at once; run back from 23:00 until
/// their product is below it (0, the whole day, when it never is: an idle
/// timeout of an hour or more). An hour whose onset may start levels
/// above `min_replicas` ([`Onset::may_start`]) does not keep a difference
/// small: the levels it starts are a whole count that a hundredth of a
/// replica up at its start can move by dozens (a second read's case,
/// 30 requests a second every other hour, τ = 1,800 s: −1.7% of the bill
/// when the warm-up started after such an hour). So what reaches such an
/// hour must be forgotten before it: the product starts again there.
/// Where the warm-up started from the last hour's stationary state at
/// 00:00 it now starts from it later, as forgotten by 00:00 either way.
fn warm_up_from(hours: &[&Table; 24], idle: [&Step; 2], min_replicas: f64) -> usize {
    let idle = idle.iter().map(|s| s.kept()).fold(0.0, f64::max);
    let mut kept = 1.0;
    for (h, t) in hours.iter().enumerate().rev() {
        if t.onset.is_some_and(|o| o.may_start(min_replicas)) {
            kept = 1.0;
            continue;
        }
        kept *= t.kept.max(idle);
        if kept < FORGOTTEN {
            return h;
        }
    }
    0
}

/// A share up below this is taken as down: under 10⁻¹⁸ of a replica, far
/// under the 2·10⁻¹⁶ by which a sum of one replica or more can move, so
/// the levels an idle timeout has all but stopped drop out of the day's
/// work (they were most of it: the levels a busy hour started, decaying
/// through the quiet ones).
const DOWN_FOR_CERTAIN: f64 = 1e-18;

/// The levels past `given` (the hour's rates) that were stopped for
/// certain set to 0, and the count of levels that may still be up: one
/// past the last level with a share above 0.
fn live_levels(carried: &mut [f64], given: usize) -> usize {
    for p in carried.iter_mut().skip(given) {
        if *p < DOWN_FOR_CERTAIN {
            *p = 0.0;
        }
    }
    carried.iter().rposition(|&p| p > 0.0).map_or(0, |i| i + 1)
}

/// One hour's sums as its levels are carried through it.
#[derive(Debug, Default)]
struct HourSum {
    replicas: f64,
    round_ups: f64,
    /// Starts and restarts in the hour (the tallied pass only).
    starts: f64,
    /// Replica 1's starts in the hour (its storms start the levels above).
    first_starts: f64,
}

impl HourSum {
    /// Level `i`, up `p` at the hour's start, through the hour: `p` set
    /// to its share up at the hour's end, the day's starts and waits
    /// added to `tally` when given.
    fn level(
        &mut self,
        i: usize,
        p: &mut f64,
        rate: &Rate,
        step: &Step,
        surge: &mut f64,
        tally: Option<&mut Carried>,
    ) {
        let storm = if *surge == 0.0 && (self.first_starts == 0.0 || rate.storm == 0.0) {
            0.0
        } else {
            // The storms of replica 1's starts in the hour, taken at its
            // start (they matter at an onset, one start an hour).
            let storm = (self.first_starts * rate.storm).min(1.0) * (1.0 - *p);
            let surged = surge.min(1.0 - *p - storm).max(0.0);
            *surge -= surged;
            storm + surged
        };
        let Some(sum) = tally else {
            if i > 0 {
                // The warm-up pass: only where the level ends matters.
                *p = step.end(*p + storm);
                return;
            }
            let (_, starts, end) = step.hour(*p + storm);
            self.first_starts = starts;
            *p = end;
            return;
        };
        let (mean, starts, end) = step.hour(*p + storm);
        let restarts = mean * 3600.0 * rate.restart;
        if i == 0 {
            self.first_starts = starts;
        }
        *p = end;
        self.replicas += mean;
        self.round_ups += (starts + restarts + storm) * rate.round_up_s;
        self.starts += starts + restarts + storm;
        sum.waiting += starts * rate.waiting_per_start + restarts * rate.waiting_per_restart;
    }
}

#[cfg(test)]
#[path = "carry_tests.rs"]
mod tests;
