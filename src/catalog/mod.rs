//! The canonical model catalog (`catalog/models.yaml`): every model id the
//! profiles may name, what a cost tool needs to know about it (name, family,
//! parameters, context length) and the aliases under which each vendor and
//! each community price map names it. Loaded beside the profiles; the
//! importers (`src/import/`) read map ids through it, and `validate` checks
//! that every profile names a catalogued model.
//!
//! The `catalog/` folder is shared: other files (GPUs, architectures,
//! benchmarks) may sit beside `models.yaml`; this module reads
//! `models.yaml` by name and ignores the rest.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::profile::{Diagnostic, ProfileErrors};

mod check;
mod refs;

pub use check::{vendor_of, PriceMap, PROVIDERS};
pub use refs::unknown_models;

/// File name of the model catalog inside the catalog folder.
pub const MODELS_FILE: &str = "models.yaml";

/// The model catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Every canonical model, in the order written.
    pub models: Vec<Model>,
}

/// One canonical model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Canonical id, shared by all profiles (`llama-3.3-70b`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Model family (`llama`, `kimi`, ...).
    pub family: String,
    /// Total parameters, billions (null when not published).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub total_params_b: Option<f64>,
    /// Parameters active per token, billions (equal to the total for a dense model).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub active_params_b: Option<f64>,
    /// Longest context the model itself accepts, tokens.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub context_tokens: Option<u64>,
    /// The Hugging Face repository of the weights.
    #[serde(default)]
    pub hugging_face: Option<String>,
    /// Each vendor's own API id for the model: vendor id -> ids.
    #[serde(default)]
    pub vendors: std::collections::BTreeMap<String, Vec<String>>,
    /// genai-prices ids, `provider/model`; `@tier` after one names a second
    /// price tier of the model (`fireworks/kimi-k2p6-fast@fast`).
    #[serde(default, rename = "genai-prices")]
    pub genai_prices: Vec<String>,
    /// LiteLLM keys (`fireworks_ai/accounts/fireworks/models/kimi-k2p6`), `@tier` as above.
    #[serde(default)]
    pub litellm: Vec<String>,
    /// The model a vendor names as this one's successor, where one does.
    #[serde(default)]
    pub successor: Option<Successor>,
}

/// A successor model as a vendor names it (what the vendor wrote, with its
/// source; infercost infers none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Successor {
    /// The successor's canonical id (a model of this catalog).
    pub model: String,
    /// The vendor that names it.
    pub named_by: String,
    /// Where the vendor names it (URL).
    pub source: String,
    /// Through what it was read, when not the source itself.
    #[serde(default)]
    pub via: Option<String>,
    /// When it was read.
    pub read: chrono::NaiveDate,
    /// A: the vendor's page read for this file; B: a secondary copy; C: the widely quoted figure.
    pub grade: String,
}

/// One alias of a price map, split into its map id and its tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias<'a> {
    /// The id in the map (`fireworks/kimi-k2p6`).
    pub id: &'a str,
    /// The price tier it names, if not the model's standard tier.
    pub tier: Option<&'a str>,
}

impl<'a> Alias<'a> {
    /// Splits `id@tier`.
    pub fn parse(text: &'a str) -> Alias<'a> {
        match text.rsplit_once('@') {
            Some((id, tier)) => Alias {
                id,
                tier: Some(tier),
            },
            None => Alias {
                id: text,
                tier: None,
            },
        }
    }
}

impl Model {
    /// The aliases of one price map.
    pub fn aliases(&self, map: PriceMap) -> impl Iterator<Item = Alias<'_>> {
        let list = match map {
            PriceMap::GenaiPrices => &self.genai_prices,
            PriceMap::Litellm => &self.litellm,
        };
        list.iter().map(|a| Alias::parse(a))
    }
}

impl Catalog {
    /// The model with this canonical id.
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.id == id)
    }

    /// The canonical id and tier a price map's id stands for.
    pub fn resolve(&self, map: PriceMap, id: &str) -> Option<(&str, Option<&str>)> {
        self.models.iter().find_map(|m| {
            m.aliases(map)
                .find(|a| a.id == id)
                .map(|a| (m.id.as_str(), a.tier))
        })
    }
}

/// Parses and validates a catalog; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Catalog, Vec<Diagnostic>> {
    crate::profile::parse::checked(file, text, check::catalog)
}

/// The bundled catalog, like the bundled profiles: built into the binary
/// with the `bundle` feature, else read at run time from the source tree the
/// binary was built from.
pub fn built_in() -> Result<Catalog, ProfileErrors> {
    const NAME: &str = "(built in) catalog/models.yaml";
    let text = crate::profile::embedded::text("catalog", MODELS_FILE)
        .map_err(|e| ProfileErrors(vec![Diagnostic::file(NAME, e)]))?;
    parse(NAME, &text).map_err(ProfileErrors)
}

/// Loads `DIR/models.yaml` from a catalog folder.
pub fn load_dir(dir: &Path) -> Result<Catalog, ProfileErrors> {
    load_file(&dir.join(MODELS_FILE))
}

/// Loads a catalog file.
pub fn load_file(path: &Path) -> Result<Catalog, ProfileErrors> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        ProfileErrors(vec![Diagnostic::file(
            &shown,
            format!("cannot read the model catalog: {e}"),
        )])
    })?;
    parse(&shown, &text).map_err(ProfileErrors)
}

/// The catalog of a run: `catalog/models.yaml` in the working folder when
/// present, else the bundled one.
pub fn load_default() -> Result<Catalog, ProfileErrors> {
    let local = Path::new("catalog").join(MODELS_FILE);
    if local.is_file() {
        load_file(&local)
    } else {
        built_in()
    }
}
