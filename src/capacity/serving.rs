//! The serving engine a dedicated replica runs (vLLM, SGLang,
//! TensorRT-LLM) and where that answer comes from: the deployment's own
//! `engine`, the vendor's `dedicated.engine`, or unknown. Part of the
//! resolve stage's inputs; every estimate names its engine.
//!
//! The engine is carried and named but changes no figure yet: the
//! calibration has too few points per engine for a per-engine factor,
//! and the engine-aware step model (a per-layer step floor, TP/EP
//! communication, MoE kernel efficiency, MLA attention) is not done
//! (docs/design.md, "Dedicated throughput from a performance catalog").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A serving engine.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    /// vLLM.
    Vllm,
    /// SGLang.
    Sglang,
    /// NVIDIA TensorRT-LLM.
    Trtllm,
}

impl Engine {
    /// Every engine, in the order the command line lists them.
    pub const ALL: [Engine; 3] = [Engine::Vllm, Engine::Sglang, Engine::Trtllm];

    /// The id in profiles and on the command line: `vllm`, `sglang`, `trtllm`.
    pub fn id(self) -> &'static str {
        match self {
            Engine::Vllm => "vllm",
            Engine::Sglang => "sglang",
            Engine::Trtllm => "trtllm",
        }
    }

    /// Its display name.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Vllm => "vLLM",
            Engine::Sglang => "SGLang",
            Engine::Trtllm => "TensorRT-LLM",
        }
    }

    /// The engine with this id.
    pub fn parse(id: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.id() == id)
    }
}

/// Where a replica's engine comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineOrigin {
    /// The deployment's own `engine`, or `--engine`.
    Stated(Engine),
    /// The vendor's `dedicated.engine` (what the platform runs, or the
    /// default a bring-your-own-container platform's profile names).
    Vendor(Engine),
    /// Nobody says: the band spans the engines.
    Unknown,
}

impl EngineOrigin {
    /// A deployment's engine: its own, else its vendor's, else unknown.
    pub fn of(deployment: Option<Engine>, vendor: Option<Engine>) -> EngineOrigin {
        match (deployment, vendor) {
            (Some(e), _) => EngineOrigin::Stated(e),
            (None, Some(e)) => EngineOrigin::Vendor(e),
            (None, None) => EngineOrigin::Unknown,
        }
    }

    /// The engine, when known.
    pub fn engine(self) -> Option<Engine> {
        match self {
            EngineOrigin::Stated(e) | EngineOrigin::Vendor(e) => Some(e),
            EngineOrigin::Unknown => None,
        }
    }

    /// In words, for the Method and `capacity`: "vLLM (the vendor's)".
    pub fn words(self) -> String {
        match self {
            EngineOrigin::Stated(e) => format!("engine {}", e.name()),
            EngineOrigin::Vendor(e) => format!("engine {} (the vendor's)", e.name()),
            EngineOrigin::Unknown => "engine not stated".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deployment_engine_overrides_the_vendor_and_ids_round_trip() {
        assert_eq!(
            EngineOrigin::of(Some(Engine::Sglang), Some(Engine::Vllm)),
            EngineOrigin::Stated(Engine::Sglang)
        );
        assert_eq!(
            EngineOrigin::of(None, Some(Engine::Trtllm)).engine(),
            Some(Engine::Trtllm)
        );
        assert_eq!(EngineOrigin::of(None, None).engine(), None);
        for e in Engine::ALL {
            assert_eq!(Engine::parse(e.id()), Some(e));
        }
        assert_eq!(Engine::parse("tgi"), None);
    }
}
