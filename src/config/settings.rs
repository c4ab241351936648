//! The defaults and folders of the config files and the `INFERCOST_*`
//! environment variables, merged into one [`Settings`] (part of load): for
//! each setting the highest layer that gives it wins, in this order, lowest
//! first: the user's file, the project's `infercost.toml`, the file
//! `INFERCOST_CONFIG` names, the variables [`ENV_MAX_AGE_DAYS`] and
//! [`ENV_FORMATS`], the file `--config` names. A command-line flag
//! (`--max-age-days`, `--format`) wins over all of them; the wire stage
//! applies it. Format names stay words here: they are checked where the
//! formats are known (the CLI), with the place they came from.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{Layer, Origin};
use crate::profile::Diagnostic;

/// The variable that sets the staleness limit, days.
pub const ENV_MAX_AGE_DAYS: &str = "INFERCOST_MAX_AGE_DAYS";
/// The variable that sets the report's formats, comma-separated.
pub const ENV_FORMATS: &str = "INFERCOST_FORMATS";

/// `[defaults]`: what a flag would otherwise say.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Vendors whose `as_of` is more than this many days before the report date are stale.
    #[serde(default)]
    pub max_age_days: Option<Spanned<i64>>,
    /// The formats `report` writes (`json`, `md`, `html`).
    #[serde(default)]
    pub formats: Option<Spanned<Vec<String>>>,
}

/// `[folders]`: profile folders read beside the vendors and workloads
/// folders of the run, relative to the config file's folder.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Folders {
    /// Extra vendor folders.
    #[serde(default)]
    pub vendors: Option<Spanned<Vec<String>>>,
    /// Extra workload folders.
    #[serde(default)]
    pub workloads: Option<Spanned<Vec<String>>>,
}

/// Where a setting came from, for errors and notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A config file, at a line.
    File {
        /// The file as found or given.
        file: String,
        /// 1-based line.
        line: usize,
    },
    /// An environment variable.
    Environment(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File { file, line } => write!(f, "{file}:{line}"),
            Source::Environment(name) => write!(f, "{name}"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: Source,
}

/// An extra profile folder: as written (shown in outputs) and as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// The path as the config file writes it.
    pub written: String,
    /// The path to read: relative to the config file's folder.
    pub path: PathBuf,
}

/// The merged defaults and folders of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The staleness limit, days (absent: the flag's default).
    pub max_age_days: Option<Setting<i64>>,
    /// The report's formats, as words (absent: the flag's default).
    pub formats: Option<Setting<Vec<String>>>,
    /// Extra vendor folders.
    pub vendors: Vec<Folder>,
    /// Extra workload folders.
    pub workloads: Vec<Folder>,
}

/// Merges the layers (lowest first, as [`super::find`] returns them) and
/// the environment (`env` reads a variable); the errors name the file and
/// line, or the variable.
pub fn settings(
    layers: &[Layer],
    env: impl Fn(&str) -> Option<String>,
) -> Result<Settings, Vec<Diagnostic>> {
    let mut s = Settings::default();
    let mut errors = Vec::new();
    let (below, above): (Vec<&Layer>, Vec<&Layer>) =
        layers.iter().partition(|l| l.origin != Origin::Flag);
    for layer in below {
        errors.extend(layer.merge(&mut s));
    }
    errors.extend(merge_env(&mut s, &env));
    for layer in above {
        errors.extend(layer.merge(&mut s));
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

/// The environment variables over what the files below them say.
fn merge_env(s: &mut Settings, env: &impl Fn(&str) -> Option<String>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if let Some(v) = env(ENV_MAX_AGE_DAYS).filter(|v| !v.is_empty()) {
        match v.trim().parse::<i64>() {
            Ok(days) if days >= 0 => {
                s.max_age_days = Some(Setting {
                    value: days,
                    source: Source::Environment(ENV_MAX_AGE_DAYS),
                })
            }
            _ => errors.push(Diagnostic::file(
                ENV_MAX_AGE_DAYS,
                format!("expected a whole number of days, at least 0, found `{v}`"),
            )),
        }
    }
    if let Some(v) = env(ENV_FORMATS).filter(|v| !v.is_empty()) {
        s.formats = Some(Setting {
            value: v.split(',').map(|f| f.trim().to_string()).collect(),
            source: Source::Environment(ENV_FORMATS),
        });
    }
    errors
}

impl Layer {
    /// This file's defaults and folders over what `s` holds.
    fn merge(&self, s: &mut Settings) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let at = |span: std::ops::Range<usize>| Source::File {
            file: self.file.clone(),
            line: super::line_column(&self.text, span.start).0,
        };
        if let Some(d) = &self.config.defaults {
            if let Some(days) = &d.max_age_days {
                s.max_age_days = Some(Setting {
                    value: *days.get_ref(),
                    source: at(days.span()),
                });
            }
            if let Some(f) = &d.formats {
                s.formats = Some(Setting {
                    value: f.get_ref().clone(),
                    source: at(f.span()),
                });
            }
        }
        if let Some(folders) = &self.config.folders {
            for (list, into) in [
                (&folders.vendors, &mut s.vendors),
                (&folders.workloads, &mut s.workloads),
            ] {
                if let Some(list) = list {
                    match self.folders(list) {
                        Ok(found) => *into = found,
                        Err(e) => errors.extend(e),
                    }
                }
            }
        }
        errors
    }

    /// A list of folders, each relative to this file's folder; one that is
    /// not a folder is an error at its line.
    fn folders(&self, list: &Spanned<Vec<String>>) -> Result<Vec<Folder>, Vec<Diagnostic>> {
        let base = Path::new(&self.file).parent().unwrap_or(Path::new(""));
        let mut out = Vec::new();
        let mut errors = Vec::new();
        for written in list.get_ref() {
            let path = base.join(written);
            if path.is_dir() {
                out.push(Folder {
                    written: written.clone(),
                    path,
                });
            } else {
                errors.push(self.error(
                    list,
                    "folders",
                    format!(
                        "`{written}` is not a folder (read from the config file's folder, {})",
                        if base.as_os_str().is_empty() {
                            "the current folder".to_string()
                        } else {
                            base.display().to_string()
                        }
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }
}
