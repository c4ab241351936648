//! serde's messages in words for people: "expected f64" becomes "expected a
//! number, found the text `abc`", an unknown field or value gets "did you
//! mean …" from the names serde lists as expected.

use super::suggest::did_you_mean;

/// What kind of deserialization error a message is, for recovery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ErrorKind {
    /// A field the type does not have.
    UnknownField,
    /// A required field that is absent: its name.
    MissingField(String),
    /// A value outside an enum: the first allowed value, to stand in for it.
    UnknownVariant(Option<String>),
    /// A value of the wrong type, or any other problem with the value.
    BadValue,
}

/// Classifies a serde message.
pub(super) fn kind(message: &str) -> ErrorKind {
    if message.starts_with("unknown field `") {
        ErrorKind::UnknownField
    } else if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        ErrorKind::MissingField(field.to_string())
    } else if message.starts_with("unknown variant `") {
        ErrorKind::UnknownVariant(expected_names(message).into_iter().next())
    } else {
        ErrorKind::BadValue
    }
}

/// The names between backquotes after "expected" in a serde message.
fn expected_names(message: &str) -> Vec<String> {
    let Some((_, list)) = message.split_once("expected ") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The word between the first pair of backquotes.
fn quoted(message: &str) -> &str {
    message.split('`').nth(1).unwrap_or_default()
}

/// A serde message reworded for people.
pub(super) fn human(message: &str) -> String {
    if message.starts_with("unknown field `") || message.starts_with("unknown variant `") {
        let word = quoted(message);
        let names = expected_names(message);
        let what = if message.starts_with("unknown field") {
            "unknown field"
        } else {
            "unknown value"
        };
        let hint = did_you_mean(word, names.iter().map(String::as_str));
        let list = if names.is_empty() {
            "this mapping has no fields".to_string()
        } else {
            format!("expected one of {}", names.join(", "))
        };
        return if hint.is_empty() {
            format!("{what} `{word}`; {list}")
        } else {
            format!("{what} `{word}`; {hint} ({list})")
        };
    }
    if let ErrorKind::MissingField(field) = kind(message) {
        return format!("missing field `{field}`, which is required");
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.rsplit_once(", expected "))
        {
            return format!(
                "expected {}, found {}",
                wanted(expected),
                found_value(found)
            );
        }
    }
    message.to_string()
}

/// serde's name of the expected type, in words.
fn wanted(expected: &str) -> String {
    match expected {
        "f64" | "f32" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "a boolean" => "true or false".into(),
        "a string" | "a borrowed string" => "text".into(),
        "a sequence" => "a list".into(),
        "a map" => "a mapping of keys to values".into(),
        e if e.starts_with("struct ") => "a mapping of fields".into(),
        e => e.to_string(),
    }
}

/// serde's description of the value found, in words.
fn found_value(found: &str) -> String {
    if let Some(text) = found
        .strip_prefix("string \"")
        .and_then(|t| t.strip_suffix('"'))
    {
        return format!("the text `{text}`");
    }
    for prefix in ["integer ", "floating point "] {
        if let Some(n) = found.strip_prefix(prefix) {
            return format!("the number {}", n.trim_matches('`'));
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "nothing (the value is empty)".into(),
        "boolean `true`" => "`true`".into(),
        "boolean `false`" => "`false`".into(),
        f => f.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_read_as_words() {
        assert_eq!(
            human("invalid type: string \"abc\", expected f64"),
            "expected a number, found the text `abc`"
        );
        assert_eq!(
            human("invalid type: floating point `2.5`, expected u32"),
            "expected a whole number (0 or more), found the number 2.5"
        );
        assert_eq!(
            human("invalid type: string \"yes\", expected a boolean"),
            "expected true or false, found the text `yes`"
        );
        assert_eq!(
            human("invalid type: integer `5`, expected struct Traffic"),
            "expected a mapping of fields, found the number 5"
        );
        assert_eq!(
            human("invalid type: unit value, expected f64"),
            "expected a number, found nothing (the value is empty)"
        );
    }

    #[test]
    fn unknown_names_get_a_suggestion() {
        assert_eq!(
            human("unknown field `output_tokns`, expected one of `input_tokens`, `output_tokens`"),
            "unknown field `output_tokns`; did you mean `output_tokens`? (expected one of input_tokens, output_tokens)"
        );
        assert_eq!(
            human("unknown variant `spiky`, expected one of `flat`, `hourly`"),
            "unknown value `spiky`; expected one of flat, hourly"
        );
        assert_eq!(
            kind("unknown variant `dirunal`, expected one of `flat`, `diurnal`"),
            ErrorKind::UnknownVariant(Some("flat".into()))
        );
        assert_eq!(
            kind("missing field `name`"),
            ErrorKind::MissingField("name".into())
        );
    }
}
