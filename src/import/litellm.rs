//! LiteLLM's `model_prices_and_context_window.json`: an object keyed by
//! `provider/model`, prices in USD per token (`input_cost_per_token`,
//! `cache_read_input_token_cost`, `output_cost_per_token`, with `_batches`
//! and `_priority` variants), `litellm_provider`, `max_input_tokens` and
//! `deprecation_date` (the date the model stops being served). The map has
//! no effective dates and no price history. The key's provider prefix must
//! agree with `litellm_provider`, which routes the entry to a vendor.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::{
    check_price, json, refuse_duplicates, Entry, ImportError, Parsed, Prices, Refusal, Refused,
};
use crate::catalog::{PriceMap, PROVIDERS};

const EXPECTED: &str = "LiteLLM's model_prices_and_context_window.json: an object of `provider/model` keys, each with `litellm_provider`";

/// Entries of the covered providers; a key listed twice, and a key whose
/// provider prefix and `litellm_provider` disagree, are refused.
pub(super) fn parse(file: &str, text: &str, _date: NaiveDate) -> Result<Parsed, ImportError> {
    let root = json(file, text, EXPECTED)?;
    let obj = root
        .as_object()
        .filter(|o| o.values().any(|v| v.get("litellm_provider").is_some()))
        .ok_or_else(|| {
            ImportError::new(
                file,
                "",
                format!("not the expected format; expected {EXPECTED}"),
            )
        })?;
    let (mut out, mut refused) = (Vec::new(), Vec::new());
    for (key, v) in obj {
        let Some(provider) = v.get("litellm_provider").and_then(Value::as_str) else {
            continue;
        };
        // `fireworks_ai/nomic-ai/...` of `fireworks_ai-embedding-models` agree.
        let agrees = |prefix: &str| {
            provider == prefix
                || provider
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('-'))
        };
        let prefix = key.split_once('/').map(|(p, _)| p);
        if let Some(prefix) = prefix.filter(|p| !agrees(p)) {
            if covered(prefix) || covered(provider) {
                refused.push(Refusal {
                    id: key.clone(),
                    why: Refused::ProviderMismatch {
                        prefix: prefix.to_string(),
                        provider: provider.to_string(),
                    },
                });
            }
            continue;
        }
        if !covered(provider) {
            continue;
        }
        let Some(fields) = v.as_object() else {
            continue;
        };
        let at = format!("`{key}`");
        let Some(prices) = tier(file, &at, fields, "")? else {
            continue;
        };
        let retired_on = match fields.get("deprecation_date").and_then(Value::as_str) {
            Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                ImportError::new(
                    file,
                    &at,
                    format!("deprecation_date `{s}` is not a date YYYY-MM-DD"),
                )
            })?),
            None => None,
        };
        out.push(Entry {
            map: PriceMap::Litellm,
            provider: provider.to_string(),
            id: key.clone(),
            prices,
            since: None,
            priority: tier(file, &at, fields, "_priority")?,
            batch: tier(file, &at, fields, "_batches")?,
            context_tokens: fields.get("max_input_tokens").and_then(Value::as_u64),
            retired_on,
            deprecated: false,
            changes: vec![],
            scheduled: vec![],
        });
    }
    // serde_json keeps the last of two equal keys: count them in the text.
    let counts: KeyCounts = serde_json::from_str(text)
        .map_err(|e| ImportError::new(file, "", format!("cannot list the map's keys: {e}")))?;
    refused.extend(refuse_duplicates(&mut out, Some(&counts.0)));
    Ok(Parsed {
        entries: out,
        refused,
    })
}

/// Whether the importers read this LiteLLM provider.
fn covered(provider: &str) -> bool {
    PROVIDERS
        .iter()
        .any(|(m, p, _)| *m == PriceMap::Litellm && *p == provider)
}

/// How many times each top-level key of a JSON object is written.
struct KeyCounts(BTreeMap<String, usize>);

impl<'de> Deserialize<'de> for KeyCounts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(KeyCounter)
    }
}

struct KeyCounter;

impl<'de> Visitor<'de> for KeyCounter {
    type Value = KeyCounts;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyCounts, A::Error> {
        let mut counts = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            *counts.entry(key).or_insert(0) += 1;
        }
        Ok(KeyCounts(counts))
    }
}

/// The prices of one tier (`""`, `"_priority"`, `"_batches"`) per 1M tokens.
fn tier(
    file: &str,
    at: &str,
    f: &Map<String, Value>,
    suffix: &str,
) -> Result<Option<Prices>, ImportError> {
    let get = |key: &str| -> Result<Option<f64>, ImportError> {
        let key = format!("{key}{suffix}");
        match f.get(&key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => {
                let per_token = n.as_f64().unwrap_or(f64::NAN);
                check_price(file, at, &key, per_token * 1e6).map(Some)
            }
            Some(_) => Err(ImportError::new(
                file,
                at,
                format!("`{key}` is not a number"),
            )),
        }
    };
    let (Some(input), Some(output)) = (get("input_cost_per_token")?, get("output_cost_per_token")?)
    else {
        return Ok(None);
    };
    Ok(Some(Prices {
        input,
        output,
        cached: get("cache_read_input_token_cost")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_token_prices_become_per_million_with_batch_and_priority_tiers() {
        // Synthetic entry (no covered provider of LiteLLM 1.110.2 has `_batches`):
        // 1.5e-07 per token = $0.15 per 1M; batches half of it.
        let text = r#"{"groq/openai/gpt-oss-120b": {"litellm_provider": "groq",
            "input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07,
            "input_cost_per_token_batches": 7.5e-08, "output_cost_per_token_batches": 3e-07,
            "input_cost_per_token_priority": 1.8e-07, "output_cost_per_token_priority": 7.2e-07,
            "max_input_tokens": 131072, "deprecation_date": "2027-01-31"}}"#;
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let e = &parse("m.json", text, d).unwrap().entries[0];
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(e.prices.input, 0.15) && close(e.prices.output, 0.6));
        let b = e.batch.unwrap();
        assert!(close(b.input, 0.075) && close(b.output, 0.3));
        assert!(close(e.priority.unwrap().input, 0.18));
        assert_eq!(e.context_tokens, Some(131072));
        assert_eq!(e.retired_on, NaiveDate::from_ymd_opt(2027, 1, 31));
    }
}
