//! Where the answer flips: the utilization at which a dedicated replica beats
//! a per-token offer, and the daily volume at which it starts to.

mod bracket;

use super::dedicated::{PoolDays, Replica, VolumeSweep};
use super::Demand;
use crate::profile::Scaling;
use bracket::Priced;

/// Crossover utilization u* = (s/3600 · usd_per_replica_hour) / per-token cost
/// per unit. Dedicated is cheaper above u*; u* > 1 means never. `None` when the
/// per-token offer is free.
pub fn crossover_utilization(
    replica: &Replica,
    demand: &Demand,
    per_token_usd_per_unit: f64,
) -> Option<f64> {
    (per_token_usd_per_unit > 0.0)
        .then(|| replica.usd_per_unit_at_full_load(&demand.unit) / per_token_usd_per_unit)
}

/// Largest volume searched, units a day; beyond it the answer is "never".
const MAX_VOLUME: f64 = 1e13;

/// Smallest volume a scaled pool's search prices; cheaper there is 0.
const MIN_VOLUME: f64 = 1e-6;

/// The smallest units/day at which the dedicated deployment's cost falls below
/// the per-token offer's (`per_token_usd_per_unit` × volume), under the
/// workload's traffic shape. `None` when it never does below 10¹³ a day.
pub fn break_even_volume(
    replica: &Replica,
    demand: &Demand,
    weights: &[f64; 24],
    target_utilization: f64,
    per_token_usd_per_unit: f64,
) -> Option<f64> {
    let shape = (demand, weights, target_utilization);
    break_even_volume_with(replica, shape, per_token_usd_per_unit, None)
}

/// [`break_even_volume`], the scaled pool's days looked up in `memo` (the
/// same answer, bit for bit: the memo holds what the closed form returned).
pub(crate) fn break_even_volume_with(
    replica: &Replica,
    (demand, weights, target_utilization): (&Demand, &[f64; 24], f64),
    per_token_usd_per_unit: f64,
    memo: Option<&PoolDays>,
) -> Option<f64> {
    if per_token_usd_per_unit <= 0.0 {
        return None;
    }
    let sweep = VolumeSweep::new(replica, demand, weights, target_utilization);
    let dedicated_at = |volume: f64| sweep.usd_per_day_with(volume, memo);
    match replica.scaling {
        Scaling::AlwaysOn => step_break_even(
            dedicated_at,
            per_token_usd_per_unit,
            sweep.dearer_from(per_token_usd_per_unit, MAX_VOLUME),
        ),
        // A pool whose floor is dearer than per-token is dearer at every
        // volume: "never", without pricing 10¹³ a day.
        Scaling::Autoscale | Scaling::ScaleToZero
            if sweep.dearer_everywhere(per_token_usd_per_unit) =>
        {
            None
        }
        Scaling::Autoscale | Scaling::ScaleToZero => {
            bracketed_break_even(dedicated_at, per_token_usd_per_unit, demand.units_per_day)
        }
    }
}

/// For a cost that is a non-decreasing step function of volume: iterate
/// R ← D(R⁺)/a. Every iterate is a volume below which dedicated cannot be
/// cheaper; when a step no longer moves D, dedicated is cheaper just above R.
/// From `dearer_from` on, no step can stop (D(R⁺) > a·R⁺ by a margin), so
/// the answer is "never" without the hundreds of steps to 10¹³ a day.
fn step_break_even(
    dedicated_at: impl Fn(f64) -> f64,
    a: f64,
    dearer_from: Option<f64>,
) -> Option<f64> {
    let just_above = |r: f64| dedicated_at(r * (1.0 + 1e-12) + 1e-12);
    let never_from = dearer_from.unwrap_or(f64::INFINITY);
    let mut cost = just_above(0.0);
    for _ in 0..10_000 {
        let next = cost / a;
        if next > MAX_VOLUME || next >= never_from {
            return None;
        }
        let next_cost = just_above(next);
        if next_cost <= cost * (1.0 + 1e-12) {
            return Some(next);
        }
        cost = next_cost;
    }
    None
}

/// For a continuous cost (a scaled pool's closed form): a bracketed root
/// search on log(volume) ([`bracket::narrow`], Brent's method) down to a
/// relative width of [`bracket::RESOLUTION`], about a dozen prices where
/// bisecting [10⁻⁶, 10¹³] took 37. It starts from `today`'s volume: when
/// dedicated is cheaper there, between 10⁻⁶ a day (cheaper there too: the
/// answer is 0) and today; when dearer, between today and 10¹³ (dearer
/// there too: "never"). Without a today in that range, between 10⁻⁶ and
/// 10¹³.
///
/// The pool's cost is not monotone in volume everywhere (per-hour billing
/// of short up-periods, or a pool that thrashes, can bill less for more
/// traffic: docs/design.md, "Replica pools"), so no step is decided
/// without pricing it: the search keeps a bracket of two priced volumes,
/// one dearer and one cheaper. Where "cheaper" changes more than once, the
/// answer is one of the crossings, not necessarily the first: one below
/// today's volume when dedicated is cheaper today, above it when dearer,
/// so the break-even never contradicts the comparison at today's volume.
fn bracketed_break_even(dedicated_at: impl Fn(f64) -> f64, a: f64, today: f64) -> Option<f64> {
    match scaled_crossing(dedicated_at, a, today)? {
        Crossing::FromTheStart => Some(0.0),
        Crossing::Between { cheaper, .. } => Some(cheaper),
    }
}

/// Where a scaled pool's search ends, when it finds dedicated cheaper.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Crossing {
    /// Cheaper at 10⁻⁶ a day (and today): the break-even is 0.
    FromTheStart,
    /// Priced dearer at `dearer` and cheaper at `cheaper`, the two at most
    /// [`bracket::RESOLUTION`] apart (relative): the break-even is `cheaper`.
    Between { dearer: f64, cheaper: f64 },
}

/// The search of [`bracketed_break_even`], with the bracket it ends on.
/// `None` when dedicated is not cheaper at 10¹³ a day, nor today.
fn scaled_crossing(dedicated_at: impl Fn(f64) -> f64, a: f64, today: f64) -> Option<Crossing> {
    let price = |volume: f64| Priced::at(volume, &dedicated_at, a);
    let now = (today > MIN_VOLUME && today < MAX_VOLUME).then(|| price(today));
    // The ends the crossing is searched between: only those on today's
    // side are priced (cheaper today is never "never", dearer today never 0).
    let (dearer, cheaper) = match now {
        Some(now) if now.cheaper() => (price(MIN_VOLUME), now),
        Some(now) => (now, price(MAX_VOLUME)),
        None => {
            let hi = price(MAX_VOLUME);
            if !hi.cheaper() {
                return None;
            }
            (price(MIN_VOLUME), hi)
        }
    };
    if !cheaper.cheaper() {
        return None;
    }
    if dearer.cheaper() {
        return Some(Crossing::FromTheStart);
    }
    let (dearer, cheaper) = bracket::narrow(dearer, cheaper, dedicated_at, a);
    Some(Crossing::Between { dearer, cheaper })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dedicated::{self, PolicyOrigins};
    use crate::model::episode::EpisodeTokens;
    use crate::model::Unit;
    use crate::profile::Billing;
    use proptest::prelude::*;

    /// A number spread in log scale over [10^lo, 10^hi].
    fn log_uniform(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
        (lo..hi).prop_map(|e| 10f64.powf(e))
    }

    fn weights() -> impl Strategy<Value = [f64; 24]> {
        use crate::model::traffic;
        use crate::profile::{Shape, Traffic};
        let shaped = prop_oneof![
            Just(Shape::Flat),
            Just(Shape::BusinessHours),
            Just(Shape::Diurnal)
        ]
        .prop_map(|shape| {
            traffic::weights(&Traffic {
                shape,
                ..Traffic::default()
            })
        });
        let hourly = proptest::collection::vec(prop_oneof![Just(0.0), log_uniform(-6.0, 3.0)], 24)
            .prop_filter("a positive sum", |w| w.iter().sum::<f64>() > 0.0)
            .prop_map(|w| {
                traffic::weights(&Traffic {
                    shape: Shape::Hourly,
                    hourly: w,
                    ..Traffic::default()
                })
            });
        prop_oneof![shaped, hourly]
    }

    prop_compose! {
        fn replica()(
            scaling in prop_oneof![Just(Scaling::AlwaysOn), Just(Scaling::Autoscale), Just(Scaling::ScaleToZero)],
            billing in prop_oneof![Just(Billing::PerSecond), Just(Billing::PerMinute), Just(Billing::PerHour)],
            min_replicas in 0u32..4,
            cold_start_s in prop_oneof![Just(0.0), log_uniform(-2.0, 4.0)],
            idle_timeout_s in prop_oneof![Just(0.0), log_uniform(-2.0, 5.0)],
            usd_per_replica_hour in log_uniform(-2.0, 3.0),
            prefill in log_uniform(1.0, 6.0),
            decode in log_uniform(0.0, 5.0),
        ) -> Replica {
            Replica { scaling, billing, min_replicas, cold_start_s, idle_timeout_s, last_idle_timeout_s: idle_timeout_s, cold_start_billed: true, origins: PolicyOrigins::STATED, slots: 16,
                      usd_per_replica_hour, prefill_tokens_per_s: prefill, decode_tokens_per_s: decode }
        }
    }

    fn demand() -> impl Strategy<Value = Demand> {
        let request = (log_uniform(0.0, 5.0), 0.0..1.0f64, log_uniform(0.0, 4.0)).prop_map(
            |(input, share, output)| Unit::Request {
                input,
                cached: input * share,
                output,
            },
        );
        let episode = (
            1u32..60,
            log_uniform(2.0, 5.0),
            log_uniform(1.0, 4.0),
            log_uniform(1.0, 3.5),
        )
            .prop_map(|(t, p1, growth, g)| {
                Unit::Episode(EpisodeTokens::new(f64::from(t), p1, growth, g))
            });
        (prop_oneof![request, episode], 0.0..1.0f64).prop_map(|(unit, batch_share)| Demand {
            units_per_day: 1000.0,
            unit,
            batch_share,
        })
    }

    proptest! {
        // A fixed seed: the property is run on the same 2,000 cases every
        // time. With random seeds the "just below, just above" form of the
        // first property found (2026-12-06) an autoscale pool billed per
        // hour with no idle window at ~1.05e9 requests a day whose cost
        // crosses the per-token cost back and forth within the search's
        // resolution (the pool's cost is not monotone in volume); a scaled
        // pool's search is now checked on the bracket it ends on.
        #![proptest_config(ProptestConfig {
            cases: 2_000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_206),
            ..ProptestConfig::default()
        })]

        /// The break-even volume is a crossing, priced independently of the
        /// sweep with `dedicated::price`. Always-on: dedicated is not
        /// cheaper just below it and is cheaper just above it (2·10⁻⁹
        /// either side, the step search's resolution). A scaled pool: the
        /// search ends on two volumes at most its resolution apart, priced
        /// dearer and cheaper, and answers the cheaper (its cost is not
        /// monotone everywhere, so "just above" may be dearer again: a
        /// per-hour pool at 10¹² a day saw-tooths across the per-token cost
        /// every 7·10⁻⁷ of volume), and is below today's volume when dedicated
        /// is cheaper today, above it otherwise. "Never" means dearer at 10¹³
        /// a day (and today), and 0 cheaper at 10⁻⁶ (and today). A search
        /// that returned a wrong volume, or stopped early, fails here.
        #[test]
        fn the_break_even_volume_is_where_dedicated_becomes_cheaper(
            replica in replica(),
            demand in demand(),
            weights in weights(),
            target in 0.05..1.0f64,
            per_unit_scale in log_uniform(-4.0, 4.0),
            today in log_uniform(-7.0, 14.0),
        ) {
            let demand = Demand { units_per_day: today, ..demand };
            // A per-token price near the dedicated cost per unit at full load, scaled.
            let a = replica.usd_per_unit_at_full_load(&demand.unit) * per_unit_scale;
            let cheaper = |r: f64| {
                dedicated::price(&replica, &demand.at_volume(r), &weights, target).usd_per_day < a * r
            };
            let found = break_even_volume(&replica, &demand, &weights, target, a);
            if replica.scaling == Scaling::AlwaysOn {
                if let Some(r) = found.filter(|&r| r > 0.0) {
                    prop_assert!(!cheaper(r * (1.0 - 2e-9)), "cheaper below {}", r);
                    prop_assert!(cheaper(r * (1.0 + 2e-9)), "not cheaper above {}", r);
                }
                return Ok(());
            }
            let sweep = VolumeSweep::new(&replica, &demand, &weights, target);
            match scaled_crossing(|r| sweep.usd_per_day(r), a, demand.units_per_day) {
                None => {
                    prop_assert_eq!(found, None);
                    prop_assert!(!cheaper(MAX_VOLUME));
                    prop_assert!(!cheaper(today) || today >= MAX_VOLUME || today <= MIN_VOLUME);
                }
                Some(Crossing::FromTheStart) => {
                    prop_assert_eq!(found, Some(0.0));
                    prop_assert!(cheaper(MIN_VOLUME));
                    prop_assert!(cheaper(today) || today >= MAX_VOLUME || today <= MIN_VOLUME);
                }
                Some(Crossing::Between { dearer, cheaper: r }) => {
                    prop_assert_eq!(found, Some(r));
                    prop_assert!(!cheaper(dearer), "cheaper below {}", r);
                    prop_assert!(cheaper(r), "not cheaper at {}", r);
                    prop_assert!(dearer < r, "{} not below {}", dearer, r);
                    prop_assert!(r / dearer - 1.0 <= bracket::RESOLUTION * (1.0 + 1e-9), "{} to {}", dearer, r);
                    // On today's side: below it when dedicated is cheaper today.
                    if today > MIN_VOLUME && today < MAX_VOLUME {
                        prop_assert_eq!(r <= today, cheaper(today), "{} against today {}", r, today);
                    }
                }
            }
        }

        /// Searches that share a memo of the pool's days (as one
        /// workload's do: several prices, the same pool) return what the
        /// plain search returns, bit for bit: a memo that returned a wrong
        /// day, or another pool's, fails here.
        #[test]
        fn searches_sharing_a_memo_find_the_plain_search_volumes(
            replica in replica(),
            demand in demand(),
            weights in weights(),
            target in 0.05..1.0f64,
            scales in proptest::collection::vec(log_uniform(-4.0, 4.0), 1..4),
        ) {
            // The replica and the slow end of a throughput band: two pools.
            let slow = Replica {
                prefill_tokens_per_s: replica.prefill_tokens_per_s * 0.5,
                decode_tokens_per_s: replica.decode_tokens_per_s * 0.5,
                ..replica
            };
            let memo = PoolDays::default();
            for scale in scales {
                let a = replica.usd_per_unit_at_full_load(&demand.unit) * scale;
                for r in [&replica, &slow] {
                    let plain = break_even_volume(r, &demand, &weights, target, a);
                    let shared =
                        break_even_volume_with(r, (&demand, &weights, target), a, Some(&memo));
                    prop_assert_eq!(plain.map(f64::to_bits), shared.map(f64::to_bits));
                }
            }
        }

        /// What "never" without a search rests on (`dearer_everywhere`): a
        /// scaled pool's day costs at least its floor, the volume's
        /// replica-hours with headroom at the replica's price,
        /// r · s/3600 / target · $/h (the hourly weights sum to 1), priced
        /// independently with `dedicated::price`; and a per-token price
        /// under that floor is answered "never". A pool billed below its
        /// floor at some volume fails here.
        #[test]
        fn a_scaled_pool_never_costs_less_than_its_floor(
            replica in replica(),
            demand in demand(),
            weights in weights(),
            target in 0.05..1.0f64,
            volume in log_uniform(-6.0, 13.0),
            below in 0.0..0.999f64,
        ) {
            prop_assume!(replica.scaling != Scaling::AlwaysOn);
            let floor_per_unit = replica.usd_per_unit_at_full_load(&demand.unit) / target;
            let day = dedicated::price(&replica, &demand.at_volume(volume), &weights, target).usd_per_day;
            prop_assert!(day >= floor_per_unit * volume * (1.0 - 1e-9), "{} under {}", day, floor_per_unit * volume);
            let a = floor_per_unit * below;
            prop_assert_eq!(break_even_volume(&replica, &demand, &weights, target, a), None);
        }

        /// The sweep prices a volume exactly as `dedicated::price` does.
        #[test]
        fn sweep_prices_as_price_does(
            replica in replica(),
            demand in demand(),
            weights in weights(),
            target in 0.05..1.0f64,
            volume in log_uniform(-6.0, 13.0),
        ) {
            let sweep = dedicated::VolumeSweep::new(&replica, &demand, &weights, target);
            let plain = dedicated::price(&replica, &demand.at_volume(volume), &weights, target).usd_per_day;
            prop_assert_eq!(sweep.usd_per_day(volume).to_bits(), plain.to_bits());
        }
    }

    /// Hand-worked: a scale-to-zero pool at $3.60 a replica-hour, requests
    /// of 1,000 prefill tokens at 10,000 tokens/s and 100 output tokens at
    /// 100 tokens/s: s = 0.1 + 1 = 1.1 replica-seconds a request; at a
    /// target utilization of 0.5 its floor is 1.1/3600/0.5 × 3.60 =
    /// $0.0022 a request. Per-token at $0.0021 a request is cheaper at
    /// every volume ("never"); at $0.0023 the floor does not rule it out
    /// and the search runs (it finds a volume: the pool's cold starts and
    /// round-ups fade as it grows).
    #[test]
    fn a_per_token_price_under_the_pools_floor_never_breaks_even() {
        let replica = Replica {
            scaling: Scaling::ScaleToZero,
            billing: Billing::PerSecond,
            min_replicas: 0,
            cold_start_s: 30.0,
            idle_timeout_s: 300.0,
            last_idle_timeout_s: 300.0,
            cold_start_billed: true,
            origins: PolicyOrigins::STATED,
            slots: 16,
            usd_per_replica_hour: 3.6,
            prefill_tokens_per_s: 10_000.0,
            decode_tokens_per_s: 100.0,
        };
        let demand = Demand {
            units_per_day: 10_000.0,
            unit: Unit::Request {
                input: 1_000.0,
                cached: 0.0,
                output: 100.0,
            },
            batch_share: 0.0,
        };
        let flat = [1.0 / 24.0; 24];
        let sweep = VolumeSweep::new(&replica, &demand, &flat, 0.5);
        assert!((sweep.floor_per_unit() - 0.0022).abs() < 1e-15);
        assert!(sweep.dearer_everywhere(0.0021));
        assert!(!sweep.dearer_everywhere(0.0023));
        assert_eq!(
            break_even_volume(&replica, &demand, &flat, 0.5, 0.0021),
            None
        );
        assert!(break_even_volume(&replica, &demand, &flat, 0.5, 0.0023).is_some());
    }
}
