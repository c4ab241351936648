//! The README's coverage table (models × vendors) is generated from the
//! catalog and the bundled vendor profiles, never written by hand: the block
//! between its markers equals `infercost catalog --markdown`.
//! `UPDATE_GOLDEN=1 cargo test --test it readme::` rewrites it. The
//! README's example report (`docs/example/`) is what its own command
//! writes: the workload's files are the report test's golden files, and
//! the index and report.json beside them are checked here.

use std::process::Command;

const START: &str = "<!-- coverage:start -->\n";
const END: &str = "<!-- coverage:end -->\n";

#[test]
fn the_readme_coverage_table_is_the_generated_one() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(["catalog", "--markdown"])
        .current_dir(root)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    // A real table: a header, the separator and a row per catalogued model.
    assert!(
        table.starts_with("| model | anyscale | baseten | fireworks |"),
        "{table}"
    );
    assert!(table.contains("\n| kimi-k3 |"), "{table}");
    let path = std::path::Path::new(root).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = readme.split_once(START).expect("the start marker");
    let (_, tail) = rest.split_once(END).expect("the end marker");
    let expected = format!("{head}{START}{table}{END}{tail}");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    assert!(
        readme == expected,
        "README.md's coverage table is not `infercost catalog --markdown`; run UPDATE_GOLDEN=1 cargo test --test it readme::"
    );
}

/// `cargo run --release -- report --as-of 2026-12-01 --only support-chat
/// --out docs/example` (the README's command) writes the committed index
/// and report.json byte for byte (they went stale once when only the
/// workload's folder was a golden file).
#[test]
fn the_readme_example_index_and_json_are_what_its_command_writes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("example");
    let run = crate::common::infercost(
        &[
            "report",
            "--as-of",
            "2026-12-01",
            "--only",
            "support-chat",
            "--out",
            dest.to_str().unwrap(),
        ],
        root,
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for file in ["index.md", "index.html", "report.json"] {
        let written = std::fs::read(dest.join(file)).unwrap();
        crate::common::golden(&root.join("docs/example").join(file), &written);
    }
}

/// The README's replay excerpt (after "The replay (an excerpt):") is lines
/// of the Azure slice's golden replay, in order: it had gone stale by
/// seven of its nine figures and its pick.
#[test]
fn the_readme_replay_excerpt_is_lines_of_the_golden_replay() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let (_, after) = readme
        .split_once("The replay (an excerpt):\n\n```text\n")
        .expect("the excerpt's opening");
    let (excerpt, _) = after.split_once("```").expect("the excerpt's end");
    let golden =
        std::fs::read_to_string(root.join("tests/golden/trace/azure-conv-replay.txt")).unwrap();
    let mut lines = golden.lines();
    for line in excerpt.lines() {
        assert!(
            lines.any(|g| g == line),
            "README replay excerpt line not in tests/golden/trace/azure-conv-replay.txt (in order): {line}"
        );
    }
    assert!(excerpt.lines().count() >= 5, "{excerpt}");
}

/// The text of the README's fenced block that opens with `opening` (its
/// first line after the fence), up to the closing fence.
fn block_after(opening: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let (_, after) = readme.split_once(opening).expect("the block's opening");
    let (block, _) = after.split_once("```").expect("the block's end");
    block.to_string()
}

/// The README's `infercost capacity` example is what the command prints
/// (it had gone stale twice: the band after the no-engine answer spanned
/// the engines, the figures after the prefill's collectives).
#[test]
fn the_readme_capacity_example_is_what_the_command_prints() {
    let line = "$ infercost capacity meta-llama/Llama-3.3-70B-Instruct --gpu h200-141gb --input-tokens 1200 --output-tokens 250 --concurrency 8\n";
    let shown = block_after(&format!("```console\n{line}"));
    let args: Vec<&str> = line.trim().split(' ').skip(2).collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = crate::common::infercost(&args, root);
    assert!(out.status.success());
    assert_eq!(shown, String::from_utf8(out.stdout).unwrap());
}

/// The README's `infercost validate` example: Together's first serverless
/// input rate set to -0.88 gives the error shown, at its line.
#[test]
fn the_readme_validate_example_is_what_the_command_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for folder in ["vendors", "workloads"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let to = dir.path().join(folder).join(path.file_name().unwrap());
            std::fs::copy(&path, to).unwrap();
        }
    }
    let together = dir.path().join("vendors/together.yaml");
    let text = std::fs::read_to_string(&together).unwrap();
    let first = text
        .find("input_usd_per_mtok: ")
        .expect("a serverless rate")
        + 20;
    let end = first + text[first..].find(' ').unwrap();
    std::fs::write(
        &together,
        format!("{}-0.88{}", &text[..first], &text[end..]),
    )
    .unwrap();
    let out = crate::common::infercost(&["validate"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let shown = block_after("```text\n$ infercost validate\n");
    // Standard error ends with a blank line the block leaves out.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(shown, format!("{}\n", stderr.trim_end()));
}
