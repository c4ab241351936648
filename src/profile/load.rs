//! Reading profiles: from a folder on disk, or from the copy embedded in the
//! binary. Every problem of every file is collected before giving up.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::diagnostic::{Diagnostic, ProfileErrors};
use super::ids::known_model_ids;
use super::locate::Locations;
use super::names::{self, Name};
use super::parse::{self, MAX_PROFILE_BYTES};
use super::suggest::did_you_mean;
use super::{Vendor, Workload};

/// One profile file: its name as shown in errors, its stem, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFile {
    /// The file as the user knows it (`vendors/fireworks.yaml`).
    pub name: String,
    /// The file name without extension: the profile's id.
    pub stem: String,
    /// The text, or why it could not be read.
    pub text: Result<String, String>,
}

impl ProfileFile {
    /// Reads the profiles of a folder (`names::classify`), sorted by name.
    /// A link whose target lies outside the folder is refused unread, so
    /// that `vendors/key.yaml -> ~/.ssh/id_ed25519` cannot quote the key in
    /// an error.
    pub fn read_dir(dir: &Path) -> Result<Vec<ProfileFile>, Diagnostic> {
        let shown = dir.display().to_string();
        let cannot =
            |e: std::io::Error| Diagnostic::file(&shown, format!("cannot read the folder: {e}"));
        let inside = dir.canonicalize().map_err(cannot)?;
        let entries = std::fs::read_dir(dir).map_err(cannot)?;
        let mut files: Vec<(PathBuf, Name)> = entries
            .filter_map(Result::ok)
            .map(|e| (e.path(), names::classify(&e.file_name().to_string_lossy())))
            .filter(|(_, name)| *name != Name::Ignored)
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(files
            .into_iter()
            .map(|(path, name)| match name {
                Name::Refused(why) => ProfileFile::refused(&path, why),
                _ => ProfileFile::read_inside(&path, &inside),
            })
            .collect())
    }

    /// Reads one file, refusing large or non-UTF-8 ones before parsing.
    pub fn read(path: &Path) -> ProfileFile {
        ProfileFile {
            name: path.display().to_string(),
            stem: stem(path),
            text: read_text(path),
        }
    }

    /// Reads one file of the folder `inside` (canonical), refusing a link
    /// to anything but a file of that same folder before opening the target
    /// (as a revision read does).
    fn read_inside(path: &Path, inside: &Path) -> ProfileFile {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let in_folder = |target: PathBuf| target.parent() == Some(inside);
        if is_link && !path.canonicalize().is_ok_and(in_folder) {
            return ProfileFile::refused(
                path,
                "a link to a file outside its folder; refused unread (a profile is a file in vendors/ or workloads/)".into(),
            );
        }
        ProfileFile::read(path)
    }

    fn refused(path: &Path, why: String) -> ProfileFile {
        ProfileFile {
            name: path.display().to_string(),
            stem: stem(path),
            text: Err(why),
        }
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}

/// The text of a regular file of at most [`MAX_PROFILE_BYTES`]; the size is
/// checked before reading, and the read stops past the limit all the same
/// (a file that grows, a special file).
fn read_text(path: &Path) -> Result<String, String> {
    use crate::fs::ReadError;
    crate::fs::read_capped(path, MAX_PROFILE_BYTES as u64).map_err(|e| match e {
        ReadError::Io(e) => format!("cannot read the file: {e}"),
        ReadError::NotAFile => "not a regular file".to_string(),
        ReadError::TooBig(size) => {
            format!("the file is {size} bytes; a profile is at most {MAX_PROFILE_BYTES} bytes")
        }
        ReadError::NotUtf8(offset) => {
            format!("the file is not UTF-8 text (invalid byte at offset {offset}); expected YAML")
        }
    })
}

/// Every vendor and workload of a run, validated, as the files say
/// (what infercost derives from them is the resolve stage's:
/// [`crate::resolve`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Profiles {
    /// Vendors, sorted by id.
    pub vendors: Vec<Vendor>,
    /// Workloads, sorted by id.
    pub workloads: Vec<Workload>,
}

/// Parses and validates every file; returns all problems of all files, or
/// the profiles.
pub fn load(vendors: &[ProfileFile], workloads: &[ProfileFile]) -> Result<Profiles, ProfileErrors> {
    let mut errors = names::duplicate_stems(vendors);
    errors.extend(names::duplicate_stems(workloads));
    let vendors_parsed = parse_all(vendors, "vendor", parse::vendor, &mut errors);
    let vendors_ok = errors.is_empty();
    let parsed = parse_all(workloads, "workload", parse::workload, &mut errors);
    if vendors_ok {
        // Only against a complete set of vendors: a broken vendor file
        // would make its models look unknown.
        errors.extend(unknown_models(&parsed, workloads, &vendors_parsed));
    }
    if errors.is_empty() {
        Ok(Profiles {
            vendors: vendors_parsed,
            workloads: parsed,
        })
    } else {
        Err(ProfileErrors(errors))
    }
}

/// A workload model (first choice or substitute) that no vendor offers: the
/// file, line and field, the closest known ids, and where the list comes from.
fn unknown_models(
    workloads: &[Workload],
    files: &[ProfileFile],
    vendors: &[Vendor],
) -> Vec<Diagnostic> {
    let known = known_model_ids(vendors);
    let mut out = Vec::new();
    for w in workloads {
        let unknown: Vec<(String, &str)> = std::iter::once(("model".to_string(), w.model.as_str()))
            .chain(
                w.substitutes
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (format!("substitutes[{i}]"), m.as_str())),
            )
            .filter(|(_, m)| !known.contains(m))
            .collect();
        if unknown.is_empty() {
            continue;
        }
        let Some(file) = files.iter().find(|f| f.stem == w.workload) else {
            continue;
        };
        let Ok(text) = file.text.as_deref() else {
            continue;
        };
        // Positions are looked up only here, on error.
        let places = Locations::of(text);
        let list: Vec<&str> = known.iter().copied().collect();
        for (path, model) in unknown {
            let pos = places.find(&path).map(|p| (p.line, p.column));
            let hint = did_you_mean(model, known.iter().copied());
            let hint = if hint.is_empty() {
                hint
            } else {
                format!(" {hint}")
            };
            out.push(Diagnostic::at(
                &file.name,
                text,
                pos,
                &path,
                format!(
                    "no vendor offers the model `{model}`;{hint} known models (those the vendor profiles offer): {}",
                    list.join(", ")
                ),
            ));
        }
    }
    out
}

fn parse_all<T: Send>(
    files: &[ProfileFile],
    kind: &str,
    parse: fn(&str, &str, &str) -> Result<T, Vec<Diagnostic>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<T> {
    if files.is_empty() {
        errors.push(Diagnostic::file(
            &format!("{kind}s"),
            format!("no {kind} profiles (*.yaml) found"),
        ));
    }
    // Files parse on every core; collecting keeps their order, so the
    // profiles and the errors come out as from a loop.
    let results: Vec<Result<T, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|f| match &f.text {
            Err(why) => Err(vec![Diagnostic::file(&f.name, why.clone())]),
            Ok(text) => parse(&f.name, &f.stem, text),
        })
        .collect();
    let mut parsed = Vec::new();
    for r in results {
        match r {
            Ok(p) => parsed.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    parsed
}
