//! Dedicated deployments for the workloads, run once when the profiles are
//! loaded: a listed deployment keeps the vendor's own figures when it gives
//! them (marked `vendor`), else gets, for each workload of its model, the
//! capacity estimator's figures for that workload's input/output mix (a
//! measured point of the exact configuration when there is one), tagged
//! with the workload; a vendor whose `dedicated.models` runs a workload's
//! model gets a deployment on every GPU it sells that holds the model.
//! Pure: vendors and workloads in, vendors out.

use super::estimate::Query;
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
        let mut one = Dedicated {
            deployments: listed.clone(),
            ..d.clone()
        };
        resolve(&mut one, &w.model, estimator.zip(io_mix(w)));
        out.extend(
            one.deployments
                .into_iter()
                .filter(|x| {
                    x.model == w.model && x.throughput.as_ref().is_some_and(|t| t.kind != "vendor")
                })
                .map(|x| Deployment {
                    for_workload: Some(w.workload.clone()),
                    ..x
                }),
        );
    }
    // Listed rows without figures for models no workload asks for stay as
    // written (they price nothing: `Deployment::serves` needs figures).
    out.extend(listed.into_iter().filter(|x| {
        x.prefill_tokens_per_s.is_none() && !workloads.iter().any(|w| w.model == x.model)
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

fn resolve(d: &mut Dedicated, model: &str, with: Option<(&Estimator, (f64, f64))>) {
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
            with.and_then(|(e, io)| estimated(e, &dep, Some(dep.gpus_per_replica), io))
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
            lora: false,
            ttft_ms: None,
            output_tokens_per_s: None,
            throughput: None,
            for_workload: None,
        };
        if let Some(dep) = estimated(estimator, &template, None, io) {
            d.deployments.push(dep);
        }
    }
}

/// The deployment with the estimator's figures, or `None` when the model or
/// GPU is not in the catalog or the model does not fit.
fn estimated(
    estimator: &Estimator,
    dep: &Deployment,
    gpus: Option<u32>,
    (input, output): (f64, f64),
) -> Option<Deployment> {
    let query = Query {
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
    Some(Deployment {
        gpus_per_replica: c.memory.gpus,
        prefill_tokens_per_s: Some(t.prefill_tokens_per_s),
        decode_tokens_per_s: Some(t.decode_tokens_per_s),
        throughput: Some(ThroughputOrigin {
            kind: match t.basis {
                Basis::Measured { .. } => "measured",
                Basis::Estimated { .. } => "estimated",
            },
            low: t.band.low / x,
            high: t.band.high / x,
            note: note(&c, input, output),
        }),
        ..dep.clone()
    })
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
