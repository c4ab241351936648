//! The Recommendation's cold-start plan: who waits for a cold start, what a
//! replica kept warm all day costs, and what the pick's replica pool does
//! (its day, and its first hour when traffic starts from a quiet pool).

use crate::format::{count, percent, usd};
use crate::model::dedicated::{self, Replica};
use crate::model::pool::{sim, Policy};
use crate::model::usd_per_month;
use crate::report::subject::{Priced, Subject};

/// Who waits for a cold start, and what a replica kept warm all day costs.
pub(super) fn cold_start_plan(
    s: &Subject,
    p: &Priced,
    replica: &Replica,
    share: f64,
) -> Vec<String> {
    let arrivals = s.demand.units_per_day * s.demand.arrivals_per_unit();
    let waiting = share * arrivals;
    let mut plan = vec![format!(
        "Expected share of requests that wait: {} ({} a day), each for about {} s.",
        percent(share),
        if waiting < 1.0 {
            "fewer than one".to_string()
        } else {
            format!("about {}", count(waiting))
        },
        count(replica.cold_start_s)
    )];
    let extra = usd_per_month(warm_top_up_hours(s, replica) * replica.usd_per_replica_hour);
    if extra < 1.0 {
        plan.push(
            "Traffic keeps a replica warm around the clock already: no warm replica to add.".into(),
        );
    } else {
        plan.push(format!(
            "Keeping one replica warm around the clock removes the wait for {}/month more ({}/month in all).",
            usd(extra),
            usd(p.option.usd_per_month + extra)
        ));
    }
    plan
}

/// Replica-hours a day needed to top every hour up to one warm replica: for
/// each hour, 1 minus what scale-to-zero already bills, when positive.
pub fn warm_top_up_hours(s: &Subject, replica: &Replica) -> f64 {
    (0..24)
        .map(|h| {
            let mut one_hour = [0.0; 24];
            one_hour[h] = s.weights[h];
            let billed = dedicated::price(
                replica,
                &s.demand,
                &one_hour,
                s.workload.traffic.target_utilization,
            )
            .billed_replica_hours;
            (1.0 - billed).max(0.0)
        })
        .sum()
}

/// What a scaled pick's pool does: its day (what it is billed, by the
/// closed form or the pick's simulation check; the rest the closed form's)
/// and the first hour when traffic starts from a quiet pool at the
/// busiest hour's rate (simulated, seed 1: the closed form has no ramp).
pub(super) fn pool_plan(s: &Subject, p: &Priced) -> Vec<String> {
    let Some((replica, cost)) = p.costed.dedicated else {
        return vec![];
    };
    let Some(day) = cost.pool else {
        return vec![];
    };
    let pool = replica.pool(&s.demand, s.workload.traffic.target_utilization);
    let arrivals = s.demand.hourly_arrivals(&s.weights);
    let ramp = sim::first_hour(&pool, &arrivals, 1);
    vec![
        format!(
            "The pool: {} replica-hours billed a day for {} busy, an expected peak of {}, about {} cold starts a day.",
            count(cost.billed_replica_hours),
            count(day.busy_replica_hours),
            replicas(day.peak_replicas),
            count(day.cold_starts)
        ),
        format!(
            "First hour when traffic starts from {} at the busiest hour's rate (simulated): {} up at most, {} cold starts, {} of that hour's requests wait for one.",
            match pool.policy {
                Policy::Scaled { min_replicas: 0 } => "zero replicas".to_string(),
                Policy::Scaled { min_replicas } | Policy::Fixed(min_replicas) => {
                    format!("{} idle", replicas(f64::from(min_replicas)))
                }
            },
            replicas(ramp.peak_replicas),
            count(ramp.cold_starts),
            percent(ramp.cold_start_wait_share)
        ),
    ]
}

/// "1 replica", "2 replicas", "2.4 replicas" (one decimal when not whole).
fn replicas(n: f64) -> String {
    if (n - 1.0).abs() < 0.05 {
        "1 replica".into()
    } else if (n - n.round()).abs() < 0.05 {
        format!("{} replicas", count(n.round()))
    } else {
        format!("{n:.1} replicas")
    }
}
