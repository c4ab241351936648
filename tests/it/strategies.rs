//! Proptest strategies that any test module may draw from: scaling and
//! billing policies, traffic shapes, dedicated replicas and request shapes
//! over the ranges validation allows.

use infercost::model::dedicated::{PolicyOrigins, Replica};
use infercost::model::{traffic, Unit};
use infercost::profile::{Billing, Scaling, Shape, Traffic};
use proptest::prelude::*;

pub(crate) fn scaling() -> impl Strategy<Value = Scaling> {
    prop_oneof![
        Just(Scaling::AlwaysOn),
        Just(Scaling::Autoscale),
        Just(Scaling::ScaleToZero)
    ]
}

pub(crate) fn billing() -> impl Strategy<Value = Billing> {
    prop_oneof![
        Just(Billing::PerSecond),
        Just(Billing::PerMinute),
        Just(Billing::PerHour)
    ]
}

pub(crate) fn shape() -> impl Strategy<Value = [f64; 24]> {
    prop_oneof![
        Just(Shape::Flat),
        Just(Shape::BusinessHours),
        Just(Shape::Diurnal)
    ]
    .prop_map(|shape| {
        traffic::weights(&Traffic {
            shape,
            ..Traffic::default()
        })
    })
}

prop_compose! {
    pub fn replica()(
        scaling in scaling(),
        billing in billing(),
        min_replicas in 0u32..4,
        cold_start_s in 0.0..600.0f64,
        idle_timeout_s in 0.0..3_600.0f64,
        usd_per_replica_hour in 0.5..200.0f64,
        prefill in 500.0..100_000.0f64,
        decode in 100.0..20_000.0f64,
    ) -> Replica {
        Replica { scaling, billing, min_replicas, cold_start_s, idle_timeout_s, last_idle_timeout_s: idle_timeout_s, cold_start_billed: true, origins: PolicyOrigins::STATED, slots: 16, usd_per_replica_hour,
                  prefill_tokens_per_s: prefill, decode_tokens_per_s: decode }
    }
}

prop_compose! {
    pub fn request()(input in 0.0..50_000.0f64, cached_share in 0.0..1.0f64, output in 1.0..4_000.0f64) -> Unit {
        Unit::Request { input, cached: input * cached_share, output }
    }
}
