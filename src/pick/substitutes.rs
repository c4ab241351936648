//! Substitute models (part of the pick stage: price -> **pick**): a
//! workload lists the models that would also do (`substitutes`, after its
//! `model`, in order of preference); their offers are priced beside the
//! first choice's. This module holds the three rules that read that order,
//! over any list of options, so that the engine (on its records) and the
//! report (on the priced rows) apply the same ones:
//!
//! - the pick is made among the options of the first acceptable model that
//!   has an eligible serving option ([`preferred_model`]);
//! - a dedicated option is measured (crossover, break-even) against the
//!   cheapest eligible per-token offer of its own model; for the first
//!   choice with none, against the cheapest eligible per-token offer of a
//!   substitute ([`comparator`]);
//! - the contract's [`Substitutes`] note says what the first choice lacks
//!   and what the cheapest acceptable alternative costs ([`note`]).

use crate::contract::{OfferKind, PricedOption, Substitutes};
use crate::profile::Workload;

/// What the rules need to know of one option.
pub(crate) trait Candidate {
    /// Its model id.
    fn model(&self) -> &str;
    /// Its kind of offer.
    fn kind(&self) -> OfferKind;
    /// Whether it meets every requirement.
    fn eligible(&self) -> bool;
    /// What it costs, in any unit shared by the options of one workload.
    fn cost(&self) -> f64;
}

impl Candidate for PricedOption {
    fn model(&self) -> &str {
        &self.model
    }
    fn kind(&self) -> OfferKind {
        self.offer
    }
    fn eligible(&self) -> bool {
        PricedOption::eligible(self)
    }
    fn cost(&self) -> f64 {
        self.usd_per_month
    }
}

/// The first acceptable model (`model`, then `substitutes`) with an
/// eligible serving option; the first choice when none has one.
pub(crate) fn preferred_model<'w, C: Candidate>(workload: &'w Workload, options: &[C]) -> &'w str {
    workload
        .models()
        .find(|m| {
            options
                .iter()
                .any(|o| o.model() == *m && o.eligible() && o.kind() != OfferKind::Training)
        })
        .unwrap_or(&workload.model)
}

/// The index of the per-token offer a dedicated option of `model` is
/// measured against: the cheapest eligible per-token offer of `model`;
/// for the first choice with none, the cheapest eligible per-token offer
/// of any substitute.
pub(crate) fn comparator<C: Candidate>(
    workload: &Workload,
    options: &[C],
    model: &str,
) -> Option<usize> {
    let cheapest = |of: &dyn Fn(&str) -> bool| {
        (0..options.len())
            .filter(|&i| {
                let o = &options[i];
                o.eligible() && o.kind() == OfferKind::Serverless && of(o.model())
            })
            .min_by(|&a, &b| options[a].cost().total_cmp(&options[b].cost()))
    };
    cheapest(&|m| m == model).or_else(|| {
        (model == workload.model)
            .then(|| cheapest(&|m| m != workload.model && workload.accepts(m)))
            .flatten()
    })
}

/// The contract's note on substitutes; `None` when the workload lists none.
/// `options` are the workload's priced rows.
pub(crate) fn note(workload: &Workload, options: &[PricedOption]) -> Option<Substitutes> {
    if workload.substitutes.is_empty() {
        return None;
    }
    let first = workload.model.as_str();
    let own_per_token = options
        .iter()
        .any(|o| o.model == first && o.eligible() && o.offer == OfferKind::Serverless);
    let alternative = super::cheapest_serving(options, |o| o.model != first);
    Some(Substitutes {
        models: workload.substitutes.clone(),
        first_choice_per_token: own_per_token,
        crossover_against: comparator(workload, options, first).map(|i| options[i].key()),
        cheapest_alternative: alternative.map(PricedOption::key),
        cheapest_alternative_usd_per_month: alternative.map(|o| o.usd_per_month),
    })
}

#[cfg(test)]
mod tests;
