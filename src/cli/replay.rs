//! `infercost replay LOG... --workload ID|FILE`: the recorded requests
//! priced on every option of the workload ([`crate::replay`]), beside what
//! the profile predicts for the same period, and the pick on each.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{json, Value};

use super::commands::keep_workloads;
use super::configured::Configured;
use super::fit::read;
use super::profiles::{load_priced, read_profiles, settings};
use super::{DateArgs, Error, Output, ProfileArgs};
use crate::contract::{PricedOption, RecordedTraffic};
use crate::engine;
use crate::format::{sig9, usd};
use crate::profile::{self, ProfileFile};
use crate::replay::{difference, replay, traffic, Recorded, Replayed};
use crate::report::recorded::{self, picks, replica_hours, signed};
use crate::trace::{yaml::when, Log, LogFormat};

/// Output of `replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReplayFormat {
    /// A terminal table.
    Table,
    /// JSON.
    Json,
    /// A Markdown section ("On your recorded traffic").
    Md,
}

/// `infercost replay`.
#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// Request logs (CSV or JSON Lines), read in order.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// The workload: an id in the workloads folder, or a profile file (e.g. one `infercost fit` wrote).
    #[arg(long, value_name = "ID|FILE")]
    pub workload: String,
    /// Where the profiles are.
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// Report date and staleness.
    #[command(flatten)]
    pub date: DateArgs,
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReplayFormat,
    /// How to read the logs.
    #[command(flatten)]
    pub log: LogArgs,
}

/// How request logs are read (`replay`, `report --replay`).
#[derive(Debug, Clone, Args)]
pub struct LogArgs {
    /// The logs' format [default: decided from the first line].
    #[arg(long, value_enum, default_value = "auto")]
    pub log_format: LogFormat,
    /// Keep only the requests of this model name in the log.
    #[arg(long, value_name = "NAME")]
    pub log_model: Option<String>,
    /// Map columns to roles, comma-separated: ROLE=COLUMN.
    #[arg(long, value_delimiter = ',', value_name = "ROLE=COLUMN")]
    pub columns: Vec<String>,
}

/// Reads the logs to replay: bad lines beyond the share fail, and a log
/// whose arrivals are all at one instant has no period to bill.
pub(super) fn recorded_log(logs: &[PathBuf], how: &LogArgs) -> Result<(Log, String), Error> {
    let (log, stderr) = read(logs, how.log_format, &how.columns, how.log_model.clone())?;
    if log.models.len() > 1 {
        return Err(super::fit::several_models(&log, false));
    }
    if log.span_s() <= 0.0 {
        return Err(Error::Usage(
            "the log's arrivals are all at one instant: there is no period to bill".into(),
        ));
    }
    Ok((log, stderr))
}

/// The replay of one workload, ready to render.
struct Run {
    workload: String,
    log: Log,
    rec: Recorded,
    rows: Vec<Replayed>,
    /// The options as the engine priced them on the profile.
    options: Vec<PricedOption>,
    /// The same replay in the contract's terms, with the picks.
    traffic: RecordedTraffic,
}

/// Runs `infercost replay`.
pub(super) fn replay_command(args: &ReplayArgs) -> Result<Output, Error> {
    let (log, mut stderr) = recorded_log(&args.logs, &args.log)?;
    let configured = Configured::find(args.profiles.config.as_deref())?;
    let date = configured.date(&args.date);
    let mut source = read_profiles(&args.profiles)?;
    let file = workload_file(&args.workload);
    configured.add_folders(&mut source, file.is_none())?;
    let id = match file {
        Some(path) => {
            let file = ProfileFile::read(path);
            let id = path
                .file_stem()
                .map_or(String::new(), |s| s.to_string_lossy().into_owned());
            source.workloads = vec![file];
            id
        }
        None => args.workload.clone(),
    };
    let mut profiles = load_priced(&source, &configured)?;
    keep_workloads(&mut profiles, std::slice::from_ref(&id))?;
    let resolved = crate::resolve::resolve(&profiles);
    let priced = engine::price(&resolved, &settings(&date, &source, &profiles, false)?);
    let Some((result, pricing)) = priced.iter().next() else {
        return Err(Error::Usage(format!("no workload `{id}`")));
    };
    let rows = replay(&log, pricing, &result.options);
    let traffic = traffic(&log, &rows, result.pick.primary.as_ref());
    if !traffic.pick.same {
        stderr.push_str(&differs_note());
    }
    let run = Run {
        workload: result.workload.clone(),
        rec: Recorded::of(&log),
        log,
        rows,
        options: result.options.clone(),
        traffic,
    };
    let stdout = match args.format {
        ReplayFormat::Table => table(&run),
        ReplayFormat::Json => json_of(&run),
        ReplayFormat::Md => recorded::section(&run.traffic, &run.workload, &run.options),
    };
    Ok(Output {
        stdout,
        stderr,
        exit_code: 0,
    })
}

/// The `--replay` logs of `report`, read before anything is priced (with
/// their warnings); `None` without any. They describe one workload's
/// traffic, so the profiles must be down to one (`--only ID`).
pub(super) fn report_log(
    logs: &[PathBuf],
    how: &LogArgs,
    profiles: &profile::Profiles,
) -> Result<Option<(Log, String)>, Error> {
    if logs.is_empty() {
        return Ok(None);
    }
    if profiles.workloads.len() != 1 {
        let ids: Vec<&str> = profiles
            .workloads
            .iter()
            .map(|w| w.workload.as_str())
            .collect();
        return Err(Error::Usage(format!(
            "--replay prices a log on one workload, and the report has {}: name it with --only ID (one of: {})",
            ids.len(),
            ids.join(", ")
        )));
    }
    recorded_log(logs, how).map(Some)
}

/// Replays `log` on the one workload of `priced` and keeps the result in
/// its contract entry (so every format of the report shows it); returns
/// what to print on standard error: the log's warnings and, when the picks
/// differ, a note.
pub(super) fn attach(priced: &mut engine::Priced, log: &Log, read_notes: &str) -> String {
    let Some((result, pricing)) = priced.iter().next() else {
        return read_notes.to_string();
    };
    let rows = replay(log, pricing, &result.options);
    let traffic = traffic(log, &rows, result.pick.primary.as_ref());
    let mut notes = read_notes.to_string();
    if !traffic.pick.same {
        notes.push_str(&differs_note());
    }
    if let Some(w) = priced.report.workloads.first_mut() {
        w.recorded_traffic = Some(traffic);
    }
    notes
}

/// The note on standard error when the two picks differ.
fn differs_note() -> String {
    "note: the pick on the recorded traffic differs from the pick on the profile\n".into()
}

/// `arg` as a profile file when it names one (a path with a `.yaml` or
/// `.yml` extension, or a file that exists).
fn workload_file(arg: &str) -> Option<&Path> {
    let p = Path::new(arg);
    let yaml = p
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    (yaml || p.is_file()).then_some(p)
}

/// The terminal table: columns as wide as their cells, figures right-aligned
/// (`term::columns`), and the prose wrapped to the reader's width.
fn table(run: &Run) -> String {
    let mut out = format!(
        "{} on the recorded traffic: {}\n",
        run.workload,
        recorded::period(&run.traffic)
    );
    let rows: Vec<Vec<String>> = run
        .traffic
        .options
        .iter()
        .map(|r| {
            vec![
                crate::profile::visible(&recorded::label(&r.key, &run.options)),
                recorded::eligibility(r).to_string(),
                usd(r.usd),
                usd(r.predicted_usd),
                signed(r.difference),
                replica_hours(r, "/"),
            ]
        })
        .collect();
    out.push_str(&super::term::columns(
        &[
            "option",
            "eligible",
            "recorded",
            "profile",
            "diff",
            "replica-h rec/profile",
        ],
        &rows,
    ));
    out.push_str(&picks(&run.traffic, |k| {
        crate::profile::visible(&recorded::label(k, &run.options))
    }));
    out.push_str("\nrecorded: the requests' own tokens (per-token), each request (per-prediction), the pool simulator on the recorded arrivals, each request served for its own time (dedicated); profile: the engine's $ a day × the period's share of a day; diff: (profile − recorded)/recorded; no: cold starts: more recorded requests waited for a replica to start than the workload allows (requirements.max_cold_start_share), leaving out those that arrived during the cold start the recording opens with, as the log does not say whether the pool was up before it\n");
    super::term::wrap_lines(&out, super::term::table_width())
}

/// The JSON.
fn json_of(run: &Run) -> String {
    let options: Vec<Value> = run
        .rows
        .iter()
        .map(|r| {
            let o = &r.option;
            json!({
                "vendor": o.vendor,
                "offer": o.offer,
                "model": o.model,
                "gpu": o.gpu,
                "gpus_per_replica": o.gpus_per_replica,
                "tier": o.tier,
                "eligible": o.eligible(),
                "cold_start_wait_share": r.bill.cold_start_wait_share.map(sig9),
                "opening_cold_start_waits": r.bill.opening_waits,
                "over_cold_start_budget": r.over_cold_start_budget,
                "usd": sig9(r.bill.usd),
                "billed_replica_hours": r.bill.billed_replica_hours.map(sig9),
                "fixed_replicas": r.bill.fixed_replicas,
                "cold_starts": r.bill.cold_starts.map(sig9),
                "wait_p99_s": r.bill.wait_p99_s.map(sig9),
                "predicted": {
                    "usd": sig9(r.predicted_usd),
                    "billed_replica_hours": r.predicted_billed_replica_hours.map(sig9),
                },
                "difference": difference(r).map(sig9),
            })
        })
        .collect();
    let v = json!({
        "workload": run.workload,
        "recorded": {
            "logs": run.log.files,
            "first_arrival": when(&run.log, run.rec.first_t),
            "last_arrival": when(&run.log, run.rec.last_t),
            "seconds": sig9(run.rec.span_s()),
            "requests": run.rec.requests,
            "input_tokens": run.rec.input,
            "cached_tokens": run.rec.cached,
            "output_tokens": run.rec.output,
        },
        "options": options,
        "pick": run.traffic.pick,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
