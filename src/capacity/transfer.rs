//! Transfers: how wrong the calibration is on what it has not seen. Each
//! engine is held out in turn and its points predicted from the other
//! engines' (leave-one-engine-out, by kind of model), and each attention
//! kind likewise (leave-one-attention-kind-out); the 90th percentile of
//! those errors is what the band of a query whose engine or attention its
//! group never saw widens to; each model likewise (leave-one-model-out),
//! for a model its group has no point of; each GPU family likewise
//! (leave-one-family-out, by kind of model), for a GPU family the
//! calibration has no point of (the AMD MI300X today); each replica size
//! (one GPU, 2–4, 5 or more) likewise (leave-one-layout-out, by kind of
//! model), for an engine its group has seen only on replicas of other
//! sizes (dense vLLM on eight GPUs today). Measured once with the
//! calibration; read by the estimate (`estimate.rs`).

use serde::{Deserialize, Serialize};

use super::calibrate::{distinct, fit, ErrorStats, GroupKey, Sample, MIN_GROUP};
use super::catalog::Architecture;

/// How a model attends, as far as the step model tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AttentionKind {
    /// Every layer attends to the whole context with its own K and V heads.
    Full,
    /// Multi-head latent attention (a compressed KV latent).
    Latent,
    /// Some layers slide over a window or attend linearly.
    Hybrid,
}

impl AttentionKind {
    /// The kind of `arch`.
    pub fn of(arch: &Architecture) -> AttentionKind {
        if arch.mla() {
            AttentionKind::Latent
        } else if arch.full_attention_layers < arch.layers {
            AttentionKind::Hybrid
        } else {
            AttentionKind::Full
        }
    }

    /// In words: `full`, `latent (MLA)`, `hybrid`.
    pub fn words(self) -> &'static str {
        match self {
            AttentionKind::Full => "full attention",
            AttentionKind::Latent => "latent attention (MLA)",
            AttentionKind::Hybrid => "hybrid attention",
        }
    }
}

/// The errors of predicting what was held out.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Transfers {
    /// Each engine's dense points predicted from the other engines'.
    pub engine_dense: ErrorStats,
    /// Each engine's mixture-of-experts points predicted from the others'.
    pub engine_moe: ErrorStats,
    /// Each attention kind's points predicted from the others' of the same
    /// kind of model.
    pub attention: ErrorStats,
    /// Each model's dense points predicted without that model's points
    /// (leave-one-model-out, the way the estimator picks its factors).
    pub model_dense: ErrorStats,
    /// The same for mixture-of-experts models.
    pub model_moe: ErrorStats,
    /// Each GPU family's dense points predicted from the other families'.
    #[serde(default)]
    pub family_dense: ErrorStats,
    /// The same for mixture-of-experts models.
    #[serde(default)]
    pub family_moe: ErrorStats,
    /// Each replica size's dense points predicted from the other sizes'.
    #[serde(default)]
    pub layout_dense: ErrorStats,
    /// The same for mixture-of-experts models.
    #[serde(default)]
    pub layout_moe: ErrorStats,
}

impl Transfers {
    /// Holds out each engine and each attention kind of `samples` once.
    pub(crate) fn measure(samples: &[Sample<'_>]) -> Transfers {
        let engine = |moe: bool| held_out_by(samples, |s| s.key.moe == moe, |s| s.engine);
        let attention = [false, true]
            .into_iter()
            .flat_map(|moe| held_out_by(samples, |s| s.key.moe == moe, |s| s.attention))
            .collect::<Vec<_>>();
        let model = |moe: bool| ErrorStats::of(&models_held_out(samples, moe));
        let families = distinct(samples.iter().map(Sample::family));
        let family = |moe: bool| {
            let index = |s: &Sample<'_>| families.iter().position(|f| *f == s.family());
            ErrorStats::of(&held_out_by(samples, |s| s.key.moe == moe, index))
        };
        let layout =
            |moe: bool| ErrorStats::of(&held_out_by(samples, |s| s.key.moe == moe, |s| s.layout));
        Transfers {
            engine_dense: ErrorStats::of(&engine(false)),
            engine_moe: ErrorStats::of(&engine(true)),
            attention: ErrorStats::of(&attention),
            model_dense: model(false),
            model_moe: model(true),
            family_dense: family(false),
            family_moe: family(true),
            layout_dense: layout(false),
            layout_moe: layout(true),
        }
    }

    /// The error a query takes for an engine its group has points of only
    /// on replicas of other sizes: the kind's leave-one-layout-out 90th
    /// percentile, else the other kind's.
    pub fn unseen_layout(&self, moe: bool) -> f64 {
        own_else_other(moe, self.layout_moe, self.layout_dense)
    }

    /// The error a query takes for a GPU family the calibration has no
    /// point of for its kind: the kind's leave-one-family-out 90th
    /// percentile, else the other kind's.
    pub fn unseen_family(&self, moe: bool) -> f64 {
        own_else_other(moe, self.family_moe, self.family_dense)
    }

    /// The error a query takes for a model its group has no point of: the
    /// kind's leave-one-model-out 90th percentile.
    pub fn unseen_model(&self, moe: bool) -> f64 {
        if moe {
            self.model_moe.p90
        } else {
            self.model_dense.p90
        }
    }

    /// The error a query of this kind takes for an engine its group has
    /// not seen: the kind's leave-one-engine-out 90th percentile, else
    /// (one engine only in that kind) the other kind's, else the attention
    /// transfer's.
    pub fn unseen_engine(&self, moe: bool) -> f64 {
        let (own, other) = if moe {
            (self.engine_moe, self.engine_dense)
        } else {
            (self.engine_dense, self.engine_moe)
        };
        [own, other, self.attention]
            .into_iter()
            .find(|e| e.n > 0)
            .map_or(0.0, |e| e.p90)
    }

    /// The error a query takes for an attention kind its group has not
    /// seen: the leave-one-attention-kind-out 90th percentile, else the
    /// engine transfers'.
    pub fn unseen_attention(&self) -> f64 {
        [self.attention, self.engine_moe, self.engine_dense]
            .into_iter()
            .find(|e| e.n > 0)
            .map_or(0.0, |e| e.p90)
    }
}

/// The 90th percentile of the kind's transfer (`moe_stats` or
/// `dense_stats`), else the other kind's (none measured: 0).
fn own_else_other(moe: bool, moe_stats: ErrorStats, dense_stats: ErrorStats) -> f64 {
    let (own, other) = if moe {
        (moe_stats, dense_stats)
    } else {
        (dense_stats, moe_stats)
    };
    [own, other]
        .into_iter()
        .find(|e| e.n > 0)
        .map_or(0.0, |e| e.p90)
}

/// Relative errors of each model's points of one kind, each estimated by
/// factors fitted without that model: its hardware group's other points
/// when more than [`MIN_GROUP`] remain, else its kind's.
fn models_held_out(samples: &[Sample<'_>], moe: bool) -> Vec<f64> {
    let kind: Vec<&Sample<'_>> = samples.iter().filter(|s| s.key.moe == moe).collect();
    let mut cells: Vec<(&str, &GroupKey)> = Vec::new();
    for s in &kind {
        let cell = (s.series.model.as_str(), &s.key);
        if !cells.contains(&cell) {
            cells.push(cell);
        }
    }
    let mut errors = Vec::new();
    for (model, key) in cells {
        let others = |same_group: bool| -> Vec<&Sample<'_>> {
            kind.iter()
                .copied()
                .filter(|s| s.series.model != model && (!same_group || &s.key == key))
                .collect()
        };
        let own = others(true);
        let rest = if own.len() > MIN_GROUP {
            own
        } else {
            others(false)
        };
        if rest.is_empty() {
            continue;
        }
        let e = fit(&rest);
        errors.extend(
            kind.iter()
                .filter(|s| s.series.model == model && &s.key == key)
                .map(|s| s.shape.output_tokens_per_s(e) / s.point.output_tokens_per_s - 1.0),
        );
    }
    errors
}

/// Relative errors of the samples that `within` keeps, each class of `by`
/// predicted by a fit on the others of `within` (classes alone in `within`
/// give none).
fn held_out_by<K: PartialEq + Copy>(
    samples: &[Sample<'_>],
    within: impl Fn(&Sample<'_>) -> bool,
    by: impl Fn(&Sample<'_>) -> K,
) -> Vec<f64> {
    let kept: Vec<&Sample<'_>> = samples.iter().filter(|s| within(s)).collect();
    let mut classes: Vec<K> = Vec::new();
    for s in &kept {
        if !classes.contains(&by(s)) {
            classes.push(by(s));
        }
    }
    let mut errors = Vec::new();
    if classes.len() < 2 {
        return errors;
    }
    for class in classes {
        let rest: Vec<&Sample<'_>> = kept.iter().copied().filter(|s| by(s) != class).collect();
        let e = fit(&rest);
        errors.extend(
            kept.iter()
                .filter(|s| by(s) == class)
                .map(|s| s.shape.output_tokens_per_s(e) / s.point.output_tokens_per_s - 1.0),
        );
    }
    errors
}
