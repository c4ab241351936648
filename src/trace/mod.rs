//! Request logs: what `infercost fit` and `infercost replay` read. This
//! module owns the recorded requests ([`Log`]) and the load step for them:
//! `read` streams a log line by line (bounded line length, binary content
//! refused, malformed lines counted), `columns` maps a line's named fields
//! to a request, `time` parses its timestamp, `fit` derives a workload
//! profile from the requests and `yaml` writes it. Replay (pricing the
//! requests themselves) is `crate::replay`'s.

pub(crate) mod columns;
pub(crate) mod fit;
pub(crate) mod lines;
pub(crate) mod otel;
pub(crate) mod prefix;
pub(crate) mod read;
pub(crate) mod time;
pub(crate) mod yaml;

pub(crate) use read::{read_logs, ReadOptions};

use crate::profile::visible;

/// A log that cannot be read, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct TraceError(pub String);

/// Text from a log as shown in a message: control and bidi characters
/// escaped (profile text's rule), at most 80 characters.
pub(crate) fn shown(s: &str) -> String {
    shown_up_to(s, 80)
}

/// `s` made visible and cut after `most` characters (with "…").
pub(crate) fn shown_up_to(s: &str, most: usize) -> String {
    let v = visible(s);
    match v.char_indices().nth(most) {
        Some((end, _)) => format!("{}…", &v[..end]),
        None => v,
    }
}

/// The formats of a request log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Decided from the first line: JSON Lines if it starts with `{`, else CSV;
    /// Azure's and Mooncake's layouts by their field names.
    Auto,
    /// CSV with a header of named columns.
    Csv,
    /// JSON Lines, one object a line, with named fields.
    Jsonl,
    /// Azure LLM inference trace: `TIMESTAMP,ContextTokens,GeneratedTokens`.
    Azure,
    /// Mooncake trace: `timestamp` (ms from the start), `input_length`,
    /// `output_length`, `hash_ids` (512-token prefix blocks).
    Mooncake,
    /// OpenTelemetry GenAI spans, OTLP/JSON, one export request a line.
    Otel,
    /// LiteLLM spend logs (`startTime`, `prompt_tokens`, `completion_tokens`,
    /// `model`, `session_id`), exported as CSV or JSON Lines.
    Litellm,
    /// OpenRouter per-generation exports (`created_at`, `tokens_prompt`,
    /// `tokens_completion`, `model`), CSV or JSON Lines.
    Openrouter,
}

impl LogFormat {
    /// The name used on the command line and in comments.
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Auto => "auto",
            LogFormat::Csv => "csv",
            LogFormat::Jsonl => "jsonl",
            LogFormat::Azure => "azure",
            LogFormat::Mooncake => "mooncake",
            LogFormat::Otel => "otel",
            LogFormat::Litellm => "litellm",
            LogFormat::Openrouter => "openrouter",
        }
    }
}

/// One recorded request, compact (a log of 10⁷ lines is held in about
/// 240 MB).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Request {
    /// Arrival: seconds since the Unix epoch, or since the log's origin
    /// when its times are relative ([`Log::absolute_time`] false).
    pub t: f64,
    /// Input (prompt) tokens, cached ones included.
    pub input: u32,
    /// Output (generated) tokens.
    pub output: u32,
    /// Input tokens served from a prefix cache (0 when the log says none).
    pub cached: u32,
    /// Index of its session in [`Log::sessions`], or `u32::MAX` for none.
    pub session: u32,
}

/// A line that could not be read as a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadLine {
    /// The log's name as given.
    pub file: String,
    /// 1-based line number.
    pub line: u64,
    /// What was wrong, with the field (log text made visible).
    pub message: String,
}

/// Every request of the logs read, sorted by arrival.
#[derive(Debug, Clone, Default)]
pub(crate) struct Log {
    /// The logs' names, as given.
    pub files: Vec<String>,
    /// The format each log was read as.
    pub formats: Vec<LogFormat>,
    /// The requests, sorted by arrival (stable: equal times keep log order).
    pub requests: Vec<Request>,
    /// Data lines read (the header excluded), usable or not.
    pub lines: u64,
    /// Lines that were not usable requests.
    pub bad: u64,
    /// The first few of them.
    pub first_bad: Vec<BadLine>,
    /// Requests of other models left out (`--log-model`), by model name.
    pub other_models: std::collections::BTreeMap<String, u64>,
    /// Requests that name no model, left out when one is kept (`--log-model`).
    pub unnamed_left_out: u64,
    /// The model names of the kept requests, by count.
    pub models: std::collections::BTreeMap<String, u64>,
    /// Session names seen, in order of first appearance.
    pub sessions: Vec<String>,
    /// Whether times are Unix (so hours of the day mean something).
    pub absolute_time: bool,
    /// Whether cached tokens came from the log (a field or prefix hashes).
    pub has_cached: bool,
    /// Whether any arrival came before the one above it in its log.
    pub was_unsorted: bool,
}

impl Log {
    /// Seconds from the first arrival to the last.
    pub(crate) fn span_s(&self) -> f64 {
        match (self.requests.first(), self.requests.last()) {
            (Some(a), Some(b)) => b.t - a.t,
            _ => 0.0,
        }
    }
}

/// The sentinel of [`Request::session`] for a request without one.
pub(crate) const NO_SESSION: u32 = u32::MAX;
