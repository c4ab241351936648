//! Synthetic workload sets for the benchmarks and the scale tests: `n`
//! workload profiles cloned from the bundled ones, each with its own id and
//! its daily volume scaled by a factor between 1/20 and 20. Deterministic, so
//! two runs give the same files. Shared by `examples/gen_workloads`,
//! `benches/engine.rs` and `tests/robustness.rs` (included with `#[path]`).

/// `n` workload profiles as (file stem, YAML text), made from `bundled`
/// (file stem, YAML text) by renaming them and scaling their volume.
pub(super) fn workloads(bundled: &[(String, String)], n: usize) -> Vec<(String, String)> {
    assert!(!bundled.is_empty(), "no workloads to clone");
    (0..n)
        .map(|i| {
            let (stem, text) = &bundled[i % bundled.len()];
            let id = format!("{stem}-{i:05}");
            let text = rewrite(text, &id, volume_factor(i));
            (id, text)
        })
        .collect()
}

/// A low-discrepancy sequence of factors spread evenly, in log scale, over [1/20, 20).
pub(super) fn volume_factor(i: usize) -> f64 {
    const GOLDEN: f64 = 0.618_033_988_749_895;
    let u = (i as f64 * GOLDEN).fract();
    20f64.powf(2.0 * u - 1.0)
}

/// Sets the workload id and scales `requests_per_day` or `episodes_per_day`.
fn rewrite(text: &str, id: &str, factor: f64) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if line.starts_with("workload:") {
            out.push_str(&format!("workload: {id}"));
        } else if let Some(key) = ["requests_per_day:", "episodes_per_day:"]
            .into_iter()
            .find(|k| trimmed.starts_with(k))
        {
            let value = trimmed[key.len()..].split('#').next().unwrap_or("").trim();
            let volume: f64 = value.parse().expect("a bundled volume is a number");
            let scaled = (volume * factor).round().max(1.0);
            out.push_str(&format!("{indent}{key} {scaled}"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}
