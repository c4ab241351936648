//! `infercost simulate WORKLOAD`: every dedicated option of a workload run
//! through the seeded pool simulation (docs/design.md, "Replica pools"),
//! beside the engine's billing formula and the pool's closed form, with
//! their differences. Same seed, same output, byte for byte.

use clap::Args;
use serde_json::{json, Value};

use super::commands::keep_workloads;
use super::configured::Configured;
use super::profiles::{load_configured, settings};
use super::term::{columns, table_width, wrap_lines, Progress};
use super::{CompareFormat, DateArgs, Error, Output, ProfileArgs};
use crate::engine::{self, Pricing};
use crate::format::{count, sig9};
use crate::model::dedicated::Replica;
use crate::model::pool::{closed, sim, Arrivals, Policy, Pool, PoolDay};
use crate::resolve::resolve;

/// `infercost simulate`.
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// Workload id (file stem in the workloads folder).
    pub workload: String,
    /// Only this vendor's options.
    #[arg(long)]
    pub vendor: Option<String>,
    /// Days simulated (independent replications).
    #[arg(long, default_value_t = 8)]
    pub days: u32,
    /// Seed of the simulation.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Where the profiles are.
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// Report date and staleness.
    #[command(flatten)]
    pub date: DateArgs,
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CompareFormat,
}

/// One dedicated option, simulated (with the days run; `Err` when a day
/// has more arrivals than a run takes) and in closed form.
struct Row {
    label: String,
    engine_billed: f64,
    closed: PoolDay,
    simulated: Result<(sim::Simulated, u32), sim::TooBusy>,
}

/// Runs `infercost simulate`.
pub(super) fn simulate_command(args: &SimulateArgs) -> Result<Output, Error> {
    if args.days == 0 || args.days > 1000 {
        return Err(Error::Usage(format!(
            "--days {}: expected 1 to 1000 simulated days",
            args.days
        )));
    }
    let configured = Configured::find(args.profiles.config.as_deref())?;
    let date = configured.date(&args.date);
    let (mut profiles, source) = load_configured(&args.profiles, &configured)?;
    keep_workloads(&mut profiles, std::slice::from_ref(&args.workload))?;
    if let Some(vendor) = &args.vendor {
        let known = profiles.vendors.iter().map(|v| v.vendor.as_str());
        if !known.clone().any(|k| k == vendor) {
            let hint = crate::profile::suggest::did_you_mean(vendor, known.clone());
            let list: Vec<&str> = known.collect();
            return Err(Error::Usage(format!(
                "--vendor: no vendor `{vendor}`; {hint}{}known vendors: {}",
                if hint.is_empty() { "" } else { " " },
                list.join(", ")
            )));
        }
    }
    let resolved = resolve(&profiles);
    let priced = engine::price(&resolved, &settings(&date, &source, &profiles, false)?);
    let Some((_, pricing)) = priced.iter().next() else {
        return Err(Error::Usage(format!("no workload `{}`", args.workload)));
    };
    let rows = rows(pricing, args);
    if rows.is_empty() {
        return Err(Error::Usage(format!(
            "workload `{}` has no dedicated option{}",
            args.workload,
            args.vendor
                .as_ref()
                .map_or(String::new(), |v| format!(" at vendor `{v}`"))
        )));
    }
    let stdout = match args.format {
        CompareFormat::Json => json_of(&rows, args),
        CompareFormat::Table => table_of(&rows, args),
    };
    Ok(Output {
        stdout,
        ..Output::default()
    })
}

/// The dedicated options of the workload (of `--vendor` only), simulated,
/// with a progress line on a terminal (a run takes seconds to minutes).
fn rows(p: &Pricing, args: &SimulateArgs) -> Vec<Row> {
    let arrivals: Arrivals = p.demand.hourly_arrivals(&p.weights);
    let target = p.workload.traffic.target_utilization;
    let chosen: Vec<_> = p
        .costed
        .iter()
        .filter(|c| args.vendor.as_deref().is_none_or(|v| c.vendor.vendor == v))
        .filter(|c| c.dedicated.is_some())
        .collect();
    let json = args.format == CompareFormat::Json;
    let progress = Progress::new("simulating option", chosen.len(), json);
    chosen
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            progress.step(i + 1);
            let (replica, cost) = c.dedicated.as_ref()?;
            let crate::price::Offer::Dedicated(_, dep) = c.offer else {
                return None;
            };
            let pool = pool_of(replica, cost.replicas_peak, p, target);
            Some(Row {
                label: format!("{} {}×{}", c.vendor.vendor, dep.gpus_per_replica, dep.gpu),
                engine_billed: cost.billed_replica_hours,
                closed: closed::day(&pool, &arrivals),
                simulated: sim::bounded(
                    &pool,
                    &arrivals,
                    sim::Run {
                        days: args.days,
                        seed: args.seed,
                    },
                ),
            })
        })
        .collect()
}

/// The pool of a replica; an always-on pool is fixed at the engine's peak
/// (`replicas_peak` of its priced cost).
fn pool_of(replica: &Replica, replicas_peak: u32, p: &Pricing, target: f64) -> Pool {
    let mut pool = replica.pool(&p.demand, target);
    if let Policy::Fixed(_) = pool.policy {
        pool.policy = Policy::Fixed(replicas_peak.max(1));
    }
    pool
}

/// (closed − simulated) / simulated, or 0 when nothing is simulated.
fn difference(closed: f64, simulated: f64) -> f64 {
    if simulated > 0.0 {
        closed / simulated - 1.0
    } else {
        0.0
    }
}

/// A signed percentage with one decimal.
fn signed(x: f64) -> String {
    format!("{:+.1}%", 100.0 * x)
}

/// The tables, one line per option in each: the billed replica-hours, then
/// the cold starts and waits (two tables, so that each fits 100 columns).
fn table_of(rows: &[Row], args: &SimulateArgs) -> String {
    let mut out = format!(
        "{} simulated {} day(s), seed {}: billed replica-hours a day\n",
        args.workload, args.days, args.seed
    );
    let billed: Vec<Vec<String>> = rows.iter().map(billed_cells).collect();
    out.push_str(&columns(
        &[
            "option",
            "simulated (95% CI)",
            "busy",
            "engine formula",
            "pool closed form",
        ],
        &billed,
    ));
    out.push_str("\ncold starts a day and waits (simulated / closed form)\n");
    let waits: Vec<Vec<String>> = rows.iter().map(wait_cells).collect();
    out.push_str(&columns(
        &[
            "option",
            "starts/day",
            "cold-wait",
            "wait p50",
            "wait p99",
            "peak replicas",
        ],
        &waits,
    ));
    out.push_str(
        "\nengine formula: what the report bills today; pool closed form: docs/design.md, \"Replica pools\"; differences are against the simulation\n",
    );
    out.push_str(&bounds_note(rows, args.days));
    wrap_lines(&out, table_width())
}

/// The cells of an option that was not simulated: the closed form's, and why.
fn unsimulated_cells(r: &Row, busy: &sim::TooBusy, width: usize) -> Vec<String> {
    let mut cells = vec![
        r.label.clone(),
        format!("not simulated: {} arrivals a day", count(busy.arrivals)),
    ];
    cells.resize(width - 1, String::new());
    cells.push(format!("{:.2}", r.closed.billed_replica_hours));
    cells
}

fn billed_cells(r: &Row) -> Vec<String> {
    let (s, _) = match &r.simulated {
        Ok(run) => run,
        Err(busy) => return unsimulated_cells(r, busy, 5),
    };
    let sim_billed = s.mean.billed_replica_hours;
    vec![
        r.label.clone(),
        format!(
            "{:.2} [{:.2}, {:.2}]",
            sim_billed, s.billed_ci95[0], s.billed_ci95[1]
        ),
        format!("{:.2}", s.mean.busy_replica_hours),
        format!(
            "{:.2} {}",
            r.engine_billed,
            signed(difference(r.engine_billed, sim_billed))
        ),
        format!(
            "{:.2} {}",
            r.closed.billed_replica_hours,
            signed(difference(r.closed.billed_replica_hours, sim_billed))
        ),
    ]
}

fn wait_cells(r: &Row) -> Vec<String> {
    let (s, _) = match &r.simulated {
        Ok(run) => run,
        Err(busy) => return unsimulated_cells(r, busy, 6),
    };
    vec![
        r.label.clone(),
        format!(
            "{}/{}",
            count(s.mean.cold_starts),
            count(r.closed.cold_starts)
        ),
        format!("{:.2}%", 100.0 * s.mean.cold_start_wait_share),
        format!("{:.3} s", s.wait_p50_s),
        format!("{:.3} s", s.wait_p99_s),
        format!("{:.1}/{:.1}", s.mean.peak_replicas, r.closed.peak_replicas),
    ]
}

/// What the bounds left out, one line each (empty when nothing).
fn bounds_note(rows: &[Row], days: u32) -> String {
    let skipped = rows.iter().filter(|r| r.simulated.is_err()).count();
    let fewer = rows
        .iter()
        .filter_map(|r| r.simulated.as_ref().ok())
        .map(|(_, d)| *d)
        .min()
        .filter(|&d| d < days);
    let mut out = String::new();
    if skipped > 0 {
        out.push_str(&format!(
            "{skipped} option(s) not simulated: a day of theirs has more than the {} arrivals one simulated day takes; their closed form stands\n",
            count(sim::MOST_ARRIVALS_A_RUN)
        ));
    }
    if let Some(d) = fewer {
        out.push_str(&format!(
            "as few as {d} of the {days} days asked were simulated: at most {} arrivals a run\n",
            count(sim::MOST_ARRIVALS_IN_ALL)
        ));
    }
    out
}

/// The JSON: one object per option.
fn json_of(rows: &[Row], args: &SimulateArgs) -> String {
    let options: Vec<Value> = rows
        .iter()
        .map(|r| {
            let (s, days) = match &r.simulated {
                Ok(run) => run,
                Err(busy) => return unsimulated_json(r, busy),
            };
            let sim_billed = s.mean.billed_replica_hours;
            json!({
                "option": r.label,
                "simulated": {
                    "days": days,
                    "billed_replica_hours_per_day": sig9(sim_billed),
                    "billed_ci95": [sig9(s.billed_ci95[0]), sig9(s.billed_ci95[1])],
                    "busy_replica_hours_per_day": sig9(s.mean.busy_replica_hours),
                    "cold_starts_per_day": sig9(s.mean.cold_starts),
                    "cold_start_wait_share": sig9(s.mean.cold_start_wait_share),
                    "cold_start_wait_share_ci95": [
                        sig9(s.cold_start_wait_share_ci95[0]),
                        sig9(s.cold_start_wait_share_ci95[1])
                    ],
                    "wait_p50_s": sig9(s.wait_p50_s),
                    "wait_p99_s": sig9(s.wait_p99_s),
                    "peak_replicas": sig9(s.mean.peak_replicas),
                    "requests": s.requests,
                },
                "engine_formula": {
                    "billed_replica_hours_per_day": sig9(r.engine_billed),
                    "difference": sig9(difference(r.engine_billed, sim_billed)),
                },
                "pool_closed_form": {
                    "billed_replica_hours_per_day": sig9(r.closed.billed_replica_hours),
                    "cold_starts_per_day": sig9(r.closed.cold_starts),
                    "cold_start_wait_share": sig9(r.closed.cold_start_wait_share),
                    "peak_replicas": sig9(r.closed.peak_replicas),
                    "difference": sig9(difference(r.closed.billed_replica_hours, sim_billed)),
                },
            })
        })
        .collect();
    let v = json!({
        "workload": args.workload,
        "days": args.days,
        "most_arrivals_a_day": sim::MOST_ARRIVALS_A_RUN,
        "most_arrivals_in_all": sim::MOST_ARRIVALS_IN_ALL,
        "seed": args.seed,
        "options": options,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// An option not simulated: the closed form's figures, and the arrivals a
/// simulated day of it would take.
fn unsimulated_json(r: &Row, busy: &sim::TooBusy) -> Value {
    json!({
        "option": r.label,
        "simulated": null,
        "not_simulated": {"arrivals_a_day": sig9(busy.arrivals)},
        "engine_formula": {"billed_replica_hours_per_day": sig9(r.engine_billed)},
        "pool_closed_form": {
            "billed_replica_hours_per_day": sig9(r.closed.billed_replica_hours),
            "cold_starts_per_day": sig9(r.closed.cold_starts),
            "cold_start_wait_share": sig9(r.closed.cold_start_wait_share),
            "peak_replicas": sig9(r.closed.peak_replicas),
        },
    })
}
