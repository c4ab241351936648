//! The only place that touches `out/` (and, below it, the folder locks and
//! the bounded reads the other writers and readers share): the report is written, file by file
//! as it is rendered, to a sibling temporary folder ([`Staging`]), then
//! swapped into place, so a failed or killed run leaves the previous `out/`
//! complete. Runs on one `out/` take turns on an advisory lock of its
//! parent folder (Linux), held from [`Staging::begin`] to the swap, so that
//! no run removes another's staging folder or swaps in over it.

use std::io;
use std::path::{Path, PathBuf};

pub(crate) mod lock;
mod read;

pub(crate) use read::{read_capped, ReadError};

/// Name of the marker file that tells an infercost output folder apart from
/// any other folder, which infercost refuses to replace.
pub(crate) const MARKER: &str = ".infercost";

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

/// A new content of `out` being written: files go into a sibling staging
/// folder as they come; [`Staging::commit`] swaps it in. Dropped without a
/// commit (an error on the way), the staging folder is removed and `out`
/// is left as it was.
#[derive(Debug)]
pub(crate) struct Staging {
    staging: PathBuf,
    out: PathBuf,
    old: PathBuf,
    files: usize,
    committed: bool,
    /// The lock of the parent folder, released when the staging is dropped.
    _lock: lock::Lock,
}

impl Staging {
    /// Checks `out` and creates the staging folder with its marker. `out` is
    /// replaced as a whole; `protected` folders (the profiles) may be neither
    /// `out` nor inside it.
    pub(crate) fn begin(out: &Path, protected: &[&Path]) -> Result<Staging, WriteError> {
        let shown = out;
        let out = absolute(out);
        check_target(&out, shown, protected)?;
        let parent = parent_of(&out);
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".into());
        let unwritable = |e: io::Error| WriteError::Refused {
            path: shown.display().to_string(),
            why: format!("cannot create a folder in {}: {e}", parent.display()),
        };
        std::fs::create_dir_all(&parent).map_err(unwritable)?;
        // Held until the swap is done: another run on this `out/` waits
        // here, so the leftovers removed next are never a live run's.
        let lock = lock::wait(&parent).map_err(io_error(&parent))?;
        check_target(&out, shown, protected)?;
        remove_leftovers(&parent, &name);
        let pid = std::process::id();
        let staging = parent.join(format!(".{name}.tmp-{pid}"));
        std::fs::create_dir(&staging).map_err(unwritable)?;
        let staged = Staging {
            old: parent.join(format!(".{name}.old-{pid}")),
            staging,
            out,
            files: 0,
            committed: false,
            _lock: lock,
        };
        std::fs::write(staged.staging.join(MARKER), MARKER_TEXT)
            .map_err(io_error(&staged.staging))?;
        Ok(staged)
    }

    /// Writes one file (a path relative to `out`, which must stay inside it).
    pub(crate) fn put(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.inside(rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        std::fs::write(&path, bytes).map_err(io_error(&path))?;
        self.files += 1;
        Ok(())
    }

    /// Adds bytes at the end of a file already put.
    pub(crate) fn append(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        use std::io::Write;
        let path = self.inside(rel)?;
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(io_error(&path))
    }

    /// Files written so far, the marker included.
    pub(crate) fn files(&self) -> usize {
        self.files + 1
    }

    /// Puts the staged output in place of the previous one.
    pub(crate) fn commit(mut self) -> Result<(), WriteError> {
        self.committed = true;
        lock::test_pause("INFERCOST_TEST_PAUSE_BEFORE_SWAP");
        let result = swap_in(&self.staging, &self.out, &self.old);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
        result
    }

    /// `rel` under the staging folder; profile ids are checked, and this
    /// keeps any other name inside `out` too.
    fn inside(&self, rel: &Path) -> Result<PathBuf, WriteError> {
        if !rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(WriteError::Refused {
                path: rel.display().to_string(),
                why: "a report file must stay inside the output folder".into(),
            });
        }
        Ok(self.staging.join(rel))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether the folder `out` is a mount point: it cannot be renamed, so
/// neither swapped nor replaced.
#[cfg(unix)]
fn is_mount_point(out: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(out), std::fs::metadata(parent_of(out))) {
        (Ok(o), Ok(p)) => o.dev() != p.dev() || o.ino() == p.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
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
    if out.is_dir() && is_mount_point(out) {
        return Err(refuse(format!(
            "it is a mount point, which cannot be replaced as a whole; choose a folder inside it (--out {})",
            shown.join("report").display()
        )));
    }
    for p in protected {
        let profiles = absolute(p);
        if profiles.starts_with(out) {
            return Err(refuse(format!(
                "it holds the profiles in {}, which a report would replace",
                p.display()
            )));
        }
        if out.starts_with(&profiles) {
            return Err(refuse(format!(
                "it is inside the profiles in {}; choose a folder outside them",
                p.display()
            )));
        }
    }
    let parent = parent_of(out);
    if let Some(blocker) = parent.ancestors().find(|a| a.exists() && !a.is_dir()) {
        return Err(refuse(format!("{} is not a folder", blocker.display())));
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

/// Swaps two folders in one atomic step (renameat2 with RENAME_EXCHANGE).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// No atomic exchange here: the caller falls back to two renames.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Removes staging folders that a killed run left behind; if a run was
/// killed between moving the previous output aside and moving the new one
/// in, puts the previous output back first.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let (tmp, old) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    let mut leftovers: Vec<(String, PathBuf)> = entries
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .filter(|(file, _)| file.starts_with(&tmp) || file.starts_with(&old))
        .collect();
    leftovers.sort();
    let out = parent.join(name);
    if !out.exists() {
        if let Some((_, previous)) = leftovers
            .iter()
            .find(|(file, p)| file.starts_with(&old) && p.join(MARKER).is_file())
        {
            let _ = std::fs::rename(previous, &out);
        }
    }
    for (_, path) in leftovers {
        if path.exists() {
            let _ = std::fs::remove_dir_all(path);
        }
    }
}

/// Puts the staged output in place of the previous one, then drops the
/// previous. Where the system can (Linux), the two folders trade places in
/// one atomic rename, so that `out` names a complete report at every
/// instant; elsewhere the previous output is moved aside first, and a run
/// killed between the two renames leaves it in `.<out>.old-<pid>`, which the
/// next run moves back ([`remove_leftovers`]).
fn swap_in(staging: &Path, out: &Path, old: &Path) -> Result<(), WriteError> {
    let had_previous = out.exists();
    if had_previous && exchange(staging, out).is_ok() {
        // `staging` now holds the previous output.
        let _ = std::fs::remove_dir_all(staging);
        return Ok(());
    }
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
