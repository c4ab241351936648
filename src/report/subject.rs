//! One workload as the renderers see it: its result from the engine and the
//! engine's pricing of it, each priced option beside the costed offer it was
//! derived from, so that charts and the Method section can call the model
//! again (cost at another volume, utilization or number of turns) without
//! pricing, pairing or recomputing anything themselves.

use crate::contract::{OfferKind, OptionKey, PricedOption, WorkloadResult};
use crate::engine::Pricing;
use crate::model::dedicated::Replica;
use crate::model::Demand;
use crate::price::{Costed, Offer};
use crate::profile::{Vendor, Workload};

/// One option of the result with the costed offer it was derived from.
#[derive(Debug, Clone, Copy)]
pub struct PricedOffer<'a> {
    /// The option as the engine priced it.
    pub option: &'a PricedOption,
    /// The vendor that sells it.
    pub vendor: &'a Vendor,
    /// The offer in the vendor profile.
    pub offer: Offer<'a>,
    /// The engine's costed result (unrounded).
    pub costed: &'a Costed<'a>,
}

impl crate::pick::substitutes::Candidate for PricedOffer<'_> {
    fn model(&self) -> &str {
        &self.option.model
    }
    fn kind(&self) -> OfferKind {
        self.option.offer
    }
    fn eligible(&self) -> bool {
        self.option.eligible() && self.option.offer != OfferKind::Training
    }
    fn cost(&self) -> f64 {
        self.option.usd_per_month
    }
}

impl PricedOffer<'_> {
    /// The replica of a dedicated option.
    pub fn replica(&self) -> Option<Replica> {
        self.costed.dedicated.map(|(r, _)| r)
    }
}

/// A workload with everything a renderer needs.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    /// The engine's result.
    pub result: &'a WorkloadResult,
    /// The workload profile.
    pub workload: &'a Workload,
    /// Its demand.
    pub demand: Demand,
    /// Its 24 hourly traffic weights.
    pub weights: [f64; 24],
    /// Every option of the result, in the result's order (by $/month).
    pub options: Vec<PricedOffer<'a>>,
}

impl<'a> Subject<'a> {
    /// Pairs the options of `result` with the costed offers they were derived from.
    pub fn new(result: &'a WorkloadResult, pricing: &'a Pricing<'a>) -> Self {
        let options = result
            .options
            .iter()
            .zip(&pricing.costed)
            .map(|(option, costed)| PricedOffer {
                option,
                vendor: costed.vendor,
                offer: costed.offer,
                costed,
            })
            .collect();
        Subject {
            result,
            workload: pricing.workload,
            demand: pricing.demand,
            weights: pricing.weights,
            options,
        }
    }
    /// The option the pick names as primary.
    pub fn primary(&self) -> Option<PricedOffer<'a>> {
        self.find(self.result.pick.primary.as_ref())
    }

    /// The option the pick names as runner-up.
    pub fn runner_up(&self) -> Option<PricedOffer<'a>> {
        self.find(self.result.pick.runner_up.as_ref())
    }

    fn find(&self, key: Option<&OptionKey>) -> Option<PricedOffer<'a>> {
        let key = key?;
        self.options.iter().find(|p| p.option.is(key)).copied()
    }

    /// The per-token option a dedicated option of `model` is measured
    /// against: the engine's rule (`pick::substitutes::comparator`).
    pub fn per_token_for(&self, model: &str) -> Option<PricedOffer<'a>> {
        let i = crate::pick::substitutes::comparator(self.workload, &self.options, model)?;
        Some(self.options[i])
    }

    /// Serving options (everything but training), in $/month order.
    pub fn serving(&self) -> impl Iterator<Item = &PricedOffer<'a>> {
        self.options
            .iter()
            .filter(|p| p.option.offer != OfferKind::Training)
    }

    /// Eligible serving options of one kind, in $/month order.
    pub fn eligible(&self, kind: OfferKind) -> impl Iterator<Item = &PricedOffer<'a>> {
        self.serving()
            .filter(move |p| p.option.eligible() && p.option.offer == kind)
    }

    /// "request" or "episode".
    pub fn unit_word(&self) -> &'static str {
        self.result.unit.as_str()
    }
}
