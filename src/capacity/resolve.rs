//! Dedicated deployments for the workloads, run once when the profiles are
//! loaded: a listed deployment keeps the vendor's own figures when it gives
//! them (marked `vendor`), else gets, for each workload of its model, the
//! capacity estimator's figures for that workload's input/output mix (a
//! measured point of the exact configuration when there is one), tagged
//! with the workload; a vendor whose `dedicated.models` runs a workload's
//! model gets a deployment on every GPU it sells that holds the model.
//! Pure: vendors and workloads in, vendors out.

use super::estimate::{AtConcurrency, Query};
use super::{Basis, Capacity, Estimator};
use crate::format::count;
use crate::model::{Demand, Unit};
use crate::profile::{Dedicated, Deployment, ThroughputOrigin, Vendor, Workload};

/// The vendors with their dedicated deployments resolved for every workload.
pub fn vendors_for(workloads: &[Workload], vendors: &[Vendor]) -> Vec<Vendor> {
    let estimator = Estimator::bundled().ok();
    vendors
        .iter()
        .map(|v| {
            let mut v = v.clone();
            if let Some(d) = v.dedicated.as_mut() {
                resolve_all(d, workloads, estimator);
            }
            v
        })
        .collect()
}

/// Vendor figures stay once, untagged; every other deployment is made per
/// workload of its model.
fn resolve_all(d: &mut Dedicated, workloads: &[Workload], estimator: Option<&Estimator>) {
    let listed = std::mem::take(&mut d.deployments);
    let mut out = Vec::new();
    for dep in &listed {
        if dep.prefill_tokens_per_s.is_some() && dep.decode_tokens_per_s.is_some() {
            out.push(Deployment {
                throughput: Some(ThroughputOrigin {
                    kind: "vendor",
                    low: 1.0,
                    high: 1.0,
                    note: "the vendor's figures".into(),
                }),
                ..dep.clone()
            });
        }
    }
    for w in workloads {
        let needs = Latency {
            max_ttft_ms: w.requirements.max_ttft_ms,
            min_stream_tokens_per_s: w.requirements.min_output_tokens_per_s,
        };
        // Every acceptable model: the first choice and its substitutes.
        for model in w.models() {
            let mut one = Dedicated {
                deployments: listed.clone(),
                ..d.clone()
            };
            resolve(&mut one, model, estimator.zip(io_mix(w)), needs);
            out.extend(
                one.deployments
                    .into_iter()
                    .filter(|x| {
                        x.model == model
                            && x.throughput.as_ref().is_some_and(|t| t.kind != "vendor")
                    })
                    .map(|x| Deployment {
                        for_workload: Some(w.workload.clone()),
                        ..x
                    }),
            );
        }
    }
    // Listed rows without figures for models no workload asks for stay as
    // written (they price nothing: `Deployment::serves` needs figures).
    out.extend(listed.into_iter().filter(|x| {
        x.prefill_tokens_per_s.is_none() && !workloads.iter().any(|w| w.accepts(&x.model))
    }));
    d.deployments = out;
}

/// Mean input and output tokens of one call: a request, or one turn of an
/// episode (its mean prompt is P1 + (T − 1)·Δ/2). `None` for a workload
/// that moves no text.
fn io_mix(workload: &Workload) -> Option<(f64, f64)> {
    if workload.modality != "text" {
        return None;
    }
    match Demand::of(workload).unit {
        Unit::Request { input, output, .. } => Some((input.max(1.0), output.max(1.0))),
        Unit::Episode(ep) => Some((
            (ep.initial_prompt + (ep.turns - 1.0) * ep.growth / 2.0).max(1.0),
            ep.generation.max(1.0),
        )),
    }
}

/// A workload's latency requirements.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Latency {
    max_ttft_ms: Option<f64>,
    min_stream_tokens_per_s: Option<f64>,
}

impl Latency {
    fn met(&self, ttft_ms: f64, stream_tokens_per_s: f64) -> bool {
        self.max_ttft_ms.is_none_or(|m| ttft_ms <= m)
            && self
                .min_stream_tokens_per_s
                .is_none_or(|m| stream_tokens_per_s >= m)
    }

    fn any(&self) -> bool {
        self.max_ttft_ms.is_some() || self.min_stream_tokens_per_s.is_some()
    }
}

fn resolve(d: &mut Dedicated, model: &str, with: Option<(&Estimator, (f64, f64))>, needs: Latency) {
    let mut kept = Vec::with_capacity(d.deployments.len());
    for dep in std::mem::take(&mut d.deployments) {
        if dep.model != model {
            kept.push(dep);
            continue;
        }
        if let (Some(_), Some(_)) = (dep.prefill_tokens_per_s, dep.decode_tokens_per_s) {
            kept.push(Deployment {
                throughput: Some(ThroughputOrigin {
                    kind: "vendor",
                    low: 1.0,
                    high: 1.0,
                    note: "the vendor's figures".into(),
                }),
                ..dep
            });
        } else if let Some(filled) =
            with.and_then(|(e, io)| estimated(e, &dep, Some(dep.gpus_per_replica), io, needs))
        {
            kept.push(filled);
        }
    }
    d.deployments = kept;
    let Some((estimator, io)) = with else { return };
    if !d.models.as_ref().is_some_and(|m| m.includes(model)) {
        return;
    }
    let gpus: Vec<String> = d.gpus.keys().cloned().collect();
    for gpu in gpus {
        if d.deployments
            .iter()
            .any(|x| x.model == model && x.gpu == gpu)
        {
            continue;
        }
        let template = Deployment {
            model: model.to_string(),
            gpu,
            gpus_per_replica: 1,
            prefill_tokens_per_s: None,
            decode_tokens_per_s: None,
            // Unknown: a bring-your-own-model platform may or may not load adapters.
            lora: None,
            ttft_ms: None,
            output_tokens_per_s: None,
            deprecated_on: None,
            retired_on: None,
            throughput: None,
            for_workload: None,
        };
        if let Some(dep) = estimated(estimator, &template, None, io, needs) {
            d.deployments.push(dep);
        }
    }
}

/// The deployment with the estimator's figures, or `None` when the model or
/// GPU is not in the catalog or the model does not fit. With latency
/// requirements, the replica runs at the most streams that still meet them
/// (its decode rate is that of the smaller batch, so it needs more
/// replicas); when even one stream cannot, it keeps one stream's figures and
/// the picker excludes it with them.
fn estimated(
    estimator: &Estimator,
    dep: &Deployment,
    gpus: Option<u32>,
    (input, output): (f64, f64),
    needs: Latency,
) -> Option<Deployment> {
    let mut query = Query {
        model: dep.model.clone(),
        gpu: dep.gpu.clone(),
        gpus,
        precision: None,
        input_tokens: input,
        output_tokens: output,
        concurrency: None,
    };
    let c = estimator.capacity(&query).ok()?;
    let t = c.throughput.as_ref()?;
    let x = t.output_tokens_per_s;
    query.gpus = Some(c.memory.gpus);
    let at = |k: u32| -> Option<AtConcurrency> {
        let q = Query {
            concurrency: Some(k),
            ..query.clone()
        };
        estimator.capacity(&q).ok()?.throughput?.at_concurrency
    };
    let (mut decode, mut latency, mut sized) = (t.decode_tokens_per_s, None, None);
    if needs.any() {
        // The saturated batch's KV cache is sized at the mean context; at the
        // full context fewer streams may fit: the most that do.
        let most = if at(t.streams).is_some() {
            t.streams
        } else {
            largest(1, t.streams, |k| at(k).is_some())
        };
        let ok = |k: u32| at(k).is_some_and(|a| needs.met(a.ttft_ms, a.stream_tokens_per_s));
        let k = if ok(most) {
            most
        } else {
            sized = ok(1).then(|| largest(1, most, ok));
            sized.unwrap_or(1)
        };
        latency = at(k);
        if sized.is_some() {
            decode = latency.map_or(decode, |a| a.decode_tokens_per_s);
        }
    }
    let mut note = note(&c, input, output);
    if let Some(k) = sized {
        note.push_str(&format!(
            "; sized at {k} stream{} per replica (of {}) to meet the latency requirement",
            if k == 1 { "" } else { "s" },
            t.streams
        ));
    }
    Some(Deployment {
        gpus_per_replica: c.memory.gpus,
        prefill_tokens_per_s: Some(t.prefill_tokens_per_s),
        decode_tokens_per_s: Some(decode),
        ttft_ms: latency.map(|a| round1(a.ttft_ms)).or(dep.ttft_ms),
        output_tokens_per_s: latency
            .map(|a| round1(a.stream_tokens_per_s))
            .or(dep.output_tokens_per_s),
        throughput: Some(ThroughputOrigin {
            kind: match t.basis {
                Basis::Measured { .. } => "measured",
                Basis::Estimated { .. } => "estimated",
            },
            low: t.band.low / x,
            high: t.band.high / x,
            note,
        }),
        ..dep.clone()
    })
}

/// The largest k in [lo, hi] with `good(k)`, given `good(lo)` and that
/// `good` holds up to some k and fails above it (speed falls and TTFT
/// grows with the batch; memory runs out).
fn largest(lo: u32, hi: u32, good: impl Fn(u32) -> bool) -> u32 {
    let (mut lo, mut hi) = (lo, hi + 1);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if good(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// One decimal: latency figures shown in reasons.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The estimate's inputs, in words.
fn note(c: &Capacity, input: f64, output: f64) -> String {
    let Some(t) = &c.throughput else {
        return String::new();
    };
    let what = format!(
        "{} on {} × {} at {}, {} in / {} out: {} output tokens/s ({}–{})",
        c.model,
        c.memory.gpus,
        c.gpu,
        c.precision.id(),
        count(input),
        count(output),
        count(t.output_tokens_per_s),
        count(t.band.low),
        count(t.band.high)
    );
    match &t.basis {
        Basis::Measured { series, .. } => format!("measured: {what}, catalog series {series}"),
        Basis::Estimated { group, error, efficiency, series } => format!(
            "estimated: {what}; roofline at {:.0}% of peak FLOPs and {:.0}% of peak bandwidth fitted on {} ({} series), leave-one-out p90 error {:.0}%",
            efficiency.compute * 100.0,
            efficiency.bandwidth * 100.0,
            group.label(),
            series.len(),
            error.p90 * 100.0
        ),
    }
}
