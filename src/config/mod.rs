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
/// profile does not state (most vendors publish none), with the same
/// fields as `dedicated.commitments` in a profile; its source is the
/// config file and line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentEntry {
    /// Vendor id.
    pub vendor: String,
    /// The GPU it commits; absent: every GPU of the vendor.
    #[serde(default)]
    pub gpu: Option<String>,
    /// Length of the term, months; at least 1.
    pub term_months: u32,
    /// Committed $ per GPU-hour (exactly one of this and `discount`).
    #[serde(default)]
    pub usd_per_gpu_hour: Option<f64>,
    /// Share off the on-demand GPU rate, in [0, 1].
    #[serde(default)]
    pub discount: Option<f64>,
    /// Fewest replicas committed.
    #[serde(default = "one")]
    pub min_replicas: u32,
    /// Where demand above the committed replicas goes.
    pub overflow: crate::profile::CommitmentOverflow,
}

fn one() -> u32 {
    1
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

    /// A staleness limit of at least 0 days.
    fn check_defaults(&self) -> Option<Diagnostic> {
        let days = self.config.defaults.as_ref()?.max_age_days.as_ref()?;
        (*days.get_ref() < 0).then(|| {
            self.error(
                days,
                "defaults.max_age_days",
                format!(
                    "expected a number of days, at least 0, found {}",
                    days.get_ref()
                ),
            )
        })
    }

    /// A commitment's term at least a month, exactly one of a price (at
    /// least 0) and a discount (a share).
    fn check_commitment(&self, entry: &Spanned<CommitmentEntry>) -> Vec<Diagnostic> {
        let k = entry.get_ref();
        let mut out = Vec::new();
        if k.term_months == 0 {
            out.push(self.error(
                entry,
                "commitment.term_months",
                "expected a term of at least 1 month".into(),
            ));
        }
        match (k.usd_per_gpu_hour, k.discount) {
            (Some(p), None) if !(p.is_finite() && (0.0..=1e15).contains(&p)) => {
                out.push(self.error(
                    entry,
                    "commitment.usd_per_gpu_hour",
                    format!("expected a price of at least 0, found {p}"),
                ))
            }
            (None, Some(d)) if !(d.is_finite() && (0.0..=1.0).contains(&d)) => {
                out.push(self.error(
                    entry,
                    "commitment.discount",
                    format!("expected a share of the on-demand rate in [0, 1], found {d}"),
                ))
            }
            (Some(_), None) | (None, Some(_)) => {}
            _ => out.push(self.error(
                entry,
                "commitment",
                "give exactly one of `usd_per_gpu_hour` and `discount`".into(),
            )),
        }
        out
    }

    /// The rules of one entry that need no profile: one target, figures
    /// that fit it, numbers finite and non-negative, a discount below 1.
    fn check(&self, entry: &Spanned<PriceOverride>) -> Vec<Diagnostic> {
        let p = entry.get_ref();
        let mut out = Vec::new();
        let mut fail = |field: &str, message: String| out.push(self.error(entry, field, message));
        let rates = [
            ("input_usd_per_mtok", p.input_usd_per_mtok),
            ("output_usd_per_mtok", p.output_usd_per_mtok),
            ("cached_input_usd_per_mtok", p.cached_input_usd_per_mtok),
            ("usd_per_gpu_hour", p.usd_per_gpu_hour),
        ];
        for (field, v) in rates {
            if let Some(v) = v.filter(|v| !(v.is_finite() && (0.0..=1e15).contains(v))) {
                fail(
                    &format!("price.{field}"),
                    format!("expected a price of at least 0, found {v}"),
                );
            }
        }
        if let Some(d) = p
            .discount
            .filter(|d| !(d.is_finite() && (0.0..1.0).contains(d)))
        {
            fail(
                "price.discount",
                format!(
                    "expected a share of the list price in [0, 1) (0.2 takes 20% off), found {d}"
                ),
            );
        }
        let token_rates = p.input_usd_per_mtok.is_some()
            || p.output_usd_per_mtok.is_some()
            || p.cached_input_usd_per_mtok.is_some();
        let figures = usize::from(token_rates)
            + usize::from(p.usd_per_gpu_hour.is_some())
            + usize::from(p.discount.is_some());
        match (&p.model, &p.gpu) {
            (Some(_), Some(_)) => fail(
                "price",
                "name either `model` (a per-token offer) or `gpu` (a GPU rate), not both".into(),
            ),
            (None, None) if p.tier.is_some() => {
                fail("price.tier", "a `tier` needs the offer's `model`".into())
            }
            (None, None) if p.discount.is_none() || figures != 1 => fail(
                "price",
                "without `model` or `gpu`, give only a `discount` (off every price of the vendor)".into(),
            ),
            (Some(_), None) if p.usd_per_gpu_hour.is_some() || figures != 1 => fail(
                "price",
                "for a per-token offer give `input_usd_per_mtok` and `output_usd_per_mtok` (and optionally `cached_input_usd_per_mtok`), or a `discount`".into(),
            ),
            (Some(_), None)
                if token_rates
                    && (p.input_usd_per_mtok.is_none() || p.output_usd_per_mtok.is_none()) =>
            {
                fail(
                    "price",
                    "a negotiated per-token price needs both `input_usd_per_mtok` and `output_usd_per_mtok`".into(),
                )
            }
            (None, Some(_)) if token_rates || figures != 1 || p.tier.is_some() => fail(
                "price",
                "for a GPU give `usd_per_gpu_hour` or a `discount`".into(),
            ),
            _ => {}
        }
        out
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
