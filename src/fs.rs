//! The only place that touches `out/`: the whole report is built in memory,
//! written to a sibling temporary folder, then swapped into place, so a
//! failed or killed run leaves the previous `out/` complete.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Name of the marker file that tells an infercost output folder apart from
/// any other folder, which infercost refuses to replace.
pub const MARKER: &str = ".infercost";

const MARKER_TEXT: &str =
    "Written by infercost. This folder is replaced as a whole on every run.\n";

/// Why the report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The output path is unsafe or unusable; nothing was written.
    #[error("refusing to write the report to {path}: {why}")]
    Refused {
        /// The output folder.
        path: String,
        /// Why.
        why: String,
    },
    /// An I/O error on a path.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `files` (paths relative to `out`) as the new content of `out`,
/// replacing what was there. `protected` folders (the profiles) may be
/// neither `out` nor inside it.
pub fn write_atomically(
    out: &Path,
    files: &BTreeMap<PathBuf, Vec<u8>>,
    protected: &[&Path],
) -> Result<(), WriteError> {
    let shown = out;
    let out = &absolute(out);
    check_target(out, shown, protected)?;
    let parent = parent_of(out);
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    remove_leftovers(&parent, &name);
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tmp-{pid}"));
    let result = stage(&staging, files)
        .and_then(|()| swap_in(&staging, out, &parent.join(format!(".{name}.old-{pid}"))));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses a file, a folder that holds the profiles, and a non-empty folder
/// that infercost did not write.
fn check_target(out: &Path, shown: &Path, protected: &[&Path]) -> Result<(), WriteError> {
    let refuse = |why: String| WriteError::Refused {
        path: shown.display().to_string(),
        why,
    };
    if out.file_name().is_none() {
        return Err(refuse("it names no folder".into()));
    }
    if out.exists() && !out.is_dir() {
        return Err(refuse("it is a file, not a folder".into()));
    }
    for p in protected {
        if absolute(p).starts_with(out) {
            return Err(refuse(format!(
                "it holds the profiles in {}, which a report would replace",
                p.display()
            )));
        }
    }
    if out.is_dir() {
        let mut entries = std::fs::read_dir(out).map_err(io_error(out))?;
        let empty = entries.next().is_none();
        if !empty && !out.join(MARKER).is_file() {
            return Err(refuse(format!(
                "it is a folder infercost did not write (no {MARKER} file); choose an empty or new folder"
            )));
        }
    }
    Ok(())
}

/// The absolute form of a path, resolving `.`, `..` and links where the
/// path (or its parent) exists.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match p.file_name() {
        Some(n) => absolute(&parent_of(p)).join(n),
        None => std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()),
    }
}

/// Removes staging folders that a killed run left behind.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        if prefixes.iter().any(|p| file.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn stage(staging: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<(), WriteError> {
    std::fs::create_dir_all(staging).map_err(io_error(staging))?;
    std::fs::write(staging.join(MARKER), MARKER_TEXT).map_err(io_error(staging))?;
    for (rel, bytes) in files {
        let path = staging.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        std::fs::write(&path, bytes).map_err(io_error(&path))?;
    }
    Ok(())
}

/// Moves the previous output aside, the new one in, then drops the previous.
fn swap_in(staging: &Path, out: &Path, old: &Path) -> Result<(), WriteError> {
    let had_previous = out.exists();
    if had_previous {
        std::fs::rename(out, old).map_err(io_error(out))?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if had_previous {
            let _ = std::fs::rename(old, out);
        }
        return Err(io_error(out)(e));
    }
    if had_previous {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}
