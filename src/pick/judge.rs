//! The judge: one priced offer against the workload's requirements, as a
//! typed [`Verdict`] (exclusions, flags, facts nobody has sourced). Part of
//! the pick stage; the words are [`crate::verdict`]'s.

use crate::contract::OfferKind;
use crate::model::Demand;
use crate::price::{Costed, Latency, Offer};
use crate::profile::{Scaling, Workload};
use crate::verdict::{Exclusion, Flag, Unknown, Verdict};

/// Largest share of requests that may wait for a cold start when the
/// workload states none (`requirements.max_cold_start_share`).
pub const DEFAULT_MAX_COLD_START_SHARE: f64 = 0.01;

/// The workload's cold-start allowance: its
/// `requirements.max_cold_start_share`, else [`DEFAULT_MAX_COLD_START_SHARE`].
pub fn cold_start_allowance(workload: &Workload) -> f64 {
    workload
        .requirements
        .max_cold_start_share
        .unwrap_or(DEFAULT_MAX_COLD_START_SHARE)
}

/// Most replicas at peak that infercost prices: far beyond any one
/// deployment; past it the whole-replica count would saturate (at 2³²−1)
/// and the figures (utilization, $/month) would mean nothing.
pub const MAX_REPLICAS: u32 = 1_000_000;

/// Judges one priced offer against the workload's requirements.
pub fn judge(c: &Costed, workload: &Workload, demand: &Demand) -> Verdict {
    let mut v = Verdict::default();
    modality(c, workload, &mut v);
    compliance(c, workload, &mut v);
    isolation(c, workload, &mut v);
    fine_tuning(c, workload, &mut v);
    context(c, demand, &mut v);
    replica_fit(c, &mut v);
    gpu_price(c, &mut v);
    latency(c, workload, &mut v);
    replica_bound(c, &mut v);
    if c.offer.kind() != OfferKind::Training {
        v.flags
            .extend(over_budget(c.usd_per_day, workload.budget_usd_per_month));
    }
    v
}

/// The over-budget flag of a serving option costing `usd_per_day`, if it is.
pub fn over_budget(usd_per_day: f64, budget: Option<f64>) -> Option<Flag> {
    let budget = budget?;
    let usd_per_month = crate::model::usd_per_month(usd_per_day);
    (usd_per_month > budget).then_some(Flag::OverBudget {
        usd_per_month,
        budget,
    })
}

/// A dedicated offer whose GPU rate the profile marks `unverified` (a
/// placeholder) is unknown on price: excluded unless admitted.
fn gpu_price(c: &Costed, v: &mut Verdict) {
    if let Offer::Dedicated(d, dep) = c.offer {
        if d.gpus.get(dep.gpu).is_some_and(|p| p.unverified) {
            v.unverified.push(Unknown::GpuPrice {
                vendor: c.vendor.name.clone(),
                gpu: dep.gpu.to_string(),
            });
        }
    }
}

fn isolation(c: &Costed, workload: &Workload, v: &mut Verdict) {
    if !workload.requirements.isolated {
        return;
    }
    let vendor = || c.vendor.name.clone();
    match c.offer {
        Offer::Dedicated(d, _) => fact(
            v,
            d.isolated,
            Exclusion::SharesHardware { vendor: vendor() },
            Unknown::Isolation { vendor: vendor() },
        ),
        Offer::Serverless(_) | Offer::Prediction(_) | Offer::Training(_) => {
            v.exclusions.push(Exclusion::SharedInfrastructure);
        }
    }
}

fn fine_tuning(c: &Costed, workload: &Workload, v: &mut Verdict) {
    if !workload.requirements.fine_tuned {
        return;
    }
    match c.offer {
        Offer::Serverless(o) => fact(
            v,
            o.lora_at_base_rate,
            Exclusion::NoLoraAtBaseRate,
            Unknown::LoraAtBaseRate,
        ),
        Offer::Dedicated(_, dep) => {
            fact(v, dep.lora, Exclusion::NoLoraServing, Unknown::LoraServing)
        }
        Offer::Prediction(_) => v.exclusions.push(Exclusion::NoFineTunedPredictions),
        Offer::Training(_) => {}
    }
}

/// A per-token or training offer that cannot take the workload's longest context: past
/// the offer's stated limit, or, when it states none, past the model's own
/// (`catalog/models.yaml`; until 2026-12-08 an offer with no stated limit
/// took a 6-trillion-token episode of kimi-k2.6, which holds 262,144).
fn context(c: &Costed, demand: &Demand, v: &mut Verdict) {
    let (model, stated) = match c.offer {
        Offer::Serverless(o) => (&o.model, o.context_tokens),
        // A training offer states no limit (the rollouts it trains on are
        // the workload's episodes).
        Offer::Training(t) => (&t.model, None),
        Offer::Dedicated(..) | Offer::Prediction(_) => return,
    };
    let needed = demand.context_needed();
    match stated {
        Some(ctx) if needed > ctx as f64 => v.exclusions.push(Exclusion::Context {
            needed,
            accepts: ctx as f64,
        }),
        Some(_) => {}
        None => v
            .exclusions
            .extend(crate::capacity::fit::context(None, model, needed).map(Exclusion::NoFit)),
    }
}

/// A dedicated replica that cannot hold the workload's longest context
/// (the resolve stage's verdict): the model's limit, or one stream's KV
/// cache against the replica's memory.
fn replica_fit(c: &Costed, v: &mut Verdict) {
    let Offer::Dedicated(_, dep) = c.offer else {
        return;
    };
    v.exclusions.extend(dep.fit.clone().map(Exclusion::NoFit));
}

/// Excludes a dedicated offer that needs more replicas than [`MAX_REPLICAS`].
fn replica_bound(c: &Costed, v: &mut Verdict) {
    let Some((_, cost)) = &c.dedicated else {
        return;
    };
    if cost.replicas_peak > MAX_REPLICAS {
        v.exclusions.push(Exclusion::TooManyReplicas {
            peak: cost.replicas_peak,
            most: MAX_REPLICAS,
        });
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
        v.exclusions.push(Exclusion::Modality {
            modality: workload.modality.clone(),
        });
    }
}

/// A required yes/no fact: `Some(true)` passes, `Some(false)` excludes
/// with `no`, `None` (nobody sourced it) is `unknown`.
fn fact(v: &mut Verdict, value: Option<bool>, no: Exclusion, unknown: Unknown) {
    match value {
        Some(true) => {}
        Some(false) => v.exclusions.push(no),
        None => v.unverified.push(unknown),
    }
}

/// Each required compliance item is attested (listed in `compliance`),
/// stated as not offered (with the page that says so), or unknown: no
/// source either way, which excludes unless admitted (see [`Verdict::settle`]).
fn compliance(c: &Costed, workload: &Workload, v: &mut Verdict) {
    for item in &workload.requirements.compliance {
        if c.vendor.compliance.contains(item) {
            continue;
        }
        let vendor = c.vendor.name.clone();
        match c
            .vendor
            .compliance_not_offered
            .iter()
            .find(|n| &n.item == item)
        {
            Some(n) => v.exclusions.push(Exclusion::NotOffered {
                item: item.clone(),
                vendor,
                source: n.source.to_string(),
            }),
            None => v.unverified.push(Unknown::Compliance {
                item: item.clone(),
                vendor,
            }),
        }
    }
}

/// Latency requirements: a published figure that breaks one excludes; a
/// missing figure is "unverified"; a scaled pool that makes more than the
/// workload's allowance of requests wait for a cold start breaks a TTFT
/// requirement.
fn latency(c: &Costed, workload: &Workload, v: &mut Verdict) {
    let req = &workload.requirements;
    if req.max_ttft_ms.is_none() && req.min_output_tokens_per_s.is_none() {
        return;
    }
    let Latency {
        ttft_ms: ttft,
        output_tokens_per_s: speed,
    } = c.offer.latency();
    let (mut no_ttft, mut no_speed) = (false, false);
    if let Some(max_ms) = req.max_ttft_ms {
        match ttft {
            Some(ms) if ms > max_ms => v.exclusions.push(Exclusion::Ttft { ms, max_ms }),
            Some(_) => {}
            None => no_ttft = true,
        }
        v.exclusions
            .extend(cold_starts(c, cold_start_allowance(workload)));
    }
    if let Some(min) = req.min_output_tokens_per_s {
        match speed {
            Some(tokens_per_s) if tokens_per_s < min => {
                v.exclusions.push(Exclusion::OutputSpeed {
                    tokens_per_s,
                    min,
                    derived_on: derived_on(c),
                });
            }
            Some(_) => {}
            None => no_speed = true,
        }
    }
    if no_ttft || no_speed {
        v.flags.push(Flag::UnverifiedLatency {
            ttft: no_ttft,
            speed: no_speed,
        });
    }
}

/// A scaled pool (autoscale, scale-to-zero) that makes more than
/// `max_share` of requests wait for a cold start, as `c` is billed: the
/// exclusion of a TTFT requirement.
pub(crate) fn cold_starts(c: &Costed, max_share: f64) -> Option<Exclusion> {
    let (_, cost) = c
        .dedicated
        .filter(|(r, _)| r.scaling != Scaling::AlwaysOn)?;
    (cost.cold_start_share > max_share).then_some(Exclusion::ColdStarts {
        share: cost.cold_start_share,
        max_share,
    })
}

/// GPUs per replica and GPU of a deployment whose throughput infercost
/// derived (not the vendor's figure).
fn derived_on(c: &Costed) -> Option<(u32, String)> {
    let Offer::Dedicated(_, dep) = c.offer else {
        return None;
    };
    dep.throughput
        .basis()
        .map(|_| (dep.gpus_per_replica, dep.gpu.to_string()))
}
