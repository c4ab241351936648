//! The command line: clap types, and one function per command that loads,
//! runs the engine and returns what to print. `main.rs` prints and exits.
//!
//! This module owns the clap types, the errors and output of a command, and
//! the dispatch; `profiles` finds and loads the profiles of a run,
//! `commands` runs `report`, `compare`, `validate` and `schema`, and `diff`
//! runs `diff`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::profile::{self, ProfileErrors};
use crate::report::Format;

mod capacity;
mod catalog;
mod commands;
mod configured;
pub mod dates;
mod diff;
mod fit;
mod help;
mod import;
mod profiles;
mod quote;
mod replay;
mod shell;
mod shortlist;
mod simulate;
mod term;

use capacity::capacity_command;
pub use capacity::CapacityArgs;
pub use catalog::{coverage, CatalogArgs};
use commands::{compare_command, report_command, schema_command, validate_command};
use diff::diff_command;
pub use fit::FitArgs;
pub use import::{ImportArgs, MapKind};
pub use profiles::{load, read_profiles, ProfileSource};
pub use quote::QuoteArgs;
pub use replay::{LogArgs, ReplayArgs, ReplayFormat};
pub use shell::{CompletionsArgs, ManArgs};
pub use shortlist::VendorFilter;
pub use simulate::SimulateArgs;

/// Which LLM inference platform to run a workload on, what it costs, and where that answer flips.
#[derive(Debug, Parser)]
#[command(name = "infercost", version, about)]
pub struct Cli {
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Price every workload on every offer and write the report into --out.
    #[command(after_help = help::REPORT)]
    Report(ReportArgs),
    /// Print one workload's options as a table (or the JSON contract).
    #[command(after_help = help::COMPARE)]
    Compare(CompareArgs),
    /// Price a workload given by flags, no file: the compare table (--save writes the profile).
    #[command(after_help = help::QUOTE)]
    Quote(QuoteArgs),
    /// Check every profile; exit 2 with all errors if any is invalid.
    #[command(after_help = help::VALIDATE)]
    Validate(ValidateArgs),
    /// Price a base and a head and print what changed, as Markdown for a pull-request comment.
    #[command(after_help = help::DIFF)]
    Diff(DiffArgs),
    /// Print the JSON Schema of vendor and workload profiles.
    #[command(after_help = help::SCHEMA)]
    Schema(SchemaArgs),
    /// Print the canonical model catalog as a coverage table (models × vendors).
    #[command(after_help = help::CATALOG)]
    Catalog(CatalogArgs),
    /// Update the per-token serverless offers of the vendor profiles from a community price map.
    #[command(after_help = help::IMPORT)]
    Import(ImportArgs),
    /// What one dedicated replica of a model on a GPU holds and delivers (memory fit, tokens/s, band).
    #[command(after_help = help::CAPACITY)]
    Capacity(CapacityArgs),
    /// Run a workload's dedicated options through the seeded replica-pool simulation, beside the billing formulas.
    #[command(after_help = help::SIMULATE)]
    Simulate(SimulateArgs),
    /// Print the shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = help::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print the man page, infercost(1), or a command's, infercost-COMMAND(1).
    #[command(after_help = help::MAN)]
    Man(ManArgs),
    /// Fit a workload profile to request logs (CSV, JSON Lines, Azure and Mooncake traces).
    #[command(after_help = help::FIT)]
    Fit(FitArgs),
    /// Price the recorded requests of a log on every option of a workload, beside the profile's prediction.
    #[command(after_help = help::REPLAY)]
    Replay(ReplayArgs),
}

/// Where the profiles are.
#[derive(Debug, Clone, Args)]
pub struct ProfileArgs {
    /// Folder of vendor profiles [default: ./vendors, else the set built into the binary].
    #[arg(long, value_name = "DIR")]
    pub vendors: Option<PathBuf>,
    /// Folder of workload profiles [default: ./workloads, else the set built into the binary].
    #[arg(long, value_name = "DIR")]
    pub workloads: Option<PathBuf>,
    /// Your prices: a config file read after the user's and the project's infercost.toml (and INFERCOST_CONFIG's), winning over them.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Report date and staleness.
#[derive(Debug, Clone, Args)]
pub struct DateArgs {
    /// Report date: `today` or YYYY-MM-DD [default: today (UTC), for every command that prices].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<dates::AsOf>,
    /// Flag vendors whose as_of is more than N days before the report date (and warn when they are against today) [default: INFERCOST_MAX_AGE_DAYS, else the config's, else 90].
    #[arg(long, value_name = "N")]
    pub max_age_days: Option<i64>,
}

impl DateArgs {
    /// The staleness limit: the flag (or the setting filled in for it), else 90.
    pub fn max_age(&self) -> i64 {
        self.max_age_days
            .unwrap_or(configured::DEFAULT_MAX_AGE_DAYS)
    }
}

/// `infercost report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Where the profiles are.
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// Report date and staleness.
    #[command(flatten)]
    pub date: DateArgs,
    /// Which vendors to price.
    #[command(flatten)]
    pub vendor_filter: VendorFilter,
    /// Output folder; replaced as a whole, atomically.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Formats to write, comma-separated [default: INFERCOST_FORMATS, else the config's, else json,md,html].
    #[arg(long, value_delimiter = ',')]
    pub format: Vec<Format>,
    /// Report only these workloads (ids, comma-separated) [default: all].
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub only: Vec<String>,
    /// Admit options whose required facts are not verified either way (compliance, isolation, LoRA with no source found; GPU rates marked `unverified`), flagged; by default they are excluded and listed with their cost.
    #[arg(long)]
    pub allow_unverified: bool,
    /// Request logs replayed on the report's one workload (`--only ID` when there are several), read in order as one recording: its report gets "On your recorded traffic".
    #[arg(long = "replay", value_name = "LOG")]
    pub replay: Vec<PathBuf>,
    /// How to read the `--replay` logs.
    #[command(flatten)]
    pub log: LogArgs,
}

/// Output of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CompareFormat {
    /// A terminal table.
    Table,
    /// The JSON contract.
    Json,
}

/// `infercost compare`.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// Workload id (file stem in the workloads folder).
    pub workload: String,
    /// Where the profiles are.
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// Report date and staleness.
    #[command(flatten)]
    pub date: DateArgs,
    /// Which vendors to price.
    #[command(flatten)]
    pub vendor_filter: VendorFilter,
    /// What to print, and how.
    #[command(flatten)]
    pub output: CompareOutput,
}

/// What `compare` and `quote` print, and how.
#[derive(Debug, Clone, Args)]
pub struct CompareOutput {
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CompareFormat,
    /// Show every column, unwrapped, however wide [default: fit the terminal, else $COLUMNS, else 100 columns].
    #[arg(long)]
    pub wide: bool,
    /// Admit options whose required facts are not verified either way (compliance, isolation, LoRA with no source found; GPU rates marked `unverified`), flagged; by default they are excluded and listed with their cost.
    #[arg(long)]
    pub allow_unverified: bool,
}

/// `infercost validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Where the profiles are.
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// The model catalog every model id must be in [default: ./catalog/models.yaml, else the one built into the binary].
    #[arg(long, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    /// Warn about vendors whose as_of is more than N days older than the newest one [default: INFERCOST_MAX_AGE_DAYS, else the config's, else 90].
    #[arg(long, value_name = "N")]
    pub max_age_days: Option<i64>,
}

/// Output of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Markdown for a pull-request comment.
    Markdown,
    /// The diff as JSON.
    Json,
}

/// `infercost diff`.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("base_side").required(true).args(["base", "base_rev", "base_dir"])))]
#[command(group(clap::ArgGroup::new("head_side").args(["head", "head_rev", "head_dir"])))]
pub struct DiffArgs {
    /// The base: `rev:REV` (a git revision: `origin/main`, `HEAD~1`) or `dir:DIR` (a folder holding vendors/ and workloads/); a bare name that is both a folder and a revision is refused.
    #[arg(long, value_name = "rev:REV|dir:DIR")]
    pub base: Option<String>,
    /// The base is this git revision, whatever folders exist.
    #[arg(long, value_name = "REV")]
    pub base_rev: Option<String>,
    /// The base is this folder holding vendors/ and workloads/.
    #[arg(long, value_name = "DIR")]
    pub base_dir: Option<String>,
    /// The head, `rev:REV` or `dir:DIR` like the base [default: ./vendors and ./workloads, else the set built into the binary].
    #[arg(long, value_name = "rev:REV|dir:DIR")]
    pub head: Option<String>,
    /// The head is this git revision.
    #[arg(long, value_name = "REV")]
    pub head_rev: Option<String>,
    /// The head is this folder holding vendors/ and workloads/.
    #[arg(long, value_name = "DIR")]
    pub head_dir: Option<String>,
    /// Report date and staleness; both sides are priced on the head's report date.
    #[command(flatten)]
    pub date: DateArgs,
    /// Which vendors to price.
    #[command(flatten)]
    pub vendor_filter: VendorFilter,
    /// What to print.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: DiffFormat,
    /// Exit with status 1 when a workload's pick changed (a CI gate).
    #[arg(long)]
    pub fail_on_pick_change: bool,
    /// Exit with status 1 when a workload's pick costs more than PCT percent more a month.
    #[arg(long, value_name = "PCT")]
    pub fail_on_cost_increase: Option<f64>,
    /// Exit with status 1 when a workload's pick costs more than USD dollars more a month.
    #[arg(long, value_name = "USD")]
    pub fail_on_cost_increase_usd: Option<f64>,
    /// Exit with status 1 when a workload's pick newly goes over its budget.
    #[arg(long)]
    pub fail_on_budget_breach: bool,
    /// List costs and thresholds that moved by more than PCT percent (eligibility changes always).
    #[arg(long, value_name = "PCT", default_value_t = crate::diff::DEFAULT_MIN_CHANGE * 100.0)]
    pub min_change_pct: f64,
    /// Cut the Markdown to at most N bytes, at a line, with a note (a GitHub comment holds 65,536 characters).
    #[arg(long, value_name = "N")]
    pub max_bytes: Option<usize>,
    /// Where the note of a cut diff says the whole diff is.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Run `infercost diff` for the whole diff."
    )]
    pub cut_note: String,
}

/// `infercost schema`.
#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// Which profiles [default: one schema for both, by the presence of a `vendor` field].
    #[arg(long, value_enum)]
    pub kind: Option<profile::schema::Kind>,
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Invalid profiles (exit status 2).
    #[error(transparent)]
    Profiles(#[from] ProfileErrors),
    /// Bad arguments (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// Writing the report failed (exit status 1).
    #[error(transparent)]
    Write(#[from] crate::fs::WriteError),
    /// Git could not give the profiles of a revision (exit status 2).
    #[error(transparent)]
    Git(#[from] crate::diff::git::GitError),
    /// A price map that cannot be imported (exit status 2; nothing written).
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// Writing an imported profile failed (exit status 1).
    #[error("{0}")]
    Io(String),
}

impl Error {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Profiles(_) | Error::Usage(_) | Error::Git(_) | Error::Import(_) => 2,
            Error::Write(_) | Error::Io(_) => 1,
        }
    }
}

/// What a successful command prints: to standard output and standard error.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error (notes and warnings).
    pub stderr: String,
    /// Exit status: 0, or 1 when a CI gate (`diff --fail-on-pick-change`) tripped.
    pub exit_code: i32,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Output, Error> {
    match cli.command {
        Command::Report(args) => report_command(&args),
        Command::Compare(args) => compare_command(&args),
        Command::Quote(args) => quote::quote_command(&args),
        Command::Validate(args) => validate_command(&args),
        Command::Diff(args) => diff_command(&args),
        Command::Schema(args) => Ok(schema_command(&args)),
        Command::Catalog(args) => catalog::catalog_command(&args),
        Command::Import(args) => import::import_command(&args),
        Command::Capacity(args) => capacity_command(&args),
        Command::Simulate(args) => simulate::simulate_command(&args),
        Command::Completions(args) => Ok(shell::completions_command(&args)),
        Command::Man(args) => shell::man_command(&args),
        Command::Fit(args) => fit::fit_command(&args),
        Command::Replay(args) => replay::replay_command(&args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
