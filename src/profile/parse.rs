//! From text to checked profile: the YAML is indexed for positions,
//! deserialized with field paths, then validated for meaning. Parsing takes
//! `&str`; reading files lives in `load.rs`.

use serde::de::DeserializeOwned;

use super::diagnostic::Diagnostic;
use super::locate::Locations;
use super::validate::{self, Problem};
use super::{recover, wording};
use super::{Vendor, Workload};

/// Largest profile accepted, in bytes: far above any real profile, small
/// enough that a stray large file is refused at once.
pub const MAX_PROFILE_BYTES: usize = 1 << 20;

/// Parses and validates a vendor profile; `file` names it in errors and its
/// stem must equal the `vendor` id.
pub fn vendor(file: &str, stem: &str, text: &str) -> Result<Vendor, Vec<Diagnostic>> {
    parse(file, text, |v: &Vendor| validate::vendor(v, stem))
}

/// Parses and validates a workload profile.
pub fn workload(file: &str, stem: &str, text: &str) -> Result<Workload, Vec<Diagnostic>> {
    parse(file, text, |w: &Workload| validate::workload(w, stem))
}

/// Parses and checks any YAML document the way profiles are: positions,
/// duplicate keys, unknown fields, then `check` (used by the model catalog).
pub fn checked<T: DeserializeOwned + serde::Serialize>(
    file: &str,
    text: &str,
    check: impl Fn(&T) -> Vec<Problem>,
) -> Result<T, Vec<Diagnostic>> {
    parse(file, text, check)
}

/// Line and column of a field path in a YAML text, when it has one.
pub fn locate_field(text: &str, path: &str) -> Option<(usize, usize)> {
    Locations::of(text).find(path).map(|p| (p.line, p.column))
}

/// Parses any profile-like YAML file with positions and field paths, then
/// runs `check` on it (used for vendors, workloads and the performance
/// catalog).
pub(crate) fn parse<T: DeserializeOwned + serde::Serialize>(
    file: &str,
    text: &str,
    check: impl Fn(&T) -> Vec<Problem>,
) -> Result<T, Vec<Diagnostic>> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(vec![Diagnostic::file(
            file,
            format!(
                "the file is {} bytes; a profile is at most {MAX_PROFILE_BYTES} bytes",
                text.len()
            ),
        )]);
    }
    if text.contains('\0') {
        return Err(vec![Diagnostic::file(
            file,
            "the file holds NUL bytes; expected YAML text",
        )]);
    }
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::file(
            file,
            "the file is empty; expected a YAML mapping",
        )]);
    }
    let locations = Locations::of(text);
    let at = |path: &str, pos: Option<(usize, usize)>, msg: String| {
        Diagnostic::at(file, text, pos, path, msg)
    };
    if let Some((message, p)) = &locations.syntax_error {
        return Err(vec![at(
            "",
            Some((p.line, p.column)),
            format!("invalid YAML: {message}"),
        )]);
    }
    if !locations.duplicates.is_empty() {
        return Err(locations
            .duplicates
            .iter()
            .map(|(path, p)| {
                at(
                    path,
                    Some((p.line, p.column)),
                    "duplicate key; each field may appear once".into(),
                )
            })
            .collect());
    }
    if !locations.tags.is_empty() {
        // serde_yaml_ng reads a tagged value as an enum or a string where
        // the profile expects a number, or drops the tag: the value the
        // reader sees would not be the value the file shows.
        return Err(locations
            .tags
            .iter()
            .map(|(tag, p)| {
                at(
                    "",
                    Some((p.line, p.column)),
                    format!("a YAML tag (`{tag}`); profiles take plain values: remove the tag"),
                )
            })
            .collect());
    }
    let de = serde_yaml_ng::Deserializer::from_str(text);
    let (value, set_aside, mut diagnostics) = match serde_path_to_error::deserialize(de) {
        Ok(value) => (value, Vec::new(), Vec::new()),
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            let inner = e.inner();
            let from_locator = (!path.is_empty()).then(|| locations.find(&path)).flatten();
            let pos = from_locator
                .map(|p| (p.line, p.column))
                .or_else(|| inner.location().map(|l| (l.line(), l.column())));
            let first = vec![at(&path, pos, wording::human(&serde_message(inner)))];
            // The slow path, only on error: every other type error too.
            let Ok(tree) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
                return Err(first);
            };
            let recovered = recover::all_errors::<T>(tree);
            if recovered.errors.is_empty() {
                return Err(first);
            }
            let found: Vec<Diagnostic> = recovered
                .errors
                .iter()
                .map(|f| {
                    let pos = locations.find(&f.path).map(|l| (l.line, l.column));
                    at(&f.path, pos, wording::human(&f.message))
                })
                .collect();
            match recovered.value {
                Some(value) => (value, recovered.set_aside, found),
                None => return Err(found),
            }
        }
    };
    // Checks of meaning, except on values that stand in for a wrong one.
    let moot = |path: &str| {
        set_aside.iter().any(|s| {
            path == s || path.starts_with(&format!("{s}.")) || path.starts_with(&format!("{s}["))
        })
    };
    let mut problems = check(&value);
    // Serializing a profile struct into a Value cannot fail (string keys).
    let generic = serde_json::to_value(&value).unwrap_or_default();
    problems.extend(
        super::text::problems(&generic)
            .into_iter()
            .map(|(path, message)| Problem { path, message }),
    );
    for p in problems.into_iter().filter(|p| !moot(&p.path)) {
        let pos = locations.find(&p.path).map(|l| (l.line, l.column));
        diagnostics.push(at(&p.path, pos, p.message));
    }
    if diagnostics.is_empty() {
        Ok(value)
    } else {
        Err(diagnostics)
    }
}

/// Line and column of a field path in a YAML text, for problems found after
/// parsing (the performance catalog's cross-file checks).
pub(crate) fn position(text: &str, path: &str) -> Option<(usize, usize)> {
    Locations::of(text).find(path).map(|p| (p.line, p.column))
}

/// serde_yaml_ng's message without the field path in front and the
/// " at line L column C" behind, which the diagnostic shows in their own places.
fn serde_message(e: &serde_yaml_ng::Error) -> String {
    let text = e.to_string();
    let text = match text.find(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    match text.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') => rest.to_string(),
        _ => text.to_string(),
    }
}
