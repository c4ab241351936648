//! The picker: which offers may serve a workload (with the reason in words
//! when one may not), warnings that do not exclude, and the primary platform
//! and runner-up with their reasons in numbers.

use crate::contract::{OfferKind, Pick, PricedOption};
use crate::format::{percent, usd};
use crate::model::Demand;
use crate::price::{Costed, Latency, Offer};
use crate::profile::{Scaling, Workload};

/// Largest share of requests that may wait for a cold start when the workload
/// has a time-to-first-token requirement.
pub const MAX_COLD_START_SHARE: f64 = 0.01;

/// Why an offer cannot serve the workload (empty when it can), and the flags
/// that warn without excluding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Exclusion reasons, in words.
    pub reasons: Vec<String>,
    /// Warnings.
    pub flags: Vec<String>,
}

/// Judges one priced offer against the workload's requirements.
pub fn judge(c: &Costed, workload: &Workload, demand: &Demand) -> Verdict {
    let mut v = Verdict::default();
    let req = &workload.requirements;
    modality(c, workload, &mut v);
    for item in &req.compliance {
        if !c.vendor.compliance.contains(item) {
            v.reasons
                .push(format!("{} does not attest {item}", c.vendor.name));
        }
    }
    if req.isolated {
        match c.offer {
            Offer::Dedicated(d, _) if d.isolated => {}
            Offer::Dedicated(..) => v
                .reasons
                .push("dedicated replicas are not documented as isolated".into()),
            Offer::Serverless(_) | Offer::Prediction(_) | Offer::Training(_) => v
                .reasons
                .push("shared infrastructure; the workload needs isolated GPUs".into()),
        }
    }
    if req.fine_tuned {
        match c.offer {
            Offer::Serverless(o) if !o.lora_at_base_rate => v
                .reasons
                .push("no fine-tuned LoRA at the base rate on this per-token offer".into()),
            Offer::Dedicated(_, dep) if !dep.lora => v
                .reasons
                .push("this deployment does not serve LoRA adapters".into()),
            Offer::Prediction(_) => v
                .reasons
                .push("no fine-tuned models on this per-prediction offer".into()),
            Offer::Serverless(_) | Offer::Dedicated(..) | Offer::Training(_) => {}
        }
    }
    if let Offer::Serverless(o) = c.offer {
        if let Some(ctx) = o.context_tokens {
            let needed = demand.context_needed();
            if needed > ctx as f64 {
                v.reasons.push(format!(
                    "needs {} context tokens; this offer accepts {}",
                    crate::format::count(needed),
                    crate::format::count(ctx as f64)
                ));
            }
        }
    }
    latency(c, workload, &mut v);
    if let Some(budget) = workload.budget_usd_per_month {
        let month = crate::model::usd_per_month(c.usd_per_day);
        if month > budget && c.offer.kind() != OfferKind::Training {
            v.flags.push(format!(
                "over budget ({}/month against {})",
                usd(month),
                usd(budget)
            ));
        }
    }
    v
}

fn modality(c: &Costed, workload: &Workload, v: &mut Verdict) {
    let serves = match c.offer {
        Offer::Prediction(o) => o.modality == workload.modality,
        Offer::Serverless(_) | Offer::Dedicated(..) => {
            matches!(workload.modality.as_str(), "text" | "embedding")
        }
        Offer::Training(_) => true,
    };
    if !serves {
        v.reasons
            .push(format!("does not produce {} output", workload.modality));
    }
}

/// Latency requirements: a published figure that breaks one excludes; a
/// missing figure is "unverified"; a scale-to-zero replica that makes more
/// than 1% of requests wait for a cold start breaks a TTFT requirement.
fn latency(c: &Costed, workload: &Workload, v: &mut Verdict) {
    let req = &workload.requirements;
    if req.max_ttft_ms.is_none() && req.min_output_tokens_per_s.is_none() {
        return;
    }
    let Latency {
        ttft_ms: ttft,
        output_tokens_per_s: speed,
    } = c.offer.latency();
    let mut unverified = Vec::new();
    if let Some(max) = req.max_ttft_ms {
        match ttft {
            Some(t) if t > max => v.reasons.push(format!(
                "time to first token {t} ms exceeds the required {max} ms"
            )),
            Some(_) => {}
            None => unverified.push("time to first token"),
        }
        if let Some((_, cost)) = c
            .dedicated
            .filter(|(r, _)| r.scaling == Scaling::ScaleToZero)
        {
            if cost.cold_start_share > MAX_COLD_START_SHARE {
                v.reasons.push(format!(
                    "{} of requests wait for a cold start, above the {} a TTFT requirement allows",
                    percent(cost.cold_start_share),
                    percent(MAX_COLD_START_SHARE)
                ));
            }
        }
    }
    if let Some(min) = req.min_output_tokens_per_s {
        match speed {
            Some(s) if s < min => v.reasons.push(match c.offer {
                Offer::Dedicated(_, dep) if dep.throughput.as_ref().is_some_and(|t| t.kind != "vendor") => format!(
                    "one stream decodes at most ~{s} output tokens/s on {}×{} for this model, below the required {min}",
                    dep.gpus_per_replica, dep.gpu
                ),
                _ => format!("{s} output tokens/s is below the required {min}"),
            }),
            Some(_) => {}
            None => unverified.push("output speed"),
        }
    }
    if !unverified.is_empty() {
        v.flags.push(format!(
            "{UNVERIFIED}: no published {}",
            unverified.join(" or ")
        ));
    }
}

/// Where an option sorts: by $/month, then by its key.
pub fn order(o: &PricedOption) -> impl Ord {
    (Month(o.usd_per_month), o.key())
}

/// $/month ordered by `total_cmp`, so that it can lead a sort key.
#[derive(PartialEq)]
struct Month(f64);

impl Eq for Month {}

impl PartialOrd for Month {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Month {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Flag prefix of an option whose latency cannot be checked against a requirement.
pub const UNVERIFIED: &str = "unverified latency";

/// Primary = cheapest eligible serving option; runner-up = cheapest eligible
/// serving option of another vendor. `options` must be sorted.
pub fn choose(options: &[PricedOption]) -> Pick {
    let mut serving = options
        .iter()
        .filter(|o| o.eligible && o.offer != OfferKind::Training);
    let primary = serving.next();
    let runner_up = primary.and_then(|p| serving.find(|o| o.vendor != p.vendor));
    Pick {
        primary: primary.map(PricedOption::key),
        runner_up: runner_up.map(PricedOption::key),
        primary_reason: primary.map(|p| primary_reason(p, runner_up)),
        runner_up_reason: runner_up.zip(primary).map(|(r, p)| runner_up_reason(r, p)),
    }
}

fn primary_reason(p: &PricedOption, runner_up: Option<&PricedOption>) -> String {
    let mut s = format!("{}/month", usd(p.usd_per_month));
    match runner_up {
        Some(r) if r.usd_per_month == p.usd_per_month => s.push_str(&format!(
            ", the same as the runner-up ({}); first by vendor name",
            r.label()
        )),
        Some(r) if r.usd_per_month > 0.0 => s.push_str(&format!(
            ", {} below the runner-up ({}, {}/month)",
            percent(1.0 - p.usd_per_month / r.usd_per_month),
            r.label(),
            usd(r.usd_per_month)
        )),
        Some(_) => {}
        None => s.push_str(", the only eligible vendor"),
    }
    if let Some(r) = runner_up.filter(|r| straddles(p, r)) {
        s.push_str(&format!(
            " (within the uncertainty of the throughput estimate: {} costs {}–{}/month, {} {}–{}/month)",
            p.label(),
            usd(p.usd_per_month_low.unwrap_or(p.usd_per_month)),
            usd(p.usd_per_month_high.unwrap_or(p.usd_per_month)),
            r.label(),
            usd(r.usd_per_month_low.unwrap_or(r.usd_per_month)),
            usd(r.usd_per_month_high.unwrap_or(r.usd_per_month))
        ));
    }
    if let (Some(u), Some(x)) = (p.utilization, p.crossover_utilization) {
        let side = if u >= x { "above" } else { "below" };
        let band = match (p.crossover_utilization_low, p.crossover_utilization_high) {
            (Some(lo), Some(hi)) if percent(lo) != percent(hi) => {
                format!(" ({}–{})", percent(lo), percent(hi))
            }
            _ => String::new(),
        };
        s.push_str(&format!(
            "; runs at {} utilization, {side} its {}{band} crossover",
            percent(u),
            percent(x)
        ));
    }
    s
}

/// The primary's monthly cost band reaches the runner-up's (only estimated
/// throughput has a band; per-token prices have none).
fn straddles(p: &PricedOption, r: &PricedOption) -> bool {
    let p_high = p.usd_per_month_high.unwrap_or(p.usd_per_month);
    let r_low = r.usd_per_month_low.unwrap_or(r.usd_per_month);
    p_high >= r_low && (p.usd_per_month_high.is_some() || r.usd_per_month_low.is_some())
}

fn runner_up_reason(r: &PricedOption, p: &PricedOption) -> String {
    let mut s = format!(
        "{}/month, the cheapest eligible option from another vendor",
        usd(r.usd_per_month)
    );
    if p.usd_per_month > 0.0 && r.usd_per_month != p.usd_per_month {
        s.push_str(&format!(
            " ({} above the primary)",
            percent(r.usd_per_month / p.usd_per_month - 1.0)
        ));
    }
    s
}
