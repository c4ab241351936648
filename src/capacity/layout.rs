//! The parallel layout of a replica (tensor, expert and attention data
//! parallelism) and what it costs a decode step: the collectives between
//! the GPUs (two all-reduces a layer under tensor parallelism, a dispatch
//! and a combine all-to-all a layer under expert parallelism), the load
//! skew of routed experts over the ranks, and how many copies of an MLA
//! latent KV cache the ranks keep. Read from a benchmark series'
//! `parallelism` (`TP8`, `TP8,EP8`, `DEP8`) or taken as plain tensor
//! parallelism over the replica's GPUs, the engines' default; used by the
//! roofline (`roofline/`) and the memory fit (`memory.rs`).

use serde::{Deserialize, Serialize};

use super::catalog::{Architecture, Gpu};
use super::serving::Engine;

/// How many GPUs a replica spans, as far as the band tells layouts apart:
/// an engine measured on one GPU has not been measured splitting a model
/// over eight (the collectives, the scheduling across ranks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LayoutClass {
    /// One GPU.
    One,
    /// Two to four GPUs.
    Few,
    /// Five or more (eight in every measured point).
    Many,
}

impl LayoutClass {
    /// The class of a replica of `gpus` GPUs.
    pub fn of(gpus: u32) -> LayoutClass {
        match gpus {
            0 | 1 => LayoutClass::One,
            2..=4 => LayoutClass::Few,
            _ => LayoutClass::Many,
        }
    }

    /// In words: `one GPU`, `2–4 GPUs`, `5 or more GPUs`.
    pub fn words(self) -> &'static str {
        match self {
            LayoutClass::One => "one GPU",
            LayoutClass::Few => "2–4 GPUs",
            LayoutClass::Many => "5 or more GPUs",
        }
    }
}

/// How a replica's GPUs split the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Tensor-parallel ranks of the dense layers (attention, shared weights).
    pub tp: u32,
    /// Expert-parallel ranks of the routed experts (1: experts split by
    /// tensor parallelism like the rest).
    pub ep: u32,
    /// Ranks the attention runs data-parallel over (DeepSeek's DP
    /// attention; 1 without it): each rank keeps its own streams' KV
    /// cache, none replicated, and all of the attention weights.
    pub dp: u32,
}

impl Layout {
    /// Plain tensor parallelism over `gpus`: what vLLM, SGLang and
    /// TensorRT-LLM run unless told otherwise.
    pub(crate) fn tensor(gpus: u32) -> Layout {
        Layout {
            tp: gpus.max(1),
            ep: 1,
            dp: 1,
        }
    }

    /// The layout a series' `parallelism` names over `gpus` GPUs: `TPn`,
    /// `EPn`, `DPn` or `DEPn` (DP attention with EP experts), separated by
    /// commas, `+` or spaces; anything else is tensor parallelism. DP
    /// attention spans the replica's GPUs (SGLang's `--enable-dp-attention`
    /// set its data-parallel size to the tensor-parallel size through
    /// v0.4; `TP8,DP8` is that), and the MLP layers stay tensor-parallel
    /// over them unless experts are split by EP.
    pub(crate) fn parse(text: &str, gpus: u32) -> Layout {
        let mut layout = Layout::tensor(gpus);
        for part in text.split([',', '+', ' ']).map(str::trim) {
            let upper = part.to_ascii_uppercase();
            let number = |prefix: &str| -> Option<u32> {
                upper.strip_prefix(prefix)?.parse().ok().filter(|n| *n >= 1)
            };
            if let Some(n) = number("DEP") {
                layout.ep = n;
                layout.dp = gpus.max(1);
            } else if let Some(n) = number("EP") {
                layout.ep = n;
            } else if number("DP").is_some() && !upper.starts_with("DEP") {
                layout.dp = gpus.max(1);
            }
        }
        if layout.dp_attention() {
            layout.tp = 1;
        }
        layout
    }

    /// Attention runs data-parallel.
    pub(crate) fn dp_attention(&self) -> bool {
        self.dp > 1
    }

    /// Copies of the attention weights beyond one: under DP attention
    /// every rank keeps all of them and reads them every step.
    pub(crate) fn extra_attention_copies(&self) -> f64 {
        f64::from(self.dp.max(1) - 1)
    }

    /// Copies of the KV cache the replica keeps: an MLA latent cache has
    /// one head, which tensor parallelism cannot split, so every rank
    /// keeps all of it; a GQA cache splits by heads (one copy), and so
    /// does any cache under DP attention.
    pub(crate) fn kv_copies(&self, arch: &Architecture) -> f64 {
        if arch.kv_latent_dim.is_some() && !self.dp_attention() {
            f64::from(self.tp)
        } else {
            1.0
        }
    }

    /// Load of the busiest expert-parallel rank over the mean, for
    /// `tokens` tokens each routed to `k` experts: the routed copies a rank
    /// receives are about Poisson, and the most loaded of `ep` ranks sits
    /// about √(2 ln ep) standard deviations above the mean,
    /// 1 + √(2 ln ep / (tokens · k / ep)); at most `ep` (one rank takes all).
    pub(crate) fn expert_skew(&self, tokens: f64, k: f64) -> f64 {
        if self.ep <= 1 {
            return 1.0;
        }
        let n = f64::from(self.ep);
        let per_rank = (tokens * k / n).max(1e-9);
        (1.0 + (2.0 * n.ln() / per_rank).sqrt()).min(n)
    }

    /// Communication of one decode step of `tokens` tokens, seconds: the
    /// collectives' latency and their bytes ([`Layout::comm_bytes_s`]). Under
    /// tensor parallelism (tp > 1) each layer all-reduces its attention
    /// and its MLP output: 2 · L · (α + 2 (tp − 1)/tp · tokens · h · 2 B /
    /// link) for a ring of 16-bit activations. Under expert parallelism
    /// (ep > 1) each mixture-of-experts layer dispatches every token to its
    /// k experts and combines them back: 2 · L · (α + skew · tokens · k ·
    /// h · 2 B · (ep − 1)/ep / ep / link), the busiest rank's share. Under
    /// DP attention without EP (dp > 1, ep = 1) each layer gathers every
    /// rank's tokens before its tensor-parallel MLP and scatters the sums
    /// back: an all-gather and a reduce-scatter, L · (2α + 2 (dp − 1)/dp ·
    /// tokens · h · 2 B / link), the bytes of one all-reduce.
    pub(crate) fn step_comm_s(
        &self,
        arch: &Architecture,
        gpu: &Gpu,
        engine: Engine,
        tokens: f64,
    ) -> f64 {
        let kinds = self.collectives(arch, gpu, tokens);
        let count = kinds.iter().flatten().count() as f64;
        let latency = 2.0 * f64::from(arch.layers) * count * engine.collective_latency_s();
        latency + kinds.iter().flatten().fold(0.0, |total, s| total + s)
    }

    /// The bytes part of the collectives `tokens` tokens pass through, at
    /// the link's rate, seconds. A prefill of I prompt tokens sends these
    /// for its I tokens (the tensor-parallel all-reduces of every layer,
    /// and the dispatch and combine of expert parallelism); their latency
    /// rides on the decode step the prefill is batched with.
    pub(crate) fn comm_bytes_s(&self, arch: &Architecture, gpu: &Gpu, tokens: f64) -> f64 {
        let kinds = self.collectives(arch, gpu, tokens);
        kinds.iter().flatten().fold(0.0, |total, s| total + s)
    }

    /// The layout's three kinds of collective (tensor-parallel
    /// all-reduces, DP attention's gather and scatter, expert dispatch and
    /// combine), each the seconds of its bytes for `tokens` tokens over
    /// every layer, `None` where the layout has none of that kind: the one
    /// place that says which a layout runs, for their bytes and their
    /// latency alike.
    fn collectives(&self, arch: &Architecture, gpu: &Gpu, tokens: f64) -> [Option<f64>; 3] {
        let link = gpu.interconnect_gb_per_s * 1e9;
        let layers = f64::from(arch.layers);
        let activation = tokens * f64::from(arch.hidden_size) * 2.0;
        let tensor = (self.tp > 1).then(|| {
            let n = f64::from(self.tp);
            2.0 * layers * 2.0 * (n - 1.0) / n * activation / link
        });
        let gather = (self.dp_attention() && self.ep <= 1).then(|| {
            let n = f64::from(self.dp);
            layers * 2.0 * (n - 1.0) / n * activation / link
        });
        let experts = arch.experts.filter(|_| self.ep > 1).map(|(_, k)| {
            let (n, k) = (f64::from(self.ep), f64::from(k));
            let skew = self.expert_skew(tokens, k);
            let bytes = skew * activation * k * (n - 1.0) / n / n;
            2.0 * layers * bytes / link
        });
        [tensor, gather, experts]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::load::bundled;

    #[test]
    fn layouts_read_from_series_parallelism() {
        assert_eq!(Layout::parse("TP8", 8), Layout::tensor(8));
        let tep = Layout::parse("TP8,EP8", 8);
        assert_eq!((tep.tp, tep.ep, tep.dp), (8, 8, 1));
        let dep = Layout::parse("DEP8", 8);
        assert_eq!((dep.tp, dep.ep, dep.dp), (1, 8, 8));
        let dp = Layout::parse("TP8,DP8", 8);
        assert_eq!((dp.tp, dp.ep, dp.dp), (1, 1, 8));
        assert_eq!(dp.extra_attention_copies(), 7.0);
        // Pipeline stages are not modelled: the GPUs count as tensor ranks.
        assert_eq!(Layout::parse("TP4,PP2", 8), Layout::tensor(8));
    }

    #[test]
    fn replicas_are_classed_by_their_gpus() {
        let classes: Vec<LayoutClass> = [1, 2, 4, 5, 8].map(LayoutClass::of).to_vec();
        use LayoutClass::{Few, Many, One};
        assert_eq!(classes, [One, Few, Few, Many, Many]);
    }

    #[test]
    fn an_mla_cache_is_kept_by_every_tensor_rank() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let v3 = c.architecture("deepseek-v3").expect("catalog");
        let llama = c.architecture("llama-3.3-70b").expect("catalog");
        assert_eq!(Layout::tensor(8).kv_copies(v3), 8.0);
        assert_eq!(Layout::parse("DEP8", 8).kv_copies(v3), 1.0);
        assert_eq!(Layout::tensor(8).kv_copies(llama), 1.0);
    }

    #[test]
    fn tensor_parallel_all_reduces_cost_latency_and_bytes() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let llama = c.architecture("llama-3.3-70b").expect("catalog");
        let h100 = c.gpu("h100-80gb").expect("catalog");
        // TP2, 64 tokens: activation 64 x 8,192 x 2 B = 1,048,576 B;
        // ring 2 x (1/2) x 1,048,576 B / 900 GB/s = 1.165 µs; plus 10 µs
        // latency; two a layer over 80 layers: 160 x 11.165 µs = 1.786 ms.
        let t = Layout::tensor(2).step_comm_s(llama, h100, Engine::Vllm, 64.0);
        assert!((t - 1.786_4e-3).abs() < 1e-6, "{t}");
        assert_eq!(
            Layout::tensor(1).step_comm_s(llama, h100, Engine::Vllm, 64.0),
            0.0
        );
    }

    #[test]
    fn a_tensor_parallel_prefill_all_reduces_its_prompt() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let llama = c.architecture("llama-3.1-405b").expect("catalog");
        let h100 = c.gpu("h100-80gb").expect("catalog");
        // TP8, 1,000 prompt tokens: activation 1,000 x 16,384 x 2 B =
        // 32,768,000 B; two ring all-reduces a layer of 2 x (7/8) of it
        // over 126 layers: 14,450,688,000 B / 900 GB/s = 16.056 ms.
        let tp8 = Layout::tensor(8);
        let t = tp8.comm_bytes_s(llama, h100, 1000.0);
        assert!((t - 14.450_688 / 900.0).abs() < 1e-9, "{t}");
        assert_eq!(Layout::tensor(1).comm_bytes_s(llama, h100, 1000.0), 0.0);
        // A decode step's collectives are the same bytes plus their latency.
        let step = tp8.step_comm_s(llama, h100, Engine::Trtllm, 1000.0);
        assert!((step - t - 2.0 * 126.0 * 10e-6).abs() < 1e-12, "{step}");
    }

    #[test]
    fn dp_attention_gathers_and_scatters_around_a_tensor_parallel_mlp() {
        let c = bundled().unwrap_or_else(|e| panic!("{e}"));
        let r1 = c.architecture("deepseek-r1").expect("catalog");
        let h200 = c.gpu("h200-141gb").expect("catalog");
        // DP8 attention, MoE TP8, 8 tokens: activation 8 x 7,168 x 2 B =
        // 114,688 B; all-gather + reduce-scatter 2 x (7/8) x 114,688 B /
        // 900 GB/s = 0.223 µs, plus 2 x 10 µs latency; 61 layers:
        // 61 x 20.223 µs = 1.2336 ms.
        let t = Layout::parse("TP8,DP8", 8).step_comm_s(r1, h200, Engine::Sglang, 8.0);
        assert!((t - 1.233_6e-3).abs() < 1e-7, "{t}");
        // Plain TP8: two all-reduces a layer of 2 x (7/8) x 114,688 B each,
        // twice the bytes for the same latencies.
        let tp = Layout::tensor(8).step_comm_s(r1, h200, Engine::Sglang, 8.0);
        assert!((tp - 61.0 * 2.0 * (10e-6 + 200_704.0 / 900e9)).abs() < 1e-9);
    }

    #[test]
    fn routing_skew_shrinks_as_the_batch_grows() {
        let ep8 = Layout::parse("EP8", 8);
        // 8 ranks, 64 tokens x 8 experts / 8 = 64 a rank:
        // 1 + sqrt(2 ln 8 / 64) = 1 + sqrt(4.1589 / 64) = 1.2549.
        assert!((ep8.expert_skew(64.0, 8.0) - 1.254_9).abs() < 1e-4);
        // One token: 1 + sqrt(4.1589) = 3.039 (at most 8).
        assert!((ep8.expert_skew(1.0, 8.0) - 3.039_3).abs() < 1e-4);
        assert_eq!(Layout::tensor(8).expert_skew(1.0, 8.0), 1.0);
    }
}
