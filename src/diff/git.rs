//! The profiles of a git revision, read with the git command line (no
//! libgit2): `git rev-parse` checks the revision, `git ls-tree` lists
//! `vendors/` and `workloads/` (relative to the current folder, like the
//! folders `report` reads), `git cat-file` reads each file. Files are named
//! `REV:vendors/x.yaml` so that an error in an old profile says where it is.

use std::process::Command;

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
pub fn read_revision(rev: &str) -> Result<(Vec<ProfileFile>, Vec<ProfileFile>), GitError> {
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
    let listing = git(&["ls-tree", "-z", commit, "--", "vendors/", "workloads/"]).map_err(fail)?;
    let (mut vendors, mut workloads) = (Vec::new(), Vec::new());
    for entry in listing.split('\0').filter(|e| !e.is_empty()) {
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (mode, kind, object) = (meta.next(), meta.next(), meta.next());
        let is_file = kind == Some("blob") && matches!(mode, Some("100644" | "100755"));
        let Some(object) = object.filter(|_| is_file) else {
            continue;
        };
        let Some((folder, file)) = path.split_once('/') else {
            continue;
        };
        let Some((stem, "yaml" | "yml")) = file.rsplit_once('.') else {
            continue;
        };
        let profile = ProfileFile {
            name: format!("{rev}:{path}"),
            stem: stem.to_string(),
            text: git_bytes(&["cat-file", "blob", object]).and_then(|bytes| {
                String::from_utf8(bytes)
                    .map_err(|_| "the file is not UTF-8 text; expected YAML".to_string())
            }),
        };
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

/// Whether git in the current folder knows `name` as a revision that names
/// a commit.
pub fn is_revision(name: &str) -> bool {
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
