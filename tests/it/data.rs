//! The bundled data keeps its promises: every figure in `vendors/` carries a
//! comment saying where it comes from (on its line, or in the comment block
//! right above it), and every vendor lists its sources.

use std::path::Path;

/// Fields whose value is a sourced figure rather than a configuration choice.
const FIGURES: &[&str] = &[
    "usd_per_mtok",
    "usd_per_hour",
    "usd_per_minute",
    "usd_per_second",
    "usd_per_prediction",
    "seconds_per_prediction",
    "tokens_per_s",
    "ttft_ms",
    "cold_start_s",
    "idle_timeout_s",
    "batch_discount",
    "context_tokens",
];

#[test]
fn every_vendor_figure_names_its_source_in_a_comment() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vendors");
    let mut missing = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split(" #").next().unwrap_or_default();
            if !FIGURES.iter().any(|f| code.contains(f))
                || !code.chars().any(|c| c.is_ascii_digit())
            {
                continue;
            }
            checked += 1;
            let commented_here = line.contains(" #");
            let commented_above = i > 0 && lines[i - 1].trim_start().starts_with('#');
            if !commented_here && !commented_above {
                missing.push(format!(
                    "{}:{}: {}",
                    path.file_name().unwrap().to_string_lossy(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(checked > 100, "only {checked} figures found");
    assert!(
        missing.is_empty(),
        "figures without a source comment:\n{}",
        missing.join("\n")
    );
}
