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
        let at = |v: f64| dedicated::price(&r, &Demand { units_per_day: v, unit, batch_share: 0.0 }, &w, target).usd_per_day;
        let (low, high) = (at(volume), at(volume + extra));
        prop_assert!(high >= low * (1.0 - 1e-12), "{} a day at {volume}, {} at {}", low, high, volume + extra);
    }

    #[test]
    fn scale_to_zero_bills_at_most_what_always_on_does_per_needed_replica(
        r in replica(), unit in request(), w in shape(), volume in 0.0..1e4f64,
    ) {
        // A single replica that is never needed twice over is up at most 24 hours a day.
        let mut r = r;
        r.scaling = Scaling::ScaleToZero;
        let c = dedicated::price(&r, &Demand { units_per_day: volume, unit, batch_share: 0.0 }, &w, 1.0);
        if c.replicas_peak <= 1 {
            prop_assert!(c.billed_replica_hours <= 24.0 + 1e-9, "{} replica-hours", c.billed_replica_hours);
        }
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
