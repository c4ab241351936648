//! OpenTelemetry GenAI spans in OTLP/JSON, one export request a line (as
//! the OpenTelemetry Collector's file exporter writes them): every span
//! with `gen_ai.usage.input_tokens` is a request, at its
//! `startTimeUnixNano`, with `gen_ai.usage.output_tokens`,
//! `gen_ai.usage.cache_read.input_tokens` (cached, part of the input),
//! `gen_ai.request.model` and `gen_ai.conversation.id` (else `session.id`).
//! The older `gen_ai.usage.prompt_tokens` / `completion_tokens` are read too.

use serde_json::{Map, Value};

use super::columns::ParsedLine;
use super::time;

/// The requests of one OTLP/JSON export line; spans without token usage
/// (tools, retrieval) are not requests and are skipped.
pub(crate) fn requests(obj: &Map<String, Value>) -> Vec<Result<ParsedLine, String>> {
    let mut out = Vec::new();
    let spans = array(obj.get("resourceSpans"))
        .iter()
        .flat_map(|rs| array(rs.get("scopeSpans")))
        .flat_map(|ss| array(ss.get("spans")));
    for span in spans {
        let attrs = attributes(span);
        let input = attrs
            .get("gen_ai.usage.input_tokens")
            .or_else(|| attrs.get("gen_ai.usage.prompt_tokens"));
        if let Some(input) = input {
            out.push(request(span, &attrs, input));
        }
    }
    out
}

fn request(span: &Value, attrs: &Map<String, Value>, input: &Value) -> Result<ParsedLine, String> {
    let start = span
        .get("startTimeUnixNano")
        .ok_or("span without startTimeUnixNano")?;
    let t = match start {
        Value::String(s) => s
            .parse::<f64>()
            .map_err(|_| "startTimeUnixNano: not a number".to_string()),
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| "startTimeUnixNano: not a number".to_string()),
        _ => Err("startTimeUnixNano: not a number".to_string()),
    }?;
    let output = attrs
        .get("gen_ai.usage.output_tokens")
        .or_else(|| attrs.get("gen_ai.usage.completion_tokens"))
        .ok_or("span with input tokens but no gen_ai.usage.output_tokens")?;
    let p = ParsedLine {
        t: time::from_number(t / 1e9).map_err(|e| format!("startTimeUnixNano: {e}"))?,
        input: tokens(input, "gen_ai.usage.input_tokens")?,
        output: tokens(output, "gen_ai.usage.output_tokens")?,
        cached: attrs
            .get("gen_ai.usage.cache_read.input_tokens")
            .map(|v| tokens(v, "gen_ai.usage.cache_read.input_tokens"))
            .transpose()?,
        session: attrs
            .get("gen_ai.conversation.id")
            .or_else(|| attrs.get("session.id"))
            .and_then(text),
        model: attrs.get("gen_ai.request.model").and_then(text),
        hashes: None,
    };
    match p.cached {
        Some(c) if c > p.input => Err(format!(
            "gen_ai.usage.cache_read.input_tokens {c} exceeds gen_ai.usage.input_tokens {}",
            p.input
        )),
        _ => Ok(p),
    }
}

fn array(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A span's attributes by key, each the inner value of its `AnyValue`
/// (`{"intValue": "12"}` → `"12"`).
fn attributes(span: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for kv in array(span.get("attributes")) {
        let (Some(key), Some(Value::Object(any))) =
            (kv.get("key").and_then(Value::as_str), kv.get("value"))
        else {
            continue;
        };
        if let Some(inner) = any.values().next() {
            out.insert(key.to_string(), inner.clone());
        }
    }
    out
}

fn tokens(v: &Value, field: &str) -> Result<u32, String> {
    let x = match v {
        Value::String(s) => s.parse::<f64>().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match x {
        Some(x) if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) => Ok(x as u32),
        _ => Err(format!("{field}: expected a whole number of tokens ≥ 0")),
    }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}
