//! Pricing: every offer of every vendor that sells the workload's model
//! (its dedicated deployments as the resolve stage made them for the
//! workload), with its cost under the workload's demand. Eligibility is
//! `pick.rs`'s job.

use crate::contract::{OfferKind, Unserved};
use crate::model::dedicated::{self, DedicatedCost, Replica};
use crate::model::{per_token, Demand};
use crate::profile::{
    Dedicated, PredictionOffer, ServerlessOffer, TrainingOffer, Vendor, Workload,
};
use crate::resolve::{ResolvedDeployment, ResolvedWorkload};

/// One offer of one vendor.
#[derive(Debug, Clone, Copy)]
pub enum Offer<'a> {
    /// A per-token offer.
    Serverless(&'a ServerlessOffer),
    /// A dedicated deployment resolved for the workload, with the vendor's
    /// dedicated terms.
    Dedicated(&'a Dedicated, &'a ResolvedDeployment<'a>),
    /// A per-prediction offer.
    Prediction(&'a PredictionOffer),
    /// A training-token offer.
    Training(&'a TrainingOffer),
}

impl Offer<'_> {
    /// The kind of offer.
    pub fn kind(&self) -> OfferKind {
        match self {
            Offer::Serverless(_) => OfferKind::Serverless,
            Offer::Dedicated(..) => OfferKind::Dedicated,
            Offer::Prediction(_) => OfferKind::Prediction,
            Offer::Training(_) => OfferKind::Training,
        }
    }

    /// The model it serves or trains.
    pub fn model(&self) -> &str {
        match self {
            Offer::Serverless(o) => &o.model,
            Offer::Dedicated(_, dep) => dep.model,
            Offer::Prediction(o) => &o.model,
            Offer::Training(o) => &o.model,
        }
    }

    /// The price tier, where the vendor lists several.
    pub fn tier(&self) -> Option<&str> {
        match self {
            Offer::Serverless(o) => o.tier.as_deref(),
            Offer::Training(o) => o.tier.as_deref(),
            Offer::Dedicated(..) | Offer::Prediction(_) => None,
        }
    }

    /// The published latency of one stream: (time to first token in ms,
    /// output tokens/s); `None` where the profile gives none.
    pub fn latency(&self) -> Latency {
        match self {
            Offer::Serverless(o) => Latency {
                ttft_ms: o.ttft_ms,
                output_tokens_per_s: o.output_tokens_per_s,
            },
            Offer::Dedicated(_, dep) => Latency {
                ttft_ms: dep.ttft_ms,
                output_tokens_per_s: dep.output_tokens_per_s,
            },
            Offer::Prediction(_) | Offer::Training(_) => Latency::default(),
        }
    }

    /// Whether it serves a fine-tuned LoRA adapter at its listed price.
    pub fn serves_lora(&self) -> bool {
        match self {
            Offer::Serverless(o) => o.lora_at_base_rate == Some(true),
            Offer::Dedicated(_, dep) => dep.lora == Some(true),
            Offer::Prediction(_) | Offer::Training(_) => false,
        }
    }

    /// Whether it runs on GPUs of its own (documented isolated replicas).
    pub fn isolated(&self) -> bool {
        match self {
            Offer::Dedicated(d, _) => d.isolated == Some(true),
            Offer::Serverless(_) | Offer::Prediction(_) | Offer::Training(_) => false,
        }
    }

    /// The vendor's dedicated terms and the deployment, for a dedicated offer.
    pub fn dedicated(&self) -> Option<(&Dedicated, &ResolvedDeployment<'_>)> {
        match self {
            Offer::Dedicated(d, dep) => Some((d, dep)),
            Offer::Serverless(_) | Offer::Prediction(_) | Offer::Training(_) => None,
        }
    }
}

/// One stream's published latency.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Latency {
    /// Time to first token, ms.
    pub ttft_ms: Option<f64>,
    /// Output tokens a second.
    pub output_tokens_per_s: Option<f64>,
}

/// An offer priced for a workload.
#[derive(Debug, Clone, Copy)]
pub struct Costed<'a> {
    /// Who sells it.
    pub vendor: &'a Vendor,
    /// What is sold.
    pub offer: Offer<'a>,
    /// $ a day.
    pub usd_per_day: f64,
    /// $ per request or episode (serving offers).
    pub usd_per_unit: Option<f64>,
    /// The replica and its daily cost (dedicated offers).
    pub dedicated: Option<(Replica, DedicatedCost)>,
}

/// The offers of the workload's acceptable models (its `model`, then its
/// `substitutes`) from every vendor (its own resolved deployments only),
/// and the vendors that have none. Training offers are of the first choice
/// only: a substitute stands in for serving.
pub fn offers<'a>(
    resolved: &'a ResolvedWorkload<'a>,
    vendors: &'a [Vendor],
) -> (Vec<(&'a Vendor, Offer<'a>)>, Vec<Unserved>) {
    let workload = resolved.workload;
    let mut found = Vec::new();
    let mut unserved = Vec::new();
    for v in vendors {
        let before = found.len();
        for m in workload.models() {
            serving_offers(v, m, resolved, &mut found);
        }
        if workload.training_tokens_per_day > 0.0 {
            found.extend(
                v.training
                    .iter()
                    .filter(|o| o.model == workload.model)
                    .map(|o| (v, Offer::Training(o))),
            );
        }
        if found.len() == before {
            let models: Vec<&str> = workload.models().collect();
            unserved.push(Unserved {
                vendor: v.vendor.clone(),
                reason: format!("does not offer {}", models.join(" or ")),
            });
        }
    }
    (found, unserved)
}

/// One vendor's serving offers (per token, resolved dedicated, per
/// prediction) of one model, added to `found`.
fn serving_offers<'a>(
    v: &'a Vendor,
    model: &str,
    resolved: &'a ResolvedWorkload<'a>,
    found: &mut Vec<(&'a Vendor, Offer<'a>)>,
) {
    found.extend(
        v.serverless
            .iter()
            .filter(|o| o.model == model)
            .map(|o| (v, Offer::Serverless(o))),
    );
    found.extend(
        resolved
            .of_vendor(v)
            .filter(|o| o.model == model)
            .map(|o| (v, Offer::Dedicated(o.dedicated, o))),
    );
    found.extend(
        v.predictions
            .iter()
            .filter(|o| o.model == model)
            .map(|o| (v, Offer::Prediction(o))),
    );
}

/// $ a day and $ a unit of one offer: `cost(..)`'s, bit for bit, without
/// the dedicated pool's peak (what the charts price at every sample).
pub fn usd_per_day_and_unit(
    vendor: &Vendor,
    offer: Offer,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
) -> (f64, Option<f64>) {
    match offer {
        Offer::Dedicated(d, dep) => {
            let r = demand.units_per_day;
            let usd = dedicated::usd_per_day(
                &Replica::of(d, dep),
                demand,
                weights,
                workload.traffic.target_utilization,
            );
            (usd, (r > 0.0).then(|| usd / r))
        }
        _ => {
            let c = cost(vendor, offer, workload, demand, weights);
            (c.usd_per_day, c.usd_per_unit)
        }
    }
}

/// Prices one offer for a demand spread by `weights`.
pub fn cost<'a>(
    vendor: &'a Vendor,
    offer: Offer<'a>,
    workload: &Workload,
    demand: &Demand,
    weights: &[f64; 24],
) -> Costed<'a> {
    let r = demand.units_per_day;
    let (usd_per_day, usd_per_unit, dedicated) = match offer {
        Offer::Serverless(o) => {
            let unit = per_token::usd_per_unit(o, demand);
            (r * unit, Some(unit), None)
        }
        Offer::Dedicated(d, dep) => {
            let replica = Replica::of(d, dep);
            let c = dedicated::price(
                &replica,
                demand,
                weights,
                workload.traffic.target_utilization,
            );
            let unit = (r > 0.0).then(|| c.usd_per_day / r);
            (c.usd_per_day, unit, Some((replica, c)))
        }
        Offer::Prediction(o) => {
            let unit = o.usd_per_prediction();
            (r * unit, Some(unit), None)
        }
        Offer::Training(o) => (
            workload.training_tokens_per_day * o.train_usd_per_mtok / 1e6,
            None,
            None,
        ),
    };
    Costed {
        vendor,
        offer,
        usd_per_day,
        usd_per_unit,
        dedicated,
    }
}
