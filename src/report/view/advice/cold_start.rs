//! The Recommendation's cold-start plan in words: who waits for a cold
//! start, what a replica kept warm all day costs, and what the pick's
//! replica pool does (its day, and its first hour when traffic starts from
//! a quiet pool). The figures are the engine's ([`ColdStartPlan`], also in
//! report.json); this only words them.

use crate::contract::{ColdStartPlan, ColdStartWait, PoolPlan};
use crate::format::{count, percent, usd};

/// The plan's sentences, in the report's order.
pub(super) fn words(plan: &ColdStartPlan) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(w) = &plan.wait {
        out.extend(wait(w));
    }
    if let Some(p) = &plan.pool {
        out.extend(pool(p));
    }
    out
}

/// Who waits for a cold start, and what a replica kept warm all day costs.
fn wait(w: &ColdStartWait) -> [String; 2] {
    let first = format!(
        "Expected share of requests that wait: {} ({} a day), each for about {} s.",
        percent(w.share),
        if w.waiting_per_day < 1.0 {
            "fewer than one".to_string()
        } else {
            format!("about {}", count(w.waiting_per_day))
        },
        count(w.cold_start_s)
    );
    let second = if w.warm_extra_usd_per_month < 1.0 {
        "Traffic keeps a replica warm around the clock already: no warm replica to add.".into()
    } else {
        format!(
            "Keeping one replica warm around the clock removes the wait for {}/month more ({}/month in all).",
            usd(w.warm_extra_usd_per_month),
            usd(w.warm_usd_per_month)
        )
    };
    [first, second]
}

/// What a scaled pick's pool does: its day and its first hour.
fn pool(p: &PoolPlan) -> [String; 2] {
    let ramp = &p.first_hour;
    [
        format!(
            "The pool: {} replica-hours billed a day for {} busy, an expected peak of {}, about {} cold starts a day.",
            count(p.billed_replica_hours_per_day),
            count(p.busy_replica_hours_per_day),
            replicas(p.peak_replicas),
            count(p.cold_starts_per_day)
        ),
        format!(
            "First hour when traffic starts from {} at the busiest hour's rate (simulated): {} up at most, {} cold starts, {} of that hour's requests wait for one.",
            match ramp.from_replicas {
                0 => "zero replicas".to_string(),
                n => format!("{} idle", replicas(f64::from(n))),
            },
            replicas(ramp.peak_replicas),
            count(ramp.cold_starts),
            percent(ramp.wait_share)
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
