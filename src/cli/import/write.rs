//! The files of one import run: the lock of the vendors folder, taken
//! before the profiles are read and held until the last rename, so that two
//! imports on one folder take turns instead of losing or mixing edits; the
//! temporaries of an import that died, removed under that lock (no live
//! import owns them); and every edited profile written whole to its own
//! temporary file (created exclusively, named by the process) before the
//! first rename, so that a failed write leaves every profile as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::super::Error;
use crate::fs::lock::{self, Lock};
use crate::profile::visible;

/// The lock of the vendors folder `dir`, waiting at most `patience` for
/// another import to release it.
pub(super) fn lock_vendors(dir: &Path, patience: Duration) -> Result<Lock, Error> {
    let shown = visible(&dir.display().to_string());
    match lock::wait_at_most(dir, patience) {
        Ok(Some(held)) => Ok(held),
        Ok(None) => Err(Error::Io(format!(
            "{shown}: another infercost import is updating these profiles (it holds the folder's lock); waited {} s and wrote nothing. Run this import again once that one has finished, or wait longer with --lock-wait",
            patience.as_secs()
        ))),
        Err(e) => Err(Error::Usage(format!("{shown}: cannot read the folder: {e}"))),
    }
}

/// The temporary file of an import of `path` by this process.
fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.import-{}.tmp", std::process::id()))
}

/// Whether a file name is an import's temporary file (this version's, or
/// the `x.yaml.import-tmp` of earlier versions).
fn is_temporary(name: &str) -> bool {
    let profile = |p: &str| p.ends_with(".yaml") || p.ends_with(".yml");
    let current = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(".tmp"))
        .and_then(|n| n.rsplit_once(".import-"))
        .is_some_and(|(p, pid)| {
            profile(p) && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        });
    current || name.strip_suffix(".import-tmp").is_some_and(profile)
}

/// Removes the temporary files an import that died left in `dir` (call it
/// with the lock held); returns a note for each.
pub(super) fn remove_stale(dir: &Path) -> Result<Vec<String>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::Usage(format!(
            "{}: cannot read the folder: {e}",
            visible(&dir.display().to_string())
        ))
    })?;
    let mut notes = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let is_file = e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink());
        if is_file && is_temporary(&name) {
            let shown = visible(&e.path().display().to_string());
            std::fs::remove_file(e.path()).map_err(|err| {
                Error::Io(format!("{shown}: cannot remove this temporary file of an import that did not finish: {err}"))
            })?;
            notes.push(format!(
                "note: removed {shown}, left by an import that did not finish"
            ));
        }
    }
    notes.sort();
    Ok(notes)
}

/// Replaces each profile of `writes` (file name, new text): all are
/// written to temporary files first, then renamed into place.
pub(super) fn write_all(writes: &[(String, String)]) -> Result<(), Error> {
    for (name, _) in writes {
        let is_link = std::fs::symlink_metadata(name).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            return Err(Error::Usage(format!(
                "{}: a link; the import replaces a profile by a rename, which would put a file in the link's place. Nothing written: make it a file",
                visible(name)
            )));
        }
    }
    let mut staged: Vec<PathBuf> = Vec::new();
    for (name, text) in writes {
        match stage(Path::new(name), text) {
            Ok(tmp) => staged.push(tmp),
            Err(e) => {
                remove(&staged);
                return Err(Error::Io(format!(
                    "{}: cannot write the updated profile: {e}; nothing written",
                    visible(name)
                )));
            }
        }
    }
    lock::test_pause("INFERCOST_TEST_PAUSE_BEFORE_RENAME");
    for (k, ((name, _), tmp)) in writes.iter().zip(&staged).enumerate() {
        if let Err(e) = std::fs::rename(tmp, name) {
            remove(&staged[k..]);
            let done: Vec<String> = writes[..k].iter().map(|(n, _)| visible(n)).collect();
            return Err(Error::Io(format!(
                "{}: cannot replace the profile: {e}; replaced before it: {}",
                visible(name),
                if done.is_empty() {
                    "none".to_string()
                } else {
                    done.join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// Writes `text` to a new temporary file beside `path`, with `path`'s
/// permissions, flushed to disk.
fn stage(path: &Path, text: &str) -> std::io::Result<PathBuf> {
    let tmp = temporary(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::metadata(path))
        .and_then(|m| std::fs::set_permissions(&tmp, m.permissions()));
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn remove(files: &[PathBuf]) {
    for f in files {
        let _ = std::fs::remove_file(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_told_apart_from_profiles() {
        let tmp = temporary(Path::new("vendors/groq.yaml"));
        let name = tmp.file_name().unwrap().to_string_lossy().into_owned();
        assert!(is_temporary(&name), "{name}");
        assert!(is_temporary("groq.yaml.import-tmp"));
        assert!(!is_temporary("groq.yaml"));
        assert!(!is_temporary(".groq.yaml"));
        assert!(!is_temporary(".notes.import-draft.tmp"));
        assert!(!is_temporary(".notes.txt.import-12.tmp"));
        assert_eq!(
            crate::profile::names::classify(&name),
            crate::profile::names::Name::Ignored
        );
    }
}
