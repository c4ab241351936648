//! The commands that price or check the profiles as they are: `report`
//! (write the whole report), `compare` (one workload's table or JSON),
//! `validate` (check every profile) and `schema` (print the JSON Schema).

use std::path::{Path, PathBuf};

use super::dates;
use super::profiles::{load, settings, stale_note};
use super::{CompareArgs, CompareFormat, Error, Output, ReportArgs, SchemaArgs, ValidateArgs};
use crate::engine;
use crate::profile::{self, Profiles};
use crate::report;
use crate::resolve::resolve;

/// `infercost report`: prices every workload and writes the report atomically.
pub(super) fn report_command(args: &ReportArgs) -> Result<Output, Error> {
    let (mut profiles, source) = load(&args.profiles)?;
    if !args.only.is_empty() {
        keep_workloads(&mut profiles, &args.only)?;
    }
    let resolved = resolve(&profiles);
    let priced = engine::price(
        &resolved,
        &settings(&args.date, &source, &profiles, args.allow_unverified)?,
    );
    let report = &priced.report;
    let protected: Vec<&Path> = source.folders.iter().map(PathBuf::as_path).collect();
    let mut staging = crate::fs::Staging::begin(&args.out, &protected)?;
    report::write(&priced, &profiles, &args.format, &mut staging)?;
    let files = staging.files();
    staging.commit()?;
    Ok(Output {
        stdout: format!(
            "wrote {} for {} into {} (profiles: {}; report date {})\n",
            crate::format::plural(files, "file"),
            crate::format::plural(report.workloads.len(), "workload"),
            args.out.display(),
            source.description,
            report.as_of
        ),
        stderr: stale_note(report, &profiles, args.date.max_age_days),
        ..Output::default()
    })
}

/// Keeps only the named workloads; an unknown id is an error that lists the known ones.
pub(super) fn keep_workloads(profiles: &mut Profiles, ids: &[String]) -> Result<(), Error> {
    let known: Vec<&str> = profiles
        .workloads
        .iter()
        .map(|w| w.workload.as_str())
        .collect();
    if let Some(missing) = ids.iter().find(|id| !known.contains(&id.as_str())) {
        return Err(Error::Usage(format!(
            "no workload `{missing}`; known workloads: {}",
            known.join(", ")
        )));
    }
    profiles.workloads.retain(|w| ids.contains(&w.workload));
    Ok(())
}

/// `infercost compare`: one workload's options as a table or the JSON contract.
pub(super) fn compare_command(args: &CompareArgs) -> Result<Output, Error> {
    let (mut profiles, source) = load(&args.profiles)?;
    keep_workloads(&mut profiles, std::slice::from_ref(&args.workload))?;
    let report = engine::run(
        &profiles,
        &settings(&args.date, &source, &profiles, args.allow_unverified)?,
    );
    let stdout = match args.format {
        CompareFormat::Json => {
            String::from_utf8_lossy(&report::json::to_json(&report)).into_owned()
        }
        CompareFormat::Table => report::table::render(&report, (!args.wide).then(table_width)),
    };
    Ok(Output {
        stdout,
        stderr: stale_note(&report, &profiles, args.date.max_age_days),
        ..Output::default()
    })
}

/// The width `compare` fits its table in: the terminal's own when standard
/// output is one, else `COLUMNS` when set, else 100.
fn table_width() -> u16 {
    terminal_width()
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// The width of the terminal standard output is, if it is one.
#[cfg(target_os = "linux")]
fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    rustix::termios::tcgetwinsize(&stdout)
        .ok()
        .map(|w| w.ws_col)
        .filter(|&c| c > 0)
}

/// Elsewhere `COLUMNS` (or 100) decides.
#[cfg(not(target_os = "linux"))]
fn terminal_width() -> Option<u16> {
    None
}

/// `infercost validate`: loads every profile and warns about stale vendors.
pub(super) fn validate_command(args: &ValidateArgs) -> Result<Output, Error> {
    let (profiles, source) = load(&args.profiles)?;
    let catalog = super::catalog::load_catalog(args.catalog.as_deref())?;
    let unknown = crate::catalog::unknown_models(&catalog, &source.vendors, &source.workloads);
    if !unknown.is_empty() {
        return Err(Error::Profiles(profile::ProfileErrors(unknown)));
    }
    let today = dates::today();
    let stale = engine::stale_vendors(&profiles.vendors, today, args.max_age_days);
    let mut stderr: String = stale
        .iter()
        .map(|s| {
            format!(
                "warning: {} prices are {} days old as of today ({today}; as_of {}), past the {}-day limit\n",
                s.vendor, s.age_days, s.as_of, args.max_age_days
            )
        })
        .collect();
    for v in profiles.vendors.iter().filter(|v| v.as_of > today) {
        stderr.push_str(&format!(
            "warning: {} as_of {} is after today ({today}); a report needs --as-of {} or later\n",
            v.vendor, v.as_of, v.as_of
        ));
    }
    Ok(Output {
        stdout: format!(
            "ok: {} and {} {} valid, every model in the catalog of {} ({})\n",
            crate::format::plural(profiles.vendors.len(), "vendor"),
            crate::format::plural(profiles.workloads.len(), "workload"),
            if profiles.vendors.len() + profiles.workloads.len() == 1 {
                "is"
            } else {
                "are"
            },
            catalog.models.len(),
            source.description
        ),
        stderr,
        ..Output::default()
    })
}

/// `infercost schema`: the JSON Schema of the profiles.
pub(super) fn schema_command(args: &SchemaArgs) -> Output {
    let schema = match args.kind {
        Some(kind) => profile::schema::of(kind),
        None => profile::schema::either(),
    };
    Output {
        stdout: profile::schema::to_text(&schema),
        ..Output::default()
    }
}
