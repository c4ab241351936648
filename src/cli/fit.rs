//! `infercost fit LOG...`: reads request logs ([`crate::trace`]) and
//! writes the workload profile they fit, with a header saying how each
//! field was derived. Nothing is written when the logs cannot be read.

use std::path::PathBuf;

use clap::Args;

use super::{Error, Output};
use crate::trace::{self, columns::ColumnMap, fit, yaml, Log, LogFormat, ReadOptions};

/// Share of bad data lines above which `fit` and `replay` fail.
pub(crate) const MAX_BAD_SHARE: f64 = 0.1;

/// `infercost fit`.
#[derive(Debug, Clone, Args)]
pub struct FitArgs {
    /// Request logs (CSV or JSON Lines), read in order.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// The logs' format [default: decided from the first line].
    #[arg(long, value_enum, default_value = "auto")]
    pub format: LogFormat,
    /// Canonical model id of the profile [default: the log's one model name].
    #[arg(long, value_name = "ID")]
    pub model: Option<String>,
    /// Keep only the requests of this model name in the log (when it names several).
    #[arg(long, value_name = "NAME")]
    pub log_model: Option<String>,
    /// Write the profile here (its stem is the workload id) [default: standard output, id `fitted`].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Map columns to roles, comma-separated: ROLE=COLUMN (timestamp, input_tokens, output_tokens, cached_tokens, session_id, model).
    #[arg(long, value_delimiter = ',', value_name = "ROLE=COLUMN")]
    pub columns: Vec<String>,
}

/// Reads the logs as the options say; bad lines beyond [`MAX_BAD_SHARE`] fail.
pub(crate) fn read(
    logs: &[PathBuf],
    format: LogFormat,
    columns: &[String],
    log_model: Option<String>,
) -> Result<(Log, String), Error> {
    let opts = ReadOptions {
        format,
        columns: ColumnMap::parse(columns).map_err(Error::Usage)?,
        log_model,
        max_bad_share: MAX_BAD_SHARE,
    };
    let log = trace::read_logs(logs, &opts).map_err(|e| Error::Usage(e.to_string()))?;
    if log.models.len() > 1 {
        return Err(several_models(&log));
    }
    let mut stderr = String::new();
    if log.bad > 0 {
        stderr.push_str(&format!(
            "warning: {} of {} data lines are bad and left out{}\n",
            log.bad,
            log.lines,
            trace::read::bad_lines(&log)
        ));
    }
    Ok((log, stderr))
}

/// Runs `infercost fit`.
pub(super) fn fit_command(args: &FitArgs) -> Result<Output, Error> {
    let (log, mut stderr) = read(
        &args.logs,
        args.format,
        &args.columns,
        args.log_model.clone(),
    )?;
    let model = model_of(&log, args.model.as_deref())?;
    let fitted = fit::fit(&log).map_err(Error::Usage)?;
    let id = args
        .out
        .as_ref()
        .and_then(|p| p.file_stem())
        .map_or("fitted".to_string(), |s| s.to_string_lossy().into_owned());
    let (text, warnings) = yaml::render(&log, &fitted, &yaml::Names { id, model });
    for w in warnings {
        stderr.push_str(&format!("warning: {w}\n"));
    }
    let stdout = match &args.out {
        Some(path) => {
            write_whole(path, &text)?;
            format!("wrote {}\n", path.display())
        }
        None => text,
    };
    Ok(Output {
        stdout,
        stderr,
        exit_code: 0,
    })
}

/// The profile's model: `--model`, else the log's only model name.
fn model_of(log: &Log, given: Option<&str>) -> Result<String, Error> {
    if let Some(m) = given {
        return Ok(m.to_string());
    }
    let names: Vec<&String> = log.models.keys().collect();
    match names.as_slice() {
        [one] if is_plain_id(one) => Ok((*one).clone()),
        [one] => Err(Error::Usage(format!(
            "the log's model `{one}` is not a catalog id (lowercase letters, digits, `.`, `-`): give the catalog model id with --model ID"
        ))),
        [] => Err(Error::Usage(
            "the log names no model: give the catalog model id with --model ID".into(),
        )),
        _ => Err(several_models(log)),
    }
}

/// A log whose kept requests name several models, refused: their sizes
/// and prices differ, so one profile would describe none of them.
fn several_models(log: &Log) -> Error {
    Error::Usage(format!(
        "the log names {} models ({}): keep one with --log-model NAME (and give its catalog id with --model ID)",
        log.models.len(),
        log.models
            .iter()
            .take(10)
            .map(|(m, n)| format!("`{m}` ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Whether a log's model name can be written as a profile's model id
/// as it is: lowercase letters, digits, `.` and `-` (nothing YAML reads).
fn is_plain_id(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// Writes `text` to `path` whole: a temporary file beside it, renamed over it.
fn write_whole(path: &std::path::Path, text: &str) -> Result<(), Error> {
    let tmp = path.with_extension("yaml.partial");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            Error::Io(format!("{}: cannot write: {e}", path.display()))
        })
}
