//! Verdicts as data: why an option cannot serve a workload ([`Exclusion`]),
//! what warns without excluding ([`Flag`]), which requirement each
//! exclusion breaks ([`Requirement`]), and where a dedicated option beats
//! per-token pricing (`Crossover`, with its words beside it). Part of the pick stage (load ->
//! resolve -> price -> **pick** -> render -> write): the judge and the
//! simulation check build these values, every decision (ties, lifecycle
//! notes, requirement costs, budget re-judging, the pick's budget verdict,
//! the diff) reads them, and the words are made only in
//! `verdict/words.rs`, where output is made (the JSON contract serializes
//! each value as its sentence). It imports no stage but the number formats
//! and the compliance items' names.
//!
//! To add a kind of exclusion or flag: add a variant here, its sentence in
//! `verdict/words.rs`, and (for an exclusion) its requirement in
//! [`Exclusion::requirement`]; the compiler lists every match to extend.

use chrono::NaiveDate;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

mod crossover;
mod words;

pub(crate) use crossover::Crossover;
pub use words::joined;

/// A requirement of the workload that an exclusion breaks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Requirement {
    /// One compliance item (`hipaa`, `soc2-type2`, …).
    Compliance(String),
    /// Isolated GPUs.
    Isolated,
    /// Fine-tuned (LoRA) models.
    FineTuned,
    /// A largest time to first token.
    MaxTtft,
    /// A smallest decode speed of one stream.
    MinOutputSpeed,
    /// What the offer serves: model, modality, context length.
    Fit,
    /// A GPU rate the vendor's profile does not mark a placeholder.
    VerifiedPrice,
}

impl Requirement {
    /// The requirement's group: every compliance item is `compliance`;
    /// the others are their key (as in the contract's `requirement_costs`).
    pub fn group(&self) -> &'static str {
        match self {
            Requirement::Compliance(_) => "compliance",
            Requirement::Isolated => "isolated",
            Requirement::FineTuned => "fine_tuned",
            Requirement::MaxTtft => "max_ttft_ms",
            Requirement::MinOutputSpeed => "min_output_tokens_per_s",
            Requirement::Fit => "fit",
            Requirement::VerifiedPrice => "verified_price",
        }
    }
}

/// A required yes/no fact that nobody has sourced either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// A compliance item no page attests or denies.
    Compliance {
        /// The item's id (`hipaa`).
        item: String,
        /// The vendor's display name.
        vendor: String,
    },
    /// Whether the vendor's dedicated replicas are isolated.
    Isolation {
        /// The vendor's display name.
        vendor: String,
    },
    /// Whether a per-token offer serves LoRA adapters at the base rate.
    LoraAtBaseRate,
    /// Whether a dedicated deployment serves LoRA adapters.
    LoraServing,
    /// A GPU rate the vendor's profile marks a placeholder.
    GpuPrice {
        /// The vendor's display name.
        vendor: String,
        /// The GPU id.
        gpu: String,
    },
}

impl Unknown {
    /// The requirement whose fact is unknown.
    pub fn requirement(&self) -> Requirement {
        match self {
            Unknown::Compliance { item, .. } => Requirement::Compliance(item.clone()),
            Unknown::Isolation { .. } => Requirement::Isolated,
            Unknown::LoraAtBaseRate | Unknown::LoraServing => Requirement::FineTuned,
            Unknown::GpuPrice { .. } => Requirement::VerifiedPrice,
        }
    }
}

/// Why an option cannot serve the workload.
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusion {
    /// The vendor states it does not offer a required compliance item.
    NotOffered {
        /// The item's id.
        item: String,
        /// The vendor's display name.
        vendor: String,
        /// The page that says so.
        source: String,
    },
    /// A required fact is unknown and `--allow-unverified` was not given.
    Unverified(Unknown),
    /// The vendor states its dedicated replicas share hardware.
    SharesHardware {
        /// The vendor's display name.
        vendor: String,
    },
    /// A shared (per-token, per-prediction, training) offer; isolation required.
    SharedInfrastructure,
    /// A per-token offer without fine-tuned LoRA at the base rate.
    NoLoraAtBaseRate,
    /// A dedicated deployment that does not serve LoRA adapters.
    NoLoraServing,
    /// A per-prediction offer: no fine-tuned models.
    NoFineTunedPredictions,
    /// The workload's context does not fit the offer's.
    Context {
        /// Context tokens the workload needs.
        needed: f64,
        /// Context tokens the offer accepts.
        accepts: f64,
    },
    /// A dedicated replica cannot hold the workload's longest context:
    /// the model's own limit, or one stream's KV cache against the
    /// replica's memory (the resolve stage's verdict, carried as it is).
    NoFit(crate::capacity::NoFit),
    /// The offer does not produce the workload's modality.
    Modality {
        /// The workload's modality.
        modality: String,
    },
    /// The published time to first token breaks the requirement.
    Ttft {
        /// The offer's, ms.
        ms: f64,
        /// The requirement's, ms.
        max_ms: f64,
    },
    /// Too many requests wait for a scale-to-zero cold start for a TTFT requirement.
    ColdStarts {
        /// Share of requests that wait.
        share: f64,
        /// Largest share the requirement allows.
        max_share: f64,
    },
    /// One stream decodes slower than required.
    OutputSpeed {
        /// Tokens a second of one stream.
        tokens_per_s: f64,
        /// The requirement's.
        min: f64,
        /// For a deployment whose throughput infercost derived (not the
        /// vendor's figure): GPUs per replica and GPU id.
        derived_on: Option<(u32, String)>,
    },
    /// More replicas at peak than infercost prices.
    TooManyReplicas {
        /// Replicas at peak (`u32::MAX` when saturated).
        peak: u32,
        /// The most infercost prices.
        most: u32,
    },
    /// The offer is retired on the report date.
    Retired {
        /// The retirement date.
        on: NaiveDate,
    },
}

impl Exclusion {
    /// The requirement this exclusion breaks; `None` for what no
    /// requirement asks (a retired offer, too many replicas).
    pub fn requirement(&self) -> Option<Requirement> {
        Some(match self {
            Exclusion::NotOffered { item, .. } => Requirement::Compliance(item.clone()),
            Exclusion::Unverified(u) => u.requirement(),
            Exclusion::SharesHardware { .. } | Exclusion::SharedInfrastructure => {
                Requirement::Isolated
            }
            Exclusion::NoLoraAtBaseRate
            | Exclusion::NoLoraServing
            | Exclusion::NoFineTunedPredictions => Requirement::FineTuned,
            Exclusion::Context { .. } | Exclusion::NoFit(_) | Exclusion::Modality { .. } => {
                Requirement::Fit
            }
            Exclusion::Ttft { .. } | Exclusion::ColdStarts { .. } => Requirement::MaxTtft,
            Exclusion::OutputSpeed { .. } => Requirement::MinOutputSpeed,
            Exclusion::TooManyReplicas { .. } | Exclusion::Retired { .. } => return None,
        })
    }
}

/// Where a dedicated deployment's throughput comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThroughputOrigin {
    /// The vendor's profile figures.
    Vendor,
    /// A measured point of the capacity catalog.
    Measured,
    /// Estimated from the capacity catalog.
    Estimated,
}

impl ThroughputOrigin {
    /// The contract's name: `vendor`, `measured` or `estimated`.
    pub fn as_str(self) -> &'static str {
        match self {
            ThroughputOrigin::Vendor => "vendor",
            ThroughputOrigin::Measured => "measured",
            ThroughputOrigin::Estimated => "estimated",
        }
    }

    /// Where a resolved deployment's figures come from.
    pub fn of(throughput: &crate::resolve::ThroughputBand) -> ThroughputOrigin {
        match throughput.basis() {
            Some(crate::capacity::Basis::Estimated { .. }) => ThroughputOrigin::Estimated,
            Some(crate::capacity::Basis::Measured { .. }) => ThroughputOrigin::Measured,
            None => ThroughputOrigin::Vendor,
        }
    }
}

/// Which method bills a scaled pool (`closed-form`, `simulation` in the JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// The pool's closed form.
    ClosedForm,
    /// The seeded simulation (the closed form was off beyond the bound).
    Simulation,
}

/// Fewest simulated arrivals that may re-bill an option: below, a day's
/// bill turns on a handful of cold starts, and the spread of the check's
/// days understates the noise (3 requests a day were re-billed at half
/// their cost by a 12-arrival check, so the cost fell as volume rose; a
/// second read). 1,000 Poisson arrivals leave about ±6% of noise in the
/// count.
pub const MIN_ARRIVALS_TO_REBILL: u64 = 1_000;

/// A scaled pick checked by the simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoolCheck {
    /// Which method bills the option.
    pub billed_by: Method,
    /// Days simulated.
    pub days: u32,
    /// The simulation's seed.
    pub seed: u64,
    /// Largest relative difference at which the closed form stands.
    pub bound: f64,
    /// Closed form's billed replica-hours over the simulation's, minus 1.
    pub difference: f64,
    /// Arrivals the simulation served over its days.
    pub arrivals: u64,
    /// Half the simulation's 95% interval of the billed replica-hours, as
    /// a share of its mean: the closed form stands within `bound` plus it.
    pub noise: f64,
}

/// A warning that does not exclude.
#[derive(Debug, Clone, PartialEq)]
pub enum Flag {
    /// No published figure to check a latency requirement against.
    UnverifiedLatency {
        /// The time to first token is missing.
        ttft: bool,
        /// The output speed is missing.
        speed: bool,
    },
    /// Costs more a month than the workload's budget.
    OverBudget {
        /// The option's $ a month.
        usd_per_month: f64,
        /// The budget, $ a month.
        budget: f64,
    },
    /// The vendor deprecated the offer on this date (on or before the report date).
    Deprecated {
        /// The deprecation date.
        on: NaiveDate,
    },
    /// The offer retires soon after the report date.
    Retires {
        /// The retirement date.
        on: NaiveDate,
    },
    /// An unknown required fact, admitted by `--allow-unverified`.
    Admitted(Unknown),
    /// The vendor's prices are stale.
    Stale {
        /// The vendor's `as_of`.
        as_of: NaiveDate,
    },
    /// Where the deployment's throughput comes from.
    Throughput(ThroughputOrigin),
    /// The simulation check of a scaled pick.
    Pool(PoolCheck),
    /// A scaled pool billed by its closed form and not simulated (every
    /// option the pick's check does not reach).
    PoolClosedForm,
    /// A scaled pool whose idle timeout is outside the range the closed
    /// form is checked on against the simulation
    /// ([`crate::model::pool::CHECKED_IDLE_TIMEOUT_S`]): its bill may be
    /// far off, and `infercost simulate` gives the simulated one.
    PoolOutsideCheckedRange {
        /// The pool's idle timeout, seconds.
        idle_timeout_s: f64,
    },
    /// A price of the user's own (`infercost.toml`) replaced the list price.
    YourPrice {
        /// The config file's name.
        file: String,
        /// The line of its entry.
        line: usize,
    },
}

impl Flag {
    /// A deprecation or retirement date.
    pub fn is_lifecycle(&self) -> bool {
        matches!(self, Flag::Deprecated { .. } | Flag::Retires { .. })
    }

    /// The workload's budget exceeded.
    pub fn is_over_budget(&self) -> bool {
        matches!(self, Flag::OverBudget { .. })
    }
}

/// Why an option cannot serve the workload (no exclusions when it can),
/// and the flags that warn without excluding.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    /// Why it is excluded.
    pub exclusions: Vec<Exclusion>,
    /// Warnings.
    pub flags: Vec<Flag>,
    /// Required facts nobody has sourced either way; [`Verdict::settle`]
    /// makes them exclusions, or flags when admitted.
    pub unverified: Vec<Unknown>,
}

impl Verdict {
    /// Meets every requirement.
    pub fn eligible(&self) -> bool {
        self.exclusions.is_empty()
    }

    /// The requirement behind each exclusion that has one, in order.
    pub fn excluded_by(&self) -> impl Iterator<Item = Requirement> + '_ {
        self.exclusions.iter().filter_map(Exclusion::requirement)
    }

    /// Unverified facts exclude, unless `admit` (`--allow-unverified`):
    /// then the option stays eligible, flagged.
    pub fn settle(&mut self, admit: bool) {
        for unknown in std::mem::take(&mut self.unverified) {
            if admit {
                self.flags.push(Flag::Admitted(unknown));
            } else {
                self.exclusions.push(Exclusion::Unverified(unknown));
            }
        }
    }

    /// Sets the cold-start exclusion to `exclusion` (none with `None`): the
    /// pool's share judged again where the simulation bills the option.
    pub fn set_cold_starts(&mut self, exclusion: Option<Exclusion>) {
        self.exclusions
            .retain(|e| !matches!(e, Exclusion::ColdStarts { .. }));
        self.exclusions.extend(exclusion);
    }

    /// Whether the option is flagged over the workload's budget.
    pub fn over_budget(&self) -> bool {
        self.flags.iter().any(Flag::is_over_budget)
    }

    /// Sets the over-budget flag to `flag`: replaced where it was, removed
    /// when `None`, appended when new.
    pub fn set_over_budget(&mut self, flag: Option<Flag>) {
        let at = self.flags.iter().position(Flag::is_over_budget);
        match (at, flag) {
            (Some(at), Some(flag)) => self.flags[at] = flag,
            (Some(at), None) => {
                self.flags.remove(at);
            }
            (None, flag) => self.flags.extend(flag),
        }
    }
}

/// In the contract: `eligible`, `reasons` and `excluded_by` (requirement
/// keys, `compliance:hipaa`) and `flags`, each value as its sentence.
impl Serialize for Verdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let keys: Vec<String> = self.excluded_by().map(|r| r.to_string()).collect();
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("eligible", &self.eligible())?;
        map.serialize_entry("reasons", &self.exclusions)?;
        map.serialize_entry("excluded_by", &keys)?;
        map.serialize_entry("flags", &self.flags)?;
        map.end()
    }
}

impl Serialize for Exclusion {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Flag {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for ThroughputOrigin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
