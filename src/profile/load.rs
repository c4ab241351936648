//! Reading profiles: from a folder on disk, or from the copy embedded in the
//! binary. Every problem of every file is collected before giving up.

use std::path::Path;

use rayon::prelude::*;

use super::diagnostic::{Diagnostic, ProfileErrors};
use super::parse::{self, MAX_PROFILE_BYTES};
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
    /// Reads the `*.yaml` and `*.yml` files of a folder, sorted by name.
    pub fn read_dir(dir: &Path) -> Result<Vec<ProfileFile>, Diagnostic> {
        let shown = dir.display().to_string();
        let entries = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::file(&shown, format!("cannot read the folder: {e}")))?;
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
            .collect();
        paths.sort();
        Ok(paths.iter().map(|p| ProfileFile::read(p)).collect())
    }

    /// Reads one file, refusing large or non-UTF-8 ones before parsing.
    pub fn read(path: &Path) -> ProfileFile {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        ProfileFile {
            name: path.display().to_string(),
            stem,
            text: read_text(path),
        }
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
    if !meta.is_file() {
        return Err("not a regular file".to_string());
    }
    if meta.len() > MAX_PROFILE_BYTES as u64 {
        return Err(format!(
            "the file is {} bytes; a profile is at most {MAX_PROFILE_BYTES} bytes",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {}); expected YAML",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Every vendor and workload of a run, validated.
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
    let mut errors = Vec::new();
    let vendors = parse_all(vendors, "vendor", parse::vendor, &mut errors);
    let workloads = parse_all(workloads, "workload", parse::workload, &mut errors);
    if errors.is_empty() {
        // Dedicated deployments take their throughput from the performance
        // catalog for each workload's input/output mix (src/capacity/).
        let vendors = crate::capacity::resolve::vendors_for(&workloads, &vendors);
        Ok(Profiles { vendors, workloads })
    } else {
        Err(ProfileErrors(errors))
    }
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
