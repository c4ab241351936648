//! `infercost.toml`: the user's own prices (negotiated per-token rates,
//! GPU-hour rates, discounts). Parsed from `&str` with the position of
//! every entry (`Layer::parse`), found on disk in `locate.rs` (walking up from
//! the current folder, the user's config folder, `--config`), and applied
//! to the loaded vendors by the resolve stage in `apply.rs` (load ->
//! **resolve** -> price): the profiles stay as written, so an override
//! survives `infercost import` and the price sync, and every overridden
//! rate carries a [`crate::profile::YourPrice`] that the report shows.
//! The files also hold defaults (`[defaults]`) and extra profile folders
//! (`[folders]`), merged with the `INFERCOST_*` variables in `settings.rs`.

use serde::Deserialize;
use toml::Spanned;

use crate::profile::Diagnostic;

mod apply;
mod check;
mod locate;
mod settings;

pub use apply::apply;
pub use locate::{find, CONFIG_FILE, ENV_CONFIG};
pub use settings::{
    settings, Defaults, Folder, Folders, Setting, Settings, Source, ENV_FORMATS, ENV_MAX_AGE_DAYS,
};

/// One config file as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Prices of the user's own, applied over the vendors' list prices.
    #[serde(default)]
    pub price: Vec<Spanned<PriceOverride>>,
    /// Commitments negotiated with a vendor, added to its dedicated offer.
    #[serde(default)]
    pub commitment: Vec<Spanned<CommitmentEntry>>,
    /// What the flags default to.
    #[serde(default)]
    pub defaults: Option<Defaults>,
    /// Profile folders read beside the run's.
    #[serde(default)]
    pub folders: Option<Folders>,
}

/// Where a config file was found, which sets its precedence (lowest
/// first; the `INFERCOST_*` variables sit between `Environment` and
/// `Flag`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The user's config folder.
    User,
    /// `infercost.toml` in the current folder or above.
    Project,
    /// The file `INFERCOST_CONFIG` names.
    Environment,
    /// The file `--config` names (or a file parsed on its own).
    Flag,
}

/// One `[[commitment]]` entry: a vendor's commitment offer that its
/// profile does not state (most vendors publish none). With `gpu` (or
/// neither `gpu` nor `model`): committed replicas, the same fields as
/// `dedicated.commitments` in a profile. With `model`: a committed spend on
/// that per-token offer (`usd_per_month` and `discount`). Its source is
/// the config file and line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentEntry {
    /// Vendor id.
    pub vendor: String,
    /// The GPU it commits; absent: every GPU of the vendor.
    #[serde(default)]
    pub gpu: Option<String>,
    /// The per-token offer a committed spend is on.
    #[serde(default)]
    pub model: Option<String>,
    /// That offer's tier, where the vendor lists several.
    #[serde(default)]
    pub tier: Option<String>,
    /// Length of the term, months; at least 1.
    pub term_months: u32,
    /// Committed $ per GPU-hour (replicas: exactly one of this and `discount`).
    #[serde(default)]
    pub usd_per_gpu_hour: Option<f64>,
    /// Committed $ a month (a spend on a per-token offer).
    #[serde(default)]
    pub usd_per_month: Option<f64>,
    /// Share off the on-demand GPU rate or the per-token rates, in [0, 1].
    #[serde(default)]
    pub discount: Option<f64>,
    /// Fewest replicas committed (replicas only; absent: 1).
    #[serde(default)]
    pub min_replicas: Option<u32>,
    /// Where demand above the committed replicas goes (replicas only).
    #[serde(default)]
    pub overflow: Option<crate::profile::CommitmentOverflow>,
}

/// One `[[price]]` entry: a target (a vendor; with `model` one of its
/// per-token offers, with `gpu` one of its GPU rates) and the figures that
/// replace its list price, or a discount off it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// Vendor id.
    pub vendor: String,
    /// A per-token offer's model.
    #[serde(default)]
    pub model: Option<String>,
    /// The offer's tier, where the vendor lists several.
    #[serde(default)]
    pub tier: Option<String>,
    /// A GPU of the vendor's dedicated offer.
    #[serde(default)]
    pub gpu: Option<String>,
    /// Negotiated $ per million input tokens.
    #[serde(default)]
    pub input_usd_per_mtok: Option<f64>,
    /// Negotiated $ per million output tokens.
    #[serde(default)]
    pub output_usd_per_mtok: Option<f64>,
    /// Negotiated $ per million cached input tokens.
    #[serde(default)]
    pub cached_input_usd_per_mtok: Option<f64>,
    /// Negotiated $ per GPU-hour.
    #[serde(default)]
    pub usd_per_gpu_hour: Option<f64>,
    /// Share taken off the list price, in [0, 1).
    #[serde(default)]
    pub discount: Option<f64>,
}

/// A parsed config file: its name (as shown in errors and flags), its
/// text (for positions) and its entries.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The file as given or found.
    pub file: String,
    /// The name shown beside an overridden price (`infercost.toml`).
    pub shown: String,
    /// Its text.
    pub text: String,
    /// Its entries.
    pub config: Config,
    /// Where it was found.
    pub origin: Origin,
}

impl Layer {
    /// Parses `text` of `file`; the errors name the file, line and field.
    pub fn parse(file: &str, text: &str) -> Result<Layer, Vec<Diagnostic>> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| line_column(text, s.start));
            vec![Diagnostic::at(file, text, pos, "", e.message().to_string())]
        })?;
        let layer = Layer {
            file: file.to_string(),
            shown: std::path::Path::new(file)
                .file_name()
                .map_or(file.to_string(), |n| n.to_string_lossy().into_owned()),
            text: text.to_string(),
            config,
            origin: Origin::Flag,
        };
        let mut problems: Vec<Diagnostic> = layer
            .config
            .price
            .iter()
            .flat_map(|p| layer.check(p))
            .collect();
        problems.extend(
            layer
                .config
                .commitment
                .iter()
                .flat_map(|k| layer.check_commitment(k)),
        );
        problems.extend(layer.check_defaults());
        if problems.is_empty() {
            Ok(layer)
        } else {
            Err(problems)
        }
    }

    /// The 1-based line of an entry.
    pub fn line<T>(&self, entry: &Spanned<T>) -> usize {
        line_column(&self.text, entry.span().start).0
    }

    /// An error at an entry.
    pub fn error<T>(&self, entry: &Spanned<T>, field: &str, message: String) -> Diagnostic {
        let pos = line_column(&self.text, entry.span().start);
        Diagnostic::at(&self.file, &self.text, Some(pos), field, message)
    }
}

/// The 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests;
