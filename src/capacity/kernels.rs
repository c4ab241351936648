//! Measured kernel latencies (`catalog/kernels.yaml`), reduced from NVIDIA
//! AIConfigurator's tables by `scripts/aiconfigurator_kernels.py`: the
//! all-reduce by GPU count and size, one MoE layer's expert GEMMs by token
//! count and routing, decode attention (GQA, MLA) by batch and context.
//! Part of the load stage: types as written, and their checks once the
//! GPUs are known. Latencies are microseconds; `None` where the tables
//! have no row.

use serde::Deserialize;

use super::catalog::PerfCatalog;
use super::load::{check_grade, positive, problem};
use crate::profile::validate::Problem;

/// `catalog/kernels.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct KernelTables {
    /// Where the tables come from.
    pub source: String,
    /// The package and the path of its tables.
    pub package: String,
    /// When the package was read.
    pub read: String,
    /// A | B | C.
    pub grade: String,
    /// All-reduce latencies.
    pub all_reduce: Vec<AllReduce>,
    /// MoE layer latencies.
    pub moe: Vec<MoeLayer>,
    /// Decode attention, grouped-query.
    pub gqa_decode: Vec<GqaDecode>,
    /// Decode attention, DeepSeek's latent attention module.
    pub mla_decode: Vec<MlaDecode>,
}

/// One engine's BF16 all-reduce on one GPU count.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AllReduce {
    /// GPU id.
    pub gpu: String,
    /// Serving engine.
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// GPUs taking part.
    pub gpus: u32,
    /// Message sizes, elements.
    pub elements: Vec<u64>,
    /// Latency per size, µs.
    pub latency_us: Vec<Option<f64>>,
}

/// One MoE layer's expert GEMMs on one GPU holding every expert.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MoeLayer {
    /// GPU id.
    pub gpu: String,
    /// Serving engine.
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// Weight/activation type, as AIConfigurator names it.
    pub dtype: String,
    /// Hidden size.
    pub hidden: u32,
    /// Expert intermediate size.
    pub inter: u32,
    /// Routed experts.
    pub experts: u32,
    /// Experts per token.
    pub topk: u32,
    /// Token counts.
    pub tokens: Vec<u32>,
    /// Latency per token count, balanced routing, µs.
    pub balanced_us: Vec<Option<f64>>,
    /// Latency per token count, power-law skewed routing, µs.
    pub skewed_us: Vec<Option<f64>>,
}

/// One layer's grouped-query decode attention on one GPU.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct GqaDecode {
    /// GPU id.
    pub gpu: String,
    /// Serving engine.
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// Query heads on the GPU.
    pub q_heads: u32,
    /// KV heads on the GPU.
    pub kv_heads: u32,
    /// Head dimension.
    pub head_dim: u32,
    /// KV cache type.
    pub kv_dtype: String,
    /// Batch sizes (rows of `latency_us`).
    pub batch: Vec<u32>,
    /// Context lengths, tokens (columns of `latency_us`).
    pub context: Vec<u32>,
    /// Latency per batch and context, µs.
    pub latency_us: Vec<Vec<Option<f64>>>,
}

/// One layer's MLA generation module (DeepSeek V3 shapes) on one GPU.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MlaDecode {
    /// GPU id.
    pub gpu: String,
    /// Serving engine.
    pub engine: String,
    /// Engine version.
    pub engine_version: String,
    /// Attention heads on the GPU.
    pub heads: u32,
    /// KV cache type.
    pub kv_dtype: String,
    /// Batch sizes (rows of `latency_us`).
    pub batch: Vec<u32>,
    /// Context lengths, tokens (columns of `latency_us`).
    pub context: Vec<u32>,
    /// Latency per batch and context, µs.
    pub latency_us: Vec<Vec<Option<f64>>>,
}

/// The tables' problems: unknown GPUs, lists whose lengths disagree,
/// latencies that are not positive.
pub(crate) fn check(catalog: &PerfCatalog, k: &KernelTables) -> Vec<Problem> {
    let mut out = Vec::new();
    check_grade(&mut out, "grade".into(), &k.grade);
    for (i, r) in k.all_reduce.iter().enumerate() {
        let at = |f: &str| format!("all_reduce[{i}].{f}");
        known_gpu(&mut out, catalog, at("gpu"), &r.gpu);
        latencies(&mut out, at("latency_us"), r.elements.len(), &r.latency_us);
    }
    for (i, m) in k.moe.iter().enumerate() {
        let at = |f: &str| format!("moe[{i}].{f}");
        known_gpu(&mut out, catalog, at("gpu"), &m.gpu);
        latencies(&mut out, at("balanced_us"), m.tokens.len(), &m.balanced_us);
        latencies(&mut out, at("skewed_us"), m.tokens.len(), &m.skewed_us);
    }
    for (i, g) in k.gqa_decode.iter().enumerate() {
        let at = |f: &str| format!("gqa_decode[{i}].{f}");
        known_gpu(&mut out, catalog, at("gpu"), &g.gpu);
        grid(
            &mut out,
            at("latency_us"),
            (g.batch.len(), g.context.len()),
            &g.latency_us,
        );
    }
    for (i, m) in k.mla_decode.iter().enumerate() {
        let at = |f: &str| format!("mla_decode[{i}].{f}");
        known_gpu(&mut out, catalog, at("gpu"), &m.gpu);
        grid(
            &mut out,
            at("latency_us"),
            (m.batch.len(), m.context.len()),
            &m.latency_us,
        );
    }
    out
}

fn known_gpu(out: &mut Vec<Problem>, catalog: &PerfCatalog, path: String, gpu: &str) {
    if catalog.gpu(gpu).is_none() {
        out.push(problem(path, format!("no GPU `{gpu}` in gpus.yaml")));
    }
}

/// A batch x context grid: one row per batch, one value per context.
fn grid(out: &mut Vec<Problem>, path: String, shape: (usize, usize), rows: &[Vec<Option<f64>>]) {
    if rows.len() != shape.0 {
        out.push(problem(
            path.clone(),
            format!(
                "expected {} rows (one per batch), found {}",
                shape.0,
                rows.len()
            ),
        ));
    }
    for (b, row) in rows.iter().enumerate() {
        latencies(out, format!("{path}[{b}]"), shape.1, row);
    }
}

fn latencies(out: &mut Vec<Problem>, path: String, expected: usize, values: &[Option<f64>]) {
    if values.len() != expected {
        out.push(problem(
            path.clone(),
            format!(
                "expected {expected} values (one per size), found {}",
                values.len()
            ),
        ));
    }
    for (j, v) in values.iter().enumerate() {
        if let Some(v) = v {
            positive(out, format!("{path}[{j}]"), *v);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::capacity::load::{bundled, parse_catalog, CatalogText};

    #[test]
    fn the_kernel_tables_are_read_with_their_gpus() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let k = &c.kernels;
        assert_eq!(
            (
                k.all_reduce.len(),
                k.moe.len(),
                k.gqa_decode.len(),
                k.mla_decode.len()
            ),
            (51, 133, 66, 34)
        );
        let ar = k
            .all_reduce
            .iter()
            .find(|r| r.gpu == "h100-80gb" && r.engine == "vllm" && r.gpus == 8)
            .expect("vLLM's all-reduce on 8 H100s");
        assert_eq!(ar.elements[0], 8192);
        assert_eq!(ar.latency_us[0], Some(5.31));
    }

    #[test]
    fn a_latency_list_shorter_than_its_sizes_names_the_file_and_field() {
        let read = |n: &str| std::fs::read_to_string(format!("catalog/{n}")).expect(n);
        let [g, a, b, h, s] = [
            "gpus.yaml",
            "architectures.yaml",
            "benchmarks.yaml",
            "holdout.yaml",
            "batch_sweeps.yaml",
        ]
        .map(read);
        let kernels = "source: s\npackage: p\nread: r\ngrade: A\nall_reduce:\n  - {gpu: h100-80gb, engine: vllm, engine_version: '1', gpus: 2, elements: [1, 2], latency_us: [3.0]}\nmoe: []\ngqa_decode: []\nmla_decode: []\n";
        let err = parse_catalog(&CatalogText {
            gpus: ("gpus.yaml", &g),
            architectures: ("architectures.yaml", &a),
            benchmarks: ("benchmarks.yaml", &b),
            holdout: Some(("holdout.yaml", &h)),
            sweeps: Some(("batch_sweeps.yaml", &s)),
            kernels: Some(("kernels.yaml", kernels)),
        })
        .expect_err("a short list");
        let text = err.to_string();
        assert!(text.contains("kernels.yaml"), "{text}");
        assert!(text.contains("all_reduce[0].latency_us"), "{text}");
        assert!(
            text.contains("expected 2 values (one per size), found 1"),
            "{text}"
        );
    }
}
