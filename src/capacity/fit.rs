//! Fit: whether a dedicated replica can hold a workload's longest context
//! (a request's input + output, or an episode's last turn P1 + (T−1)·Δ + G).
//! Two rules, the same in every command (`capacity`, `report`, `compare`,
//! episodes): the context must not exceed the model's own limit
//! (`context_tokens` in `catalog/models.yaml`, else the architecture's
//! `max_context_tokens`), and the KV cache of the streams the replica runs
//! at that context must fit the replica's memory once the weights and the
//! runtime's reserve are placed (the resolve stage sizes a replica's batch
//! to the most streams whose longest context fits, and checks that
//! concurrency; at least one stream). Called by the
//! resolve stage, which carries the answer to the judge, and by
//! `infercost capacity`.

use std::sync::OnceLock;

use super::asked::{default_precision, kernel_upcast};
use super::catalog::Precision;
use super::memory::{fit, smallest_fit, Stored};
use super::serving::{Engine, KernelGap};
use super::Estimator;

/// Why a replica cannot serve the workload: it cannot hold the context,
/// or its engine cannot run the model's weights on the GPU.
#[derive(Debug, Clone, PartialEq)]
pub enum NoFit {
    /// The context exceeds the model's own limit.
    Context {
        /// Context tokens the workload needs.
        needed: f64,
        /// Canonical model id.
        model: String,
        /// The model's limit, tokens.
        holds: f64,
    },
    /// The streams' KV cache at the context does not fit the replica.
    KvCache {
        /// Streams the replica must run.
        streams: u32,
        /// Context tokens of each stream.
        context: f64,
        /// KV cache of that stream, GB.
        needed_gb: f64,
        /// Memory left for the KV cache after weights and reserve, GB.
        room_gb: f64,
        /// GPUs in the replica.
        gpus: u32,
        /// GPU id.
        gpu: String,
    },
    /// The engine has no kernel for the weights' precision on the GPU.
    NoKernel {
        /// Canonical model id.
        model: String,
        /// The weights' precision.
        precision: Precision,
        /// GPU id.
        gpu: String,
        /// The engine (vLLM's rule when none is stated).
        engine: Engine,
        /// Why.
        gap: KernelGap,
    },
}

/// The longest context a model accepts: `catalog/models.yaml`'s
/// `context_tokens` (the bundled catalog), else the capacity catalog's
/// architecture; `None` when neither knows the model.
pub(crate) fn model_context(estimator: Option<&Estimator>, model: &str) -> Option<f64> {
    static MODELS: OnceLock<Option<crate::catalog::Catalog>> = OnceLock::new();
    let models = MODELS.get_or_init(|| crate::catalog::built_in().ok());
    let arch = estimator.and_then(|e| e.catalog.architecture(model));
    let id = arch.map_or(model, |a| a.id.as_str());
    models
        .as_ref()
        .and_then(|c| c.model(id).or_else(|| c.model(model)))
        .and_then(|m| m.context_tokens)
        .map(|t| t as f64)
        .or(arch.map(|a| f64::from(a.max_context_tokens)))
}

/// Whether `context` tokens exceed the model's limit.
pub(crate) fn context(estimator: Option<&Estimator>, model: &str, context: f64) -> Option<NoFit> {
    let holds = model_context(estimator, model)?;
    (context > holds).then(|| NoFit::Context {
        needed: context,
        model: estimator
            .and_then(|e| e.catalog.architecture(model))
            .map_or(model, |a| a.id.as_str())
            .to_string(),
        holds,
    })
}

impl Estimator {
    /// Whether `streams` streams of `context` tokens fit `gpus` × `gpu` holding
    /// `model` at `precision` (the GPU's default when `None`), its KV cache
    /// kept as `engine` keeps it (vLLM's when `None`), with the model's
    /// limit checked first; `None` when it fits or when the catalog does
    /// not know the model or GPU (nothing to check against).
    pub fn no_fit(
        &self,
        (model, engine): (&str, Option<Engine>),
        gpu: &str,
        gpus: u32,
        precision: Option<Precision>,
        (context_tokens, streams): (f64, u32),
    ) -> Option<NoFit> {
        if let Some(no) = context(Some(self), model, context_tokens) {
            return Some(no);
        }
        let (arch, g) = (self.catalog.architecture(model)?, self.catalog.gpu(gpu)?);
        let precision = precision.unwrap_or_else(|| default_precision(arch, g, engine));
        let stored = Stored::by(engine, precision);
        let m = fit(arch, g, gpus, stored, context_tokens, streams.max(1));
        (!m.fits()).then(|| NoFit::KvCache {
            streams: streams.max(1),
            context: context_tokens,
            needed_gb: m.kv_cache_gb,
            room_gb: m.kv_room_gb().max(0.0),
            gpus,
            gpu: g.id.clone(),
        })
    }

    /// Why `model` runs at `chosen` (its default precision under `engine`,
    /// vLLM's rules when `None`) on `gpu` and not at the lower precision
    /// the GPU would take: the engine has no kernel for that one there
    /// ([`NoFit::NoKernel`] at it); `None` where the two are the same or
    /// the catalog does not know the model or GPU.
    pub fn kernel_upcast(
        &self,
        (model, engine): (&str, Option<Engine>),
        gpu: &str,
        chosen: Precision,
    ) -> Option<NoFit> {
        let (arch, g) = (self.catalog.architecture(model)?, self.catalog.gpu(gpu)?);
        let skipped = kernel_upcast(arch, g, chosen)?;
        self.no_kernel((model, engine), gpu, Some(skipped))
    }

    /// Whether `engine` (vLLM's rule when `None`) has no kernel for
    /// `model`'s weights at `precision` (the GPU's default when `None`) on
    /// `gpu` (`Engine::kernel_gap`); `None` when it has one or the
    /// catalog does not know the model or GPU.
    pub fn no_kernel(
        &self,
        (model, engine): (&str, Option<Engine>),
        gpu: &str,
        precision: Option<Precision>,
    ) -> Option<NoFit> {
        let (arch, g) = (self.catalog.architecture(model)?, self.catalog.gpu(gpu)?);
        let precision = precision.unwrap_or_else(|| default_precision(arch, g, engine));
        let engine = engine.unwrap_or(Engine::Vllm);
        let gap = engine.kernel_gap((precision, arch.w4a16), &g.family)?;
        Some(NoFit::NoKernel {
            model: arch.id.clone(),
            precision,
            gpu: g.id.clone(),
            engine,
            gap,
        })
    }

    /// The fewest GPUs of `gpu` (a power of two within a node) whose
    /// memory holds `model` and one stream of `context_tokens`, its KV
    /// cache kept as `engine` keeps it; `None` when no count does or the
    /// catalog does not know them.
    pub fn gpus_for_context(
        &self,
        (model, engine): (&str, Option<Engine>),
        gpu: &str,
        precision: Option<Precision>,
        context_tokens: f64,
    ) -> Option<u32> {
        let (arch, g) = (self.catalog.architecture(model)?, self.catalog.gpu(gpu)?);
        let precision = precision.unwrap_or_else(|| default_precision(arch, g, engine));
        smallest_fit(arch, g, Stored::by(engine, precision), context_tokens, 1)
            .ok()
            .map(|m| m.gpus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// gpt-oss-120b is published in 4-bit (MXFP4) and runs upcast to
    /// 16-bit: on a T4 no engine has a 4-bit kernel, so its default there
    /// is bf16 (no gap), and fp4 asked is a gap; on an A100 vLLM runs fp4
    /// (Marlin). Llama 3.3 70B asked in fp8 on an A100: TensorRT-LLM
    /// cannot, vLLM can. DeepSeek V4.1 Flash (fp8 or fp4 only) under
    /// TensorRT-LLM on an A100: no precision runs, so its default stays
    /// fp8 and is the gap named. The words name the model, the GPU and the
    /// engine.
    #[test]
    fn an_engine_without_a_kernel_for_the_weights_is_no_replica() {
        let e = Estimator::bundled().unwrap_or_else(|e| panic!("{e}"));
        let (trt, fp4, fp8) = (
            Some(Engine::Trtllm),
            Some(Precision::Fp4),
            Some(Precision::Fp8),
        );
        let gpt = ("gpt-oss-120b", None);
        assert_eq!(e.no_kernel(gpt, "t4-16gb", None), None);
        let gap = e
            .no_kernel(gpt, "t4-16gb", fp4)
            .expect("4-bit weights on a T4");
        assert_eq!(
            gap.to_string(),
            "gpt-oss-120b's fp4 weights have no kernel on the t4-16gb (Turing) in vLLM: 8- and 4-bit weight kernels need an Ampere or newer GPU"
        );
        assert_eq!(e.no_kernel(gpt, "a100-80gb", fp4), None);
        assert!(matches!(
            e.no_kernel(("llama-3.3-70b", trt), "a100-80gb", fp8),
            Some(NoFit::NoKernel {
                gap: KernelGap::TrtllmFp8OnAmpere,
                ..
            })
        ));
        assert_eq!(e.no_kernel(("llama-3.3-70b", None), "a100-80gb", fp8), None);
        assert!(matches!(
            e.no_kernel(("deepseek-v4-flash", trt), "a100-80gb", None),
            Some(NoFit::NoKernel {
                precision: Precision::Fp8,
                gap: KernelGap::TrtllmFp8OnAmpere,
                ..
            })
        ));
        assert_eq!(e.no_kernel(("no-such-model", None), "t4-16gb", None), None);
    }

    /// gpt-oss-20b is published in fp4 (MXFP4) and bf16: the default is
    /// the lowest one its engine runs on the GPU, so bf16 on a T4 (no
    /// 4-bit kernel on Turing) and on an L4 under TensorRT-LLM (no 4-bit
    /// floating point before Hopper), fp4 on an A100 under vLLM and on an
    /// H100 under TensorRT-LLM.
    #[test]
    fn the_default_precision_is_the_lowest_the_engine_runs_on_the_gpu() {
        let e = Estimator::bundled().unwrap_or_else(|e| panic!("{e}"));
        let arch = e.catalog.architecture("gpt-oss-20b").unwrap();
        let on = |gpu: &str, engine| default_precision(arch, e.catalog.gpu(gpu).unwrap(), engine);
        let trt = Some(Engine::Trtllm);
        assert_eq!(on("t4-16gb", None), Precision::Bf16);
        assert_eq!(on("l4-24gb", trt), Precision::Bf16);
        assert_eq!(on("a100-80gb", None), Precision::Fp4);
        assert_eq!(on("h100-80gb", trt), Precision::Fp4);
    }

    #[test]
    fn a_million_token_prompt_exceeds_llama_3_1_8b() {
        let e = Estimator::bundled().unwrap_or_else(|e| panic!("{e}"));
        // 1,000,000 in + 500 out = 1,000,500 > 131,072 (models.yaml).
        assert_eq!(
            e.no_fit(
                ("llama-3.1-8b", None),
                "b200-180gb",
                1,
                None,
                (1_000_500.0, 1)
            ),
            Some(NoFit::Context {
                needed: 1_000_500.0,
                model: "llama-3.1-8b".into(),
                holds: 131_072.0
            })
        );
        assert_eq!(
            e.no_fit(
                ("llama-3.1-8b", None),
                "b200-180gb",
                1,
                None,
                (131_072.0, 1)
            ),
            None
        );
    }

    #[test]
    fn a_full_context_stream_of_a_70b_model_does_not_fit_one_h100() {
        let e = Estimator::bundled().unwrap_or_else(|e| panic!("{e}"));
        // Llama 3.3 70B at FP8 on one H100 (80 GB): weights 70.55 GB,
        // reserve 8 GB, room 1.45 GB; KV of 131,072 tokens at
        // TensorRT-LLM's FP8 163,840 B/token = 21.47 GB.
        let trt = ("llama-3.3-70b", Some(Engine::Trtllm));
        let Some(NoFit::KvCache {
            needed_gb, room_gb, ..
        }) = e.no_fit(trt, "h100-80gb", 1, None, (131_072.0, 1))
        else {
            panic!("a KV-cache miss");
        };
        assert!((needed_gb - 21.474_836_48).abs() < 1e-6, "{needed_gb}");
        assert!((room_gb - 1.45).abs() < 1e-9, "{room_gb}");
        // Two H100s hold it: room 160 − 16 − 70.55 = 73.45 GB; vLLM's
        // 16-bit cache too (42.95 GB), and an unknown engine counts as vLLM.
        for engine in [Some(Engine::Trtllm), Some(Engine::Vllm), None] {
            assert_eq!(
                e.gpus_for_context(("llama-3.3-70b", engine), "h100-80gb", None, 131_072.0),
                Some(2)
            );
        }
    }

    #[test]
    fn the_kv_check_counts_the_streams_the_replica_runs() {
        let e = Estimator::bundled().unwrap_or_else(|e| panic!("{e}"));
        // Llama 3.3 70B at FP8 on one H200: room 141 - 14.1 - 70.55 =
        // 56.35 GB; a 131,072-token stream of TensorRT-LLM's FP8 cache
        // needs 21.47 GB: two fit (42.95 GB), three do not (64.42 GB).
        let with = |engine, streams| {
            e.no_fit(
                ("llama-3.3-70b", Some(engine)),
                "h200-141gb",
                1,
                None,
                (131_072.0, streams),
            )
        };
        // vLLM's 16-bit cache, 42.95 GB a stream: one fits, two do not.
        assert_eq!(with(Engine::Vllm, 1), None);
        assert!(with(Engine::Vllm, 2).is_some());
        let at = |streams| with(Engine::Trtllm, streams);
        assert_eq!(at(2), None);
        let Some(NoFit::KvCache {
            streams, needed_gb, ..
        }) = at(3)
        else {
            panic!("a KV-cache miss");
        };
        assert_eq!(streams, 3);
        assert!((needed_gb - 64.424_509_44).abs() < 1e-6, "{needed_gb}");
    }
}
