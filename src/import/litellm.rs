//! LiteLLM's `model_prices_and_context_window.json`: an object keyed by
//! `provider/model`, prices in USD per token (`input_cost_per_token`,
//! `cache_read_input_token_cost`, `output_cost_per_token`, with `_batches`
//! and `_priority` variants), `litellm_provider`, `max_input_tokens` and
//! `deprecation_date` (the date the model stops being served). The map has
//! no effective dates and no price history.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::{check_price, json, Entry, ImportError, Prices};
use crate::catalog::{PriceMap, PROVIDERS};

const EXPECTED: &str = "LiteLLM's model_prices_and_context_window.json: an object of `provider/model` keys, each with `litellm_provider`";

/// Entries of the covered providers.
pub fn parse(file: &str, text: &str, _date: NaiveDate) -> Result<Vec<Entry>, ImportError> {
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
    let mut out = Vec::new();
    for (key, v) in obj {
        let Some(provider) = v.get("litellm_provider").and_then(Value::as_str) else {
            continue;
        };
        if !PROVIDERS
            .iter()
            .any(|(m, p, _)| *m == PriceMap::Litellm && *p == provider)
        {
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
    Ok(out)
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
        let e = &parse("m.json", text, d).unwrap()[0];
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(e.prices.input, 0.15) && close(e.prices.output, 0.6));
        let b = e.batch.unwrap();
        assert!(close(b.input, 0.075) && close(b.output, 0.3));
        assert!(close(e.priority.unwrap().input, 0.18));
        assert_eq!(e.context_tokens, Some(131072));
        assert_eq!(e.retired_on, NaiveDate::from_ymd_opt(2027, 1, 31));
    }
}
