//! The cold-start plan of a workload's pick in the contract (additive to
//! schema version 1): who waits for a cold start and what a replica kept
//! warm all day costs (scale-to-zero), and what the pick's replica pool
//! does in a day and in its first hour from a quiet pool (autoscale and
//! scale-to-zero). The engine computes it; the report only words it.

use crate::verdict::Method;
use serde::Serialize;

/// The pick's cold-start plan (null when the pick is not a scaled pool).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColdStartPlan {
    /// Who waits for a cold start against the workload's allowance
    /// (autoscale and scale-to-zero).
    pub allowance: ColdStartAllowance,
    /// Who waits and what keeping a replica warm costs (scale-to-zero only).
    pub wait: Option<ColdStartWait>,
    /// What the pool does (null when the pick has no pool figures).
    pub pool: Option<PoolPlan>,
}

/// A scaled pick's cold-start waits against the workload's allowance
/// (`requirements.max_cold_start_share`), as the pick is billed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColdStartAllowance {
    /// Share of requests (turns, for episodes) that wait for a cold start.
    pub share: f64,
    /// Requests (or turns) a day that wait.
    pub waiting_per_day: f64,
    /// Seconds each waits, about: the replica's cold start.
    pub wait_s: f64,
    /// The largest share the workload allows (default 0.01).
    pub max_share: f64,
    /// The share is above the allowance.
    pub over: bool,
    /// The method whose figures these are: the bill's (`closed-form`, or
    /// `simulation` where the pick's check re-billed it).
    pub billed_by: Method,
    /// The share the pick's check simulated, where the closed form bills
    /// the pick (the closed form's share is within about 1.3 points of the
    /// simulation's: docs/design.md, "Replica pools"); null otherwise.
    pub simulated_share: Option<f64>,
}

/// Who waits for a cold start on a scale-to-zero pick, and the warm option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColdStartWait {
    /// Share of requests that wait for a cold start.
    pub share: f64,
    /// Requests (or turns) a day that wait.
    pub waiting_per_day: f64,
    /// Seconds each waits, about: the replica's cold start.
    pub cold_start_s: f64,
    /// Replica-hours a day that keeping one replica warm in every hour adds
    /// to what scale-to-zero bills.
    pub warm_top_up_replica_hours_per_day: f64,
    /// What they cost, $ a month.
    pub warm_extra_usd_per_month: f64,
    /// The pick with one replica kept warm, $ a month.
    pub warm_usd_per_month: f64,
}

/// What a scaled pick's pool does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PoolPlan {
    /// Replica-hours billed a day (as the option is billed: the closed
    /// form, or the simulation where the pick's check re-billed it).
    pub billed_replica_hours_per_day: f64,
    /// Replica-hours of work a day (closed form).
    pub busy_replica_hours_per_day: f64,
    /// Expected most replicas up or starting at once (closed form).
    pub peak_replicas: f64,
    /// Cold starts a day (closed form).
    pub cold_starts_per_day: f64,
    /// The first hour when traffic starts from a quiet pool at the busiest
    /// hour's rate (simulated, seed 1); null when that hour's arrivals are
    /// more than one simulated run takes (`first_hour_arrivals` says how many).
    pub first_hour: Option<FirstHour>,
    /// Expected arrivals of that first hour.
    pub first_hour_arrivals: f64,
}

/// The first hour of a quiet pool at the busiest hour's rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstHour {
    /// Replicas up at the start (the pool's minimum; 0 for scale-to-zero).
    pub from_replicas: u32,
    /// Most replicas up or starting at once.
    pub peak_replicas: f64,
    /// Cold starts in the hour.
    pub cold_starts: f64,
    /// Share of that hour's requests that wait for one.
    pub wait_share: f64,
    /// The simulation's seed.
    pub seed: u64,
}
