//! Invariants of the cost model, checked on generated inputs: more traffic
//! never lowers a dedicated option's cost; dedicated is cheaper exactly when
//! its utilization is above the crossover; re-prefill grows quadratically in
//! turns while a KV-cached dedicated replica grows linearly.

use infercost::model::breakeven::crossover_utilization;
use infercost::model::dedicated;
use infercost::model::episode::EpisodeTokens;
use infercost::model::{per_token, Demand, Unit};
use infercost::profile::{Scaling, ServerlessOffer};
use proptest::prelude::*;

use crate::strategies::{replica, request, shape};

fn api(input: f64, output: f64) -> ServerlessOffer {
    ServerlessOffer::new("m", input, output)
}

proptest! {
    #[test]
    fn more_traffic_never_lowers_a_dedicated_cost(
        r in replica(), unit in request(), w in shape(), target in 0.1..1.0f64,
        volume in 0.0..5e6f64, extra in 0.0..5e6f64,
    ) {
        // A scaled pool may bill less for more traffic by what rounding added
        // to the fewer volume's up-periods (more traffic keeps replicas up:
        // fewer, longer up-periods, fewer round-ups), never by more.
        let at = |v: f64| dedicated::price(&r, &Demand { units_per_day: v, unit, batch_share: 0.0 }, &w, target);
        let (low, high) = (at(volume), at(volume + extra));
        let rounding = low.cold_starts_per_day * r.billing.increment_s() / 3600.0 * r.usd_per_replica_hour;
        prop_assert!(
            high.usd_per_day >= (low.usd_per_day - rounding) * (1.0 - 1e-12),
            "{} a day at {volume}, {} at {}", low.usd_per_day, high.usd_per_day, volume + extra
        );
    }

    #[test]
    fn a_scale_to_zero_pool_bills_at_most_its_peak_all_day_and_its_round_ups(
        r in replica(), unit in request(), w in shape(), volume in 0.0..1e4f64,
    ) {
        // The replicas up at any moment are at most the day's peak, and each
        // up-period is rounded up by less than one billing increment: a pool
        // bills at most 24·peak + starts·increment.
        let mut r = r;
        r.scaling = Scaling::ScaleToZero;
        let c = dedicated::price(&r, &Demand { units_per_day: volume, unit, batch_share: 0.0 }, &w, 1.0);
        let pool = c.pool.expect("a scaled pool's figures");
        let rounding = c.cold_starts_per_day * r.billing.increment_s() / 3600.0;
        prop_assert!(
            c.billed_replica_hours <= (24.0 * pool.peak_replicas + rounding) * (1.0 + 1e-9),
            "{} replica-hours, peak {}, {} starts", c.billed_replica_hours, pool.peak_replicas, c.cold_starts_per_day
        );
        prop_assert!(c.billed_replica_hours >= pool.busy_replica_hours * (1.0 - 1e-12));
        prop_assert!((0.0..=1.0).contains(&c.cold_start_share));
    }

    #[test]
    fn dedicated_is_cheaper_exactly_above_the_crossover(
        r in replica(), unit in request(), w in shape(), target in 0.1..1.0f64,
        volume in 1.0..5e6f64, r_in in 0.01..20.0f64, r_out in 0.01..60.0f64,
    ) {
        let demand = Demand { units_per_day: volume, unit, batch_share: 0.0 };
        let per_token = per_token::usd_per_unit(&api(r_in, r_out), &demand);
        let u_star = crossover_utilization(&r, &demand, per_token).unwrap();
        let c = dedicated::price(&r, &demand, &w, target);
        prop_assume!(c.utilization > 0.0);
        let dedicated_per_unit = c.usd_per_day / volume;
        // At utilization u the dedicated cost per unit is (s/3600 · price)/u: equal to the
        // per-token cost at u = u*, below it above u*.
        let at_u = r.usd_per_unit_at_full_load(&unit) / c.utilization;
        prop_assert!((dedicated_per_unit - at_u).abs() <= 1e-9 * at_u.max(1e-12));
        let at_crossover = r.usd_per_unit_at_full_load(&unit) / u_star;
        prop_assert!((at_crossover - per_token).abs() <= 1e-9 * per_token);
        if (c.utilization - u_star).abs() > 1e-9 {
            prop_assert_eq!(dedicated_per_unit < per_token, c.utilization > u_star);
        }
    }

    #[test]
    fn re_prefill_grows_quadratically_and_a_kv_cached_replica_linearly(
        turns in 3u32..200, p1 in 0.0..50_000.0f64, delta in 1.0..10_000.0f64, g in 0.0..4_000.0f64,
        r_in in 0.01..20.0f64, r_cached in 0.0..5.0f64, r_out in 0.01..60.0f64, r in replica(),
    ) {
        let demand = |t: u32| Demand {
            units_per_day: 1.0,
            unit: Unit::Episode(EpisodeTokens::new(f64::from(t), p1, delta, g)),
            batch_share: 0.0,
        };
        let re_prefill = api(r_in, r_out);
        let mut cached = api(r_in, r_out);
        cached.cached_input_usd_per_mtok = Some(r_cached);
        cached.cross_turn_cache = true;
        let second_difference = |f: &dyn Fn(u32) -> f64| f(turns + 1) - 2.0 * f(turns) + f(turns - 1);
        let tol = |x: f64| 1e-7 * x.abs().max(1e-6);
        // Re-prefill: S = T·P1 + Δ·T(T−1)/2, so the second difference in T is Δ·r_in/10⁶.
        let d2 = second_difference(&|t| per_token::usd_per_unit(&re_prefill, &demand(t)));
        let expected = delta * r_in / 1e6;
        prop_assert!((d2 - expected).abs() <= tol(per_token::usd_per_unit(&re_prefill, &demand(turns))), "{d2} vs {expected}");
        // Cross-turn cache: the history is re-sent at the cached rate, still quadratic at Δ·r_cached/10⁶.
        let d2 = second_difference(&|t| per_token::usd_per_unit(&cached, &demand(t)));
        prop_assert!((d2 - delta * r_cached / 1e6).abs() <= tol(per_token::usd_per_unit(&cached, &demand(turns))));
        // Dedicated with session affinity: U/prefill + D/decode is linear in T.
        let d2 = second_difference(&|t| r.seconds_per_unit(&demand(t).unit));
        prop_assert!(d2.abs() <= tol(r.seconds_per_unit(&demand(turns).unit)));
    }
}
