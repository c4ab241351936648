//! `infercost catalog`: the canonical model catalog as a coverage table
//! (models × vendors: which kinds of offer each vendor has for each model,
//! and which of them are retired on the report date), in Markdown for the
//! README or as plain text. Also where `validate` finds the catalog.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use super::{profiles, Error, Output, ProfileArgs};
use crate::catalog::{self, Catalog};
use crate::lifecycle::{self, Lifecycle};
use crate::profile::Vendor;
use crate::resolve::{resolve, Resolved};

/// `infercost catalog`.
#[derive(Debug, Clone, Args)]
pub struct CatalogArgs {
    /// Where the profiles are.
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// The model catalog [default: ./catalog/models.yaml, else the one built into the binary].
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Date on which offers count as retired [default: the newest as_of among the vendors].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Print the coverage table as Markdown (the README's block).
    #[arg(long)]
    pub markdown: bool,
}

/// The catalog named on the command line, else the default one.
pub(super) fn load_catalog(path: Option<&std::path::Path>) -> Result<Catalog, Error> {
    Ok(match path {
        Some(p) => catalog::load_file(p)?,
        None => catalog::load_default()?,
    })
}

/// `infercost catalog`: the coverage table.
pub(super) fn catalog_command(args: &CatalogArgs) -> Result<Output, Error> {
    let configured = super::configured::Configured::find(args.profiles.config.as_deref())?;
    let (profiles, _) = profiles::load_configured(&args.profiles, &configured)?;
    let catalog = load_catalog(args.catalog.as_deref())?;
    let date = crate::engine::report_date(&profiles.vendors, args.as_of);
    Ok(Output {
        stdout: coverage(&catalog, &resolve(&profiles), date, args.markdown),
        ..Output::default()
    })
}

/// One cell: the kinds of offer a vendor has for a model (S serverless, D
/// dedicated, P prediction, T training), a kind in parentheses when every
/// offer of that kind is retired on `date`.
fn cell(resolved: &Resolved, v: &Vendor, model: &str, date: NaiveDate) -> String {
    let life = |deprecated_on, retired_on| Lifecycle {
        deprecated_on,
        retired_on,
    };
    let mut offers: Vec<(char, Lifecycle)> = Vec::new();
    offers.extend(
        v.serverless
            .iter()
            .filter(|o| o.model == model)
            .map(|o| ('S', life(o.deprecated_on, o.retired_on))),
    );
    offers.extend(
        dedicated(resolved, v, model)
            .into_iter()
            .map(|(d, r)| ('D', life(d, r))),
    );
    offers.extend(
        v.predictions
            .iter()
            .filter(|o| o.model == model)
            .map(|o| ('P', life(o.deprecated_on, o.retired_on))),
    );
    offers.extend(
        v.training
            .iter()
            .filter(|o| o.model == model)
            .map(|o| ('T', life(o.deprecated_on, o.retired_on))),
    );
    let mut out = String::new();
    for kind in ['S', 'D', 'P', 'T'] {
        let of_kind: Vec<Lifecycle> = offers
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, o)| *o)
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let live = of_kind
            .iter()
            .any(|o| lifecycle::status(*o, date).reason.is_none());
        if live {
            out.push(kind);
        } else {
            let _ = write!(out, "({kind})");
        }
    }
    out
}

/// The lifecycle dates of a vendor's dedicated deployments of `model`: as
/// the report prices them for the workloads of that model (estimated for
/// each, or made from `dedicated.models`), or, when no workload runs it,
/// as listed.
fn dedicated(
    resolved: &Resolved,
    v: &Vendor,
    model: &str,
) -> Vec<(Option<NaiveDate>, Option<NaiveDate>)> {
    let mut of_model = resolved
        .workloads
        .iter()
        .filter(|w| w.workload.model == model)
        .peekable();
    if of_model.peek().is_some() {
        return of_model
            .flat_map(|w| w.of_vendor(v))
            .map(|d| (d.deprecated_on, d.retired_on))
            .collect();
    }
    v.dedicated
        .iter()
        .flat_map(|d| &d.deployments)
        .filter(|d| d.model == model)
        .map(|d| (d.deprecated_on, d.retired_on))
        .collect()
}

/// The coverage table: one row per catalogued model, one column per vendor.
pub fn coverage(catalog: &Catalog, resolved: &Resolved, date: NaiveDate, markdown: bool) -> String {
    let vendors = &resolved.profiles.vendors;
    let mut rows: Vec<Vec<String>> = vec![std::iter::once("model".to_string())
        .chain(vendors.iter().map(|v| v.vendor.clone()))
        .collect()];
    for m in &catalog.models {
        rows.push(
            std::iter::once(m.id.clone())
                .chain(vendors.iter().map(|v| cell(resolved, v, &m.id, date)))
                .collect(),
        );
    }
    let mut out = String::new();
    if markdown {
        for (i, r) in rows.iter().enumerate() {
            let _ = writeln!(out, "| {} |", r.join(" | "));
            if i == 0 {
                let _ = writeln!(out, "|{}", "---|".repeat(r.len()));
            }
        }
        let _ = writeln!(
            out,
            "\nS serverless per token, D dedicated deployment, P per prediction, T training; (S) every such offer retired on {date}. Generated by `infercost catalog --markdown` from `catalog/models.yaml` and `vendors/`."
        );
    } else {
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|c| rows.iter().map(|r| r[c].len()).max().unwrap_or(0))
            .collect();
        for r in &rows {
            let line: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(s, w)| format!("{s:<w$}"))
                .collect();
            let _ = writeln!(out, "{}", line.join("  ").trim_end());
        }
    }
    out
}
