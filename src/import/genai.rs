//! genai-prices' `prices/data.json`: a list of providers, each with
//! `models`; a model's `prices` is a plain object (`input_mtok`,
//! `cache_read_mtok`, `output_mtok`, per 1M tokens) or a list of prices
//! conditional on a `start_date` (the last one started on the report date is
//! in force); `price_variants` carry the batch and priority tiers;
//! `context_window` and `deprecated` complete the entry. Only providers the
//! importers cover are read. Dated prices are applied in date order,
//! whatever the list's order.

use chrono::NaiveDate;
use serde_json::Value;

use super::{
    check_price, json, DatedPrices, Entry, ImportError, Parsed, Prices, Refusal, Refused,
    MAX_DATED_PRICES,
};
use crate::catalog::{PriceMap, PROVIDERS};

const EXPECTED: &str =
    "genai-prices' prices/data.json: a list of providers, each with `id` and `models`";

/// Entries of the covered providers, priced on `date`; an id listed twice
/// and an entry with a doubtful price history are refused.
pub(super) fn parse(file: &str, text: &str, date: NaiveDate) -> Result<Parsed, ImportError> {
    let root = json(file, text, EXPECTED)?;
    let providers = root
        .as_array()
        .filter(|ps| {
            ps.iter().all(|p| {
                p.get("id").is_some_and(Value::is_string)
                    && p.get("models").is_some_and(Value::is_array)
            })
        })
        .ok_or_else(|| {
            ImportError::new(
                file,
                "",
                format!("not the expected format; expected {EXPECTED}"),
            )
        })?;
    let (mut out, mut refused) = (Vec::new(), Vec::new());
    for (i, p) in providers.iter().enumerate() {
        let provider = p["id"].as_str().unwrap_or_default();
        if !PROVIDERS
            .iter()
            .any(|(m, pr, _)| *m == PriceMap::GenaiPrices && *pr == provider)
        {
            continue;
        }
        for (j, m) in p["models"].as_array().into_iter().flatten().enumerate() {
            let id = m.get("id").and_then(Value::as_str).unwrap_or_default();
            let at = format!("providers[{i}].models[{j}] ({provider}/{id})");
            match entry(file, &at, provider, id, m, date)? {
                Some(Ok(e)) => out.push(e),
                Some(Err(why)) => refused.push(Refusal {
                    id: format!("{provider}/{id}"),
                    why,
                }),
                None => {}
            }
        }
    }
    refused.extend(super::refuse_duplicates(&mut out, None));
    Ok(Parsed {
        entries: out,
        refused,
    })
}

/// One model; `None` when it has no per-token text price (images, audio),
/// `Some(Err(_))` when its dated prices are refused.
fn entry(
    file: &str,
    at: &str,
    provider: &str,
    id: &str,
    m: &Value,
    date: NaiveDate,
) -> Result<Option<Result<Entry, Refused>>, ImportError> {
    if id.is_empty() {
        return Err(ImportError::new(file, at, "a model without an `id`"));
    }
    // (start date, prices) in the map's order; a plain object is one undated price.
    let mut dated: Vec<(Option<NaiveDate>, Prices)> = Vec::new();
    match m.get("prices") {
        Some(Value::Array(list)) => {
            for (k, c) in list.iter().enumerate() {
                let start = match c.get("constraint") {
                    None | Some(Value::Null) => None,
                    Some(con) => match con.get("start_date").and_then(Value::as_str) {
                        Some(s) => Some(parse_date(file, at, s)?),
                        // time-of-day prices (off-peak) cannot be modelled: skip them.
                        None => continue,
                    },
                };
                let Some(p) = prices(
                    file,
                    &format!("{at}.prices[{k}]"),
                    c.get("prices").unwrap_or(&Value::Null),
                )?
                else {
                    return Ok(None);
                };
                dated.push((start, p));
            }
        }
        Some(obj @ Value::Object(_)) => match prices(file, at, obj)? {
            Some(p) => dated.push((None, p)),
            None => return Ok(None),
        },
        _ => {
            return Err(ImportError::new(
                file,
                at,
                "`prices` is neither an object nor a list of conditional prices",
            ))
        }
    }
    if let Err(why) = in_date_order(&mut dated) {
        return Ok(Some(Err(why)));
    }
    let started: Vec<&(Option<NaiveDate>, Prices)> = dated
        .iter()
        .filter(|(s, _)| s.is_none_or(|s| s <= date))
        .collect();
    let Some(&&(since, now)) = started.last() else {
        return Ok(None);
    };
    let mut changes = Vec::new();
    let mut scheduled = Vec::new();
    for w in dated.windows(2) {
        if let (Some(d), before, after) = (w[1].0, w[0].1, w[1].1) {
            let c = DatedPrices {
                date: d,
                before,
                after,
            };
            if d <= date {
                changes.push(c)
            } else {
                scheduled.push(c)
            }
        }
    }
    let (mut batch, mut priority) = (None, None);
    for (k, v) in m
        .get("price_variants")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let start = v
            .get("constraint")
            .and_then(|c| c.get("start_date"))
            .and_then(Value::as_str);
        if let Some(s) = start {
            if parse_date(file, at, s)? > date {
                continue;
            }
        }
        let when = v.get("when");
        let slot = if when
            .and_then(|w| w.get("processing"))
            .and_then(Value::as_str)
            == Some("batch")
        {
            &mut batch
        } else if when
            .and_then(|w| w.get("service_tier"))
            .and_then(Value::as_str)
            == Some("priority")
        {
            &mut priority
        } else {
            continue;
        };
        let vp = v.get("prices").unwrap_or(&Value::Null);
        let path = format!("{at}.price_variants[{k}]");
        let get = |key: &str| number(file, &path, vp, key);
        *slot = Some(Prices {
            input: get("input_mtok")?.unwrap_or(now.input),
            output: get("output_mtok")?.unwrap_or(now.output),
            cached: get("cache_read_mtok")?.or(now.cached),
        });
    }
    let context_tokens = m.get("context_window").and_then(Value::as_u64);
    Ok(Some(Ok(Entry {
        map: PriceMap::GenaiPrices,
        provider: provider.to_string(),
        id: format!("{provider}/{id}"),
        prices: now,
        since,
        priority,
        batch,
        context_tokens,
        retired_on: None,
        deprecated: m
            .get("deprecated")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        changes,
        scheduled,
    })))
}

/// Sorts dated prices by start date (the undated base first): the map's
/// list order is not a promise. Refuses a history longer than
/// [`MAX_DATED_PRICES`] and two prices that start on one date.
fn in_date_order(dated: &mut [(Option<NaiveDate>, Prices)]) -> Result<(), Refused> {
    if dated.len() > MAX_DATED_PRICES {
        return Err(Refused::TooManyDatedPrices { count: dated.len() });
    }
    // Stable: undated prices keep their order, and only the last counts.
    dated.sort_by_key(|(start, _)| *start);
    match dated
        .windows(2)
        .find_map(|w| w[0].0.filter(|d| w[1].0 == Some(*d)))
    {
        Some(date) => Err(Refused::SameStartDate { date }),
        None => Ok(()),
    }
}

/// The three per-token prices of a price object; `None` without input and output.
fn prices(file: &str, at: &str, v: &Value) -> Result<Option<Prices>, ImportError> {
    let (Some(input), Some(output)) = (
        number(file, at, v, "input_mtok")?,
        number(file, at, v, "output_mtok")?,
    ) else {
        return Ok(None);
    };
    Ok(Some(Prices {
        input,
        output,
        cached: number(file, at, v, "cache_read_mtok")?,
    }))
}

/// A price field: a number, or a context-tiered price whose `base` is used.
fn number(file: &str, at: &str, v: &Value, key: &str) -> Result<Option<f64>, ImportError> {
    let x = match v.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::Object(t)) => t.get("base").and_then(Value::as_f64),
        Some(_) => None,
    };
    match x {
        Some(x) => check_price(file, at, key, x).map(Some),
        None => Err(ImportError::new(
            file,
            at,
            format!("`{key}` is not a number"),
        )),
    }
}

fn parse_date(file: &str, at: &str, s: &str) -> Result<NaiveDate, ImportError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| ImportError::new(file, at, format!("`{s}` is not a date YYYY-MM-DD")))
}
