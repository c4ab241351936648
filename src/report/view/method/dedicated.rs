//! The Method lines of a dedicated deployment: replica-seconds per request
//! or episode, busy and billed replica-hours under its scaling policy (the
//! replica pool's closed form for autoscale and scale to zero, with its
//! peak, cold starts and waits), $/day, utilization and the crossover
//! against the cheapest eligible per-token offer; and the deployment's
//! inputs.

use super::{money, num};
use crate::format::{count, percent, usd};
use crate::model::dedicated::{DedicatedCost, FigureOrigin, Replica};
use crate::model::pool::{Policy, Pool};
use crate::model::Unit;
use crate::profile::{Dedicated, Scaling};
use crate::report::subject::{PricedOffer, Subject};
use crate::report::words::{billing, counted};
use crate::resolve::ResolvedDeployment;

/// The worked replica sizing, billing and cost of a dedicated option, with
/// the engine's own figures (`cost`, from `price::cost`).
pub(super) fn lines(
    s: &Subject,
    replica: &Replica,
    cost: &DedicatedCost,
    dep: &ResolvedDeployment,
) -> Vec<String> {
    let gpus = dep.gpus_per_replica;
    let demand = &s.demand;
    let r = demand.units_per_day;
    let target = s.workload.traffic.target_utilization;
    let sec = replica.seconds_per_unit(&demand.unit);
    let mut lines = vec![seconds_line(&demand.unit, replica, sec)];
    lines.push(format!(
        "B = R·s/3600 = {}·{}/3600 = {} busy replica-hours/day",
        count(r),
        num(sec),
        num(cost.busy_replica_hours)
    ));
    let (peak_hour, w_max) =
        s.weights
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, 0.0),
                |best, (h, w)| if w > best.1 { (h, w) } else { best },
            );
    let load = cost.busy_replica_hours * w_max;
    lines.push(format!(
        "busiest hour ({peak_hour:02}:00) carries w = {} of the day: L = B·w = {} replicas' worth of work; n = ceil(L/{}) = {}",
        num(w_max),
        num(load),
        num(target),
        counted(&num(((load / target) - 1e-9).ceil().max(0.0)), "replica", "replicas")
    ));
    let billed = cost.billed_replica_hours;
    lines.push(billed_line(s, replica, cost, w_max));
    if let Some(pool) = &cost.pool {
        lines.push(format!(
            "the pool: {} billed against {} busy replica-hours a day, an expected peak of {}, {} a day; share of requests that wait for a cold start = {} (the closed form's estimate: docs/design.md, \"Replica pools\", states its error against the simulation)",
            num(pool.billed_replica_hours),
            num(pool.busy_replica_hours),
            counted(&num(pool.peak_replicas), "replica", "replicas"),
            counted(&num(pool.cold_starts), "cold start", "cold starts"),
            percent(pool.cold_start_wait_share)
        ));
    }
    let per_gpu = usd_per_gpu_hour(replica, gpus);
    lines.push(format!(
        "$/replica-hour = gpus_per_replica · $/GPU-hour = {} · {} = {}",
        gpus,
        money(per_gpu),
        money(replica.usd_per_replica_hour)
    ));
    lines.push(format!(
        "$/day = billed · $/replica-hour = {} · {} = {}",
        num(billed),
        money(replica.usd_per_replica_hour),
        usd(cost.usd_per_day)
    ));
    if billed > 0.0 {
        lines.push(format!(
            "utilization = B/billed = {}/{} = {}",
            num(cost.busy_replica_hours),
            num(billed),
            percent(cost.utilization)
        ));
    }
    lines.extend(crossover_line(s, dep.model, replica, sec));
    lines
}

/// Replica-seconds of one request or episode.
fn seconds_line(unit: &Unit, replica: &Replica, sec: f64) -> String {
    match *unit {
        Unit::Request { input, cached, output } => format!(
            "s = (I − C)/prefill_tps + O/decode_tps = {}/{} + {}/{} = {} replica-seconds per request",
            num(input - cached), num(replica.prefill_tokens_per_s), num(output), num(replica.decode_tokens_per_s), num(sec)
        ),
        Unit::Episode(ep) => format!(
            "s = U/prefill_tps + D/decode_tps = {}/{} + {}/{} = {} replica-seconds per episode (session affinity keeps the history in the KV cache; decode is counted too)",
            num(ep.unique), num(replica.prefill_tokens_per_s), num(ep.decoded), num(replica.decode_tokens_per_s), num(sec)
        ),
    }
}

/// Billed replica-hours a day under the replica's scaling policy; `w_max` is
/// the busiest hour's share of the day.
fn billed_line(s: &Subject, replica: &Replica, cost: &DedicatedCost, w_max: f64) -> String {
    let target = s.workload.traffic.target_utilization;
    let billed = cost.billed_replica_hours;
    match replica.scaling {
        Scaling::AlwaysOn => format!(
            "always on: billed = 24·max(1, max n_h) = 24·{} = {} replica-hours/day",
            cost.replicas_peak,
            num(billed)
        ),
        Scaling::Autoscale | Scaling::ScaleToZero => {
            let pool = replica.pool(&s.demand, target);
            let lambda = s.demand.units_per_day * s.demand.arrivals_per_unit() * w_max / 3600.0;
            let (mode, floor) = match pool.policy {
                Policy::Scaled { min_replicas: 0 } => ("scale to zero", String::new()),
                Policy::Scaled { min_replicas } | Policy::Fixed(min_replicas) => {
                    ("autoscale", format!(", never below {min_replicas}"))
                }
            };
            format!(
                "{mode} pool (docs/design.md, \"Replica pools\"): a replica serves C = {} requests at once, each holding a slot d = C·s = {} s; one more starts when the requests in flight exceed {}·C per replica up or starting{floor}; each is billed from its {} (cold start c = {} s{}) until {} pass without a request, every up-period rounded up to {} s; in the busiest hour λ = {}/s, so N ~ Poisson(λd = {}) requests in flight; the closed form sums P(R ≥ k) over whole replicas k, with the time replicas started for a burst stay up: billed = {} replica-hours/day",
                pool.slots,
                num(pool.hold_s()),
                num(target),
                if pool.cold_start_billed { "start" } else { "ready moment" },
                num(pool.cold_start_s),
                not_billed(pool.cold_start_billed, pool.cold_start_s),
                idle_window(&pool),
                num(pool.billing_increment_s),
                num(lambda),
                num(lambda * pool.hold_s()),
                num(cost.pool.map_or(billed, |p| p.billed_replica_hours))
            ) + &rebilled(cost)
        }
    }
}

/// ", not billed" after a cold start that is not on the bill (nothing
/// for a cold start of 0 s).
fn not_billed(billed: bool, cold_start_s: f64) -> &'static str {
    if billed || cold_start_s <= 0.0 {
        ""
    } else {
        ", not billed"
    }
}

/// The idle window in words: one for every replica, or the last
/// replica's longer one beside the others'.
fn idle_window(pool: &Pool) -> String {
    let (above, last) = (pool.idle_timeout_s, pool.first_idle_timeout_s());
    if last > above {
        format!("{} s (the last replica up: {} s)", num(above), num(last))
    } else {
        format!("{} s", num(above))
    }
}

/// When the simulation billed the option instead of the closed form (the
/// pick's check, `engine::check`), what it billed.
fn rebilled(cost: &DedicatedCost) -> String {
    match cost.pool {
        Some(p) if p.billed_replica_hours != cost.billed_replica_hours => format!(
            "; the closed form is more than 3% off the pool's simulation here, so the simulation bills it: {} replica-hours/day",
            num(cost.billed_replica_hours)
        ),
        _ => String::new(),
    }
}

/// The utilization above which the replica beats the per-token offer its
/// model is measured against (`Subject::per_token_for`); `None` without
/// such an offer or with a free one.
fn crossover_line(s: &Subject, model: &str, replica: &Replica, sec: f64) -> Option<String> {
    let c = s.per_token_for(model)?;
    let a = c.option.usd_per_unit.unwrap_or(0.0);
    let x = replica.usd_per_unit_at_full_load(&s.demand.unit) / a;
    (a > 0.0).then(|| format!(
        "crossover u* = (s/3600 · $/replica-hour) / per-token cost per {} = ({}/3600 · {}) / {} (cheapest eligible per-token, {}) = {}{}",
        s.unit_word(),
        num(sec),
        money(replica.usd_per_replica_hour),
        money(a),
        c.option.label(),
        percent(x),
        if x > 1.0 {
            ": above 100%, so at this throughput the replica is never cheaper than per-token pricing"
        } else {
            ""
        }
    ))
}

/// What the Method adds after a pool figure the profile left to its default.
fn defaulted(origin: FigureOrigin, words: &str) -> String {
    match origin {
        FigureOrigin::Stated => String::new(),
        FigureOrigin::Default => format!(": {words}"),
    }
}

/// The profile inputs of a dedicated deployment (the line after its label).
pub(super) fn inputs(p: &PricedOffer, d: &Dedicated, dep: &ResolvedDeployment) -> String {
    let replica = Replica::of(d, dep);
    let mut terms = billing(p.option);
    if d.scaling == Scaling::ScaleToZero {
        let last = if replica.last_idle_timeout_s > replica.idle_timeout_s {
            format!(
                ", the last replica's {} s",
                num(replica.last_idle_timeout_s)
            )
        } else {
            String::new()
        };
        terms.push_str(&format!(
            " (cold start {} s{}, idle timeout {} s{last})",
            num(replica.cold_start_s),
            not_billed(replica.cold_start_billed, replica.cold_start_s),
            num(replica.idle_timeout_s)
        ));
    }
    if d.scaling == Scaling::Autoscale {
        terms.push_str(&format!(
            " (min_replicas {}, cold start {} s{}{}, scale-down {} s after a replica's last request{})",
            replica.min_replicas,
            num(replica.cold_start_s),
            defaulted(replica.origins.cold_start, "none stated, a default"),
            not_billed(replica.cold_start_billed, replica.cold_start_s),
            num(replica.idle_timeout_s),
            defaulted(
                replica.origins.idle_timeout,
                "none stated, so Kubernetes' default, an assumption"
            )
        ));
    }
    let origin = format!(" ({})", dep.throughput.note());
    // A committed option is billed by its plan, not by replica-hours.
    let billed = p
        .option
        .billed_replica_hours_per_day
        .map_or(String::new(), |h| {
            format!("billed {} replica-hours/day, ", num(h))
        });
    format!(
        "{} × {} per GPU-hour = {} per replica-hour; prefill {} and decode {} tokens/s per replica{origin}; {terms}; {billed}peak {}",
        if dep.gpus_per_replica == 1 { "1 GPU".to_string() } else { format!("{} GPUs", dep.gpus_per_replica) },
        money(usd_per_gpu_hour(&replica, dep.gpus_per_replica)),
        money(replica.usd_per_replica_hour),
        num(replica.prefill_tokens_per_s),
        num(replica.decode_tokens_per_s),
        counted(&p.option.replicas_peak.unwrap_or(0).to_string(), "replica", "replicas")
    )
}

/// The price of one GPU of a replica, as the profile gives it.
fn usd_per_gpu_hour(replica: &Replica, gpus: u32) -> f64 {
    replica.usd_per_replica_hour / f64::from(gpus.max(1))
}
