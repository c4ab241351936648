//! `infercost fit LOG...`: reads request logs ([`crate::trace`]) and
//! writes the workload profile they fit, with a header saying how each
//! field was derived. Nothing is written when the logs cannot be read.

use std::path::{Path, PathBuf};

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
    /// Canonical model id of the profile [default: the log's one model name]; in a log naming several models, the one of them to fit.
    #[arg(long, value_name = "ID")]
    pub model: Option<String>,
    /// Keep only the requests of this model name in the log (when it names several).
    #[arg(long, value_name = "NAME")]
    pub log_model: Option<String>,
    /// Write the profile here (its stem is the workload id); a log naming several models writes one profile per model, NAME-MODEL.yaml beside NAME.yaml or MODEL.yaml in a folder [default: standard output, id `fitted`].
    #[arg(long, value_name = "FILE|DIR")]
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

/// Runs `infercost fit`: one profile, or one per model of a log that
/// names several (`--out` then names them).
pub(super) fn fit_command(args: &FitArgs) -> Result<Output, Error> {
    check_arguments(args)?;
    let (log, stderr) = read(
        &args.logs,
        args.format,
        &args.columns,
        args.log_model.clone(),
    )?;
    if log.models.len() <= 1 {
        return fit_one(args, log, stderr);
    }
    readable_again(&args.logs, &log)?;
    match (&args.model, &args.out) {
        // `--model` naming one of the log's models keeps that one.
        (Some(m), _) if log.models.contains_key(m) => {
            let (log, stderr) = read_one_model(args, m)?;
            fit_one(args, log, stderr)
        }
        (None, Some(out)) => fit_each_model(args, &log, out),
        _ => Err(several_models(&log, true)),
    }
}

/// A log naming several models is read again for each one kept, which a
/// pipe cannot give twice (`/dev/stdin` read empty the second time and
/// the model's log was reported "empty"): refused in words instead.
fn readable_again(logs: &[PathBuf], log: &Log) -> Result<(), Error> {
    let Some(pipe) = logs
        .iter()
        .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_file()))
    else {
        return Ok(());
    };
    let names: Vec<String> = log.models.keys().map(|m| trace::shown(m)).collect();
    Err(Error::Usage(format!(
        "{} is not a file, and the log names {} models ({}), which infercost reads once for each: save the log to a file, or keep one model with --log-model NAME",
        pipe.display(),
        log.models.len(),
        names.join(", ")
    )))
}

/// Reads the logs again, keeping the requests of log model `name`.
fn read_one_model(args: &FitArgs, name: &str) -> Result<(Log, String), Error> {
    read(
        &args.logs,
        args.format,
        &args.columns,
        Some(name.to_string()),
    )
}

/// One profile from `log` (of one model), to `--out` or standard output.
fn fit_one(args: &FitArgs, log: Log, mut stderr: String) -> Result<Output, Error> {
    let model = model_of(&log, args.model.as_deref())?;
    let id = args
        .out
        .as_ref()
        .and_then(|p| p.file_stem())
        .map_or("fitted".to_string(), |s| s.to_string_lossy().into_owned());
    let text = profile_text(&log, id, model, &mut stderr)?;
    let stdout = match &args.out {
        Some(path) => {
            write_all(&[(path.clone(), text)])?;
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

/// The profile of `log` as YAML, its warnings added to `stderr`.
fn profile_text(
    log: &Log,
    id: String,
    model: String,
    stderr: &mut String,
) -> Result<String, Error> {
    let fitted = fit::fit(log).map_err(Error::Usage)?;
    let (text, warnings) = yaml::render(log, &fitted, &yaml::Names { id, model });
    for w in warnings {
        stderr.push_str(&format!("warning: {w}\n"));
    }
    Ok(text)
}

/// One profile per model of a log naming several: `DIR/MODEL.yaml` when
/// `out` is a folder, else `NAME-MODEL.yaml` beside `out` = `NAME.yaml`;
/// each model's name is its profile's model id (so it must be one). All
/// are written or none.
fn fit_each_model(args: &FitArgs, log: &Log, out: &Path) -> Result<Output, Error> {
    let mut files = Vec::new();
    let mut stderr = String::new();
    for name in log.models.keys() {
        if !is_plain_id(name) {
            return Err(Error::Usage(format!(
                "the log's model `{}` is not a catalog id (lowercase letters, digits, `.`, `-`), so it cannot name its profile: fit it alone with --log-model NAME --model ID",
                trace::shown(name)
            )));
        }
        let (one, notes) = read_one_model(args, name)?;
        let path = path_of_model(out, name);
        let id = path
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned());
        stderr.push_str(&notes.replace("warning: ", &format!("warning: {name}: ")));
        let mut warnings = String::new();
        let text = profile_text(&one, id, name.clone(), &mut warnings)?;
        stderr.push_str(&warnings.replace("warning: ", &format!("warning: {name}: ")));
        files.push((path, text));
    }
    write_all(&files)?;
    let stdout = files
        .iter()
        .map(|(p, _)| format!("wrote {}\n", p.display()))
        .collect();
    Ok(Output {
        stdout,
        stderr,
        exit_code: 0,
    })
}

/// Where model `name`'s profile goes: `out/name.yaml` when `out` is a
/// folder, else `NAME-name.yaml` beside `out` = `NAME.yaml`.
fn path_of_model(out: &Path, name: &str) -> PathBuf {
    if out.is_dir() {
        return out.join(format!("{name}.yaml"));
    }
    let stem = out
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    out.with_file_name(format!("{stem}-{name}.yaml"))
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
        _ => Err(several_models(log, true)),
    }
}

/// A log whose kept requests name several models, refused where one
/// profile is wanted: their sizes and prices differ, so one profile would
/// describe none of them.
pub(crate) fn several_models(log: &Log, per_model: bool) -> Error {
    let or = if per_model {
        ", or write one profile per model with --out NAME.yaml or --out DIR"
    } else {
        ""
    };
    Error::Usage(format!(
        "the log names {} models ({}): keep one with --log-model NAME (and give its catalog id with --model ID){or}",
        log.models.len(),
        log.models
            .iter()
            .take(10)
            .map(|(m, n)| format!("`{m}` ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Refuses, before any log is read, what would write a profile `validate`
/// rejects or clobber a log: a `--model` that is not a catalog id (it is
/// written into the YAML as given), an `--out` file whose stem is not a
/// workload id, an `--out` that is one of the logs, a log given twice
/// (every request counted twice).
fn check_arguments(args: &FitArgs) -> Result<(), Error> {
    if let Some(m) = args.model.as_deref().filter(|m| !is_plain_id(m)) {
        return Err(Error::Usage(format!(
            "--model {}: expected a catalog model id (lowercase letters, digits, `.`, `-`); `infercost catalog` lists them",
            crate::profile::visible(m)
        )));
    }
    if let Some(out) = args.out.as_deref().filter(|o| !o.is_dir()) {
        let stem = out.file_stem().map(|s| s.to_string_lossy().into_owned());
        if !stem.as_deref().is_some_and(crate::profile::validate::is_id) {
            return Err(Error::Usage(format!(
                "--out {}: its file name (without .yaml) is the workload id, and ids are lowercase letters, digits, '-', '.' or '_', starting with a letter or digit: name it like workloads/chat.yaml",
                crate::profile::visible(&out.display().to_string())
            )));
        }
    }
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    for (i, log) in args.logs.iter().enumerate() {
        if args.out.as_deref().is_some_and(|o| same(o, log)) {
            return Err(Error::Usage(format!(
                "--out {}: that is a log being read; write the profile to another file",
                log.display()
            )));
        }
        if let Some(first) = args.logs[..i].iter().find(|earlier| same(earlier, log)) {
            return Err(Error::Usage(format!(
                "{} and {} are the same log: each request would be counted twice; give it once",
                first.display(),
                log.display()
            )));
        }
    }
    Ok(())
}

/// Whether a log's model name can be written as a profile's model id
/// as it is: lowercase letters, digits, `.` and `-` (nothing YAML reads).
fn is_plain_id(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// Writes every `(path, text)` whole or none: each to a temporary file
/// beside it, then all renamed over their paths (the temporary files
/// removed when one cannot be written).
fn write_all(files: &[(PathBuf, String)]) -> Result<(), Error> {
    let partial = |p: &Path| p.with_extension("yaml.partial");
    let cleanup = || {
        for (p, _) in files {
            let _ = std::fs::remove_file(partial(p));
        }
    };
    // A folder where a profile goes would fail its rename after the
    // others had landed: refused before anything is written.
    if let Some((dir, _)) = files.iter().find(|(p, _)| p.is_dir()) {
        return Err(Error::Io(format!(
            "{}: cannot write: a folder is there; nothing was written",
            dir.display()
        )));
    }
    for (path, text) in files {
        if let Err(e) = std::fs::write(partial(path), text) {
            cleanup();
            return Err(Error::Io(format!("{}: cannot write: {e}", path.display())));
        }
    }
    for (path, _) in files {
        if let Err(e) = std::fs::rename(partial(path), path) {
            cleanup();
            return Err(Error::Io(format!("{}: cannot write: {e}", path.display())));
        }
    }
    Ok(())
}
