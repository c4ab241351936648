//! `infercost import`: community price maps (pydantic/genai-prices,
//! LiteLLM) into the per-token serverless offers of the vendor profiles.
//! A side path beside the report pipeline: map text -> entries
//! (`genai.rs`, `litellm.rs`) -> a plan per vendor (`plan.rs`) -> line-level
//! edits of the YAML (`edit.rs`) -> the new texts, checked by the profile
//! parser before anything is written (the CLI writes them).
//!
//! The maps are the source of record for the figures they cover (input,
//! cached input and output prices, context, batch discount, priority tier,
//! retirement date); everything else in a profile is never touched, and a
//! line is rewritten only when its value changes.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::catalog::PriceMap;
use crate::profile::visible;

mod edit;
mod figure;
mod genai;
mod litellm;
mod plan;

pub(crate) use plan::{plan, Options, Vendors};

/// Prices per million tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Prices {
    /// $ per 1M uncached input tokens.
    pub input: f64,
    /// $ per 1M output tokens.
    pub output: f64,
    /// $ per 1M cached input tokens, when the map lists one.
    pub cached: Option<f64>,
}

/// A dated change of an entry's prices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DatedPrices {
    /// When the new prices start.
    pub date: NaiveDate,
    /// The prices before.
    pub before: Prices,
    /// The prices from `date`.
    pub after: Prices,
}

/// One model of one provider in a price map, as in force on the report date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// Which map.
    pub map: PriceMap,
    /// The map's provider id (`fireworks`, `together_ai`).
    pub provider: String,
    /// The map's id of the model, as the catalog writes it (`fireworks/kimi-k3`).
    pub id: String,
    /// The prices in force on the report date.
    pub prices: Prices,
    /// Start date of those prices, when the map dates them.
    pub since: Option<NaiveDate>,
    /// Priority-tier prices.
    pub priority: Option<Prices>,
    /// Batch-tier prices.
    pub batch: Option<Prices>,
    /// Context length (genai-prices `context_window`, LiteLLM `max_input_tokens`).
    pub context_tokens: Option<u64>,
    /// The date the vendor stops serving it (LiteLLM `deprecation_date`).
    pub retired_on: Option<NaiveDate>,
    /// Flagged deprecated without a date (genai-prices `deprecated`).
    pub deprecated: bool,
    /// Dated price changes on or before the report date.
    pub changes: Vec<DatedPrices>,
    /// Dated price changes after the report date (reported, not applied).
    pub scheduled: Vec<DatedPrices>,
}

/// A map as read: the entries imported, and those refused one by one
/// (the rest of the map is imported; each refusal is reported).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Parsed {
    /// Entries of the covered providers, priced on the report date.
    pub entries: Vec<Entry>,
    /// Entries left out, each with why.
    pub refused: Vec<Refusal>,
}

/// One map entry left out of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The map's id of the entry, or its key (LiteLLM), as the map writes it.
    pub id: String,
    /// Why.
    pub why: Refused,
}

/// Why a map entry was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The key's provider prefix (`together_ai/`) names another provider than
    /// its `litellm_provider`, which routes it: one of the two is wrong.
    ProviderMismatch {
        /// The prefix of the key.
        prefix: String,
        /// The `litellm_provider` field.
        provider: String,
    },
    /// The map lists the id more than once: which copy is meant is unknown.
    Duplicate {
        /// How many times.
        count: usize,
    },
    /// More dated prices than [`MAX_DATED_PRICES`].
    TooManyDatedPrices {
        /// How many.
        count: usize,
    },
    /// Two dated prices start on the same date: which is in force is unknown.
    SameStartDate {
        /// The date.
        date: NaiveDate,
    },
}

/// Most dated prices an entry may list (genai-prices lists one to three): a
/// longer history is refused rather than added to `price_changes`, which
/// would otherwise grow without bound from one map.
pub(crate) const MAX_DATED_PRICES: usize = 16;

/// Largest map file read, checked before reading: the real maps are a few
/// MB (LiteLLM 1.110.2: 1.4 MB).
pub(crate) const MAX_MAP_BYTES: u64 = 64 << 20;

/// Bad input: which file and entry, and what is wrong. Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {entry}{message}")]
pub struct ImportError {
    /// The file.
    pub file: String,
    /// The entry (`providers[3].models[7] (fireworks/kimi-k3): `), or empty.
    pub entry: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl ImportError {
    /// An error in `file`, at `entry` (may be empty). The three are made
    /// visible (control characters written as `\u{..}`): a map's ids and
    /// values (and a file name) reach terminals and CI logs, where a raw line
    /// break could start a workflow command and an escape sequence drive the
    /// terminal.
    pub fn new(file: &str, entry: impl Into<String>, message: impl Into<String>) -> Self {
        let entry = visible(&entry.into());
        ImportError {
            file: visible(file),
            entry: if entry.is_empty() {
                entry
            } else {
                format!("{entry}: ")
            },
            message: visible(&message.into()),
        }
    }
}

/// Largest price per million tokens accepted from a map: above any real
/// offer (the dearest text models list tens to hundreds of dollars), so a
/// figure beyond it is a unit slip or a typo.
pub(crate) const MAX_USD_PER_MTOK: f64 = 10_000.0;

/// A price from a map: finite, non-negative and not absurd.
pub(crate) fn check_price(
    file: &str,
    entry: &str,
    field: &str,
    v: f64,
) -> Result<f64, ImportError> {
    if !v.is_finite() || v < 0.0 {
        return Err(ImportError::new(
            file,
            entry,
            format!("{field} is {v}; expected a finite price of 0 or more"),
        ));
    }
    if v > MAX_USD_PER_MTOK {
        return Err(ImportError::new(
            file,
            entry,
            format!("{field} is ${v} per 1M tokens, above the ${MAX_USD_PER_MTOK} any real offer costs: check the map's units"),
        ));
    }
    Ok(v)
}

/// Parses a map file into entries, priced on `date`.
pub(crate) fn parse(
    map: PriceMap,
    file: &str,
    text: &str,
    date: NaiveDate,
) -> Result<Parsed, ImportError> {
    match map {
        PriceMap::GenaiPrices => genai::parse(file, text, date),
        PriceMap::Litellm => litellm::parse(file, text, date),
    }
}

/// Removes the entries whose id the map lists more than once (`counts`,
/// by id; for genai-prices the entries themselves), one refusal per id.
pub(crate) fn refuse_duplicates(
    entries: &mut Vec<Entry>,
    counts: Option<&BTreeMap<String, usize>>,
) -> Vec<Refusal> {
    let own: BTreeMap<String, usize> = entries.iter().fold(BTreeMap::new(), |mut c, e| {
        *c.entry(e.id.clone()).or_insert(0) += 1;
        c
    });
    let counts = counts.unwrap_or(&own);
    let mut refused: Vec<Refusal> = Vec::new();
    entries.retain(|e| match counts.get(&e.id) {
        Some(&count) if count > 1 => {
            if !refused.iter().any(|r| r.id == e.id) {
                refused.push(Refusal {
                    id: e.id.clone(),
                    why: Refused::Duplicate { count },
                });
            }
            false
        }
        _ => true,
    });
    refused
}

/// Parses JSON text, naming line and column of a syntax error (a truncated file).
pub(crate) fn json(
    file: &str,
    text: &str,
    expected: &str,
) -> Result<serde_json::Value, ImportError> {
    serde_json::from_str(text).map_err(|e| {
        ImportError::new(
            &format!("{file}:{}:{}", e.line(), e.column()),
            "",
            format!("not valid JSON ({e}); expected {expected}. A truncated download ends like this: fetch the file again"),
        )
    })
}
