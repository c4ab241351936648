//! The commands that price or check the profiles as they are: `report`
//! (write the whole report), `compare` (one workload's table or JSON),
//! `validate` (check every profile) and `schema` (print the JSON Schema).

use std::path::{Path, PathBuf};

use super::configured::Configured;
use super::dates;
use super::profiles::{load_configured, settings, stale_note};
use super::shortlist::narrow;
use super::term::{table_width, wrap_lines, Progress};
use super::{
    CompareArgs, CompareFormat, CompareOutput, DateArgs, Error, Output, ReportArgs, SchemaArgs,
    ValidateArgs,
};
use crate::contract::Report;
use crate::engine;
use crate::profile::{self, Profiles};
use crate::report;
use crate::resolve::resolve;

/// `infercost report`: prices every workload and writes the report atomically.
pub(super) fn report_command(args: &ReportArgs) -> Result<Output, Error> {
    let configured = Configured::find(args.profiles.config.as_deref())?;
    let formats = configured.formats(&args.format)?;
    let date = configured.date(&args.date);
    let (mut profiles, mut source) = load_configured(&args.profiles, &configured)?;
    if !args.only.is_empty() {
        keep_workloads(&mut profiles, &args.only)?;
    }
    let left_out = narrow(&args.vendor_filter, &mut profiles, &mut source)?;
    let recorded = super::replay::report_log(&args.replay, &args.log, &profiles)?;
    // Stages shown on a terminal: pricing, then rendering and writing.
    let json_only = formats == [report::Format::Json];
    let progress = Progress::new("report: pricing, then writing; stage", 2, json_only);
    progress.step(1);
    let settings = settings(&date, &source, &profiles, args.allow_unverified)?;
    let protected: Vec<&Path> = source.folders.iter().map(PathBuf::as_path).collect();
    // JSON alone is priced and written a chunk of workloads at a time (the
    // same bytes, in bounded memory); the other formats need the whole
    // report for the index, and a replay needs its one workload priced.
    let mut replayed = String::new();
    let (staging, report) = if json_only && recorded.is_none() {
        let mut staging = crate::fs::Staging::begin(&args.out, &protected)?;
        let header = report::write_json_in_chunks(&profiles, &settings, &mut staging)?;
        (staging, header)
    } else {
        let resolved = resolve(&profiles);
        let mut priced = engine::price(&resolved, &settings);
        if let Some((log, read_notes)) = &recorded {
            replayed = super::replay::attach(&mut priced, log, read_notes);
        }
        progress.step(2);
        let mut staging = crate::fs::Staging::begin(&args.out, &protected)?;
        report::write(&priced, &profiles, &formats, &mut staging)?;
        (staging, priced.report)
    };
    let files = staging.files();
    staging.commit()?;
    let summary = format!(
        "wrote {} for {} into {} (profiles: {}; report date {})\n",
        crate::format::plural(files, "file"),
        crate::format::plural(profiles.workloads.len(), "workload"),
        args.out.display(),
        source.description,
        report.as_of
    );
    Ok(Output {
        stdout: wrap_lines(&summary, table_width()),
        stderr: left_out + &replayed + &stale_note(&report, &profiles, date.max_age()),
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
    let configured = Configured::find(args.profiles.config.as_deref())?;
    let date = configured.date(&args.date);
    let (mut profiles, mut source) = load_configured(&args.profiles, &configured)?;
    keep_workloads(&mut profiles, std::slice::from_ref(&args.workload))?;
    let left_out = narrow(&args.vendor_filter, &mut profiles, &mut source)?;
    let report = engine::run(
        &profiles,
        &settings(&date, &source, &profiles, args.output.allow_unverified)?,
    );
    let mut out = compare_output(&report, &profiles, &args.output, &date);
    out.stderr = left_out + &out.stderr;
    Ok(out)
}

/// What `compare` (and `quote`) print: the table fitted to the terminal
/// (every column with `wide`) or the JSON contract, and the staleness note.
pub(super) fn compare_output(
    report: &Report,
    profiles: &Profiles,
    output: &CompareOutput,
    date: &DateArgs,
) -> Output {
    let stdout = match output.format {
        CompareFormat::Json => String::from_utf8_lossy(&report::json::to_json(report)).into_owned(),
        CompareFormat::Table => report::table::render(report, (!output.wide).then(table_width)),
    };
    Output {
        stdout,
        stderr: stale_note(report, profiles, date.max_age()),
        ..Output::default()
    }
}

/// `infercost validate`: loads every profile and warns about stale vendors.
pub(super) fn validate_command(args: &ValidateArgs) -> Result<Output, Error> {
    let configured = Configured::find(args.profiles.config.as_deref())?;
    let max_age_days = configured.max_age_days(args.max_age_days);
    let (profiles, source) = load_configured(&args.profiles, &configured)?;
    let catalog = super::catalog::load_catalog(args.catalog.as_deref())?;
    let unknown = crate::catalog::unknown_models(&catalog, &source.vendors, &source.workloads);
    if !unknown.is_empty() {
        return Err(Error::Profiles(profile::ProfileErrors(unknown)));
    }
    let today = dates::today();
    let stale = engine::stale_vendors(&profiles.vendors, today, max_age_days);
    let mut stderr: String = stale
        .iter()
        .map(|s| {
            format!(
                "warning: {} prices are {} days old as of today ({today}; as_of {}), past the {}-day limit\n",
                s.vendor, s.age_days, s.as_of, max_age_days
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

/// The staging folder takes the report's files as they are rendered: the
/// glue between render and write lives here, above both, so that neither
/// stage imports the other.
impl report::Sink for crate::fs::Staging {
    type Error = crate::fs::WriteError;

    fn put(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Self::Error> {
        crate::fs::Staging::put(self, path, bytes)
    }

    fn append(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Self::Error> {
        crate::fs::Staging::append(self, path, bytes)
    }
}
