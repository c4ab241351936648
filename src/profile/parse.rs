//! From text to checked profile: the YAML is indexed for positions,
//! deserialized with field paths, then validated for meaning. Parsing takes
//! `&str`; reading files lives in `load.rs`.

use serde::de::DeserializeOwned;

use super::diagnostic::Diagnostic;
use super::locate::Locations;
use super::validate::{self, Problem};
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

/// Parses any profile-like YAML file with positions and field paths, then
/// runs `check` on it (used for vendors, workloads and the performance
/// catalog).
pub(crate) fn parse<T: DeserializeOwned>(
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
    let de = serde_yaml_ng::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.inner();
        let from_locator = (!path.is_empty()).then(|| locations.find(&path)).flatten();
        let pos = from_locator
            .map(|p| (p.line, p.column))
            .or_else(|| inner.location().map(|l| (l.line(), l.column())));
        vec![at(&path, pos, serde_message(inner))]
    })?;
    let problems = check(&value);
    if problems.is_empty() {
        return Ok(value);
    }
    Err(problems
        .into_iter()
        .map(|p| {
            let pos = locations.find(&p.path).map(|l| (l.line, l.column));
            at(&p.path, pos, p.message)
        })
        .collect())
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
