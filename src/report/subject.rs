//! One workload as the renderers see it: its result from the engine, its
//! profile, and each priced option paired with the vendor and offer it came
//! from, so that charts and the Method section can call the model again
//! (cost at another volume, utilization or number of turns).

use crate::contract::{OfferKind, OptionKey, PricedOption, WorkloadResult};
use crate::model::dedicated::Replica;
use crate::model::{traffic, Demand};
use crate::price::{self, Offer};
use crate::profile::{Vendor, Workload};

/// One option of the result with the profile entries it was priced from.
#[derive(Debug, Clone, Copy)]
pub struct Priced<'a> {
    /// The option as the engine priced it.
    pub option: &'a PricedOption,
    /// The vendor that sells it.
    pub vendor: &'a Vendor,
    /// The offer in the vendor profile.
    pub offer: Offer<'a>,
}

impl Priced<'_> {
    /// The replica of a dedicated option.
    pub fn replica(&self) -> Option<Replica> {
        match self.offer {
            Offer::Dedicated(d, dep) => Some(Replica::of(d, dep)),
            _ => None,
        }
    }
}

/// A workload with everything a renderer needs to recompute its figures.
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
    /// Every option of the result that could be traced to its offer, in the
    /// result's order (by $/month).
    pub options: Vec<Priced<'a>>,
}

impl<'a> Subject<'a> {
    /// Pairs the options of `result` with the offers of `vendors`.
    pub fn new(result: &'a WorkloadResult, workload: &'a Workload, vendors: &'a [Vendor]) -> Self {
        let (offers, _) = price::offers(workload, vendors);
        let options = result
            .options
            .iter()
            .filter_map(|o| {
                offers
                    .iter()
                    .find(|(v, offer)| same_offer(o, v, offer))
                    .map(|&(vendor, offer)| Priced {
                        option: o,
                        vendor,
                        offer,
                    })
            })
            .collect();
        Subject {
            result,
            workload,
            demand: Demand::of(workload),
            weights: traffic::weights(&workload.traffic),
            options,
        }
    }

    /// The option the pick names as primary.
    pub fn primary(&self) -> Option<Priced<'a>> {
        self.find(self.result.pick.primary.as_ref())
    }

    /// The option the pick names as runner-up.
    pub fn runner_up(&self) -> Option<Priced<'a>> {
        self.find(self.result.pick.runner_up.as_ref())
    }

    fn find(&self, key: Option<&OptionKey>) -> Option<Priced<'a>> {
        let key = key?;
        self.options.iter().find(|p| p.option.is(key)).copied()
    }

    /// The cheapest eligible per-token option: what dedicated options are measured against.
    pub fn cheapest_per_token(&self) -> Option<Priced<'a>> {
        self.eligible(OfferKind::Serverless).next().copied()
    }

    /// Serving options (everything but training), in $/month order.
    pub fn serving(&self) -> impl Iterator<Item = &Priced<'a>> {
        self.options
            .iter()
            .filter(|p| p.option.offer != OfferKind::Training)
    }

    /// Eligible serving options of one kind, in $/month order.
    pub fn eligible(&self, kind: OfferKind) -> impl Iterator<Item = &Priced<'a>> {
        self.serving()
            .filter(move |p| p.option.eligible && p.option.offer == kind)
    }

    /// "request" or "episode".
    pub fn unit_word(&self) -> &'static str {
        self.result.unit.as_str()
    }
}

fn same_offer(o: &PricedOption, v: &Vendor, offer: &Offer) -> bool {
    if o.vendor != v.vendor || o.offer != offer.kind() || o.tier.as_deref() != offer.tier() {
        return false;
    }
    match offer {
        Offer::Dedicated(_, dep) => {
            o.gpu.as_deref() == Some(dep.gpu.as_str())
                && o.gpus_per_replica == Some(dep.gpus_per_replica)
        }
        _ => true,
    }
}
