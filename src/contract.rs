//! The machine-readable result (`report.json`, `compare --format json`): a
//! versioned contract. Fields that do not apply are null; options are sorted
//! by usd_per_month, then by their key (vendor, offer, model, gpu,
//! gpus_per_replica, tier).

use chrono::NaiveDate;
use serde::Serialize;

use crate::verdict::Flag;

mod cold_start;
mod option;
mod recorded;

pub use cold_start::{ColdStartAllowance, ColdStartPlan, ColdStartWait, FirstHour, PoolPlan};
pub use option::{CommitmentPlan, Commits, OfferKind, OptionKey, PricedOption};
pub use recorded::{RecordedOption, RecordedPick, RecordedTraffic};

/// Version of this contract; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Every workload priced on every offer, with the picks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Version of the contract.
    pub schema_version: u32,
    /// The report date: `--as-of`, by default today (or, in a library call without one, the newest vendor `as_of`).
    pub as_of: NaiveDate,
    /// Which profiles were used: a folder, or the set embedded in the binary.
    pub profiles: String,
    /// Vendors whose prices are older than the staleness limit.
    pub stale_vendors: Vec<StaleVendor>,
    /// One entry per workload, sorted by id.
    pub workloads: Vec<WorkloadResult>,
}

/// A vendor whose `as_of` is too old.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleVendor {
    /// Vendor id.
    pub vendor: String,
    /// Its `as_of`.
    pub as_of: NaiveDate,
    /// Days between its `as_of` and the report date.
    pub age_days: i64,
}

impl StaleVendor {
    /// The flag on each of its options: `stale prices (as of 2026-01-05)`.
    pub fn flag(&self) -> Flag {
        Flag::Stale { as_of: self.as_of }
    }

    /// Its age in words: `anyscale prices are 152 days old (as of 2026-05-08)`.
    pub fn age(&self) -> String {
        format!(
            "{} prices are {} days old (as of {})",
            self.vendor, self.age_days, self.as_of
        )
    }
}

/// What a workload's volume counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// Single requests.
    Request,
    /// Multi-turn episodes.
    Episode,
}

impl UnitKind {
    /// The name used in the contract and in reports: `request` or `episode`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Request => "request",
            UnitKind::Episode => "episode",
        }
    }

    /// What arrives at a replica pool, one of them: a request, or an
    /// episode's turn (every turn is an arrival).
    pub fn arrival_word(self) -> &'static str {
        match self {
            UnitKind::Request => "request",
            UnitKind::Episode => "turn",
        }
    }
}

/// One workload, priced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadResult {
    /// Workload id.
    pub workload: String,
    /// Display name.
    pub name: String,
    /// Model id.
    pub model: String,
    /// What `units_per_day` counts.
    pub unit: UnitKind,
    /// Requests or episodes a day.
    pub units_per_day: f64,
    /// Tokens sent plus generated a day: the denominator of usd_per_mtok.
    pub tokens_per_day: f64,
    /// Every offer of the model, sorted.
    pub options: Vec<PricedOption>,
    /// Vendors that do not offer the model, with the reason.
    pub unserved: Vec<Unserved>,
    /// The primary platform and the runner-up.
    pub pick: Pick,
    /// What each requirement that excludes options costs.
    pub requirement_costs: Vec<RequirementCost>,
    /// For a workload that trains: the cheapest plan to train and serve (null otherwise).
    pub train_and_serve: Option<TrainAndServe>,
    /// The pick's cold-start plan (null unless the pick is a scaled pool).
    pub cold_start_plan: Option<ColdStartPlan>,
    /// The models that would also do and what they offer (null unless the
    /// workload lists `substitutes`).
    pub substitutes: Option<Substitutes>,
    /// Vendors with an eligible dedicated option of the picked model whose
    /// profile and config state no commitment terms for its GPU: no
    /// committed price is assumed for them (sorted, each once).
    pub no_commitment_terms: Vec<String>,
    /// The options on a recorded request log: present only when the report
    /// was asked to replay one (`report --replay LOG`), absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_traffic: Option<RecordedTraffic>,
}

/// What a workload's substitute models offer beside its first choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Substitutes {
    /// The models that would also do, in order of preference.
    pub models: Vec<String>,
    /// Whether the first choice has an eligible per-token offer.
    pub first_choice_per_token: bool,
    /// The per-token offer the first choice's dedicated options are
    /// measured against (crossover, break-even): its own cheapest eligible
    /// one, else a substitute's; null when there is none.
    pub crossover_against: Option<OptionKey>,
    /// The cheapest eligible serving option of a substitute model.
    pub cheapest_alternative: Option<OptionKey>,
    /// What it costs a month.
    pub cheapest_alternative_usd_per_month: Option<f64>,
}

/// Training and serving together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainAndServe {
    /// The cheapest training with the cheapest serving, on any vendors.
    pub cheapest: PlanPart,
    /// The cheapest with both on one vendor (null when no vendor does both).
    pub same_vendor: Option<PlanPart>,
}

/// One plan: a training option and a serving option.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanPart {
    /// The training option.
    pub training: OptionKey,
    /// The serving option.
    pub serving: OptionKey,
    /// Both, $ a month.
    pub usd_per_month: f64,
    /// The plan in words, with the hand-off when split.
    pub summary: String,
}

/// What one requirement costs: the cheapest serving option that it alone
/// excludes, and how much more the primary costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementCost {
    /// The requirement: `compliance` (every required item), `isolated`,
    /// `fine_tuned`, `max_ttft_ms` or `min_output_tokens_per_s`.
    pub requirement: String,
    /// The cheapest serving option excluded by this requirement alone.
    pub option: OptionKey,
    /// Its $ a month.
    pub usd_per_month: f64,
    /// The primary's $ a month minus that (null without a primary).
    pub extra_usd_per_month: Option<f64>,
    /// Whether that option is excluded for a fact not verified either way.
    pub unverified: bool,
    /// The sentence the report shows.
    pub summary: String,
}

impl WorkloadResult {
    /// The option the pick names as primary.
    pub fn primary(&self) -> Option<&PricedOption> {
        self.option(self.pick.primary.as_ref())
    }

    /// The option the pick names as runner-up.
    pub fn runner_up(&self) -> Option<&PricedOption> {
        self.option(self.pick.runner_up.as_ref())
    }

    /// The option that `id` names, if any.
    pub fn option(&self, key: Option<&OptionKey>) -> Option<&PricedOption> {
        let key = key?;
        self.options.iter().find(|o| o.is(key))
    }

    /// The role of `o` in the pick: `pick`, `runner-up` or empty.
    pub fn role(&self, o: &PricedOption) -> &'static str {
        if self.pick.primary.as_ref().is_some_and(|k| o.is(k)) {
            "pick"
        } else if self.pick.runner_up.as_ref().is_some_and(|k| o.is(k)) {
            "runner-up"
        } else {
            ""
        }
    }
}

/// A vendor that cannot serve the workload at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unserved {
    /// Vendor id.
    pub vendor: String,
    /// Why, in words.
    pub reason: String,
}

/// The primary platform and the runner-up from another vendor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pick {
    /// The cheapest eligible serving option.
    pub primary: Option<OptionKey>,
    /// The cheapest eligible serving option of another vendor.
    pub runner_up: Option<OptionKey>,
    /// Why the primary, in numbers.
    pub primary_reason: Option<String>,
    /// Why the runner-up, in numbers.
    pub runner_up_reason: Option<String>,
    /// The workload's budget against the pick (null when the workload
    /// states no budget or nothing is eligible).
    pub budget: Option<Budget>,
}

/// A workload's budget (`budget_usd_per_month`) against its pick: judged
/// by the options' over-budget flags (`pick::over_budget`), so that the
/// pick is over here exactly when its row is flagged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Budget {
    /// The budget, $ a month.
    pub usd_per_month: f64,
    /// What the pick costs a month.
    pub pick_usd_per_month: f64,
    /// How much more than the budget the pick costs a month (null when the
    /// pick is within it).
    pub pick_over_by_usd_per_month: Option<f64>,
    /// The cheapest eligible serving option within the budget: of the
    /// picked model if one is, else of another model the workload accepts;
    /// null when none is.
    pub cheapest_within: Option<WithinBudget>,
}

impl Budget {
    /// Whether the pick is over the budget (its row carries the
    /// over-budget flag): what the report, `compare`, `quote` and `diff`
    /// all read.
    pub fn is_over(&self) -> bool {
        self.pick_over_by_usd_per_month.is_some()
    }
}

/// An eligible serving option that costs no more than the budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithinBudget {
    /// The option.
    pub option: OptionKey,
    /// What it costs a month.
    pub usd_per_month: f64,
    /// Whether its model is one of the workload's `substitutes` rather
    /// than its first choice.
    pub substitute: bool,
}
