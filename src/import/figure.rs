//! One figure of an import: the value a map gives for one field of an
//! offer, its source comment (map, map id, start date), reading that comment
//! back, and the figures derived from a map entry (prices, batch discount).

use chrono::NaiveDate;

use super::{Entry, Prices};
use crate::catalog::PriceMap;
use crate::format::sig9;
use crate::profile::{OfferKey, ServerlessOffer};

/// A figure the map gives for one field of an offer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Value {
    Num(f64),
    Int(u64),
    Date(NaiveDate),
}

impl Value {
    pub(super) fn text(self) -> String {
        match self {
            Value::Num(x) => {
                let x = sig9(x);
                let two = format!("{x:.2}");
                if two.parse::<f64>() == Ok(x) {
                    two
                } else {
                    format!("{x}")
                }
            }
            Value::Int(n) => n.to_string(),
            Value::Date(d) => d.to_string(),
        }
    }

    pub(super) fn same(self, other: Value) -> bool {
        match (self, other) {
            (Value::Num(a), Value::Num(b)) => {
                (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
            }
            _ => self == other,
        }
    }
}

/// One field to set: key, figure, source comment.
pub(super) struct Field {
    pub(super) key: &'static str,
    pub(super) value: Value,
    pub(super) comment: String,
}

/// A map entry aimed at one offer.
pub(super) struct Target<'a> {
    pub(super) vendor: &'static str,
    pub(super) key: OfferKey,
    pub(super) entry: &'a Entry,
    pub(super) fields: Vec<Field>,
}

pub(super) fn label(vendor: &str, key: &OfferKey) -> String {
    match &key.tier {
        Some(t) => format!("{vendor} {} ({t})", key.model),
        None => format!("{vendor} {}", key.model),
    }
}

/// The comment of an imported figure: map, map id, start date.
pub(super) fn provenance(e: &Entry, what: &str) -> String {
    let since = e.since.map(|d| format!(", from {d}")).unwrap_or_default();
    format!("{} {}{what}{since} (B, imported)", e.map.name(), e.id)
}

/// The map and date of an imported figure's comment.
pub(super) fn read_provenance(comment: &str) -> Option<(PriceMap, Option<NaiveDate>)> {
    if !comment.ends_with("(B, imported)") {
        return None;
    }
    let map = [PriceMap::GenaiPrices, PriceMap::Litellm]
        .into_iter()
        .find(|m| comment.starts_with(&format!("{} ", m.name())))?;
    let date = comment
        .split_once(", from ")
        .and_then(|(_, r)| NaiveDate::parse_from_str(r.get(..10)?, "%Y-%m-%d").ok());
    Some((map, date))
}

pub(super) fn price_fields(e: &Entry, p: Prices, what: &str) -> Vec<Field> {
    let c = provenance(e, what);
    let mut f = vec![
        Field {
            key: "input_usd_per_mtok",
            value: Value::Num(p.input),
            comment: c.clone(),
        },
        Field {
            key: "output_usd_per_mtok",
            value: Value::Num(p.output),
            comment: c.clone(),
        },
    ];
    if let Some(cached) = p.cached {
        f.push(Field {
            key: "cached_input_usd_per_mtok",
            value: Value::Num(cached),
            comment: c,
        });
    }
    f
}

/// 1 − batch/standard when input and output share one ratio.
pub(super) fn batch_discount(p: Prices, b: Prices) -> Option<f64> {
    if p.input <= 0.0 || p.output <= 0.0 {
        return None;
    }
    let (di, dout) = (1.0 - b.input / p.input, 1.0 - b.output / p.output);
    ((di - dout).abs() < 1e-6 && di > 0.0 && di <= 1.0).then(|| sig9(di))
}

pub(super) fn old_value(o: &ServerlessOffer, key: &str) -> Option<Value> {
    match key {
        "input_usd_per_mtok" => Some(Value::Num(o.input_usd_per_mtok)),
        "output_usd_per_mtok" => Some(Value::Num(o.output_usd_per_mtok)),
        "cached_input_usd_per_mtok" => o.cached_input_usd_per_mtok.map(Value::Num),
        "context_tokens" => o.context_tokens.map(Value::Int),
        "batch_discount" => o.batch_discount.map(Value::Num),
        "retired_on" => o.retired_on.map(Value::Date),
        _ => None,
    }
}
