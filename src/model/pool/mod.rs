//! A replica pool under the reference model of docs/design.md ("Replica
//! pools"): Poisson arrivals constant within each hour, replicas of C
//! slots, a scale-up rule, packing dispatch, idle timeouts and billing
//! increments. [`sim`] simulates it (seeded, deterministic); [`closed`]
//! approximates it in closed form for the engine, which prices thousands of
//! points per workload. Both are pure: no I/O, no clock.

pub mod closed;
pub mod sim;

/// How many replicas a pool keeps and adds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Policy {
    /// Exactly this many replicas, ready all day (always-on; the Erlang tests).
    Fixed(u32),
    /// Replicas follow the scale-up rule and stop after the idle timeout,
    /// never below `min_replicas` (0: scale-to-zero).
    Scaled {
        /// Replicas kept at least.
        min_replicas: u32,
    },
}

/// One deployment's replica pool, reduced to what the reference model needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pool {
    /// Fixed or scaled.
    pub policy: Policy,
    /// C: requests one replica serves at once (at least 1).
    pub slots: u32,
    /// s: replica-seconds per request at saturation; a request holds one
    /// slot for d = C·s seconds.
    pub seconds_per_request: f64,
    /// A new replica starts when the requests in flight or waiting exceed
    /// target_utilization · C · (replicas up or starting).
    pub target_utilization: f64,
    /// Seconds from a replica's start (and its billing) to its first request.
    pub cold_start_s: f64,
    /// Seconds a replica with nothing in flight stays up.
    pub idle_timeout_s: f64,
    /// Seconds the last replica up of a scale-to-zero pool (min_replicas
    /// 0) stays up with nothing in flight, where it is kept longer than
    /// the replicas above it (Fireworks' scale-to-zero window beside its
    /// scale-down window). A value at most `idle_timeout_s`, or any value
    /// in a pool with min_replicas above 0, means one window for every
    /// replica ([`Pool::first_idle_timeout_s`]).
    pub last_idle_timeout_s: f64,
    /// Each up-period is rounded up to a whole number of these seconds (1, 60, 3600).
    pub billing_increment_s: f64,
    /// Whether a replica is billed from its start (its cold start on the
    /// bill) or only from the moment it is ready (Fireworks: "Charges
    /// start when the server begins accepting requests").
    pub cold_start_billed: bool,
}

impl Pool {
    /// d = C·s: seconds one request holds a slot.
    pub fn hold_s(&self) -> f64 {
        f64::from(self.slots) * self.seconds_per_request
    }

    /// Seconds of each start's cold start that are not billed: 0, or c
    /// when billing starts once the replica is ready.
    pub fn unbilled_cold_start_s(&self) -> f64 {
        if self.cold_start_billed || !self.cold_start_s.is_finite() {
            0.0
        } else {
            self.cold_start_s.max(0.0)
        }
    }

    /// τ₁: seconds the pool's replica 1 stays up with nothing in flight:
    /// the last replica's window of a scale-to-zero pool when longer than
    /// the others' (a NaN counts as none), else `idle_timeout_s`.
    pub fn first_idle_timeout_s(&self) -> f64 {
        match self.policy {
            Policy::Scaled { min_replicas: 0 } => self.last_idle_timeout_s.max(self.idle_timeout_s),
            _ => self.idle_timeout_s,
        }
    }
}

/// Arrivals per second in each hour of the day (λ_h).
pub type Arrivals = [f64; 24];

/// The idle timeouts, seconds, over which the closed form is checked
/// against the simulation: the grid's 60 and 900 s and the bundled
/// options' 60–3,600 s (docs/design.md, "Replica pools"). Outside it an
/// option says so: at 0 s, the restarts the closed form counts are capped
/// at the arrivals ([`closed`]'s hour) and its bill was still +62% of the
/// simulation's on one pool.
pub const CHECKED_IDLE_TIMEOUT_S: (f64, f64) = (60.0, 3600.0);

/// What a pool does in a day: the simulation's mean or the closed form's figure.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PoolDay {
    /// Replica-hours billed, every up-period rounded up to the increment.
    pub billed_replica_hours: f64,
    /// Replica-hours of work: requests · s / 3600.
    pub busy_replica_hours: f64,
    /// Replicas started in the day (cold starts; 0 for a fixed pool).
    pub cold_starts: f64,
    /// Share of requests that arrive while no ready replica has a free
    /// slot and a replica is starting: they wait for a cold start.
    pub cold_start_wait_share: f64,
    /// Most replicas up or starting at once.
    pub peak_replicas: f64,
}
