//! Dedicated offers: the bill is replica time, busy or idle. Load follows the
//! 24-hour traffic model; the scaling policy decides how many replicas each
//! hour pays for: always-on the busiest hour's whole replicas all day,
//! autoscale and scale-to-zero the replica pool's closed form
//! ([`super::pool::closed`]), every replica whole and every up-period
//! rounded up to the billing increment.

use super::pool::{closed, Policy, Pool, PoolDay};
use super::{Demand, Unit};
use crate::profile::{Billing, Dedicated, Scaling};
use crate::resolve::ResolvedDeployment;

/// Slots of a replica when the deployment gives no per-stream speed
/// (issue 13's reference model).
pub const DEFAULT_SLOTS: u32 = 16;
/// Scale-down delay of an autoscaled pool whose profile states none: the
/// default downscale stabilization window of Kubernetes' Horizontal Pod
/// Autoscaler, 300 s (kubernetes.io, "Horizontal Pod Autoscaling"), an
/// assumption the report states.
pub const DEFAULT_SCALE_DOWN_DELAY_S: f64 = 300.0;

mod origins;
mod sweep;

pub use origins::{FigureOrigin, PolicyOrigins};
pub(crate) use sweep::PoolDays;
pub use sweep::VolumeSweep;

/// One dedicated deployment, reduced to what the formulas need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Replica {
    /// How replicas follow traffic.
    pub scaling: Scaling,
    /// How a warm period is rounded on the bill.
    pub billing: Billing,
    /// Replicas kept at least (autoscale).
    pub min_replicas: u32,
    /// Seconds from a replica's start to its first request (autoscale,
    /// scale-to-zero).
    pub cold_start_s: f64,
    /// Seconds a replica with nothing in flight stays up: scale-to-zero's
    /// idle timeout, autoscale's scale-down delay.
    pub idle_timeout_s: f64,
    /// Seconds the last replica up of a scale-to-zero pool stays with
    /// nothing in flight: the profile's `last_replica_idle_timeout_s`,
    /// else `idle_timeout_s` (one window for every replica).
    pub last_idle_timeout_s: f64,
    /// Whether a start's cold start is on the bill: the profile's
    /// `cold_start_billed`, true when absent.
    pub cold_start_billed: bool,
    /// Whether the profile stated the two figures above or left them to
    /// their defaults (0 s cold start, [`DEFAULT_SCALE_DOWN_DELAY_S`]).
    pub origins: PolicyOrigins,
    /// C: requests a replica serves at once in the pool model: for an
    /// estimate, the concurrency its decode rate is for (resolve's
    /// `slots`); for the vendor's figures, the deployment's `concurrency`
    /// when stated, else decode_tokens_per_s / output_tokens_per_s
    /// (rounded down, at least 1) when it gives a per-stream speed, else
    /// [`DEFAULT_SLOTS`].
    pub slots: u32,
    /// $ per replica-hour: gpus_per_replica · usd_per_gpu_hour.
    pub usd_per_replica_hour: f64,
    /// Input tokens per second of one saturated replica.
    pub prefill_tokens_per_s: f64,
    /// Output tokens per second of one saturated replica.
    pub decode_tokens_per_s: f64,
}

impl Replica {
    /// The replica of a deployment, priced at the vendor's rate for its GPU.
    pub fn of(dedicated: &Dedicated, deployment: &ResolvedDeployment) -> Replica {
        let gpu_hour = dedicated
            .gpus
            .get(deployment.gpu)
            .map_or(0.0, |p| p.usd_per_gpu_hour());
        let idle_timeout_s = dedicated.idle_timeout_s.unwrap_or(match dedicated.scaling {
            Scaling::Autoscale => DEFAULT_SCALE_DOWN_DELAY_S,
            Scaling::AlwaysOn | Scaling::ScaleToZero => 0.0,
        });
        Replica {
            scaling: dedicated.scaling,
            billing: dedicated.billing,
            min_replicas: dedicated.min_replicas.unwrap_or(1),
            cold_start_s: dedicated.cold_start_s.unwrap_or(0.0),
            idle_timeout_s,
            last_idle_timeout_s: dedicated
                .last_replica_idle_timeout_s
                .unwrap_or(idle_timeout_s),
            cold_start_billed: dedicated.cold_start_billed.unwrap_or(true),
            origins: PolicyOrigins {
                cold_start: FigureOrigin::of(dedicated.cold_start_s),
                idle_timeout: FigureOrigin::of(dedicated.idle_timeout_s),
            },
            slots: slots(deployment),
            usd_per_replica_hour: f64::from(deployment.gpus_per_replica) * gpu_hour,
            prefill_tokens_per_s: deployment.prefill_tokens_per_s,
            decode_tokens_per_s: deployment.decode_tokens_per_s,
        }
    }

    /// Replica-seconds one unit keeps a saturated replica busy.
    /// Request: s = (I−C)/prefill_tps + O/decode_tps. Episode (session
    /// affinity keeps the history in the KV cache): U/prefill_tps + D/decode_tps.
    pub fn seconds_per_unit(&self, unit: &Unit) -> f64 {
        let (prefill, decode) = match *unit {
            Unit::Request {
                input,
                cached,
                output,
            } => (input - cached, output),
            Unit::Episode(ep) => (ep.unique, ep.decoded),
        };
        prefill / self.prefill_tokens_per_s + decode / self.decode_tokens_per_s
    }

    /// The replica pool of the reference model (docs/design.md, "Replica
    /// pools") for a demand: seconds per arrival s = seconds per unit /
    /// arrivals per unit; an autoscaled pool's idle timeout is its
    /// scale-down delay.
    pub fn pool(&self, demand: &Demand, target_utilization: f64) -> Pool {
        let (policy, idle_timeout_s) = match self.scaling {
            Scaling::AlwaysOn => (Policy::Fixed(1), 0.0),
            Scaling::Autoscale => (
                Policy::Scaled {
                    min_replicas: self.min_replicas,
                },
                self.idle_timeout_s,
            ),
            Scaling::ScaleToZero => (Policy::Scaled { min_replicas: 0 }, self.idle_timeout_s),
        };
        Pool {
            policy,
            slots: self.slots,
            seconds_per_request: self.seconds_per_unit(&demand.unit) / demand.arrivals_per_unit(),
            target_utilization,
            cold_start_s: self.cold_start_s,
            idle_timeout_s,
            last_idle_timeout_s: self.last_idle_timeout_s,
            billing_increment_s: self.billing.increment_s(),
            cold_start_billed: self.cold_start_billed,
        }
    }

    /// $ per unit on a replica kept 100% busy: s/3600 · usd_per_replica_hour.
    pub fn usd_per_unit_at_full_load(&self, unit: &Unit) -> f64 {
        self.seconds_per_unit(unit) / 3600.0 * self.usd_per_replica_hour
    }
}

/// C of a deployment: the concurrency resolve runs an estimate at, else
/// the row's stated `concurrency`, else decode_tokens_per_s /
/// output_tokens_per_s rounded down (at least 1), else [`DEFAULT_SLOTS`].
fn slots(deployment: &ResolvedDeployment) -> u32 {
    if let Some(c) = deployment.slots {
        return c.max(1);
    }
    if let Some(c) = deployment.written.and_then(|w| w.concurrency) {
        return c.max(1);
    }
    match (
        deployment.decode_tokens_per_s,
        deployment.output_tokens_per_s,
    ) {
        (total, Some(stream)) if stream > 0.0 && total.is_finite() => {
            (total / stream).floor().clamp(1.0, 1e6) as u32
        }
        _ => DEFAULT_SLOTS,
    }
}

/// What a dedicated deployment costs a day under a workload's traffic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DedicatedCost {
    /// Busy replica-hours a day: B = R·s/3600.
    pub busy_replica_hours: f64,
    /// Billed replica-hours a day.
    pub billed_replica_hours: f64,
    /// $ a day: billed · usd_per_replica_hour.
    pub usd_per_day: f64,
    /// B / billed (0 when nothing is billed).
    pub utilization: f64,
    /// Most replicas up in any hour.
    pub replicas_peak: u32,
    /// Cold starts a day (autoscale and scale-to-zero).
    pub cold_starts_per_day: f64,
    /// Share of arrivals that wait for a cold start (autoscale and scale-to-zero).
    pub cold_start_share: f64,
    /// What the pool does in the day (autoscale and scale-to-zero: the
    /// closed form's figures; `None` for always-on).
    pub pool: Option<PoolDay>,
}

/// Prices a deployment for a demand spread over the day by `weights`, keeping
/// `target_utilization` headroom on every replica.
pub fn price(
    replica: &Replica,
    demand: &Demand,
    weights: &[f64; 24],
    target_utilization: f64,
) -> DedicatedCost {
    let (busy, hours) = hours_of(replica, demand, weights, target_utilization);
    let (billed, pool) = match replica.scaling {
        Scaling::AlwaysOn => (always_on(&hours), None),
        Scaling::Autoscale | Scaling::ScaleToZero => {
            let pool = replica.pool(demand, target_utilization);
            let day = closed::day(&pool, &hours.map(|h| h.arrivals_per_s));
            (pooled(&day), Some(day))
        }
    };
    DedicatedCost {
        busy_replica_hours: busy,
        billed_replica_hours: billed.replica_hours,
        usd_per_day: billed.replica_hours * replica.usd_per_replica_hour,
        utilization: if billed.replica_hours > 0.0 {
            busy / billed.replica_hours
        } else {
            0.0
        },
        replicas_peak: billed.peak,
        cold_starts_per_day: billed.cold_starts,
        cold_start_share: billed.cold_start_share,
        pool,
    }
}

/// $ a day: `price(..).usd_per_day`, bit for bit, without the pool's
/// expected peak and cold-start figures (what charts price at every sample).
pub fn usd_per_day(
    replica: &Replica,
    demand: &Demand,
    weights: &[f64; 24],
    target_utilization: f64,
) -> f64 {
    let (_, hours) = hours_of(replica, demand, weights, target_utilization);
    let billed = match replica.scaling {
        Scaling::AlwaysOn => always_on(&hours).replica_hours,
        Scaling::Autoscale | Scaling::ScaleToZero => closed::billed_replica_hours(
            &replica.pool(demand, target_utilization),
            &hours.map(|h| h.arrivals_per_s),
        ),
    };
    billed * replica.usd_per_replica_hour
}

/// Busy replica-hours a day and the day's 24 hours of load.
fn hours_of(
    replica: &Replica,
    demand: &Demand,
    weights: &[f64; 24],
    target_utilization: f64,
) -> (f64, [HourLoad; 24]) {
    let busy = demand.units_per_day * replica.seconds_per_unit(&demand.unit) / 3600.0;
    let arrivals_per_day = demand.units_per_day * demand.arrivals_per_unit();
    let hours = weights.map(|w| HourLoad::at(busy, arrivals_per_day, w, target_utilization));
    (busy, hours)
}

/// Load in one hour.
#[derive(Debug, Clone, Copy)]
struct HourLoad {
    /// L_h / target_utilization: replicas' worth of work, with headroom.
    replicas_needed: f64,
    /// λ_h: arrivals per second.
    arrivals_per_s: f64,
}

impl HourLoad {
    /// The hour that carries share `w` of the day, `busy` replica-hours and
    /// `arrivals_per_day` arrivals a day; `price` and `VolumeSweep` both build
    /// their hours here.
    fn at(busy: f64, arrivals_per_day: f64, w: f64, target_utilization: f64) -> HourLoad {
        HourLoad {
            replicas_needed: busy * w / target_utilization,
            arrivals_per_s: arrivals_per_day * w / 3600.0,
        }
    }

    /// n_h = ceil(L_h / target_utilization), tolerant of rounding noise;
    /// at most `u32::MAX` (validation bounds every input, so n fits for any
    /// real workload). Integer arithmetic, not `f64::ceil`, which is a
    /// library call on baseline x86-64 and was a tenth of the engine's time.
    fn whole_replicas(&self) -> u32 {
        let v = self.replicas_needed - 1e-9;
        if v.is_nan() || v <= 0.0 {
            return 0;
        }
        if v >= f64::from(u32::MAX) {
            return u32::MAX;
        }
        // 0 < v < 2³² − 1: truncation is exact, and t + 1 cannot overflow.
        let t = v as u32;
        t + u32::from(f64::from(t) < v)
    }
}

/// Replica-hours billed in a day, with the peak and cold starts.
struct Billed {
    replica_hours: f64,
    peak: u32,
    cold_starts: f64,
    cold_start_share: f64,
}

/// Always-on: 24 · max(1, max n_h).
fn always_on(hours: &[HourLoad; 24]) -> Billed {
    let peak = hours
        .iter()
        .map(HourLoad::whole_replicas)
        .max()
        .unwrap_or(0)
        .max(1);
    Billed {
        replica_hours: 24.0 * f64::from(peak),
        peak,
        cold_starts: 0.0,
        cold_start_share: 0.0,
    }
}

/// Autoscale and scale-to-zero: the pool's day, with its expected peak
/// rounded to whole replicas.
fn pooled(day: &PoolDay) -> Billed {
    let peak = day.peak_replicas.round();
    Billed {
        replica_hours: day.billed_replica_hours,
        peak: if peak >= f64::from(u32::MAX) {
            u32::MAX
        } else {
            peak.max(0.0) as u32
        },
        cold_starts: day.cold_starts,
        cold_start_share: day.cold_start_wait_share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// n_h as first written, with `f64::ceil`.
    fn ceil_replicas(replicas_needed: f64) -> u32 {
        let n = (replicas_needed - 1e-9).ceil().max(0.0);
        n.min(f64::from(u32::MAX)) as u32
    }

    fn whole(replicas_needed: f64) -> u32 {
        HourLoad {
            replicas_needed,
            arrivals_per_s: 0.0,
        }
        .whole_replicas()
    }

    #[test]
    fn whole_replicas_round_up_as_ceil_does_at_the_edges() {
        let u = f64::from(u32::MAX);
        for v in [
            f64::NAN,
            f64::NEG_INFINITY,
            -1.0,
            -0.0,
            0.0,
            1e-9,
            2e-9,
            0.5,
            1.0,
            1.0 + 1e-9,
            1.0 + 2e-9,
            2.0,
            3.999_999_999,
            u - 1.0,
            u - 0.5,
            u,
            u + 1.0,
            1e300,
            f64::INFINITY,
        ] {
            assert_eq!(whole(v), ceil_replicas(v), "{v}");
        }
    }

    proptest! {
        #[test]
        fn whole_replicas_round_up_as_ceil_does(e in -12.0..11.0f64, noise in -1e-8..1e-8f64) {
            let v = 10f64.powf(e);
            for v in [v, v.round() + noise, v.round()] {
                prop_assert_eq!(whole(v), ceil_replicas(v), "{}", v);
            }
        }
    }
}
