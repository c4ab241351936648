//! The README's coverage table (models × vendors) is generated from the
//! catalog and the bundled vendor profiles, never written by hand: the block
//! between its markers equals `infercost catalog --markdown`.
//! `UPDATE_GOLDEN=1 cargo test --test it readme::` rewrites it.

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
