//! `infercost import genai-prices|litellm FILE`: reads a community price map,
//! plans the edits of the vendor profiles (`crate::import`), prints what
//! changed, and writes the edited profiles (each replaced by a rename, and
//! only after every one of them checked out); `--check` writes nothing and
//! exits 1 when the profiles disagree with the map.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Error, Output};
use crate::catalog::PriceMap;
use crate::import::{self, Options, Vendors};

/// Which price map FILE is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapKind {
    /// pydantic/genai-prices' `prices/data.json`.
    GenaiPrices,
    /// LiteLLM's `model_prices_and_context_window.json`.
    Litellm,
}

/// `infercost import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Which map FILE is.
    #[arg(value_enum)]
    pub map: MapKind,
    /// The map file.
    pub file: PathBuf,
    /// Folder of vendor profiles to update.
    #[arg(long, value_name = "DIR", default_value = "vendors")]
    pub vendors: PathBuf,
    /// The model catalog [default: ./catalog/models.yaml, else the one built into the binary].
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Use the prices in force on this date (YYYY-MM-DD) [default: today, UTC].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Write nothing; exit 1 when the profiles disagree with the map.
    #[arg(long)]
    pub check: bool,
    /// Write price moves of more than 10x instead of holding them back.
    #[arg(long)]
    pub accept_large_moves: bool,
    /// List every map model with no canonical id (by default, their count).
    #[arg(long)]
    pub verbose: bool,
}

/// Today's date in UTC, from the system clock (the import's default report date).
fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    // 719_163 = days from 0001-01-01 (CE day 1) to 1970-01-01.
    i32::try_from(days)
        .ok()
        .and_then(|d| NaiveDate::from_num_days_from_ce_opt(719_163 + d))
        .unwrap_or(NaiveDate::MIN)
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("{}: cannot read the file: {e}", path.display())))
}

/// The vendor profiles of a folder: (vendor id = file stem, file name, text).
fn vendor_files(dir: &Path) -> Result<Vendors, Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("{}: cannot read the folder: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let stem = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        files.push((stem, p.display().to_string(), read(&p)?));
    }
    Ok(Vendors {
        dir: dir.display().to_string(),
        files,
    })
}

/// Replaces `path` by `text` through a temporary file and a rename.
fn replace(path: &str, text: &str) -> Result<(), Error> {
    let tmp = format!("{path}.import-tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| Error::Io(format!("{path}: cannot write the updated profile: {e}")))
}

/// `infercost import`.
pub(super) fn import_command(args: &ImportArgs) -> Result<Output, Error> {
    let map = match args.map {
        MapKind::GenaiPrices => PriceMap::GenaiPrices,
        MapKind::Litellm => PriceMap::Litellm,
    };
    let date = args.as_of.unwrap_or_else(today);
    let file = args.file.display().to_string();
    let text = read(&args.file)?;
    let catalog = super::catalog::load_catalog(args.catalog.as_deref())?;
    let entries = import::parse(map, &file, &text, date)?;
    let vendors = vendor_files(&args.vendors)?;
    let opts = Options {
        date,
        accept_large_moves: args.accept_large_moves,
    };
    let outcome = import::plan(map, &file, &entries, &catalog, &vendors, opts)?;
    let unmapped = outcome
        .report
        .iter()
        .filter(|l| l.starts_with("unmapped"))
        .count();
    let summary = format!(
        "{} {file} on {date}: {} entries of covered providers, {unmapped} unmapped; {} change{} to {} profile{}",
        map.name(),
        entries.len(),
        outcome.pending,
        if outcome.pending == 1 { "" } else { "s" },
        outcome.writes.len(),
        if outcome.writes.len() == 1 { "" } else { "s" },
    );
    if args.check {
        let verdict = if outcome.pending > 0 {
            "the profiles disagree with the map (--check: nothing written)"
        } else {
            "the profiles agree with the map"
        };
        return Ok(Output {
            stdout: printed(
                &format!("{summary}: {verdict}"),
                &outcome.report,
                args.verbose,
            ),
            exit_code: i32::from(outcome.pending > 0),
            ..Output::default()
        });
    }
    for (name, new) in &outcome.writes {
        replace(name, new)?;
    }
    Ok(Output {
        stdout: printed(&format!("{summary} written"), &outcome.report, args.verbose),
        ..Output::default()
    })
}

/// What an import prints: the summary first, then what it did, line by
/// line; the map models with no canonical id only with `--verbose`, else
/// their count. Lines fit the terminal (or `COLUMNS`) when one is known;
/// piped into a script each record stays on one line.
fn printed(summary: &str, report: &[String], verbose: bool) -> String {
    let is_unmapped = |l: &&String| l.starts_with("unmapped");
    let mut out = format!("{summary}\n");
    for line in report.iter().filter(|l| verbose || !is_unmapped(l)) {
        out.push_str(&format!("{line}\n"));
    }
    let unmapped = report.iter().filter(is_unmapped).count();
    if !verbose && unmapped > 0 {
        out.push_str(&format!(
            "{} no canonical id in the catalog (--verbose lists them)\n",
            match unmapped {
                1 => "1 map model has".to_string(),
                n => format!("{n} map models have"),
            }
        ));
    }
    match super::term::reader_width() {
        Some(width) => super::term::wrap_lines(&out, width),
        None => out,
    }
}
