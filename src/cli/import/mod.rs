//! `infercost import genai-prices|litellm FILE`: reads a community price map
//! (bounded, a regular file only), plans the edits of the vendor profiles
//! (`crate::import`), prints what changed, and writes the edited profiles
//! under the vendors folder's lock (`write.rs`: all staged, then renamed,
//! and only after every one of them checked out); `--check` writes nothing
//! and exits 1 when the profiles disagree with the map.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::{Error, Output};
use crate::catalog::PriceMap;
use crate::fs::{read_capped, ReadError};
use crate::import::{self, Options, Vendors, MAX_MAP_BYTES};
use crate::profile::{names, visible, Diagnostic, ProfileErrors, ProfileFile};

mod write;

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
    /// Write large moves instead of holding them back: a price or context that moves more than
    /// 10x or to or from zero, a retirement date before the report date.
    #[arg(long)]
    pub accept_large_moves: bool,
    /// List every map model with no canonical id (by default, their count).
    #[arg(long)]
    pub verbose: bool,
    /// How long to wait for another import on the same vendors folder to finish.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub lock_wait: u64,
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

/// The map file, refused unread when it is not a regular file (a FIFO
/// would block, `/dev/zero` never ends) or larger than [`MAX_MAP_BYTES`].
fn read_map(path: &Path) -> Result<String, Error> {
    let shown = visible(&path.display().to_string());
    read_capped(path, MAX_MAP_BYTES).map_err(|e| {
        Error::Usage(match e {
            ReadError::Io(e) => format!("{shown}: cannot read the file: {e}"),
            ReadError::NotAFile => format!(
                "{shown}: not a regular file (a folder, a FIFO or a device); expected the price map's JSON file"
            ),
            ReadError::TooBig(size) => format!(
                "{shown}: the file is {size} bytes; a price map is at most {MAX_MAP_BYTES} bytes (the real ones are a few MB): check that it is the map"
            ),
            ReadError::NotUtf8(at) => format!(
                "{shown}: not UTF-8 text (invalid byte at offset {at}); expected the price map's JSON"
            ),
        })
    })
}

/// The vendor profiles of a folder, read and refused as `validate` reads
/// and refuses them (`.yaml` and `.yml`, links out of the folder, size,
/// two files of one id): (vendor id = file stem, file name, text).
fn vendor_files(dir: &Path) -> Result<Vendors, Error> {
    let files = ProfileFile::read_dir(dir).map_err(|d| ProfileErrors(vec![d]))?;
    let mut problems = names::duplicate_stems(&files);
    let mut read = Vec::new();
    for f in files {
        match f.text {
            Ok(text) => read.push((f.stem, f.name, text)),
            Err(why) => problems.push(Diagnostic::file(&f.name, why)),
        }
    }
    if !problems.is_empty() {
        return Err(ProfileErrors(problems).into());
    }
    Ok(Vendors {
        dir: dir.display().to_string(),
        files: read,
    })
}

/// `infercost import`.
pub(super) fn import_command(args: &ImportArgs) -> Result<Output, Error> {
    let map = match args.map {
        MapKind::GenaiPrices => PriceMap::GenaiPrices,
        MapKind::Litellm => PriceMap::Litellm,
    };
    let date = args.as_of.unwrap_or_else(today);
    let file = args.file.display().to_string();
    let text = read_map(&args.file)?;
    let catalog = super::catalog::load_catalog(args.catalog.as_deref())?;
    let parsed = import::parse(map, &file, &text, date)?;
    // Held from the first read of the profiles to the last rename.
    let _lock = write::lock_vendors(&args.vendors, Duration::from_secs(args.lock_wait))?;
    let notes = if args.check {
        Vec::new()
    } else {
        write::remove_stale(&args.vendors)?
    };
    let vendors = vendor_files(&args.vendors)?;
    let opts = Options {
        date,
        accept_large_moves: args.accept_large_moves,
    };
    let outcome = import::plan(map, &file, &parsed, &catalog, &vendors, opts)?;
    let stderr: String = notes.iter().map(|n| format!("{n}\n")).collect();
    let unmapped = outcome
        .report
        .iter()
        .filter(|l| l.starts_with("unmapped"))
        .count();
    let file = visible(&file);
    let summary = format!(
        "{} {file} on {date}: {} entries of covered providers, {unmapped} unmapped; {} change{} to {} profile{}",
        map.name(),
        parsed.entries.len(),
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
            stderr,
            exit_code: i32::from(outcome.pending > 0),
        });
    }
    write::write_all(&outcome.writes)?;
    Ok(Output {
        stdout: printed(&format!("{summary} written"), &outcome.report, args.verbose),
        stderr,
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
