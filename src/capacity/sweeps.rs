//! Batch sweeps (`catalog/batch_sweeps.yaml`): one model on one GPU setup
//! served at a fixed cap on running sequences, each point the replica's
//! output tokens/s, the mean running batch and the inter-token latency.
//! They measure the decode step time against the batch; the input lengths
//! are not published, so they are not `benchmarks.yaml` points. Part of
//! the load stage: types as written, and their checks once the GPUs and
//! architectures are known.

use serde::Deserialize;

use super::catalog::{PerfCatalog, Precision};
use crate::profile::validate::Problem;

/// `catalog/batch_sweeps.yaml`.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SweepFile {
    /// When the source data was last updated.
    #[allow(dead_code)]
    pub as_of: String,
    /// The sweeps.
    pub sweeps: Vec<BatchSweep>,
}

/// Points measured with one setup at several batch caps.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct BatchSweep {
    /// Id of the sweep.
    pub id: String,
    /// Canonical model id (the architecture the checkpoint shares).
    pub model: String,
    /// The checkpoint the source served.
    pub checkpoint: String,
    /// GPU id.
    pub gpu: String,
    /// GPUs in the replica.
    pub gpus: u32,
    /// Parallelism (`TP4,EP4`).
    pub parallelism: String,
    /// Weight precision.
    pub precision: Precision,
    /// Serving engine.
    pub engine: String,
    /// Engine version (`unknown` where the source does not say).
    pub engine_version: String,
    /// The source's task (its prompt set).
    pub task: String,
    /// Where the figures come from.
    pub source: String,
    /// When they were published: `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// A | B | C.
    pub grade: String,
    /// The points, by batch cap.
    pub points: Vec<SweepPoint>,
}

/// One batch cap of a sweep.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SweepPoint {
    /// The server's cap on running sequences.
    pub max_num_seqs: u32,
    /// Mean running batch the server measured.
    pub mean_batch: f64,
    /// Mean output tokens per request.
    pub output_tokens: f64,
    /// Output tokens per second of the replica.
    pub output_tokens_per_s: f64,
    /// Median inter-token latency, ms.
    pub itl_median_ms: f64,
    /// 90th percentile inter-token latency, ms.
    pub itl_p90_ms: f64,
}

/// The sweeps' problems: unknown model or GPU, GPU count, date, grade,
/// figures that are not positive, duplicate ids.
pub(crate) fn check(catalog: &PerfCatalog, sweeps: &[BatchSweep]) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, s) in sweeps.iter().enumerate() {
        let at = |f: &str| format!("sweeps[{i}].{f}");
        if sweeps[..i].iter().any(|t| t.id == s.id) {
            out.push(super::load::problem(
                at("id"),
                format!("duplicate sweep id `{}`", s.id),
            ));
        }
        super::load::check_setup(&mut out, catalog, &at, (&s.model, &s.gpu, s.gpus));
        super::load::check_dated(&mut out, &at, &s.date, &s.grade);
        if s.points.is_empty() {
            out.push(super::load::problem(
                at("points"),
                "expected at least one point",
            ));
        }
        for (j, p) in s.points.iter().enumerate() {
            let pt = |f: &str| format!("sweeps[{i}].points[{j}].{f}");
            if p.max_num_seqs == 0 {
                out.push(super::load::problem(
                    pt("max_num_seqs"),
                    "expected at least 1",
                ));
            }
            for (name, v) in [
                ("mean_batch", p.mean_batch),
                ("output_tokens", p.output_tokens),
                ("output_tokens_per_s", p.output_tokens_per_s),
                ("itl_median_ms", p.itl_median_ms),
                ("itl_p90_ms", p.itl_p90_ms),
            ] {
                super::load::positive(&mut out, pt(name), v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::capacity::calibrate::quantile;
    use crate::capacity::layout::Layout;
    use crate::capacity::load::bundled;
    use crate::capacity::roofline::RooflineReplica;
    use crate::capacity::serving::Engine;
    use crate::capacity::Estimator;

    /// The per-layer floor each sweep's smallest batch implies under vLLM,
    /// by kind (dense, mixture of experts): the inter-token latency less
    /// the step's compute and collectives at the calibrated efficiencies,
    /// over the layers, where that exceeds the weight and KV read (else
    /// the read hides the floor). Input lengths are not published: the
    /// mean context is half the output.
    fn implied_vllm_floors(moe: bool, mla: bool) -> Vec<f64> {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let estimator = Estimator::new(c.clone());
        let mut floors = Vec::new();
        for s in &c.sweeps {
            let (Some(arch), Some(gpu)) = (c.architecture(&s.model), c.gpu(&s.gpu)) else {
                continue;
            };
            if arch.mla() != mla || (!mla && arch.experts.is_some() != moe) {
                continue;
            }
            let Some((_, group)) = estimator.calibration.factors(&gpu.family, s.precision, moe)
            else {
                continue;
            };
            let e = group.efficiency;
            let r = RooflineReplica {
                arch,
                gpu,
                gpus: s.gpus,
                precision: s.precision,
                engine: Engine::Vllm,
                layout: Layout::parse(&s.parallelism, s.gpus),
            };
            let Some(p) = s
                .points
                .iter()
                .min_by(|a, b| a.mean_batch.total_cmp(&b.mean_batch))
            else {
                continue;
            };
            let shape = r.shape(0.0, p.output_tokens, p.mean_batch);
            let rest = p.itl_median_ms / 1e3 - shape.step_compute_s / e.compute - shape.step_comm_s;
            if rest > shape.step_memory_s / e.bandwidth {
                floors.push(rest / f64::from(arch.layers));
            }
        }
        floors.sort_by(f64::total_cmp);
        floors
    }

    #[test]
    fn the_vllm_layer_floors_are_the_batch_sweeps_median() {
        // Dense (17 sweeps: an 18th's step is all weight read at the
        // dense fit's 77% of peak bandwidth, so it implies no floor),
        // mixture of experts without MLA (15), MLA (DeepSeek R1 and V3.1 on
        // 8 x B200: 3).
        for (moe, mla, n) in [(false, false, 17), (true, false, 15), (true, true, 3)] {
            let floors = implied_vllm_floors(moe, mla);
            let median = quantile(&floors, 0.5);
            println!(
                "moe {moe} mla {mla}: {} sweeps, median floor {:.4} ms",
                floors.len(),
                median * 1e3
            );
            let set = Engine::Vllm.layer_floor_s(moe, mla);
            assert_eq!(floors.len(), n);
            assert!(
                (set / median - 1.0).abs() < 0.05,
                "moe {moe} mla {mla}: {set} vs {median}"
            );
        }
    }

    #[test]
    fn the_qwen3_235b_fp8_sweep_on_four_h100s_is_read_as_published() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let points: usize = c.sweeps.iter().map(|s| s.points.len()).sum();
        assert_eq!((c.sweeps.len(), points), (49, 404));
        let s = c
            .sweeps
            .iter()
            .find(|s| {
                s.id == "mlenergy-lm-arena-chat-qwen3-235b-a22b-instruct-2507-fp8-h100x4-tp1-ep4"
            })
            .expect("the sweep");
        assert_eq!((s.gpus, s.precision.id()), (4, "fp8"));
        let p = &s.points[0];
        // Batch 8 at a 35.24 ms step: 8 / 0.03524 = 227 tokens/s, within
        // 2% of the published 223.8 (the mean batch is 7.991, not 8).
        assert_eq!(
            (p.max_num_seqs, p.output_tokens_per_s, p.itl_median_ms),
            (8, 223.8, 35.24)
        );
        assert!(
            (p.mean_batch / (p.itl_median_ms / 1000.0) / p.output_tokens_per_s - 1.0).abs() < 0.02
        );
    }
}
