//! The vendor profile: what a platform sells and at which price, as written in
//! `vendors/<vendor>.yaml`. Field names carry their unit; unknown fields are
//! rejected so that a typo cannot silently drop a price.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

mod dedicated;

pub use dedicated::*;

/// One vendor: its identity, sources and every offer it sells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// Id of the vendor; must equal the file stem.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Market segment.
    pub segment: Segment,
    /// One word a founder can remember.
    pub positioning: String,
    /// Date the prices were read.
    #[serde(deserialize_with = "super::date::deserialize")]
    #[schemars(with = "NaiveDate")]
    pub as_of: NaiveDate,
    /// Where the figures come from.
    pub sources: Vec<String>,
    /// Attested compliance items (`soc2-type2`, `hipaa`, ...).
    #[serde(default)]
    #[schemars(schema_with = "super::ids::compliance_schema")]
    pub compliance: Vec<String>,
    /// Compliance items the vendor states it does not offer, each with its
    /// source; an item in neither list is unknown (not verified).
    #[serde(default)]
    pub compliance_not_offered: Vec<NotOffered>,
    /// Modalities served (`text`, `image`, `audio`, ...).
    #[serde(default)]
    pub modalities: Vec<String>,
    /// Known price history.
    #[serde(default)]
    pub price_changes: Vec<PriceChange>,
    /// Per-token offers.
    #[serde(default)]
    pub serverless: Vec<ServerlessOffer>,
    /// Pay-for-GPU-time offers.
    #[serde(default)]
    pub dedicated: Option<Dedicated>,
    /// Per-prediction offers (images, audio, video).
    #[serde(default)]
    pub predictions: Vec<PredictionOffer>,
    /// Training-token offers (fine-tuning, RL).
    #[serde(default)]
    pub training: Vec<TrainingOffer>,
}

/// Market segment of a vendor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Segment {
    /// Runs its own chips (LPUs, wafers).
    CustomSilicon,
    /// Rents GPUs and serves models on them.
    GpuPlatform,
    /// Resells many models behind one API.
    ApiMarketplace,
    /// Sells training and sampling per token.
    TrainingApi,
}

/// A compliance item a vendor's own pages say it does not offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotOffered {
    /// Compliance id.
    pub item: String,
    /// The page that says so.
    pub source: String,
}

/// A dated change of a vendor's prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceChange {
    /// When the change took effect.
    #[serde(deserialize_with = "super::date::deserialize")]
    #[schemars(with = "NaiveDate")]
    pub date: NaiveDate,
    /// What changed, in words, with how well it is sourced.
    pub change: String,
    /// Where the change is reported.
    #[serde(default)]
    pub source: Option<String>,
}

/// A per-token offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerlessOffer {
    /// Canonical model id.
    pub model: String,
    /// A second price tier of the same model (`priority`, `128k`, ...).
    #[serde(default)]
    pub tier: Option<String>,
    /// $ per million uncached input tokens.
    #[schemars(range(min = 0))]
    pub input_usd_per_mtok: f64,
    /// $ per million output tokens.
    #[schemars(range(min = 0))]
    pub output_usd_per_mtok: f64,
    /// $ per million input tokens that hit the prefix cache.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub cached_input_usd_per_mtok: Option<f64>,
    /// The history of a multi-turn episode is billed at the cached rate.
    #[serde(default)]
    pub cross_turn_cache: bool,
    /// Share taken off for the batch tier.
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub batch_discount: Option<f64>,
    /// A fine-tuned LoRA of this model costs the same per token: `true`
    /// (sourced), `false` (sourced: it does not), absent (unknown).
    #[serde(default)]
    pub lora_at_base_rate: Option<bool>,
    /// Time to first token, milliseconds.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub ttft_ms: Option<f64>,
    /// Decode speed of one stream, tokens per second.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub output_tokens_per_s: Option<f64>,
    /// Longest prompt plus output the offer accepts.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub context_tokens: Option<u64>,
    /// The vendor deprecated this offer on this date (it still runs).
    #[serde(default, deserialize_with = "super::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub deprecated_on: Option<NaiveDate>,
    /// The vendor stops (or stopped) serving this offer on this date.
    #[serde(default, deserialize_with = "super::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub retired_on: Option<NaiveDate>,
    /// A person checked these figures on the vendor's own page: a price-map
    /// import keeps them and reports any disagreement.
    #[serde(default)]
    pub pinned: bool,
    /// Set by the resolve stage when a price in `infercost.toml` replaced
    /// this offer's rates (never read from a profile).
    #[serde(skip)]
    #[schemars(skip)]
    pub your_price: Option<YourPrice>,
    /// Committed spends on this offer: set by the resolve stage from
    /// `[[commitment]]` entries with a `model` in `infercost.toml` (never
    /// read from a profile: no vendor publishes such terms yet).
    #[serde(skip)]
    #[schemars(skip)]
    pub spend_commitments: Vec<SpendCommitment>,
}

/// A committed spend on a per-token offer: `usd_per_month` owed every month
/// of `term_months` whether used or not, and `discount` off the offer's
/// rates on all of its use (use beyond the commitment is billed at the
/// discounted rates).
#[derive(Debug, Clone, PartialEq)]
pub struct SpendCommitment {
    /// Length of the term, months; at least 1.
    pub term_months: u32,
    /// $ committed a month.
    pub usd_per_month: f64,
    /// Share off the offer's rates, in [0, 1].
    pub discount: f64,
    /// Where the terms come from (the config file and line).
    pub source: String,
}

impl ServerlessOffer {
    /// A plain per-token offer: input and output rates, nothing optional.
    pub fn new(
        model: impl Into<String>,
        input_usd_per_mtok: f64,
        output_usd_per_mtok: f64,
    ) -> Self {
        ServerlessOffer {
            model: model.into(),
            tier: None,
            input_usd_per_mtok,
            output_usd_per_mtok,
            cached_input_usd_per_mtok: None,
            cross_turn_cache: false,
            batch_discount: None,
            lora_at_base_rate: None,
            ttft_ms: None,
            output_tokens_per_s: None,
            context_tokens: None,
            deprecated_on: None,
            retired_on: None,
            pinned: false,
            your_price: None,
            spend_commitments: Vec::new(),
        }
    }
}

/// A per-prediction offer (image, audio, video).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PredictionOffer {
    /// Canonical model id.
    pub model: String,
    /// Modality of the output.
    pub modality: String,
    /// $ per prediction.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub usd_per_prediction: Option<f64>,
    /// Seconds one prediction runs (with `usd_per_second`).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub seconds_per_prediction: Option<f64>,
    /// $ per second of run time (with `seconds_per_prediction`).
    #[serde(default)]
    pub usd_per_second: Option<f64>,
    /// The vendor deprecated this offer on this date (it still runs).
    #[serde(default, deserialize_with = "super::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub deprecated_on: Option<NaiveDate>,
    /// The vendor stops (or stopped) serving this offer on this date.
    #[serde(default, deserialize_with = "super::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub retired_on: Option<NaiveDate>,
}

impl PredictionOffer {
    /// $ per prediction, whichever way it was written.
    pub fn usd_per_prediction(&self) -> f64 {
        self.usd_per_prediction
            .or(match (self.seconds_per_prediction, self.usd_per_second) {
                (Some(s), Some(p)) => Some(s * p),
                _ => None,
            })
            .unwrap_or(0.0)
    }
}

/// A training-token offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingOffer {
    /// Canonical model id.
    pub model: String,
    /// Price tier (context length) where the vendor lists several.
    #[serde(default)]
    pub tier: Option<String>,
    /// $ per million training tokens.
    #[schemars(range(min = 0))]
    pub train_usd_per_mtok: f64,
    /// The vendor deprecated this offer on this date (it still runs).
    #[serde(default, deserialize_with = "super::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub deprecated_on: Option<NaiveDate>,
    /// The vendor stops (or stopped) serving this offer on this date.
    #[serde(default, deserialize_with = "super::date::deserialize_opt")]
    #[schemars(with = "Option<NaiveDate>")]
    pub retired_on: Option<NaiveDate>,
}
