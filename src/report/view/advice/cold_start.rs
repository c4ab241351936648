//! The Recommendation's cold-start plan in words: who waits for a cold
//! start, what a replica kept warm all day costs, and what the pick's
//! replica pool does (its day, and its first hour when traffic starts from
//! a quiet pool). The figures are the engine's ([`ColdStartPlan`], also in
//! report.json); this only words them.

use crate::contract::{ColdStartAllowance, ColdStartPlan, ColdStartWait, PoolPlan};
use crate::format::{count, percent, usd};
use crate::model::pool::sim;
use crate::report::words::{cold_starts_a_day, counted};
use crate::verdict::Method;

/// The plan's sentences, in the report's order; `unit` is "request" or "turn".
pub(super) fn words(plan: &ColdStartPlan, unit: &str) -> Vec<String> {
    let mut out = vec![allowance(&plan.allowance, unit)];
    if let Some(w) = &plan.wait {
        out.push(warm(w));
    }
    if let Some(p) = &plan.pool {
        out.extend(pool(p));
    }
    out
}

/// For a pick over its cold-start allowance, the line the Recommendation
/// puts right under the pick: who waits, how long, against what allowance
/// (`None` within it).
pub(crate) fn headline(plan: &ColdStartPlan, unit: &str) -> Option<String> {
    let a = &plan.allowance;
    let warm = match &plan.wait {
        Some(w) if w.warm_extra_usd_per_month >= 1.0 => format!(
            "; one replica kept warm around the clock removes the wait for {}/month more",
            usd(w.warm_extra_usd_per_month)
        ),
        _ => String::new(),
    };
    a.over.then(|| {
        format!(
            "{} of {unit}s wait about {} s for a replica to start, above the workload's {} allowance (requirements.max_cold_start_share){warm}",
            percent(a.share),
            count(a.wait_s),
            percent(a.max_share)
        )
    })
}

/// Who waits for a cold start, and against what allowance.
fn allowance(a: &ColdStartAllowance, unit: &str) -> String {
    format!(
        "Expected share of {unit}s that wait for a cold start: {} ({} a day), each for about {} s; the workload allows {}, so this is {} its allowance{}.",
        percent(a.share),
        if a.waiting_per_day < 1.0 {
            "fewer than one".to_string()
        } else {
            format!("about {}", count(a.waiting_per_day))
        },
        count(a.wait_s),
        percent(a.max_share),
        if a.over { "over" } else { "within" },
        share_method(a)
    )
}

/// Whose share it is: the simulation's where it bills the pick; the
/// closed form's, with the share the pick's check simulated beside it.
fn share_method(a: &ColdStartAllowance) -> String {
    match (a.billed_by, a.simulated_share) {
        (Method::Simulation, _) => " (the pool simulation's share, as it bills this pick)".into(),
        (Method::ClosedForm, Some(s)) => format!(
            " (the closed form's share, as it bills this pick; the pick's simulation check gives {})",
            percent(s)
        ),
        (Method::ClosedForm, None) => String::new(),
    }
}

/// What a replica kept warm all day costs.
fn warm(w: &ColdStartWait) -> String {
    if w.warm_extra_usd_per_month < 1.0 {
        "Traffic keeps a replica warm around the clock already: no warm replica to add.".into()
    } else {
        format!(
            "Keeping one replica warm around the clock removes the wait for {}/month more ({}/month in all).",
            usd(w.warm_extra_usd_per_month),
            usd(w.warm_usd_per_month)
        )
    }
}

/// What a scaled pick's pool does: its day and its first hour.
fn pool(p: &PoolPlan) -> [String; 2] {
    let day = format!(
        "The pool: {} replica-hours billed a day for {} busy, an expected peak of {}, {}.",
        count(p.billed_replica_hours_per_day),
        count(p.busy_replica_hours_per_day),
        replicas(p.peak_replicas),
        cold_starts_a_day(p.cold_starts_per_day)
    );
    let Some(ramp) = &p.first_hour else {
        return [
            day,
            format!(
                "First hour when traffic starts from a quiet pool: not simulated, its {} arrivals are more than the {} one simulated run takes.",
                count(p.first_hour_arrivals),
                count(sim::MOST_ARRIVALS_A_RUN)
            ),
        ];
    };
    [
        day,
        format!(
            "First hour when traffic starts from {} at the busiest hour's rate (simulated): {} up at most, {}, {} of that hour's requests wait for one.",
            match ramp.from_replicas {
                0 => "zero replicas".to_string(),
                n => format!("{} idle", replicas(f64::from(n))),
            },
            replicas(ramp.peak_replicas),
            counted(&count(ramp.cold_starts), "cold start", "cold starts"),
            percent(ramp.wait_share)
        ),
    ]
}

/// "1 replica", "2 replicas", "1,121 replicas": a whole number of replicas
/// (an expected peak of 1,121.3 is about 1,121 replicas; one above zero is
/// at least 1).
fn replicas(n: f64) -> String {
    let whole = if n > 0.0 { n.round().max(1.0) } else { 0.0 };
    if whole == 1.0 {
        "1 replica".into()
    } else {
        format!("{} replicas", count(whole))
    }
}
