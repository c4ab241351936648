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
            let carried = if surge > 0.0 {
                up.len()
            } else {
                live.max(given)
            };
            let (with_rates, beyond) = up[..carried].split_at_mut(given);
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
            live = live_levels(&mut up[..carried], given);
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
mod tests {
    use super::*;
    use crate::model::pool::Arrivals;

    /// Levels past the hour's rates under 10⁻¹⁸ are set down; a level
    /// with rates is left as it is however small; the live count ends one
    /// past the last share above 0.
    #[test]
    fn levels_all_but_stopped_drop_out() {
        let mut up = [1.0, 0.5, 3e-19, 2e-18, 1e-20, 0.0];
        assert_eq!(live_levels(&mut up, 1), 4);
        assert_eq!(up, [1.0, 0.5, 0.0, 2e-18, 0.0, 0.0]);
        let mut up = [1e-20, 0.0, 5e-19];
        assert_eq!(live_levels(&mut up, 1), 1);
        assert_eq!(up, [1e-20, 0.0, 0.0]);
        assert_eq!(live_levels(&mut [0.0; 3], 0), 0);
    }

    fn pool(min_replicas: u32, idle_timeout_s: f64) -> Pool {
        Pool {
            policy: Policy::Scaled { min_replicas },
            slots: 8,
            seconds_per_request: 0.5,
            target_utilization: 0.8,
            cold_start_s: 120.0,
            idle_timeout_s,
            last_idle_timeout_s: idle_timeout_s,
            billing_increment_s: 60.0,
            cold_start_billed: true,
        }
    }

    /// The warm-up that starts late ends where the whole day's warm-up
    /// ends: the days agree to 10⁻¹² of their bill, starts and waits, for
    /// business hours (quiet from 17:00: 300 s idle timeouts forget the
    /// day by 20:00), scale-to-zero and a floor of 2. An idle timeout of an
    /// hour forgets too slowly, and its warm-up is the whole day; so is a
    /// day whose onsets follow each other too closely to forget between
    /// them (a second read's case: 30 requests a second every other hour,
    /// τ = 1,800 s, c = 300 s, s = 1 s, u = 0.7; the warm-up started at
    /// 01:00 before onsets were counted, and billed 5,048.58 replica-hours
    /// against the whole warm-up's 5,135.92, −1.7%).
    #[test]
    fn a_late_warm_up_carries_the_day_the_whole_warm_up_carries() {
        let business: Arrivals =
            std::array::from_fn(|h| if (9..17).contains(&h) { 40.0 } else { 0.0 });
        let alternating: Arrivals = std::array::from_fn(|h| if h % 2 == 0 { 30.0 } else { 0.0 });
        let every_other = |min_replicas| Pool {
            seconds_per_request: 1.0,
            target_utilization: 0.7,
            cold_start_s: 300.0,
            ..pool(min_replicas, 1800.0)
        };
        // A second read's other case: one-slot bursts at 01, 05, 12, 17
        // and 21 h (scale-to-zero: the warm-up started at 02:00 billed
        // +2.0%; with a floor of 2 no onset walks, and it starts there).
        let bursts: Arrivals = std::array::from_fn(|h| match h {
            1 => 0.127,
            5 => 0.076,
            12 => 0.104,
            17 => 0.081,
            21 => 0.161,
            _ => 0.0,
        });
        let one_slot = |min_replicas| Pool {
            slots: 1,
            seconds_per_request: 0.1,
            target_utilization: 0.5,
            cold_start_s: 300.0,
            ..pool(min_replicas, 1800.0)
        };
        type Case = (Arrivals, fn(u32) -> Pool, std::ops::Range<usize>);
        let cases: [Case; 4] = [
            (business, |m| pool(m, 300.0), 17..24),
            (business, |m| pool(m, 3600.0), 0..1),
            (alternating, every_other, 0..1),
            (bursts, one_slot, 0..3),
        ];
        for (arrivals, pool_of, starts_at) in cases {
            for min_replicas in [0, 2] {
                let pool = pool_of(min_replicas);
                let tau = pool.idle_timeout_s;
                let tables: Vec<Table> = arrivals
                    .iter()
                    .map(|&l| super::super::table(&pool, l, true))
                    .collect();
                let hours: [&Table; 24] = std::array::from_fn(|h| &tables[h]);
                let unreached = Step::of(&Rate::unreached(tau));
                let from = warm_up_from(&hours, [&unreached, &unreached], f64::from(min_replicas));
                assert!(
                    starts_at.contains(&from),
                    "τ {tau}: the warm-up starts at {from}"
                );
                let (quick, whole) = (
                    carried(&hours, &pool, true, false),
                    carried(&hours, &pool, true, true),
                );
                for (a, b) in [
                    (quick.billed, whole.billed),
                    (quick.starts, whole.starts),
                    (quick.waiting, whole.waiting),
                ] {
                    assert!(
                        (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                        "τ {tau}, min {min_replicas}: {a} against {b}"
                    );
                }
            }
        }
    }
}
