//! The fields of a log line: which named column or key is which role
//! (timestamp, input, output, cached, session, model, prefix hashes),
//! matched case-insensitively against common synonyms or as `--columns`
//! maps them, and one line's values read into a [`ParsedLine`] request.

use serde_json::{Map, Value};

use super::time;

/// What a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    /// Arrival time.
    Timestamp,
    /// Input tokens.
    Input,
    /// Output tokens.
    Output,
    /// Cached input tokens.
    Cached,
    /// Session or conversation id.
    Session,
    /// Model name.
    Model,
    /// Mooncake's prefix block hashes.
    Hashes,
}

/// Every role, with the names it is known by (lowercase).
const SYNONYMS: [(Role, &[&str]); 7] = [
    (
        Role::Timestamp,
        &[
            "timestamp",
            "time",
            "ts",
            "created_at",
            "createdat",
            "start_time",
            "starttime",
            "request_time",
            "datetime",
            "date",
        ],
    ),
    (
        Role::Input,
        &[
            "input_tokens",
            "prompt_tokens",
            "contexttokens",
            "context_tokens",
            "input_length",
            "tokens_in",
            "tokens_prompt",
            "native_tokens_prompt",
            "input",
        ],
    ),
    (
        Role::Output,
        &[
            "output_tokens",
            "completion_tokens",
            "generatedtokens",
            "generated_tokens",
            "output_length",
            "tokens_out",
            "tokens_completion",
            "native_tokens_completion",
            "output",
        ],
    ),
    (
        Role::Cached,
        &[
            "cached_tokens",
            "cached_input_tokens",
            "cache_read_tokens",
            "cache_read_input_tokens",
            "prompt_tokens_cached",
            "native_tokens_cached",
            "cache_hit_tokens",
        ],
    ),
    (
        Role::Session,
        &[
            "session_id",
            "sessionid",
            "session",
            "conversation_id",
            "conversation",
            "thread_id",
        ],
    ),
    (
        Role::Model,
        &["model", "model_id", "model_name", "modelname"],
    ),
    (Role::Hashes, &["hash_ids"]),
];

/// User mappings `role=column` from `--columns`, e.g. `input_tokens=prompt_len`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ColumnMap(Vec<(Role, String)>);

impl ColumnMap {
    /// Parses `role=name` pairs; a role is named by any of its synonyms.
    pub(crate) fn parse(pairs: &[String]) -> Result<ColumnMap, String> {
        let mut out = Vec::new();
        for pair in pairs {
            let Some((role, name)) = pair.split_once('=') else {
                return Err(format!(
                    "--columns `{pair}`: expected ROLE=COLUMN, e.g. input_tokens=prompt_len"
                ));
            };
            let Some(r) = role_of(role) else {
                return Err(format!(
                    "--columns `{pair}`: `{role}` is not a role; expected timestamp, input_tokens, output_tokens, cached_tokens, session_id or model"
                ));
            };
            out.push((r, name.trim().to_ascii_lowercase()));
        }
        Ok(ColumnMap(out))
    }

    /// The role of a column name: the user's mapping first, then the synonyms.
    pub(crate) fn role(&self, name: &str) -> Option<Role> {
        let name = name.trim().to_ascii_lowercase();
        if let Some((r, _)) = self.0.iter().find(|(_, n)| *n == name) {
            return Some(*r);
        }
        if self.0.iter().any(|(_, n)| *n == name) {
            return None;
        }
        role_of(&name).filter(|r| !self.0.iter().any(|(mapped, _)| mapped == r))
    }
}

fn role_of(name: &str) -> Option<Role> {
    let name = name.trim().to_ascii_lowercase();
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&name.as_str()))
        .map(|(r, _)| *r)
}

/// One line's request, before sessions are numbered and caches judged.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ParsedLine {
    pub t: f64,
    pub input: u32,
    pub output: u32,
    pub cached: Option<u32>,
    pub session: Option<String>,
    pub model: Option<String>,
    pub hashes: Option<Vec<u64>>,
}

/// How timestamps are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clock {
    /// Unix time or ISO 8601.
    Absolute,
    /// Milliseconds from the log's origin (Mooncake).
    RelativeMillis,
}

/// The roles of a CSV header's columns, in order; an error names a role
/// the log must have and lacks.
pub(crate) fn header_roles(
    header: &[String],
    map: &ColumnMap,
) -> Result<Vec<Option<Role>>, String> {
    let roles: Vec<Option<Role>> = header.iter().map(|h| map.role(h)).collect();
    one_each(
        header.iter().map(String::as_str).zip(roles.iter().copied()),
        "columns",
    )?;
    require(|r| roles.contains(&Some(r)))?;
    Ok(roles)
}

/// Fails when two names mean one role (until 2026-12-08 the last one
/// silently won: `prompt_tokens` beside `input_tokens`).
fn one_each<'a>(
    named: impl Iterator<Item = (&'a str, Option<Role>)>,
    what: &str,
) -> Result<(), String> {
    let mut seen: Vec<(Role, &str)> = Vec::new();
    for (name, role) in named {
        let Some(role) = role else { continue };
        if let Some((_, first)) = seen.iter().find(|(r, _)| *r == role) {
            let role = role_name(role);
            return Err(format!(
                "{what} `{}` and `{}` both mean {role}: name the one to read with --columns {role}=NAME",
                super::shown(first),
                super::shown(name),
            ));
        }
        seen.push((role, name));
    }
    Ok(())
}

/// The name a role is given in messages and `--columns`.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Timestamp => "timestamp",
        Role::Input => "input_tokens",
        Role::Output => "output_tokens",
        Role::Cached => "cached_tokens",
        Role::Session => "session",
        Role::Model => "model",
        Role::Hashes => "hash_ids",
    }
}

/// Fails when a required role has no column.
fn require(has: impl Fn(Role) -> bool) -> Result<(), String> {
    for (role, name) in [
        (Role::Timestamp, "timestamp"),
        (Role::Input, "input_tokens"),
        (Role::Output, "output_tokens"),
    ] {
        if !has(role) {
            return Err(format!(
                "no `{name}` column (nor a synonym); map one with --columns {name}=COLUMN"
            ));
        }
    }
    Ok(())
}

/// A CSV line's request.
pub(crate) fn from_csv(cells: &[String], roles: &[Option<Role>]) -> Result<ParsedLine, String> {
    if cells.len() != roles.len() {
        return Err(format!(
            "{} fields where the header has {}",
            cells.len(),
            roles.len()
        ));
    }
    let mut p = ParsedLine::default();
    let mut seen_time = false;
    for (cell, role) in cells.iter().zip(roles) {
        let Some(role) = role else { continue };
        let cell = cell.trim();
        match role {
            Role::Timestamp => {
                p.t = time::from_text(cell).map_err(|e| format!("timestamp: {e}"))?;
                seen_time = true;
            }
            Role::Input => p.input = tokens(cell, "input_tokens")?,
            Role::Output => p.output = tokens(cell, "output_tokens")?,
            Role::Cached if !cell.is_empty() => p.cached = Some(tokens(cell, "cached_tokens")?),
            Role::Session if !cell.is_empty() => p.session = Some(cell.to_string()),
            Role::Model if !cell.is_empty() => p.model = Some(cell.to_string()),
            _ => {}
        }
    }
    debug_assert!(seen_time, "header_roles requires a timestamp column");
    check_cached(p)
}

/// A JSON line's request: top-level keys by role.
pub(crate) fn from_json(
    obj: &Map<String, Value>,
    map: &ColumnMap,
    clock: Clock,
) -> Result<ParsedLine, String> {
    one_each(obj.keys().map(|k| (k.as_str(), map.role(k))), "keys")?;
    let mut p = ParsedLine::default();
    let mut found = Vec::new();
    for (key, value) in obj {
        let Some(role) = map.role(key) else { continue };
        found.push(role);
        match role {
            Role::Timestamp => p.t = json_time(value, clock)?,
            Role::Input => p.input = json_tokens(value, "input_tokens")?,
            Role::Output => p.output = json_tokens(value, "output_tokens")?,
            Role::Cached if !value.is_null() => {
                p.cached = Some(json_tokens(value, "cached_tokens")?)
            }
            Role::Session => p.session = json_text(value),
            Role::Model => p.model = json_text(value),
            Role::Hashes => p.hashes = Some(json_hashes(value)?),
            Role::Cached => {}
        }
    }
    require(|r| found.contains(&r))?;
    check_cached(p)
}

fn check_cached(p: ParsedLine) -> Result<ParsedLine, String> {
    match p.cached {
        Some(c) if c > p.input => Err(format!(
            "cached_tokens {c} exceeds input_tokens {}",
            p.input
        )),
        _ => Ok(p),
    }
}

/// Token counts: whole, ≥ 0, below 2³².
fn tokens(cell: &str, field: &str) -> Result<u32, String> {
    match cell.parse::<f64>() {
        Ok(x) if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) => Ok(x as u32),
        _ => Err(format!(
            "{field}: `{}` is not a whole number of tokens ≥ 0",
            super::shown(cell)
        )),
    }
}

fn json_tokens(v: &Value, field: &str) -> Result<u32, String> {
    match v {
        Value::Number(n) => tokens(&n.to_string(), field),
        Value::String(s) => tokens(s, field),
        _ => Err(format!("{field}: expected a number of tokens")),
    }
}

fn json_time(v: &Value, clock: Clock) -> Result<f64, String> {
    let r = match (v, clock) {
        (Value::Number(n), Clock::RelativeMillis) => match n.as_f64() {
            Some(ms) if ms.is_finite() && ms >= 0.0 => Ok(ms / 1e3),
            _ => Err("expected milliseconds ≥ 0".to_string()),
        },
        (Value::Number(n), Clock::Absolute) => time::from_number(n.as_f64().unwrap_or(f64::NAN)),
        (Value::String(s), _) => time::from_text(s),
        _ => Err("expected a number or ISO 8601 text".to_string()),
    };
    r.map_err(|e| format!("timestamp: {e}"))
}

fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_hashes(v: &Value) -> Result<Vec<u64>, String> {
    let Value::Array(items) = v else {
        return Err("hash_ids: expected an array of block hashes".into());
    };
    items
        .iter()
        .map(|h| {
            h.as_u64()
                .ok_or_else(|| "hash_ids: expected whole numbers".to_string())
        })
        .collect()
}

/// Splits one CSV line into fields: commas, double quotes around a field,
/// `""` for a quote inside one (RFC 4180, one record per line).
pub(crate) fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.trim().is_empty() => {
                cur.clear();
                quoted = true;
            }
            (',', false) => fields.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed on its line".into());
    }
    fields.push(cur);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_quotes() {
        assert_eq!(
            split_csv(r#"1,"a,b","say ""hi""",x"#).unwrap(),
            vec!["1", "a,b", "say \"hi\"", "x"]
        );
        assert!(split_csv(r#"1,"open"#).is_err());
    }

    #[test]
    fn synonyms_and_user_mappings() {
        let none = ColumnMap::default();
        assert_eq!(none.role("ContextTokens"), Some(Role::Input));
        assert_eq!(none.role("Completion_Tokens"), Some(Role::Output));
        let map = ColumnMap::parse(&["input_tokens=prompt_len".into()]).unwrap();
        assert_eq!(map.role("PROMPT_LEN"), Some(Role::Input));
        // The mapped role no longer takes its synonyms.
        assert_eq!(map.role("input_tokens"), None);
        assert!(ColumnMap::parse(&["size=x".into()]).is_err());
    }
}
