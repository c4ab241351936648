//! The band around an estimate: the group's leave-one-out error, widened
//! to the measured transfer error for what its calibration group has not
//! seen (the model, the engine, the engine on a replica of this size, the
//! attention kind, the GPU family;
//! `transfer.rs`), the transfers of several unseen things compounding,
//! and, with no engine named, spanning every engine's band. Part of the
//! estimate (`estimate.rs`); words for it only in [`widened`].

use super::calibrate::GroupFit;
use super::catalog::Architecture;
use super::layout::LayoutClass;
use super::serving::Engine;
use super::transfer::AttentionKind;
use super::Estimator;

/// Low and high ends of a figure's uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Low end.
    pub low: f64,
    /// High end.
    pub high: f64,
}

impl Band {
    /// The band from the lower of two lows to the higher of two highs.
    pub fn span(self, other: Band) -> Band {
        Band {
            low: self.low.min(other.low),
            high: self.high.max(other.high),
        }
    }

    /// The band of an estimate whose relative error is within `error`: the
    /// truth t satisfies |estimate / t − 1| ≤ error. The high end stops at
    /// ten times the estimate (an error of 0.9); the low end does not stop
    /// (an estimate three times the truth is an error of 2, which a
    /// transfer to unseen hardware or engines measures).
    pub fn around(estimate: f64, error: f64) -> Band {
        let e = if error.is_finite() {
            error.max(0.0)
        } else {
            0.0
        };
        Band {
            low: estimate / (1.0 + e),
            high: estimate / (1.0 - e.min(0.9)),
        }
    }
}

/// What of a query its calibration group has no point of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unseen {
    /// The engine (for a query without one: some engine).
    pub engine: bool,
    /// The model's attention kind.
    pub attention: Option<AttentionKind>,
    /// The model.
    pub model: bool,
    /// The GPU family (no calibration point of this kind of model on it).
    pub gpu_family: bool,
    /// The replica's size, for an engine the group has seen only on
    /// replicas of other sizes (for a query without one: some engine).
    pub layout: Option<LayoutClass>,
}

/// What the calibration has not seen, in words, and how far it widened
/// the band (empty when it has seen all of it).
pub fn widened(unseen: Unseen, band_error: f64, group_p90: f64) -> String {
    let mut what = Vec::new();
    if unseen.gpu_family {
        what.push("the GPU family".to_string());
    }
    if unseen.model {
        what.push("the model".to_string());
    }
    if unseen.engine {
        what.push("the engine".to_string());
    }
    match unseen.layout {
        // An engine unseen is said already: the size alone.
        Some(l) if unseen.engine => what.push(l.words().to_string()),
        Some(l) => what.push(format!("the engine on {}", l.words())),
        None => {}
    }
    if let Some(a) = unseen.attention {
        what.push(a.words().to_string());
    }
    if what.is_empty() {
        return String::new();
    }
    if band_error <= group_p90 {
        // Said even when the group's own error is already as wide: the
        // reader should know nothing of this kind was measured.
        return format!(
            ", {} without a calibration point (its transfer error is within the group's {:.0}%)",
            what.join(" and "),
            group_p90 * 100.0
        );
    }
    format!(
        ", widened to {:.0}% for {} without a calibration point",
        band_error * 100.0,
        what.join(" and ")
    )
}

impl Estimator {
    /// What `group` has no point of for this model, GPU family, engine
    /// and replica of `gpus` GPUs (any engine it lacks, for a query
    /// without one). An engine the group has not seen at all is unseen as
    /// an engine, not again as a layout.
    pub(crate) fn unseen(
        &self,
        arch: &Architecture,
        family: &str,
        group: &GroupFit,
        engine: Option<Engine>,
        gpus: u32,
    ) -> Unseen {
        let attention = AttentionKind::of(arch);
        let engines: &[Engine] = engine.as_ref().map_or(&Engine::ALL, std::slice::from_ref);
        let class = LayoutClass::of(gpus);
        let seen_elsewhere =
            |e: &Engine| group.engines.contains(e) && !group.layouts.contains(&(*e, class));
        Unseen {
            engine: engines.iter().any(|e| !group.engines.contains(e)),
            attention: (!group.attention.contains(&attention)).then_some(attention),
            model: !group.models.contains(&arch.id),
            gpu_family: !group.families.iter().any(|f| f == family),
            layout: engines.iter().any(seen_elsewhere).then_some(class),
        }
    }

    /// The relative error of the band: the group's leave-one-out p90,
    /// widened to the measured transfer error of what it has not seen.
    /// Each transfer was measured with one thing unseen; several unseen
    /// compound as factors, (1 + e₁)(1 + e₂)… − 1 (an assumption: the
    /// errors of independent transfers multiply; the held-out set checks
    /// the coverage it gives, `crossval.rs`).
    pub(crate) fn band_error(&self, arch: &Architecture, group: &GroupFit, unseen: Unseen) -> f64 {
        let t = &self.calibration.transfers;
        let moe = arch.experts.is_some();
        let transfers = [
            (unseen.engine, t.unseen_engine(moe)),
            (unseen.attention.is_some(), t.unseen_attention()),
            (unseen.model, t.unseen_model(moe)),
            (unseen.gpu_family, t.unseen_family(moe)),
            (unseen.layout.is_some(), t.unseen_layout(moe)),
        ];
        let compound = transfers
            .iter()
            .filter(|(unseen, _)| *unseen)
            .fold(1.0, |f, (_, e)| f * (1.0 + e))
            - 1.0;
        group.error.p90.max(compound)
    }
}
