//! What the test modules share: the repository's folders, running the real
//! executable, scratch copies of fixtures, comparing (or, with
//! `UPDATE_GOLDEN=1`, rewriting) a golden file, and approximate equality.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Git variables that would point git at another repository than the
/// current folder's (as they do inside a git hook).
pub(crate) const GIT_VARIABLES: &[&str] = &["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"];

/// The repository's root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The environment variables infercost reads its configuration from.
const INFERCOST_VARIABLES: [&str; 3] = [
    "INFERCOST_CONFIG",
    "INFERCOST_MAX_AGE_DAYS",
    "INFERCOST_FORMATS",
];

/// Runs the binary in `dir`, outside any git repository the test runner
/// may have been started from.
pub(crate) fn infercost(args: &[&str], dir: &Path) -> Output {
    infercost_on(args, dir, None)
}

/// [`infercost`] on `threads` worker threads (rayon's, `RAYON_NUM_THREADS`;
/// `None`: its default, one a core).
pub(crate) fn infercost_on(args: &[&str], dir: &Path, threads: Option<usize>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infercost"));
    command.env_remove("RAYON_NUM_THREADS");
    // Tables wrap at `COLUMNS` when it is set: a developer's exported
    // width must not change a golden file (100 columns when unset).
    command.env_remove("COLUMNS");
    if let Some(n) = threads {
        command.env("RAYON_NUM_THREADS", n.to_string());
    }
    for v in GIT_VARIABLES.iter().chain(&INFERCOST_VARIABLES) {
        command.env_remove(v);
    }
    command
        // The developer's own infercost.toml must not change a test's figures
        // (the folder named does not exist).
        .env(
            "XDG_CONFIG_HOME",
            root().join("tests/fixtures/no-user-config"),
        )
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// `compare ID --format json --as-of 2026-12-01` on the profiles in
/// `vendors` and `workloads`.
pub(crate) fn compare_in(id: &str, vendors: &Path, workloads: &Path) -> Output {
    infercost(
        &[
            "compare",
            id,
            "--format",
            "json",
            "--as-of",
            "2026-12-01",
            "--vendors",
            vendors.to_str().unwrap(),
            "--workloads",
            workloads.to_str().unwrap(),
        ],
        &root(),
    )
}

/// A scratch folder with `vendors/` and `workloads/` holding these
/// files (name, text), empty folders where none is given.
pub(crate) fn profiles_in(
    vendors: &[(&str, &str)],
    workloads: &[(&str, &str)],
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (sub, files) in [("vendors", vendors), ("workloads", workloads)] {
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for (name, text) in files {
            std::fs::write(to.join(name), text).unwrap();
        }
    }
    dir
}

/// A scratch folder holding a copy of a fixture's vendors/ and workloads/.
pub(crate) fn scratch(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["vendors", "workloads"] {
        let to = dir.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(fixture(name).join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    dir
}

/// Whether this run rewrites the golden files (`UPDATE_GOLDEN=1`).
pub(crate) fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// Compares `actual` with the golden file at `path`, or rewrites it under
/// `UPDATE_GOLDEN=1`; a difference names the first line that differs.
pub(crate) fn golden(path: &Path, actual: &[u8]) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read(path).unwrap_or_else(|_| {
        panic!(
            "no golden file {}; create it with UPDATE_GOLDEN=1 cargo test",
            path.display()
        )
    });
    if expected != actual {
        let (e, a) = (
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(actual),
        );
        let line = e
            .lines()
            .zip(a.lines())
            .position(|(x, y)| x != y)
            .unwrap_or_else(|| e.lines().count().min(a.lines().count()));
        panic!(
            "{} differs from the output, first at line {}:\n  golden: {}\n  output: {}\n\
             If the change is intended: UPDATE_GOLDEN=1 cargo test, then review the diff.",
            path.display(),
            line + 1,
            e.lines().nth(line).unwrap_or("<end of file>"),
            a.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

/// `a` and `b` agree within `rel`, relative to the larger.
pub(crate) fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

/// Asserts that `actual` is `expected` within `rel` (relative; at least `1e-12` absolute).
pub(crate) fn assert_close(actual: f64, expected: f64, rel: f64) {
    let tol = rel * expected.abs().max(1e-12);
    assert!(
        (actual - expected).abs() <= tol,
        "expected {expected}, got {actual}"
    );
}

/// Every file under `root`, with its bytes, by path relative to it.
pub(crate) fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_path_buf();
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

/// A system tool a test needs is not installed: under `CI` that fails the
/// test (`.ci/run` installs it); elsewhere the test prints SKIPPED with the
/// reason and the apt command (shown by `cargo test -- --nocapture`), and
/// the caller returns.
pub(crate) fn missing_tool(tool: &str, what: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {tool} is not installed (.ci/run installs it)"
    );
    println!("SKIPPED: {tool} is not installed (apt-get install -y {tool}); {what} did not run");
}

/// `markdown` rendered to HTML by cmark-gfm, the GFM renderer GitHub's is
/// built on, with GitHub's extensions and raw HTML kept (`--unsafe`) so that
/// any HTML that got through shows; `None` when cmark-gfm is not installed
/// (after [`missing_tool`] said so, naming `what`).
pub(crate) fn gfm(markdown: &str, what: &str) -> Option<String> {
    use std::io::Write;
    let child = Command::new("cmark-gfm")
        .args(["--unsafe", "-e", "table", "-e", "autolink"])
        .args(["-e", "strikethrough", "-e", "tagfilter", "-e", "tasklist"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            missing_tool("cmark-gfm", what);
            return None;
        }
        Err(e) => panic!("cannot start cmark-gfm: {e}"),
    };
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(markdown.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "cmark-gfm failed");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// Runs the binary in `dir` with no configuration of the machine's: no
/// `INFERCOST_*` variable but those of `env`, and the user's config folder
/// in `user_config`.
pub(crate) fn configured(
    dir: &Path,
    user_config: &Path,
    env: &[(&str, String)],
    args: &[&str],
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infercost"));
    for v in INFERCOST_VARIABLES {
        command.env_remove(v);
    }
    command
        .env("XDG_CONFIG_HOME", user_config)
        .env("COLUMNS", "100")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

/// A run that must have succeeded (else its stderr is the failure).
pub(crate) fn succeeded(out: Output) -> Output {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `infercost report --as-of AS_OF --out OUT` on the bundled profiles,
/// which must succeed.
pub(crate) fn bundled_report(as_of: &str, out: &Path) {
    bundled_report_on(as_of, out, None);
}

/// [`bundled_report`] on `threads` worker threads.
pub(crate) fn bundled_report_on(as_of: &str, out: &Path, threads: Option<usize>) {
    succeeded(infercost_on(
        &["report", "--as-of", as_of, "--out", out.to_str().unwrap()],
        &root(),
        threads,
    ));
}

/// The stderr of a run refused as bad input (exit 2).
pub(crate) fn refused(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    err
}

/// `compare ID --as-of 2026-12-01 --format json` (and `extra`) run in
/// `dir` as [`configured`] runs it: the whole JSON report.
pub(crate) fn configured_json(
    dir: &Path,
    user_config: &Path,
    env: &[(&str, String)],
    id: &str,
    extra: &[&str],
) -> serde_json::Value {
    let mut args = vec!["compare", id, "--as-of", "2026-12-01", "--format", "json"];
    args.extend(extra);
    let out = succeeded(configured(dir, user_config, env, &args));
    serde_json::from_slice(&out.stdout).expect("compare prints JSON")
}

/// A JSON array of strings (an option's flags, reasons), as `&str`s.
pub(crate) fn strings(v: &serde_json::Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}
