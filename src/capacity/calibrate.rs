//! Calibration: the compute and bandwidth efficiencies of the roofline,
//! fitted on the measured points (least squares of the log ratio of
//! estimate to measurement, by grid search within (0, 1]) per GPU family,
//! precision and kind (dense or mixture of experts: grouped expert GEMMs
//! and routing reach a lower share of the peak than dense GEMMs), and the
//! honest error of that fit: each point estimated by a fit that has not
//! seen it (leave-one-out), as the median and 90th percentile of the
//! absolute relative error.
//!
//! A family and precision with [`MIN_GROUP`] points or fewer of a kind uses
//! the fit of every family's points of that kind; its band then uses the
//! error of predicting each family from the others (leave-one-group-out),
//! which is what such an estimate is: a transfer to unseen hardware.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::catalog::{MeasuredSeries, PerfCatalog, Point, Precision};
use super::memory::fit as memory_fit;
use super::roofline::{Efficiency, RooflineReplica, StepShape};

/// A family and precision needs more points than this for its own factors
/// (so that, one point held out, at least this many remain).
pub const MIN_GROUP: usize = 3;

/// Calibration group: GPU family and weight precision (`None` for the
/// group of every family and precision), and the model's kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupKey {
    /// GPU family (`hopper`) and weight precision.
    pub hardware: Option<(String, Precision)>,
    /// Mixture of experts (else dense).
    pub moe: bool,
}

impl GroupKey {
    /// The group of every family and precision of the same kind.
    pub fn kind(&self) -> GroupKey {
        GroupKey {
            hardware: None,
            moe: self.moe,
        }
    }

    /// `hopper fp8 dense`, `all GPUs moe`.
    pub fn label(&self) -> String {
        let kind = if self.moe {
            "mixture-of-experts"
        } else {
            "dense"
        };
        match &self.hardware {
            Some((f, p)) => format!("{f} {} {kind}", p.id()),
            None => format!("every GPU family, {kind}"),
        }
    }
}

/// One measured point, reduced to its roofline shape.
#[derive(Debug, Clone)]
pub struct Sample<'a> {
    /// The series it belongs to.
    pub series: &'a MeasuredSeries,
    /// The point.
    pub point: &'a Point,
    /// Its group.
    pub key: GroupKey,
    /// Its shape.
    pub shape: StepShape,
}

/// Median and 90th percentile of absolute relative errors.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ErrorStats {
    /// Points.
    pub n: usize,
    /// Median |estimate / measured − 1|.
    pub median: f64,
    /// 90th percentile of the same.
    pub p90: f64,
}

impl ErrorStats {
    /// Statistics of relative errors (signed; their absolute values count).
    pub fn of(errors: &[f64]) -> ErrorStats {
        let mut abs: Vec<f64> = errors.iter().map(|e| e.abs()).collect();
        abs.sort_by(f64::total_cmp);
        ErrorStats {
            n: abs.len(),
            median: quantile(&abs, 0.5),
            p90: quantile(&abs, 0.9),
        }
    }
}

/// Linear-interpolated quantile of sorted values (0 for none).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n => {
            let at = q * (n - 1) as f64;
            let lo = at.floor() as usize;
            let hi = at.ceil() as usize;
            sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
        }
    }
}

/// The factors of one group and how well they predict unseen points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupFit {
    /// Fitted efficiencies.
    pub efficiency: Efficiency,
    /// MeasuredSeries ids the fit used (shared by every estimate of the group).
    pub series: Arc<[String]>,
    /// Leave-one-out error of the group's points.
    pub error: ErrorStats,
}

/// Every group's factors, the all-points fallback, and the overall error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// Hardware groups with more than [`MIN_GROUP`] points, and the two
    /// kind groups (every family, dense or mixture of experts).
    #[serde(with = "super::precomputed::as_list")]
    pub groups: BTreeMap<GroupKey, GroupFit>,
    /// Leave-one-out error of every point, each estimated the way the
    /// estimator would (its own group's fit, else its kind's).
    pub all: ErrorStats,
    /// Each point's leave-one-out relative error, in catalog order:
    /// (series id, point index, estimate, measured).
    pub held_out: Vec<(String, usize, f64, f64)>,
}

impl Calibration {
    /// The factors for a GPU family, precision and kind, and the group
    /// they come from: the hardware group, else the kind's, else the other
    /// kind's (`None` only for a catalog without measured points).
    pub fn factors(
        &self,
        family: &str,
        precision: Precision,
        moe: bool,
    ) -> Option<(&GroupKey, &GroupFit)> {
        let own = GroupKey {
            hardware: Some((family.to_string(), precision)),
            moe,
        };
        self.groups
            .get_key_value(&own)
            .or_else(|| self.groups.get_key_value(&own.kind()))
            .or_else(|| {
                self.groups.get_key_value(&GroupKey {
                    hardware: None,
                    moe: !moe,
                })
            })
    }
}

/// The catalog's points as samples (points whose model or GPU is unknown
/// cannot occur: the loader checked them).
pub fn samples(catalog: &PerfCatalog) -> Vec<Sample<'_>> {
    let mut out = Vec::new();
    for series in &catalog.series {
        let (Some(arch), Some(gpu)) = (
            catalog.architecture(&series.model),
            catalog.gpu(&series.gpu),
        ) else {
            continue;
        };
        let replica = RooflineReplica {
            arch,
            gpu,
            gpus: series.gpus,
            precision: series.precision,
        };
        for point in &series.points {
            let (i, o) = (point.input_tokens, point.output_tokens);
            let memory = memory_fit(arch, gpu, series.gpus, series.precision, i + o, 1);
            let streams = point
                .concurrency
                .unwrap_or_else(|| replica.max_streams(&memory, i + o / 2.0));
            out.push(Sample {
                series,
                point,
                key: GroupKey {
                    hardware: Some((gpu.family.clone(), series.precision)),
                    moe: arch.experts.is_some(),
                },
                shape: replica.shape(i, o, f64::from(streams)),
            });
        }
    }
    out
}

/// Sum of squared log ratios of estimate to measurement.
fn loss(samples: &[&Sample<'_>], e: Efficiency) -> f64 {
    samples
        .iter()
        .map(|s| {
            (s.shape.output_tokens_per_s(e) / s.point.output_tokens_per_s)
                .ln()
                .powi(2)
        })
        .sum()
}

/// Points of the log grid: 2% to 100% in `COARSE` steps.
const COARSE: usize = 16;

/// Grid index to efficiency.
fn grid(i: f64) -> f64 {
    let lo = 0.02f64.ln();
    (lo - lo * i / (COARSE - 1) as f64).exp().min(1.0)
}

/// The best (loss, compute index, bandwidth index) over the given indices.
fn search(
    samples: &[&Sample<'_>],
    cs: &[f64],
    bs: &[f64],
    mut best: (f64, f64, f64),
) -> (f64, f64, f64) {
    for &c in cs {
        for &b in bs {
            let l = loss(
                samples,
                Efficiency {
                    compute: grid(c),
                    bandwidth: grid(b),
                },
            );
            if l < best.0 {
                best = (l, c, b);
            }
        }
    }
    best
}

/// Efficiencies on a log grid from 2% to 100%, refined around the best.
pub fn fit(samples: &[&Sample<'_>]) -> Efficiency {
    let coarse: Vec<f64> = (0..COARSE).map(|i| i as f64).collect();
    let best = search(samples, &coarse, &coarse, (f64::INFINITY, 0.0, 0.0));
    let fine = |x: f64| -> Vec<f64> {
        (-4..=4)
            .map(|k| (x + f64::from(k) / 4.0).clamp(0.0, (COARSE - 1) as f64))
            .collect()
    };
    let best = search(samples, &fine(best.1), &fine(best.2), best);
    Efficiency {
        compute: grid(best.1),
        bandwidth: grid(best.2),
    }
}

/// Fits every group, and holds each point (and each hardware group) out once.
pub fn calibrate(catalog: &PerfCatalog) -> Calibration {
    let all = samples(catalog);
    let mut by_key: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
    for (i, s) in all.iter().enumerate() {
        by_key.entry(s.key.clone()).or_default().push(i);
        by_key.entry(s.key.kind()).or_default().push(i);
    }
    let pick = |keep: &dyn Fn(usize) -> bool| -> Vec<&Sample<'_>> {
        (0..all.len())
            .filter(|i| keep(*i))
            .map(|i| &all[i])
            .collect()
    };
    let mut held_out = Vec::with_capacity(all.len());
    let mut errors: BTreeMap<GroupKey, Vec<f64>> = BTreeMap::new();
    let mut every = Vec::with_capacity(all.len());
    for (i, s) in all.iter().enumerate() {
        let own = by_key[&s.key].len() > MIN_GROUP;
        let e = if own {
            fit(&pick(&|j| j != i && all[j].key == s.key))
        } else {
            fit(&pick(&|j| j != i && all[j].key.moe == s.key.moe))
        };
        let (estimate, measured) = (s.shape.output_tokens_per_s(e), s.point.output_tokens_per_s);
        held_out.push((s.series.id.clone(), point_index(s), estimate, measured));
        every.push(estimate / measured - 1.0);
        if own {
            errors
                .entry(s.key.clone())
                .or_default()
                .push(estimate / measured - 1.0);
        }
    }
    // A kind's error: each hardware group predicted by the others' points.
    for (key, idx) in by_key.iter().filter(|(k, _)| k.hardware.is_some()) {
        let e = fit(&pick(&|j| all[j].key.moe == key.moe && all[j].key != *key));
        let errs = idx.iter().map(|i| {
            all[*i].shape.output_tokens_per_s(e) / all[*i].point.output_tokens_per_s - 1.0
        });
        errors.entry(key.kind()).or_default().extend(errs);
    }
    let groups = by_key
        .iter()
        .filter(|(k, idx)| k.hardware.is_none() || idx.len() > MIN_GROUP)
        .map(|(k, idx)| {
            let mut series: Vec<String> = idx.iter().map(|i| all[*i].series.id.clone()).collect();
            series.dedup();
            let fit = GroupFit {
                efficiency: fit(&idx.iter().map(|i| &all[*i]).collect::<Vec<_>>()),
                series: series.into(),
                error: ErrorStats::of(errors.get(k).map_or(&[][..], Vec::as_slice)),
            };
            (k.clone(), fit)
        })
        .collect();
    Calibration {
        groups,
        all: ErrorStats::of(&every),
        held_out,
    }
}

fn point_index(s: &Sample<'_>) -> usize {
    s.series
        .points
        .iter()
        .position(|p| std::ptr::eq(p, s.point))
        .unwrap_or(0)
}
