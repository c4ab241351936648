//! `infercost replay LOG... --workload ID|FILE`: the recorded requests
//! priced on every option of the workload ([`crate::replay`]), beside what
//! the profile predicts for the same period, and the pick on each.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::{json, Value};

use super::commands::keep_workloads;
use super::fit::read;
use super::profiles::{read_profiles, settings};
use super::{DateArgs, Error, Output, ProfileArgs};
use crate::contract::PricedOption;
use crate::diff::escape;
use crate::engine;
use crate::format::{sig9, usd};
use crate::profile::{self, ProfileFile};
use crate::replay::{replay, Recorded, Replayed};
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

/// The replay of one workload, ready to render.
struct Run {
    workload: String,
    log: Log,
    rec: Recorded,
    rows: Vec<Replayed>,
    /// Index in `rows` of the cheapest eligible option on the recording.
    recorded_pick: Option<usize>,
    /// Index in `rows` of the profile's pick.
    profile_pick: Option<usize>,
}

/// Runs `infercost replay`.
pub(super) fn replay_command(args: &ReplayArgs) -> Result<Output, Error> {
    let (log, mut stderr) = read(
        &args.logs,
        args.log_format,
        &args.columns,
        args.log_model.clone(),
    )?;
    if log.span_s() <= 0.0 {
        return Err(Error::Usage(
            "the log's arrivals are all at one instant: there is no period to bill".into(),
        ));
    }
    let mut source = read_profiles(&args.profiles)?;
    let id = match workload_file(&args.workload) {
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
    let mut profiles = profile::load(&source.vendors, &source.workloads)?;
    keep_workloads(&mut profiles, std::slice::from_ref(&id))?;
    let resolved = crate::resolve::resolve(&profiles);
    let priced = engine::price(&resolved, &settings(&args.date, &source, &profiles, false)?);
    let Some((result, pricing)) = priced.iter().next() else {
        return Err(Error::Usage(format!("no workload `{id}`")));
    };
    let rows = replay(&log, pricing, &result.options);
    let recorded_pick = cheapest_eligible(&rows);
    let profile_pick = result
        .pick
        .primary
        .as_ref()
        .and_then(|k| rows.iter().position(|r| r.option.is(k)));
    let run = Run {
        workload: result.workload.clone(),
        rec: Recorded::of(&log),
        log,
        rows,
        recorded_pick,
        profile_pick,
    };
    if run.recorded_pick != run.profile_pick {
        stderr.push_str(
            "note: the pick on the recorded traffic differs from the pick on the profile\n",
        );
    }
    let stdout = match args.format {
        ReplayFormat::Table => table(&run),
        ReplayFormat::Json => json_of(&run),
        ReplayFormat::Md => markdown(&run),
    };
    Ok(Output {
        stdout,
        stderr,
        exit_code: 0,
    })
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

/// The cheapest eligible option on the recording (the first of equals).
fn cheapest_eligible(rows: &[Replayed]) -> Option<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| r.option.eligible())
        .min_by(|a, b| a.1.bill.usd.total_cmp(&b.1.bill.usd))
        .map(|(i, _)| i)
}

/// (profile − recorded) / recorded; `None` when nothing was billed.
fn difference(r: &Replayed) -> Option<f64> {
    (r.bill.usd > 0.0).then(|| r.predicted_usd / r.bill.usd - 1.0)
}

fn signed(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{:+.1}%", 100.0 * x))
}

/// Billed replica-hours recorded and predicted, `sep` between; empty
/// for an option that bills no replicas.
fn replica_hours(r: &Replayed, sep: &str) -> String {
    match (
        r.bill.billed_replica_hours,
        r.predicted_billed_replica_hours,
    ) {
        (Some(a), Some(b)) => format!("{a:.3}{sep}{b:.3}"),
        _ => String::new(),
    }
}

/// The period in words.
fn period(run: &Run) -> String {
    format!(
        "{} requests from {} to {} ({:.0} s)",
        run.rec.requests,
        when(&run.log, run.rec.first_t),
        when(&run.log, run.rec.last_t),
        run.rec.span_s()
    )
}

/// The picks in words.
fn picks(run: &Run, name: impl Fn(&PricedOption) -> String) -> String {
    let of = |i: Option<usize>| i.map_or("none eligible".into(), |i| name(&run.rows[i].option));
    let verdict = if run.recorded_pick == run.profile_pick {
        "the same pick"
    } else {
        "a different pick: the profile's shape is not the recorded traffic's"
    };
    format!(
        "Pick on the recorded traffic: {}; on the profile: {} ({verdict}).",
        of(run.recorded_pick),
        of(run.profile_pick)
    )
}

/// The terminal table: columns as wide as their cells, figures right-aligned
/// (`term::columns`), and the prose wrapped to the reader's width.
fn table(run: &Run) -> String {
    let mut out = format!(
        "{} on the recorded traffic: {}\n",
        run.workload,
        period(run)
    );
    let rows: Vec<Vec<String>> = run
        .rows
        .iter()
        .map(|r| {
            vec![
                crate::profile::visible(&r.option.label()),
                if r.option.eligible() { "yes" } else { "no" }.to_string(),
                usd(r.bill.usd),
                usd(r.predicted_usd),
                signed(difference(r)),
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
    out.push_str(&picks(run, |o| crate::profile::visible(&o.label())));
    out.push_str("\nrecorded: the requests' own tokens (per-token), each request (per-prediction), the pool simulator on the recorded arrivals (dedicated); profile: the engine's $ a day × the period's share of a day; diff: (profile − recorded)/recorded\n");
    super::term::wrap_lines(&out, super::term::table_width())
}

/// The Markdown section.
fn markdown(run: &Run) -> String {
    let mut out = String::from("## On your recorded traffic\n\n");
    out.push_str(&format!(
        "{}: {}. What each option would have billed for them, beside what the profile {} predicts for the same period.\n\n",
        escape::text(&run.log.files.join(", ")),
        escape::text(&period(run)),
        escape::code(&run.workload)
    ));
    out.push_str("| Option | Eligible | Recorded | Profile | Difference | Replica-hours (recorded / profile) |\n");
    out.push_str("|---|---|--:|--:|--:|--:|\n");
    for r in &run.rows {
        let h = replica_hours(r, " / ");
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            escape::text(&r.option.label()),
            if r.option.eligible() { "yes" } else { "no" },
            escape::text(&usd(r.bill.usd)),
            escape::text(&usd(r.predicted_usd)),
            signed(difference(r)),
            h
        ));
    }
    out.push('\n');
    out.push_str(&picks(run, |o| escape::text(&o.label())));
    out.push('\n');
    out
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
    let key = |i: Option<usize>| i.map(|i| run.rows[i].option.key());
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
        "pick": {
            "recorded": key(run.recorded_pick),
            "profile": key(run.profile_pick),
            "same": run.recorded_pick == run.profile_pick,
        },
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
