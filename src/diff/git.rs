//! The profiles of a git revision, read with the git command line (no
//! libgit2): `git rev-parse` checks the revision, `git ls-tree` lists
//! `vendors/` and `workloads/` (relative to the current folder, like the
//! folders `report` reads), `git cat-file` reads each file. Files are named
//! `REV:vendors/x.yaml` so that an error in an old profile says where it is.

use std::process::Command;

use crate::profile::names::{self, Name};
use crate::profile::parse::MAX_PROFILE_BYTES;
use crate::profile::ProfileFile;

/// Git could not give the profiles of a revision.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the profiles of git revision `{rev}`: {message}")]
pub struct GitError {
    /// The revision as given.
    pub rev: String,
    /// What went wrong, with git's own message.
    pub message: String,
}

/// The vendor and workload files of `rev`.
pub(crate) fn read_revision(rev: &str) -> Result<(Vec<ProfileFile>, Vec<ProfileFile>), GitError> {
    let fail = |message: String| GitError {
        rev: rev.to_string(),
        message,
    };
    if rev.is_empty() || rev.starts_with('-') {
        return Err(fail(
            "expected a folder or a git revision (a branch, tag or commit)".to_string(),
        ));
    }
    let commit = git(&["rev-parse", "--verify", &format!("{rev}^{{commit}}")]).map_err(|e| {
        fail(format!(
            "it is neither a folder nor a revision git knows ({e})"
        ))
    })?;
    let commit = commit.trim();
    let listing = git(&[
        "ls-tree",
        "-l",
        "-z",
        commit,
        "--",
        "vendors/",
        "workloads/",
    ])
    .map_err(fail)?;
    let entries: Vec<Entry> = listing.split('\0').filter_map(Entry::parse).collect();
    let (mut vendors, mut workloads) = (Vec::new(), Vec::new());
    for entry in &entries {
        let (folder, file) = entry.path.split_once('/').unwrap_or(("", &entry.path));
        let (stem, text) = match names::classify(file) {
            Name::Ignored => continue,
            Name::Profile(stem) => (stem, entry.text(&entries)),
            Name::Refused(why) => (file.to_string(), Err(why)),
        };
        let name = format!("{rev}:{}", entry.path);
        let profile = ProfileFile { name, stem, text };
        match folder {
            "vendors" => vendors.push(profile),
            "workloads" => workloads.push(profile),
            _ => {}
        }
    }
    for (files, folder) in [(&vendors, "vendors"), (&workloads, "workloads")] {
        if files.is_empty() {
            return Err(fail(format!(
                "it has no {folder}/*.yaml (looked in {folder}/ relative to the current folder)"
            )));
        }
    }
    vendors.sort_by(|a, b| a.name.cmp(&b.name));
    workloads.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((vendors, workloads))
}

/// One entry of `git ls-tree -l`: mode, object, size (of a blob) and path.
struct Entry {
    mode: String,
    object: String,
    size: Option<u64>,
    path: String,
}

/// Longest link target read: a path, not a file.
const MAX_LINK_BYTES: u64 = 4096;

impl Entry {
    fn parse(line: &str) -> Option<Entry> {
        let (meta, path) = line.split_once('\t')?;
        let mut meta = meta.split_whitespace();
        let (mode, _kind, object, size) = (meta.next()?, meta.next()?, meta.next()?, meta.next()?);
        Some(Entry {
            mode: mode.to_string(),
            object: object.to_string(),
            size: size.parse().ok(),
            path: path.to_string(),
        })
    }

    /// The text of a profile entry, with the same refusals as a folder read:
    /// not a file, larger than a profile (told by the size `ls-tree` gives,
    /// before reading), a link that leads out of its folder (its target is
    /// read, never the file it names outside), not UTF-8.
    fn text(&self, entries: &[Entry]) -> Result<String, String> {
        match self.mode.as_str() {
            "100644" | "100755" => {}
            "120000" => return self.link_target(entries)?.text(entries),
            _ => return Err("not a regular file".to_string()),
        }
        let size = self.size.unwrap_or(u64::MAX);
        if size > MAX_PROFILE_BYTES as u64 {
            return Err(format!(
                "the file is {size} bytes; a profile is at most {MAX_PROFILE_BYTES} bytes"
            ));
        }
        let bytes = git_bytes(&["cat-file", "blob", &self.object])?;
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "the file is not UTF-8 text (invalid byte at offset {}); expected YAML",
                e.utf8_error().valid_up_to()
            )
        })
    }

    /// The regular file of the same folder that this link names; a link out
    /// of the folder, or to a link, is refused.
    fn link_target<'a>(&self, entries: &'a [Entry]) -> Result<&'a Entry, String> {
        let outside = || {
            "a link to a file outside its folder; refused unread (a profile is a file in vendors/ or workloads/)"
                .to_string()
        };
        if self.size.unwrap_or(u64::MAX) > MAX_LINK_BYTES {
            return Err(outside());
        }
        let target = git(&["cat-file", "blob", &self.object])?;
        let (folder, _) = self.path.split_once('/').ok_or_else(outside)?;
        let mut parts: Vec<&str> = vec![folder];
        for part in target.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        if target.starts_with('/') || parts.len() < 2 || parts[0] != folder {
            return Err(outside());
        }
        let path = parts.join("/");
        entries
            .iter()
            .find(|e| e.path == path && e.mode != "120000")
            .ok_or_else(outside)
    }
}

/// Whether git in the current folder knows `name` as a revision that names
/// a commit.
pub(crate) fn is_revision(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{name}^{{commit}}"),
        ])
        .is_ok()
}

/// Runs git; its standard output, or its error message.
fn git(args: &[&str]) -> Result<String, String> {
    git_bytes(args).map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn git_bytes(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let message = stderr.trim();
    Err(if message.is_empty() {
        format!("`git {}` failed ({})", args.join(" "), out.status)
    } else {
        format!("git: {}", message.replace('\n', "; "))
    })
}
