//! Checks of the model catalog beyond its types: ids well formed and unique,
//! every alias unique (within a model and across models), price-map aliases
//! under a provider the importers know, parameter counts that make sense.
//! Each problem names the field path; `profile::parse` turns it into a
//! diagnostic with file, line and column.

use std::collections::BTreeMap;

use super::{Alias, Catalog};
use crate::profile::validate::Problem;

/// A community price map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PriceMap {
    /// pydantic/genai-prices (`prices/data.json`).
    GenaiPrices,
    /// BerriAI/litellm (`model_prices_and_context_window.json`).
    Litellm,
}

impl PriceMap {
    /// The map's name, as in the catalog and in provenance comments.
    pub fn name(self) -> &'static str {
        match self {
            PriceMap::GenaiPrices => "genai-prices",
            PriceMap::Litellm => "litellm",
        }
    }
}

/// Which map provider stands for which vendor: (map, provider, vendor id).
/// A provider missing here is not covered by the importers.
pub const PROVIDERS: &[(PriceMap, &str, &str)] = &[
    (PriceMap::GenaiPrices, "fireworks", "fireworks"),
    (PriceMap::GenaiPrices, "together", "together"),
    (PriceMap::GenaiPrices, "huggingface_together", "together"),
    (PriceMap::GenaiPrices, "groq", "groq"),
    (PriceMap::GenaiPrices, "baseten", "baseten"),
    (PriceMap::GenaiPrices, "modal", "modal"),
    (PriceMap::Litellm, "fireworks_ai", "fireworks"),
    (PriceMap::Litellm, "together_ai", "together"),
    (PriceMap::Litellm, "groq", "groq"),
    (PriceMap::Litellm, "baseten", "baseten"),
    (PriceMap::Litellm, "replicate", "replicate"),
];

/// The vendor a map's provider stands for.
pub fn vendor_of(map: PriceMap, provider: &str) -> Option<&'static str> {
    PROVIDERS
        .iter()
        .find(|(m, p, _)| *m == map && *p == provider)
        .map(|(_, _, v)| *v)
}

fn is_id(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
}

/// Problems in a catalog.
pub(super) fn catalog(c: &Catalog) -> Vec<Problem> {
    let mut p = Vec::new();
    let mut fail = |path: String, message: String| p.push(Problem { path, message });
    if c.models.is_empty() {
        fail("models".into(), "expected at least one model".into());
    }
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    // (source, alias) -> first model index that claims it
    let mut claimed: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for (i, m) in c.models.iter().enumerate() {
        let at = |f: &str| format!("models[{i}].{f}");
        if !is_id(&m.id) {
            fail(
                at("id"),
                format!(
                    "expected an id of lowercase letters, digits, '-', '.' or '_', found `{}`",
                    m.id
                ),
            );
        }
        if let Some(first) = ids.insert(&m.id, i) {
            fail(
                at("id"),
                format!("`{}` is already the id of models[{first}]", m.id),
            );
        }
        if m.name.trim().is_empty() {
            fail(at("name"), "expected a display name".into());
        }
        if !is_id(&m.family) {
            fail(
                at("family"),
                format!("expected a family id such as `llama`, found `{}`", m.family),
            );
        }
        for (f, v) in [
            ("total_params_b", m.total_params_b),
            ("active_params_b", m.active_params_b),
        ] {
            if let Some(v) = v.filter(|v| !(v.is_finite() && *v > 0.0 && *v <= 1e6)) {
                fail(
                    at(f),
                    format!("expected billions of parameters above 0 (at most 1e6), found {v}"),
                );
            }
        }
        if let (Some(t), Some(a)) = (m.total_params_b, m.active_params_b) {
            if a > t {
                fail(
                    at("active_params_b"),
                    format!("{a} active exceeds the {t} total parameters"),
                );
            }
        }
        if let Some(next) = &m.successor {
            if next.model == m.id || !c.models.iter().any(|x| x.id == next.model) {
                fail(
                    at("successor.model"),
                    format!(
                        "expected the id of another model of this catalog, found `{}`",
                        next.model
                    ),
                );
            }
            if !next.source.starts_with("https://") && !next.source.starts_with("http://") {
                fail(
                    at("successor.source"),
                    format!("expected a URL, found `{}`", next.source),
                );
            }
            if !["A", "B", "C"].contains(&next.grade.as_str()) {
                fail(
                    at("successor.grade"),
                    format!("expected a grade A, B or C, found `{}`", next.grade),
                );
            }
        }
        if let Some(hf) = &m.hugging_face {
            if hf.split('/').count() != 2 || hf.split('/').any(str::is_empty) {
                fail(
                    at("hugging_face"),
                    format!("expected `organisation/repository`, found `{hf}`"),
                );
            }
        }
        for (vendor, list) in &m.vendors {
            if !is_id(vendor) {
                fail(
                    at(&format!("vendors.{vendor}")),
                    format!("expected a vendor id, found `{vendor}`"),
                );
            }
            for (j, alias) in list.iter().enumerate() {
                let path = at(&format!("vendors.{vendor}[{j}]"));
                claim(
                    &mut claimed,
                    &mut fail,
                    format!("vendor {vendor}"),
                    alias,
                    i,
                    &c.models[..],
                    path,
                );
            }
        }
        for (map, list, field) in [
            (PriceMap::GenaiPrices, &m.genai_prices, "genai-prices"),
            (PriceMap::Litellm, &m.litellm, "litellm"),
        ] {
            for (j, text) in list.iter().enumerate() {
                let path = at(&format!("{field}[{j}]"));
                let a = Alias::parse(text);
                map_alias(map, &a, &path, &mut fail);
                claim(
                    &mut claimed,
                    &mut fail,
                    map.name().to_string(),
                    text,
                    i,
                    &c.models[..],
                    path,
                );
            }
        }
    }
    p
}

/// A price-map alias: `provider/model` under a provider the importers know, a well-formed tier.
fn map_alias(map: PriceMap, a: &Alias, path: &str, fail: &mut impl FnMut(String, String)) {
    let provider = a.id.split('/').next().unwrap_or_default();
    if !a.id.contains('/') || vendor_of(map, provider).is_none() {
        let known: Vec<&str> = PROVIDERS
            .iter()
            .filter(|(m, _, _)| *m == map)
            .map(|(_, p, _)| *p)
            .collect();
        fail(
            path.to_string(),
            format!(
                "`{}` does not start with a {} provider the importers cover; expected `provider/model` with provider one of {}",
                a.id,
                map.name(),
                known.join(", ")
            ),
        );
    }
    if let Some(t) = a.tier.filter(|t| !is_id(t)) {
        fail(
            path.to_string(),
            format!("the tier after `@` must be an id such as `fast`, found `{t}`"),
        );
    }
}

/// Records that model `i` claims `alias` in `source`; a second claim is an error.
fn claim<'a>(
    claimed: &mut BTreeMap<(String, &'a str), usize>,
    fail: &mut impl FnMut(String, String),
    source: String,
    alias: &'a str,
    i: usize,
    models: &[super::Model],
    path: String,
) {
    let bare = Alias::parse(alias).id;
    if let Some(&first) = claimed.get(&(source.clone(), bare)) {
        let message = if first == i {
            format!("`{alias}` is listed twice for {source}")
        } else {
            format!(
                "`{bare}` ({source}) is already an alias of `{}` (models[{first}])",
                models[first].id
            )
        };
        fail(path, message);
    } else {
        claimed.insert((source, bare), i);
    }
}
