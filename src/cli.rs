//! The command line: clap types, and one function per command that loads,
//! runs the engine and returns what to print. `main.rs` prints and exits.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::contract::Report;
use crate::engine::{self, Settings};
use crate::profile::{self, ProfileErrors, ProfileFile, Profiles};
use crate::report::{self, Format};

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
    Report(ReportArgs),
    /// Print one workload's options as a table (or the JSON contract).
    Compare(CompareArgs),
    /// Check every profile; exit 2 with all errors if any is invalid.
    Validate(ValidateArgs),
    /// Price a base and a head and print what changed, as Markdown for a pull-request comment.
    Diff(DiffArgs),
    /// Print the JSON Schema of vendor and workload profiles.
    Schema(SchemaArgs),
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
}

/// Report date and staleness.
#[derive(Debug, Clone, Args)]
pub struct DateArgs {
    /// Report date (YYYY-MM-DD) [default: the newest as_of among the vendors].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Flag vendors whose as_of is more than N days before the report date.
    #[arg(long, value_name = "N", default_value_t = 90)]
    pub max_age_days: i64,
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
    /// Output folder; replaced as a whole, atomically.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// Formats to write, comma-separated.
    #[arg(long, value_delimiter = ',', default_values = ["json", "md", "html"])]
    pub format: Vec<Format>,
    /// Report only these workloads (ids, comma-separated) [default: all].
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    pub only: Vec<String>,
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
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CompareFormat,
}

/// `infercost validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Where the profiles are.
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// Warn about vendors whose as_of is more than N days older than the newest one.
    #[arg(long, value_name = "N", default_value_t = 90)]
    pub max_age_days: i64,
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
pub struct DiffArgs {
    /// The base: a folder holding vendors/ and workloads/, or a git revision (`origin/main`, `HEAD~1`).
    #[arg(long, value_name = "REV_OR_DIR")]
    pub base: String,
    /// The head, a folder or a revision like the base [default: ./vendors and ./workloads, else the set built into the binary].
    #[arg(long, value_name = "DIR")]
    pub head: Option<String>,
    /// Report date and staleness; both sides are priced on the head's report date.
    #[command(flatten)]
    pub date: DateArgs,
    /// What to print.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: DiffFormat,
    /// Exit with status 1 when a workload's pick changed (a CI gate).
    #[arg(long)]
    pub fail_on_pick_change: bool,
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
}

impl Error {
    /// The process exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Profiles(_) | Error::Usage(_) | Error::Git(_) => 2,
            Error::Write(_) => 1,
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
        Command::Validate(args) => validate_command(&args),
        Command::Diff(args) => diff_command(&args),
        Command::Schema(args) => Ok(schema_command(&args)),
    }
}

/// The profile files of a run, and a description of where they came from.
pub struct ProfileSource {
    /// Vendor files.
    pub vendors: Vec<ProfileFile>,
    /// Workload files.
    pub workloads: Vec<ProfileFile>,
    /// `vendors/ and workloads/` or `the set built into infercost`.
    pub description: String,
    /// Folders on disk that a report must never overwrite.
    pub folders: Vec<PathBuf>,
}

/// Reads the profiles: the folders given, else `./vendors` and `./workloads`
/// when present, else the set built into the binary.
pub fn read_profiles(args: &ProfileArgs) -> Result<ProfileSource, Error> {
    let vendors = pick_folder(args.vendors.as_deref(), "vendors")?;
    let workloads = pick_folder(args.workloads.as_deref(), "workloads")?;
    let mut folders = Vec::new();
    let mut described = Vec::new();
    let vendor_files = match &vendors {
        Some(dir) => {
            folders.push(dir.clone());
            described.push(format!("{}/", dir.display()));
            read_folder(dir)?
        }
        None => {
            described.push("the vendors built into infercost".to_string());
            crate::profile::embedded::vendors()
        }
    };
    let workload_files = match &workloads {
        Some(dir) => {
            folders.push(dir.clone());
            described.push(format!("{}/", dir.display()));
            read_folder(dir)?
        }
        None => {
            described.push("the workloads built into infercost".to_string());
            crate::profile::embedded::workloads()
        }
    };
    Ok(ProfileSource {
        vendors: vendor_files,
        workloads: workload_files,
        description: described.join(" and "),
        folders,
    })
}

fn pick_folder(given: Option<&Path>, default: &str) -> Result<Option<PathBuf>, Error> {
    match given {
        Some(dir) if dir.is_dir() => Ok(Some(dir.to_path_buf())),
        Some(dir) => Err(Error::Usage(format!("{} is not a folder", dir.display()))),
        None => Ok(Path::new(default).is_dir().then(|| PathBuf::from(default))),
    }
}

fn read_folder(dir: &Path) -> Result<Vec<ProfileFile>, Error> {
    ProfileFile::read_dir(dir).map_err(|d| Error::Profiles(ProfileErrors(vec![d])))
}

/// Loads and validates the profiles of a run.
pub fn load(args: &ProfileArgs) -> Result<(Profiles, ProfileSource), Error> {
    let source = read_profiles(args)?;
    let profiles = profile::load(&source.vendors, &source.workloads)?;
    Ok((profiles, source))
}

fn settings(date: &DateArgs, source: &ProfileSource) -> Settings {
    Settings {
        as_of: date.as_of,
        max_age_days: date.max_age_days,
        profiles: source.description.clone(),
    }
}

fn stale_note(report: &Report) -> String {
    report
        .stale_vendors
        .iter()
        .map(|s| {
            format!(
                "warning: {} prices are {} days old (as of {})\n",
                s.vendor, s.age_days, s.as_of
            )
        })
        .collect()
}

fn report_command(args: &ReportArgs) -> Result<Output, Error> {
    let (mut profiles, source) = load(&args.profiles)?;
    if !args.only.is_empty() {
        keep_workloads(&mut profiles, &args.only)?;
    }
    let report = engine::run(&profiles, &settings(&args.date, &source));
    let files = report::render(&report, &profiles, &args.format);
    let protected: Vec<&Path> = source.folders.iter().map(PathBuf::as_path).collect();
    crate::fs::write_atomically(&args.out, &files, &protected)?;
    Ok(Output {
        stdout: format!(
            "wrote {} files for {} workload{} into {} (profiles: {}; report date {})\n",
            files.len() + 1,
            report.workloads.len(),
            if report.workloads.len() == 1 { "" } else { "s" },
            args.out.display(),
            source.description,
            report.as_of
        ),
        stderr: stale_note(&report),
        ..Output::default()
    })
}

/// Keeps only the named workloads; an unknown id is an error that lists the known ones.
fn keep_workloads(profiles: &mut Profiles, ids: &[String]) -> Result<(), Error> {
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

fn compare_command(args: &CompareArgs) -> Result<Output, Error> {
    let (mut profiles, source) = load(&args.profiles)?;
    keep_workloads(&mut profiles, std::slice::from_ref(&args.workload))?;
    let report = engine::run(&profiles, &settings(&args.date, &source));
    let stdout = match args.format {
        CompareFormat::Json => {
            String::from_utf8_lossy(&report::json::to_json(&report)).into_owned()
        }
        CompareFormat::Table => report::table::render(&report),
    };
    Ok(Output {
        stdout,
        stderr: stale_note(&report),
        ..Output::default()
    })
}

fn validate_command(args: &ValidateArgs) -> Result<Output, Error> {
    let (profiles, source) = load(&args.profiles)?;
    let newest = engine::report_date(&profiles.vendors, None);
    let stale = engine::stale_vendors(&profiles.vendors, newest, args.max_age_days);
    let stderr = stale
        .iter()
        .map(|s| {
            format!(
                "warning: {} as_of {} is {} days older than the newest vendor ({newest})\n",
                s.vendor, s.as_of, s.age_days
            )
        })
        .collect();
    Ok(Output {
        stdout: format!(
            "ok: {} vendors and {} workloads are valid ({})\n",
            profiles.vendors.len(),
            profiles.workloads.len(),
            source.description
        ),
        stderr,
        ..Output::default()
    })
}

/// One side of a diff: a folder holding `vendors/` and `workloads/`, a git
/// revision, or (none given) the same profiles `report` would read.
fn diff_side(spec: Option<&str>) -> Result<crate::diff::Side, Error> {
    let (profiles, label) = match spec {
        None => {
            let (profiles, source) = load(&ProfileArgs {
                vendors: None,
                workloads: None,
            })?;
            (profiles, source.description)
        }
        Some(dir) if Path::new(dir).is_dir() => {
            let dir = Path::new(dir);
            let (profiles, _) = load(&ProfileArgs {
                vendors: Some(dir.join("vendors")),
                workloads: Some(dir.join("workloads")),
            })?;
            (profiles, dir.display().to_string())
        }
        Some(rev) => {
            let (vendors, workloads) = crate::diff::git::read_revision(rev)?;
            (profile::load(&vendors, &workloads)?, rev.to_string())
        }
    };
    Ok(crate::diff::Side { label, profiles })
}

fn diff_command(args: &DiffArgs) -> Result<Output, Error> {
    let base = diff_side(Some(&args.base))?;
    let head = diff_side(args.head.as_deref())?;
    let diff = crate::diff::compare(&base, &head, args.date.as_of, args.date.max_age_days);
    let stdout = match args.format {
        DiffFormat::Markdown => crate::diff::markdown::render(&diff),
        DiffFormat::Json => String::from_utf8_lossy(&report::json::to_json(&diff)).into_owned(),
    };
    let gate = args.fail_on_pick_change && !diff.picks.is_empty();
    Ok(Output {
        stdout,
        stderr: if gate {
            let changed: Vec<&str> = diff.picks.iter().map(|p| p.workload.as_str()).collect();
            format!(
                "infercost diff: the pick changed for {} (--fail-on-pick-change)\n",
                changed.join(", ")
            )
        } else {
            String::new()
        },
        exit_code: i32::from(gate),
    })
}

fn schema_command(args: &SchemaArgs) -> Output {
    let schema = match args.kind {
        Some(kind) => profile::schema::of(kind),
        None => profile::schema::either(),
    };
    Output {
        stdout: profile::schema::to_text(&schema),
        ..Output::default()
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
