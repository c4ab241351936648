//! Checks of meaning that types cannot express: prices finite and
//! non-negative, shares in [0, 1], one price unit per GPU, ids that match file
//! names. Each check names the field path and what was expected.

/// A problem found in a deserialized profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Field path.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

pub(crate) use super::ids::{COMPLIANCE, MODALITIES};
use super::ids::{GPUS, WHERE_LISTED};
use super::suggest::did_you_mean;

mod vendor;
mod workload;

pub(crate) use vendor::vendor;
pub(crate) use workload::workload;

/// Largest number accepted anywhere: keeps every product of figures finite.
const MAX_NUMBER: f64 = 1e15;

/// Smallest non-zero number accepted anywhere: keeps every quotient of
/// figures finite (a throughput of 5e-324 tokens/s made a day cost infinity).
const MIN_NUMBER: f64 = 1e-15;

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    /// A number within [min, MAX_NUMBER], excluding min when `strict`.
    fn number(&mut self, path: impl Into<String>, value: f64, min: f64, strict: bool) {
        let ok = value.is_finite()
            && value <= MAX_NUMBER
            && if strict { value > min } else { value >= min };
        if !ok {
            let rule = if strict { ">" } else { ">=" };
            self.fail(
                path,
                format!(
                    "expected a finite number {rule} {min} (at most {MAX_NUMBER:e}), found {value}"
                ),
            );
        } else if value != 0.0 && value.abs() < MIN_NUMBER {
            self.fail(
                path,
                format!("expected 0 or a number of at least {MIN_NUMBER:e}, found {value:e}"),
            );
        }
    }

    fn non_negative(&mut self, path: impl Into<String>, value: f64) {
        self.number(path, value, 0.0, false);
    }

    fn positive(&mut self, path: impl Into<String>, value: f64) {
        self.number(path, value, 0.0, true);
    }

    /// A volume: a number above 0, since a workload with no traffic has
    /// nothing to price (every option would cost $0 and the pick would be noise).
    fn volume(&mut self, path: &str, value: f64, unit: &str) {
        if value == 0.0 {
            self.fail(
                path,
                format!("expected more than 0 {unit} a day, found 0: with no volume there is nothing to price"),
            );
        } else {
            self.positive(path, value);
        }
    }

    fn share(&mut self, path: impl Into<String>, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.fail(
                path,
                format!("expected a share between 0 and 1, found {value}"),
            );
        }
    }

    /// Ids name output folders (`out/<workload>/`): they start with a letter
    /// or digit, so that `.` and `..` cannot lead a report out of `out/`.
    fn id(&mut self, path: &str, value: &str) {
        if !is_id(value) {
            self.fail(
                path,
                format!(
                    "expected an id of lowercase letters, digits, '-', '.' or '_', starting with a letter or digit, found `{value}`"
                ),
            );
        }
    }

    /// A value from a fixed list; a typo gets "did you mean" and the list.
    fn one_of(&mut self, path: String, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            let hint = did_you_mean(value, allowed.iter().copied());
            let hint = if hint.is_empty() {
                hint
            } else {
                format!(" {hint}")
            };
            self.fail(
                path,
                format!(
                    "unknown `{value}`;{hint} expected one of {} ({WHERE_LISTED})",
                    allowed.join(", ")
                ),
            );
        }
    }

    fn matches_stem(&mut self, field: &str, value: &str, stem: &str) {
        if value != stem {
            self.fail(
                field,
                format!("`{value}` must equal the file name `{stem}`"),
            );
        }
    }
}

/// An id as profiles write them: lowercase letters, digits, `-`, `.` and
/// `_`, starting with a letter or digit (ids name output folders, so `.`
/// and `..` cannot lead a report out of `out/`).
pub(crate) fn is_id(value: &str) -> bool {
    value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && value.chars().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
        })
}
