//! The tables the cross-validation prints (README, "How sure"), each
//! line built as a row so that the test holds the README to them.

use super::Held;
use crate::capacity::calibrate::{quantile, ErrorStats};
use crate::capacity::serving::Engine;

/// Median |error|, share within the band, worst ratio, of the kept points.
pub(super) struct Row {
    pub(super) error: ErrorStats,
    pub(super) coverage: f64,
    pub(super) worst: f64,
}

pub(super) fn row(held: &[Held], keep: impl Fn(&Held) -> bool) -> Row {
    let kept: Vec<&Held> = held.iter().filter(|h| keep(h)).collect();
    let errors: Vec<f64> = kept.iter().map(|h| h.error).collect();
    let covered = kept.iter().filter(|h| h.covered).count();
    Row {
        error: ErrorStats::of(&errors),
        coverage: covered as f64 / kept.len().max(1) as f64,
        worst: errors
            .iter()
            .map(|e| (1.0 + e).max(1.0 / (1.0 + e)))
            .fold(1.0, f64::max),
    }
}

/// Which held-out estimates a table line counts.
type Keep = Box<dyn Fn(&Held) -> bool>;

/// The rows of the README's "How sure" table for the estimates `held`
/// out `name`'s way.
pub(super) fn table(name: &str, held: &[Held]) -> Vec<String> {
    let lines: [(&str, Keep); 7] = [
        ("all", Box::new(|_| true)),
        ("dense", Box::new(|h| !h.moe)),
        ("mixture of experts", Box::new(|h| h.moe)),
        ("saturated", Box::new(|h| h.saturated)),
        ("TensorRT-LLM", Box::new(|h| h.engine == Engine::Trtllm)),
        ("vLLM", Box::new(|h| h.engine == Engine::Vllm)),
        ("SGLang", Box::new(|h| h.engine == Engine::Sglang)),
    ];
    let mut out = Vec::new();
    for (label, keep) in lines {
        let r = row(held, keep);
        if r.error.n == 0 {
            continue;
        }
        out.push(format!(
            "| {name} | {label} | {} | {:.1}% | {:.1}% | {:.2}× | {:.0}% |",
            r.error.n,
            r.error.median * 100.0,
            r.error.p90 * 100.0,
            r.worst,
            r.coverage * 100.0
        ));
    }
    let tpot: Vec<f64> = held.iter().filter_map(|h| h.tpot_error).collect();
    let t = ErrorStats::of(&tpot);
    out.push(format!(
        "| {name} | TPOT at ≤ 16 streams | {} | {:.1}% | {:.1}% | | |",
        t.n,
        t.median * 100.0,
        t.p90 * 100.0
    ));
    out
}

/// The held-out set by series: points, median and worst ratio of
/// estimate to measurement, share in the band.
pub(super) fn series_table(held: &[Held]) -> Vec<String> {
    let mut ids: Vec<&str> = held.iter().map(|h| h.series.as_str()).collect();
    ids.dedup();
    let mut out = vec![
        "| Series | n | Median ratio | Range | In band |".to_string(),
        "|---|---|---|---|---|".to_string(),
    ];
    for id in ids {
        let kept: Vec<&Held> = held.iter().filter(|h| h.series == id).collect();
        let mut ratios: Vec<f64> = kept.iter().map(|h| 1.0 + h.error).collect();
        ratios.sort_by(f64::total_cmp);
        let covered = kept.iter().filter(|h| h.covered).count();
        out.push(format!(
            "| {id} | {} | {:.2} | {:.2}–{:.2} | {}/{} |",
            kept.len(),
            quantile(&ratios, 0.5),
            ratios[0],
            ratios[ratios.len() - 1],
            covered,
            kept.len()
        ));
    }
    out
}

/// Every time per output token at ≤ 16 streams: series, streams,
/// measured and estimated ms.
pub(super) fn tpot_table(held: &[Held]) -> Vec<String> {
    let mut out = vec![
        "| Series | Streams | Measured ms | Estimate ms | Ratio |".to_string(),
        "|---|---|---|---|---|".to_string(),
    ];
    for h in held {
        if let (Some((k, ms)), Some(e)) = (h.tpot_at, h.tpot_error) {
            let est = ms * (1.0 + e);
            out.push(format!(
                "| {} | {k} | {ms:.1} | {est:.1} | {:.2} |",
                h.series,
                1.0 + e
            ));
        }
    }
    out
}

/// `rows` are a table of README.md as it stands: the README holds the
/// same lines in the same order from the first one on, and the line after
/// them ends the table (a row the calibration no longer computes, left
/// behind, fails as a missing one does).
pub(super) fn in_the_readme(rows: &[String]) {
    let readme: Vec<&str> = include_str!("../../../README.md").lines().collect();
    let start = readme.iter().position(|l| *l == rows[0]);
    let shown: &[&str] = start.map_or(&[], |i| {
        let end = (i..readme.len())
            .find(|&j| !readme[j].starts_with('|'))
            .unwrap_or(readme.len());
        &readme[i..end]
    });
    assert!(
        shown == rows,
        "README.md, \"How sure\", does not show this table as computed (paste the output of \
         `cargo test --lib crossval -- --nocapture`):\n{}\nREADME.md has:\n{}",
        rows.join("\n"),
        shown.join("\n")
    );
}
