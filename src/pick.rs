//! The picker: which offers may serve a workload (with the reason in words
//! when one may not), warnings that do not exclude, and the primary platform
//! and runner-up with their reasons in numbers.

use chrono::NaiveDate;

use crate::contract::{OfferKind, Pick, PricedOption};
use crate::format::{percent, usd};
use crate::model::Demand;
use crate::price::{Costed, Latency, Offer};
use crate::profile::ids::compliance_name;
use crate::profile::{Scaling, Workload};
use crate::ties::{break_tie, tie_words, tied};

/// Largest share of requests that may wait for a cold start when the workload
/// has a time-to-first-token requirement.
pub const MAX_COLD_START_SHARE: f64 = 0.01;

/// Why an offer cannot serve the workload (empty when it can), and the flags
/// that warn without excluding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Exclusion reasons, in words.
    pub reasons: Vec<String>,
    /// The requirement behind each reason, in the same order:
    /// `compliance:hipaa`, `isolated`, `fine_tuned`, `max_ttft_ms`,
    /// `min_output_tokens_per_s`, or `fit` (model, modality, context).
    pub excluded_by: Vec<String>,
    /// Warnings.
    pub flags: Vec<String>,
    /// Required facts nobody has sourced either way: (requirement, reason).
    /// [`Verdict::settle`] makes them reasons, or flags when admitted.
    pub unverified: Vec<(String, String)>,
}

impl Verdict {
    fn exclude(&mut self, requirement: &str, reason: impl Into<String>) {
        self.excluded_by.push(requirement.to_string());
        self.reasons.push(reason.into());
    }

    /// Unverified facts exclude, unless `admit` (`--allow-unverified`):
    /// then the option stays eligible, flagged.
    pub fn settle(&mut self, admit: bool) {
        for (requirement, reason) in std::mem::take(&mut self.unverified) {
            if admit {
                self.flags
                    .push(format!("{reason}; admitted by --allow-unverified"));
            } else {
                self.exclude(
                    &requirement,
                    format!("{reason} (--allow-unverified admits it)"),
                );
            }
        }
    }
}

/// Judges one priced offer against the workload's requirements.
pub fn judge(c: &Costed, workload: &Workload, demand: &Demand) -> Verdict {
    let mut v = Verdict::default();
    let req = &workload.requirements;
    modality(c, workload, &mut v);
    compliance(c, workload, &mut v);
    if req.isolated {
        match c.offer {
            Offer::Dedicated(d, _) => fact(
                &mut v,
                "isolated",
                d.isolated,
                format!(
                    "{} states its dedicated replicas share hardware",
                    c.vendor.name
                ),
                format!(
                    "isolation not verified: no source found for {}'s dedicated replicas",
                    c.vendor.name
                ),
            ),
            Offer::Serverless(_) | Offer::Prediction(_) | Offer::Training(_) => v.exclude(
                "isolated",
                "shared infrastructure; the workload needs isolated GPUs",
            ),
        }
    }
    if req.fine_tuned {
        match c.offer {
            Offer::Serverless(o) => fact(
                &mut v,
                "fine_tuned",
                o.lora_at_base_rate,
                "no fine-tuned LoRA at the base rate on this per-token offer".into(),
                "LoRA at the base rate not verified: no source found for this per-token offer"
                    .into(),
            ),
            Offer::Dedicated(_, dep) => fact(
                &mut v,
                "fine_tuned",
                dep.lora,
                "this deployment does not serve LoRA adapters".into(),
                "LoRA serving not verified: no source found for this deployment".into(),
            ),
            Offer::Prediction(_) => v.exclude(
                "fine_tuned",
                "no fine-tuned models on this per-prediction offer",
            ),
            Offer::Training(_) => {}
        }
    }
    if let Offer::Serverless(o) = c.offer {
        if let Some(ctx) = o.context_tokens {
            let needed = demand.context_needed();
            if needed > ctx as f64 {
                v.exclude(
                    "fit",
                    format!(
                        "needs {} context tokens; this offer accepts {}",
                        crate::format::count(needed),
                        crate::format::count(ctx as f64)
                    ),
                );
            }
        }
    }
    latency(c, workload, &mut v);
    replica_bound(c, &mut v);
    if c.offer.kind() != OfferKind::Training {
        v.flags
            .extend(over_budget(c.usd_per_day, workload.budget_usd_per_month));
    }
    v
}

/// The over-budget flag of a serving option costing `usd_per_day`, if it is.
pub fn over_budget(usd_per_day: f64, budget: Option<f64>) -> Option<String> {
    let budget = budget?;
    let month = crate::model::usd_per_month(usd_per_day);
    (month > budget).then(|| format!("over budget ({}/month against {})", usd(month), usd(budget)))
}

/// Most replicas at peak that infercost prices: far beyond any one
/// deployment; past it the whole-replica count would saturate (at 2³²−1)
/// and the figures (utilization, $/month) would mean nothing.
pub const MAX_REPLICAS: u32 = 1_000_000;

/// Excludes a dedicated offer that needs more replicas than [`MAX_REPLICAS`].
fn replica_bound(c: &Costed, v: &mut Verdict) {
    let Some((_, cost)) = &c.dedicated else {
        return;
    };
    if cost.replicas_peak > MAX_REPLICAS {
        v.reasons.push(format!(
            "needs more than {} replicas at peak ({}); infercost prices at most {} replicas of one deployment",
            crate::format::count(f64::from(MAX_REPLICAS)),
            if cost.replicas_peak == u32::MAX {
                "over 4.29 billion".to_string()
            } else {
                crate::format::count(f64::from(cost.replicas_peak))
            },
            crate::format::count(f64::from(MAX_REPLICAS)),
        ));
    }
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
        v.exclude(
            "fit",
            format!("does not produce {} output", workload.modality),
        );
    }
}

/// A required yes/no fact: `Some(true)` passes, `Some(false)` excludes
/// with `no`, `None` (unknown) is unverified with `unknown`.
fn fact(v: &mut Verdict, requirement: &str, value: Option<bool>, no: String, unknown: String) {
    match value {
        Some(true) => {}
        Some(false) => v.exclude(requirement, no),
        None => v.unverified.push((requirement.to_string(), unknown)),
    }
}

/// Each required compliance item is attested (listed in `compliance`),
/// stated as not offered (with the page that says so), or unknown: no
/// source either way, which excludes unless admitted (see [`Verdict::settle`]).
fn compliance(c: &Costed, workload: &Workload, v: &mut Verdict) {
    for item in &workload.requirements.compliance {
        let name = compliance_name(item);
        let key = format!("compliance:{item}");
        if c.vendor.compliance.contains(item) {
            continue;
        }
        match c
            .vendor
            .compliance_not_offered
            .iter()
            .find(|n| &n.item == item)
        {
            Some(n) => v.exclude(
                &key,
                format!("{} does not offer {name} ({})", c.vendor.name, n.source),
            ),
            None => v.unverified.push((
                key,
                format!("{name} not verified: no source found for {}", c.vendor.name),
            )),
        }
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
            Some(t) if t > max => v.exclude(
                "max_ttft_ms",
                format!("time to first token {t} ms exceeds the required {max} ms"),
            ),
            Some(_) => {}
            None => unverified.push("time to first token"),
        }
        if let Some((_, cost)) = c
            .dedicated
            .filter(|(r, _)| r.scaling == Scaling::ScaleToZero)
        {
            if cost.cold_start_share > MAX_COLD_START_SHARE {
                v.exclude(
                    "max_ttft_ms",
                    format!(
                    "{} of requests wait for a cold start, above the {} a TTFT requirement allows",
                    percent(cost.cold_start_share),
                    percent(MAX_COLD_START_SHARE)
                ),
                );
            }
        }
    }
    if let Some(min) = req.min_output_tokens_per_s {
        match speed {
            Some(s) if s < min => v.exclude(
                "min_output_tokens_per_s",
                match c.offer {
                    Offer::Dedicated(_, dep) if dep.throughput.basis().is_some() =>
                    {
                        format!(
                            "one stream decodes at most ~{s} output tokens/s on {}×{} for this model, below the required {min}",
                            dep.gpus_per_replica, dep.gpu
                        )
                    }
                    _ => format!("{s} output tokens/s is below the required {min}"),
                },
            ),
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
/// serving option of another vendor. Options within a tie of the cheapest
/// ([`crate::ties`]) are ordered by fresher prices, a published latency and
/// more headroom before names; `as_of` gives a vendor's price date.
/// `options` must be sorted.
pub fn choose(options: &[PricedOption], as_of: &dyn Fn(&str) -> Option<NaiveDate>) -> Pick {
    let serving: Vec<&PricedOption> = options
        .iter()
        .filter(|o| o.eligible && o.offer != OfferKind::Training)
        .collect();
    let cheapest = serving.first().map_or(0.0, |o| o.usd_per_month);
    let tied_count = serving
        .iter()
        .take_while(|o| tied(o.usd_per_month, cheapest))
        .count();
    let (group, rule) = break_tie(&serving[..tied_count], as_of);
    let ordered: Vec<&PricedOption> = group
        .iter()
        .chain(&serving[tied_count..])
        .copied()
        .collect();
    let primary = ordered.first().copied();
    let runner_up = primary.and_then(|p| ordered.iter().copied().find(|o| o.vendor != p.vendor));
    let tied_with: Vec<&PricedOption> = group.iter().skip(1).copied().collect();
    Pick {
        primary: primary.map(PricedOption::key),
        runner_up: runner_up.map(PricedOption::key),
        primary_reason: primary.map(|p| {
            let mut reason = primary_reason(p, runner_up, &tied_with, &rule);
            reason.extend(crate::lifecycle::successor_note(p, options));
            reason
        }),
        runner_up_reason: runner_up.zip(primary).map(|(r, p)| runner_up_reason(r, p)),
    }
}

fn primary_reason(
    p: &PricedOption,
    runner_up: Option<&PricedOption>,
    tied_with: &[&PricedOption],
    rule: &str,
) -> String {
    let mut s = format!("{}/month", usd(p.usd_per_month));
    match runner_up {
        _ if !tied_with.is_empty() => {
            s.push_str(&format!(", {}", tie_words(tied_with, rule)));
        }
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
    if tied(r.usd_per_month, p.usd_per_month) {
        s.push_str(" (tied with the primary; see the rule there)");
    } else if p.usd_per_month > 0.0 {
        s.push_str(&format!(
            " ({} above the primary)",
            percent(r.usd_per_month / p.usd_per_month - 1.0)
        ));
    }
    s
}
