//! Streaming a request log: one line at a time into a reused buffer, so
//! memory is the requests kept (24 bytes each) plus one line. A line longer
//! than [`super::lines::MAX_LINE`] or a NUL byte (binary content) fails the log in words;
//! a line that is not a request is counted, and the first
//! [`FIRST_BAD_SHOWN`] are kept with their line numbers. The requests of
//! all logs are sorted by arrival at the end.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::columns::{self, Clock, ColumnMap, ParsedLine, Role};
use super::lines::Lines;
use super::prefix::PrefixCache;
use super::{shown, BadLine, Log, LogFormat, Request, TraceError, NO_SESSION};

/// Most requests kept: 10⁷ (about 240 MB).
pub(crate) const MAX_REQUESTS: usize = 10_000_000;
/// Bad lines shown.
pub(crate) const FIRST_BAD_SHOWN: usize = 5;

/// How to read the logs.
#[derive(Debug, Clone)]
pub(crate) struct ReadOptions {
    /// The format, or `Auto`.
    pub format: LogFormat,
    /// The user's column mappings.
    pub columns: ColumnMap,
    /// Keep only requests whose log model is this (others counted apart).
    pub log_model: Option<String>,
    /// Fail when more than this share of the data lines is bad.
    pub max_bad_share: f64,
}

/// Reads every log into one sorted [`Log`].
pub(crate) fn read_logs(paths: &[PathBuf], opts: &ReadOptions) -> Result<Log, TraceError> {
    let mut log = Log {
        absolute_time: true,
        ..Log::default()
    };
    let mut sessions = HashMap::new();
    for (i, path) in paths.iter().enumerate() {
        let format = read_one(path, opts, &mut log, &mut sessions)?;
        let absolute = format != LogFormat::Mooncake;
        if i > 0 && absolute != log.absolute_time {
            return Err(TraceError(format!(
                "{}: its times are {} but the logs before are not; give logs of one kind",
                path.display(),
                if absolute { "absolute" } else { "relative" }
            )));
        }
        log.absolute_time = absolute;
        log.formats.push(format);
        log.files.push(path.display().to_string());
    }
    judge_bad_share(&log, opts.max_bad_share)?;
    log.requests.sort_by(|a, b| a.t.total_cmp(&b.t));
    Ok(log)
}

/// Fails when no line was usable or too many were bad.
fn judge_bad_share(log: &Log, max: f64) -> Result<(), TraceError> {
    if log.requests.is_empty() {
        let why = if log.lines == 0 {
            "has no data line (empty, or a header only)".to_string()
        } else if !log.other_models.is_empty() || log.unnamed_left_out > 0 {
            format!(
                "has no request of that model ({} of other models, {} naming none: a log without a model field takes no --log-model)",
                log.other_models.values().sum::<u64>(),
                log.unnamed_left_out
            )
        } else {
            format!("has no usable request ({} bad line(s))", log.bad)
        };
        return Err(TraceError(format!("the log {why}{}", bad_lines(log))));
    }
    if log.lines > 0 && log.bad as f64 / log.lines as f64 > max {
        return Err(TraceError(format!(
            "{} of {} data lines are bad, more than {:.0}%: nothing written{}",
            log.bad,
            log.lines,
            100.0 * max,
            bad_lines(log)
        )));
    }
    Ok(())
}

/// The first bad lines, one per line after a colon.
pub(crate) fn bad_lines(log: &Log) -> String {
    let mut out = String::new();
    if !log.first_bad.is_empty() {
        out.push(':');
        for b in &log.first_bad {
            out.push_str(&format!("\n  {}:{}: {}", b.file, b.line, b.message));
        }
    }
    out
}

/// How one file's lines are read.
enum Layout {
    Csv(Vec<Option<Role>>),
    Json(Clock),
    Otel,
}

/// The layout of a file from its first non-blank line (the header of a CSV).
fn layout_of(first: &str, opts: &ReadOptions) -> Result<(LogFormat, Layout), String> {
    let json = first.starts_with('{');
    let format = match opts.format {
        LogFormat::Auto if json => {
            let lower = first.to_ascii_lowercase();
            if lower.contains("\"resourcespans\"") {
                LogFormat::Otel
            } else if lower.contains("\"hash_ids\"") || lower.contains("\"input_length\"") {
                LogFormat::Mooncake
            } else {
                named_export(&lower).unwrap_or(LogFormat::Jsonl)
            }
        }
        LogFormat::Auto => {
            let h: String = first.chars().filter(|c| !c.is_whitespace()).collect();
            if h.eq_ignore_ascii_case("TIMESTAMP,ContextTokens,GeneratedTokens") {
                LogFormat::Azure
            } else {
                named_export(&h.to_ascii_lowercase()).unwrap_or(LogFormat::Csv)
            }
        }
        f => f,
    };
    let csv = matches!(format, LogFormat::Csv | LogFormat::Azure)
        || (matches!(format, LogFormat::Litellm | LogFormat::Openrouter) && !json);
    let layout = match format {
        _ if csv => {
            let header = columns::split_csv(first)?;
            Layout::Csv(columns::header_roles(&header, &opts.columns)?)
        }
        LogFormat::Mooncake => Layout::Json(Clock::RelativeMillis),
        LogFormat::Otel => Layout::Otel,
        _ => Layout::Json(Clock::Absolute),
    };
    Ok((format, layout))
}

/// LiteLLM's spend logs (`startTime` and `prompt_tokens`) or OpenRouter's
/// generations (`tokens_prompt`), by the names in a lowercased first line.
fn named_export(lower: &str) -> Option<LogFormat> {
    if lower.contains("starttime") && lower.contains("prompt_tokens") {
        Some(LogFormat::Litellm)
    } else if lower.contains("tokens_prompt") {
        Some(LogFormat::Openrouter)
    } else {
        None
    }
}

/// Reads one file into `log`; returns the format it was read as.
fn read_one(
    path: &Path,
    opts: &ReadOptions,
    log: &mut Log,
    sessions: &mut HashMap<String, u32>,
) -> Result<LogFormat, TraceError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| TraceError(format!("{name}: cannot open: {e}")))?;
    let mut lines = Lines {
        reader: BufReader::with_capacity(1 << 16, file),
        number: 0,
        name: name.clone(),
    };
    let mut buf = Vec::new();
    let mut state: Option<(LogFormat, Layout)> = None;
    let mut cache = PrefixCache::default();
    let mut last_t = f64::NEG_INFINITY;
    while let Some(n) = lines.next(&mut buf)? {
        if buf.contains(&0) {
            return Err(TraceError(format!(
                "{name}:{n}: binary content (a NUL byte); expected a text log (CSV or JSON Lines)"
            )));
        }
        let Ok(text) = std::str::from_utf8(&buf) else {
            log.lines += 1;
            note_bad(log, &name, n, "not UTF-8 text".into());
            continue;
        };
        let text = text.trim_start_matches('\u{feff}').trim_end_matches('\r');
        if text.trim().is_empty() {
            continue;
        }
        if state.is_none() {
            let found =
                layout_of(text, opts).map_err(|e| TraceError(format!("{name}:{n}: {e}")))?;
            let header = matches!(found.1, Layout::Csv(_));
            state = Some(found);
            // A CSV's first line is its header; a JSON log's is a request.
            if header {
                continue;
            }
        }
        let Some((_, layout)) = &state else { continue };
        for parsed in parse_line(text, layout, opts) {
            let at = (name.as_str(), n);
            keep(log, sessions, &mut cache, parsed, at, opts, &mut last_t)?;
        }
    }
    match state {
        Some((format, _)) => Ok(format),
        None => Err(TraceError(format!("{name}: empty: no line to read"))),
    }
}

/// The requests of one line: one, or an OTLP line's spans (maybe none).
fn parse_line(text: &str, layout: &Layout, opts: &ReadOptions) -> Vec<Result<ParsedLine, String>> {
    let object = || match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(obj)) => Ok(obj),
        Ok(_) => Err("expected a JSON object".to_string()),
        Err(e) => Err(format!("not JSON: {e}")),
    };
    match layout {
        Layout::Csv(roles) => {
            vec![columns::split_csv(text).and_then(|cells| columns::from_csv(&cells, roles))]
        }
        Layout::Json(clock) => {
            vec![object().and_then(|o| columns::from_json(&o, &opts.columns, *clock))]
        }
        Layout::Otel => match object() {
            Ok(o) => super::otel::requests(&o),
            Err(e) => vec![Err(e)],
        },
    }
}

/// Counts a line and keeps its request, or notes why it is bad.
fn keep(
    log: &mut Log,
    sessions: &mut HashMap<String, u32>,
    cache: &mut PrefixCache,
    parsed: Result<ParsedLine, String>,
    (name, n): (&str, u64),
    opts: &ReadOptions,
    last_t: &mut f64,
) -> Result<(), TraceError> {
    log.lines += 1;
    let p = match parsed {
        Ok(p) => p,
        Err(e) => {
            note_bad(log, name, n, e);
            return Ok(());
        }
    };
    let model = p.model.clone().unwrap_or_default();
    if let Some(want) = &opts.log_model {
        // A request that names no model is not known to be of the one kept.
        if model.is_empty() {
            log.unnamed_left_out += 1;
            return Ok(());
        }
        if &model != want {
            bump(&mut log.other_models, &model);
            return Ok(());
        }
    }
    if !model.is_empty() {
        bump(&mut log.models, &model);
    }
    if log.requests.len() >= MAX_REQUESTS {
        return Err(TraceError(format!(
            "{name}:{n}: more than {MAX_REQUESTS} requests; fit a shorter period (a week is plenty)"
        )));
    }
    let cached = match (&p.hashes, p.cached) {
        (Some(h), _) => {
            log.has_cached = true;
            cache.cached_tokens(h, p.t, p.input)
        }
        (None, Some(c)) => {
            log.has_cached = true;
            c
        }
        (None, None) => 0,
    };
    let session = match p.session {
        Some(s) => {
            let next = sessions.len() as u32;
            let id = *sessions.entry(s.clone()).or_insert(next);
            if id == next {
                log.sessions.push(s);
            }
            id
        }
        None => NO_SESSION,
    };
    if p.t < *last_t {
        log.was_unsorted = true;
    }
    *last_t = p.t;
    log.requests.push(Request {
        t: p.t,
        input: p.input,
        output: p.output,
        cached,
        session,
    });
    Ok(())
}

/// Distinct model names counted at most; beyond, they share one entry.
const MAX_MODEL_NAMES: usize = 1000;

fn bump(counts: &mut std::collections::BTreeMap<String, u64>, model: &str) {
    let key = if counts.len() >= MAX_MODEL_NAMES && !counts.contains_key(model) {
        "(other names)".to_string()
    } else {
        shown(model)
    };
    *counts.entry(key).or_insert(0) += 1;
}

fn note_bad(log: &mut Log, file: &str, line: u64, message: String) {
    log.bad += 1;
    if log.first_bad.len() < FIRST_BAD_SHOWN {
        log.first_bad.push(BadLine {
            file: file.to_string(),
            line,
            // infercost's own words, the log's text in them already cut
            // to 80 characters each (until 2026-12-08 the whole message
            // was cut at 80, mid-advice).
            message: super::shown_up_to(&message, 320),
        });
    }
}
