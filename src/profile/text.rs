//! Which characters free text in a profile may hold: no control characters
//! and no bidi controls, which would break the SVG charts (invalid XML),
//! drive a terminal, end a Markdown table row or reverse the rest of a line.
//! Shared by validation, error messages and the diff's escaping. Every
//! string of a profile is also held to a length limit by its field's name,
//! so that a megabyte of vendor name cannot become a gigabyte of report.

/// Characters that reorder text: bidi embeddings, overrides, isolates and
/// marks.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Longest text of a field, in characters, by the field's name; ids name
/// files and folders, names and tiers are table cells, descriptions and
/// price-change texts are paragraphs. Any other string: [`MAX_OTHER`].
const LIMITS: &[(&str, usize)] = &[
    ("vendor", 64),
    ("workload", 64),
    ("model", 64),
    ("gpu", 64),
    ("name", 120),
    ("tier", 60),
    ("description", 4000),
    ("change", 2000),
];

/// Longest text of any other field (URLs, enumerations, notes).
const MAX_OTHER: usize = 4000;

/// Fields whose text may hold line breaks and tabs (YAML block scalars).
const MULTI_LINE: &[&str] = &["description", "change"];

/// Every string of a profile (as its generic JSON value) that is too long
/// or holds a character refused in text: (field path, message).
pub(crate) fn problems(value: &serde_json::Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    walk("", "", value, &mut found);
    found
}

fn walk(path: &str, field: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match value {
        Value::String(s) => out.extend(check(field, s).map(|m| (path.to_string(), m))),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(&format!("{path}[{i}]"), field, v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if let Some(m) = check("key", k) {
                    out.push((p.clone(), m));
                }
                walk(&p, k, v, out);
            }
        }
        _ => {}
    }
}

/// Why `text`, the value of `field`, is refused, if it is.
fn check(field: &str, text: &str) -> Option<String> {
    let limit = LIMITS
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(MAX_OTHER, |(_, n)| *n);
    let length = text.chars().count();
    if length > limit {
        return Some(format!(
            "{length} characters; `{field}` is at most {limit} characters"
        ));
    }
    let multi_line = MULTI_LINE.contains(&field);
    let bad = text.chars().find(|&c| {
        let allowed_break = multi_line && (c == '\n' || c == '\t');
        ((c.is_control() || c == '\u{2028}' || c == '\u{2029}') && !allowed_break)
            || is_bidi_control(c)
            || c == '\u{FFFE}'
            || c == '\u{FFFF}'
    })?;
    let kind = if is_bidi_control(bad) {
        "a bidi control, which reorders the text around it"
    } else {
        "a control character, which breaks the SVG charts and terminals"
    };
    Some(format!(
        "holds U+{:04X}, {kind}; remove it{}",
        bad as u32,
        if multi_line {
            ""
        } else {
            " (this field is one line)"
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_and_control_text_is_named_by_path() {
        let v = json!({
            "name": "x".repeat(121),
            "description": "two\nlines",
            "serverless": [{"tier": "a\u{202E}b"}],
            "gpus": {"h\u{7}": {}},
        });
        assert_eq!(
            problems(&v),
            vec![
                ("gpus.h\u{7}".to_string(), "holds U+0007, a control character, which breaks the SVG charts and terminals; remove it (this field is one line)".to_string()),
                ("name".to_string(), "121 characters; `name` is at most 120 characters".to_string()),
                ("serverless[0].tier".to_string(), "holds U+202E, a bidi control, which reorders the text around it; remove it (this field is one line)".to_string()),
            ]
        );
    }
}
