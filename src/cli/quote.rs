//! `infercost quote`: a question on the command line, no workload file. The
//! flags become the text of a workload profile, which goes through the same
//! load and validation as a file (so its errors read the same, and a zero
//! volume is explained as `report` explains it); then filter -> price ->
//! the `compare` table. `--save` writes that same text, so `compare` on the
//! saved profile prints what `quote` printed, byte for byte.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_yaml_ng::{Mapping, Value};

use super::commands::compare_output;
use super::configured::Configured;
use super::profiles::{read_profiles, settings};
use super::shortlist::narrow;
use super::{CompareOutput, DateArgs, Error, Output, ProfileArgs, VendorFilter};
use crate::engine;
use crate::profile::{self, ProfileFile};

/// The workload id of a quote that is not saved.
const UNSAVED_ID: &str = "quote";

/// `infercost quote`.
#[derive(Debug, Clone, Args)]
pub struct QuoteArgs {
    /// Canonical model id (`infercost catalog` lists them).
    #[arg(long, value_name = "ID")]
    pub model: String,
    /// Requests a day.
    #[arg(long, value_name = "N")]
    pub requests_per_day: Option<f64>,
    /// Mean input tokens per request.
    #[arg(long, value_name = "N")]
    pub input_tokens: Option<f64>,
    /// Mean output tokens per request.
    #[arg(long, value_name = "N")]
    pub output_tokens: Option<f64>,
    /// Share of input tokens that hit a prefix cache (0 to 1).
    #[arg(long, value_name = "SHARE")]
    pub cached_share: Option<f64>,
    /// Share of requests that can wait for a batch tier (0 to 1).
    #[arg(long, value_name = "SHARE")]
    pub batch_share: Option<f64>,
    /// How the day's traffic spreads over the hours [default: flat].
    #[arg(long, value_enum)]
    pub shape: Option<QuoteShape>,
    /// Share of a dedicated replica's capacity that may be used [default: 0.8].
    #[arg(long, value_name = "SHARE")]
    pub target_utilization: Option<f64>,
    /// Compliance items the vendor must attest (comma-separated: soc2-type2,hipaa).
    #[arg(long, value_delimiter = ',', value_name = "ITEM")]
    pub requires: Vec<String>,
    /// Longest acceptable time to first token, milliseconds.
    #[arg(long, value_name = "MS")]
    pub max_ttft_ms: Option<f64>,
    /// Monthly budget in $ (a pick over it gets a `budget:` line under the pick).
    #[arg(long, value_name = "USD")]
    pub budget: Option<f64>,
    /// Episodes a day (an agent or RL workload, instead of requests).
    #[arg(long, value_name = "N")]
    pub episodes_per_day: Option<f64>,
    /// Turns per episode.
    #[arg(long, value_name = "N")]
    pub turns: Option<u32>,
    /// System prompt, tools and task of an episode, tokens.
    #[arg(long, value_name = "N")]
    pub initial_prompt_tokens: Option<f64>,
    /// Tokens added to an episode's context each turn.
    #[arg(long, value_name = "N")]
    pub context_growth_per_turn: Option<f64>,
    /// Tokens decoded per turn of an episode.
    #[arg(long, value_name = "N")]
    pub generation_tokens: Option<f64>,
    /// Display name of the workload [default: `Quote for MODEL`].
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Also write the workload profile to FILE (`workloads/NAME.yaml`; its stem is the workload id).
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Let --save replace an existing file.
    #[arg(long, requires = "save")]
    pub force: bool,
    /// Folder of vendor profiles [default: ./vendors, else the set built into the binary].
    #[arg(long, value_name = "DIR")]
    pub vendors: Option<PathBuf>,
    /// Your prices: a config file read after the user's and the project's infercost.toml, winning over them.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Which vendors to price.
    #[command(flatten)]
    pub vendor_filter: VendorFilter,
    /// Report date and staleness.
    #[command(flatten)]
    pub date: DateArgs,
    /// What to print, and how.
    #[command(flatten)]
    pub output: CompareOutput,
}

/// The traffic shapes a quote can name (`hourly` needs 24 weights: write a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuoteShape {
    /// The same load every hour.
    Flat,
    /// 80% of the day's load in 09:00-17:59.
    BusinessHours,
    /// A smooth day peaking at 14:00.
    Diurnal,
}

impl QuoteShape {
    fn id(self) -> &'static str {
        match self {
            QuoteShape::Flat => "flat",
            QuoteShape::BusinessHours => "business-hours",
            QuoteShape::Diurnal => "diurnal",
        }
    }
}

/// Runs `infercost quote`.
pub(super) fn quote_command(args: &QuoteArgs) -> Result<Output, Error> {
    let id = workload_id(args.save.as_deref())?;
    let text = profile_text(args, &id)?;
    let configured = Configured::find(args.config.as_deref())?;
    let date = configured.date(&args.date);
    let mut source = read_profiles(&ProfileArgs {
        vendors: args.vendors.clone(),
        workloads: None,
        config: None,
    })?;
    configured.add_folders(&mut source, false)?;
    source.description = format!(
        "{} and the flags of `infercost quote`",
        source.vendors_description
    );
    let file = ProfileFile {
        name: args.save.as_ref().map_or_else(
            || "the workload of the quote's flags".to_string(),
            |p| p.display().to_string(),
        ),
        stem: id,
        text: Ok(text.clone()),
    };
    let mut profiles = profile::load(&source.vendors, std::slice::from_ref(&file))?;
    configured.apply_prices(&mut profiles)?;
    super::profiles::placeable(&profiles, &source.vendors)?;
    let left_out = narrow(&args.vendor_filter, &mut profiles, &mut source)?;
    let report = engine::run(
        &profiles,
        &settings(&date, &source, &profiles, args.output.allow_unverified)?,
    );
    if let Some(path) = &args.save {
        save(path, &text, args.force)?;
    }
    let mut out = compare_output(&report, &profiles, &args.output, &date);
    out.stderr = left_out + &out.stderr;
    Ok(out)
}

/// The workload id: the stem of `--save` (which must end in `.yaml`), else `quote`.
fn workload_id(save: Option<&Path>) -> Result<String, Error> {
    let Some(path) = save else {
        return Ok(UNSAVED_ID.to_string());
    };
    let stem = path.file_stem().and_then(|s| s.to_str());
    match (stem, path.extension().and_then(|e| e.to_str())) {
        (Some(stem), Some("yaml")) => Ok(stem.to_string()),
        _ => Err(Error::Usage(format!(
            "--save {}: expected a file name ending in .yaml (workloads/NAME.yaml; NAME is the workload id)",
            path.display()
        ))),
    }
}

/// The workload profile the flags describe, as YAML: only the fields given.
fn profile_text(args: &QuoteArgs, id: &str) -> Result<String, Error> {
    let tokens = args.input_tokens.unwrap_or(0.0) + args.output_tokens.unwrap_or(0.0);
    if args.requests_per_day.is_some() && (tokens.is_nan() || tokens <= 0.0) {
        // Without a size, every request would be priced at 0 tokens: $0 a
        // month per token, a dedicated pool billed for idle replicas.
        return Err(Error::Usage(
            "--requests-per-day prices requests of --input-tokens and --output-tokens (mean tokens a request): give at least one above 0, e.g. --input-tokens 1000 --output-tokens 300".into(),
        ));
    }
    let mut w = Mapping::new();
    let mut put = |key: &str, value: Value| {
        w.insert(Value::from(key), value);
    };
    put("workload", Value::from(id));
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| format!("Quote for {}", args.model));
    put("name", Value::from(name));
    put(
        "description",
        Value::from("Written by `infercost quote` from its flags."),
    );
    put("model", Value::from(args.model.as_str()));
    let numbers = [
        ("requests_per_day", args.requests_per_day),
        ("input_tokens", args.input_tokens),
        ("output_tokens", args.output_tokens),
        ("cached_input_share", args.cached_share),
        ("batch_share", args.batch_share),
    ];
    for (key, value) in numbers {
        if let Some(v) = value {
            put(key, number(v));
        }
    }
    if let Some(traffic) = traffic(args) {
        put("traffic", traffic);
    }
    if let Some(episode) = episode(args)? {
        put("episode", episode);
    }
    if let Some(requirements) = requirements(args) {
        put("requirements", requirements);
    }
    if let Some(budget) = args.budget {
        put("budget_usd_per_month", number(budget));
    }
    let yaml = serde_yaml_ng::to_string(&Value::Mapping(w))
        .map_err(|e| Error::Usage(format!("cannot write the quote's workload: {e}")))?;
    Ok(format!(
        "# yaml-language-server: $schema=../docs/schema/workload.schema.json\n{yaml}"
    ))
}

/// A number as YAML: whole numbers without a decimal point (`200000`).
fn number(v: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole f64 below is an exact i64
    if v.fract() == 0.0 && v.abs() < EXACT {
        Value::from(v as i64)
    } else {
        Value::from(v)
    }
}

fn traffic(args: &QuoteArgs) -> Option<Value> {
    let mut t = Mapping::new();
    if let Some(shape) = args.shape {
        t.insert("shape".into(), shape.id().into());
    }
    if let Some(u) = args.target_utilization {
        t.insert("target_utilization".into(), number(u));
    }
    (!t.is_empty()).then_some(Value::Mapping(t))
}

fn requirements(args: &QuoteArgs) -> Option<Value> {
    let mut r = Mapping::new();
    if !args.requires.is_empty() {
        let items: Vec<Value> = args.requires.iter().map(|s| s.as_str().into()).collect();
        r.insert("compliance".into(), Value::Sequence(items));
    }
    if let Some(ms) = args.max_ttft_ms {
        r.insert("max_ttft_ms".into(), number(ms));
    }
    (!r.is_empty()).then_some(Value::Mapping(r))
}

/// The episode, when any episode flag is given: then all five are needed.
fn episode(args: &QuoteArgs) -> Result<Option<Value>, Error> {
    let fields = [
        ("episodes_per_day", args.episodes_per_day),
        ("turns", args.turns.map(f64::from)),
        ("initial_prompt_tokens", args.initial_prompt_tokens),
        ("context_growth_per_turn", args.context_growth_per_turn),
        ("generation_tokens", args.generation_tokens),
    ];
    if fields.iter().all(|(_, v)| v.is_none()) {
        return Ok(None);
    }
    let missing: Vec<String> = fields
        .iter()
        .filter(|(_, v)| v.is_none())
        .map(|(k, _)| format!("--{}", k.replace('_', "-")))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "an episode quote needs --episodes-per-day, --turns, --initial-prompt-tokens, \
             --context-growth-per-turn and --generation-tokens; missing: {}",
            missing.join(", ")
        )));
    }
    let mut e = Mapping::new();
    for (key, value) in fields {
        // Every value is present (checked above); turns are whole.
        e.insert(key.into(), value.map_or(Value::Null, number));
    }
    Ok(Some(Value::Mapping(e)))
}

/// Writes the profile to `path` atomically: a temporary file beside it,
/// then a rename (`--force`) or a hard link that fails when the file exists,
/// so an existing profile is never replaced without `--force`.
fn save(path: &Path, text: &str, force: bool) -> Result<(), Error> {
    let shown = path.display();
    if !force && path.exists() {
        return Err(Error::Usage(format!(
            "--save {shown}: the file exists; give --force to replace it"
        )));
    }
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{}.quote-tmp", file_name.unwrap_or_default()));
    let cannot = |e: std::io::Error| Error::Io(format!("--save {shown}: cannot write: {e}"));
    std::fs::write(&tmp, text).map_err(cannot)?;
    let placed = if force {
        std::fs::rename(&tmp, path)
    } else {
        std::fs::hard_link(&tmp, path).and_then(|()| std::fs::remove_file(&tmp))
    };
    placed.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        cannot(e)
    })
}
