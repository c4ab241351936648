//! A vendor's listed deployment without its own throughput figures is
//! estimated for each workload. One the estimator cannot place at any
//! context (its weights do not fit the GPUs, more GPUs than a node, a model
//! or GPU the capacity catalog does not describe) is refused when the
//! profiles load, at its line, instead of vanishing from every report.

use super::estimate::{Query, QueryError};
use super::{EngineOrigin, Estimator};
use crate::profile::parse::locate_field;
use crate::profile::{Deployment, Diagnostic, ProfileFile, Vendor};

/// What to do about a row the estimator cannot place.
const GIVE_FIGURES: &str =
    "or give the vendor's prefill_tokens_per_s and decode_tokens_per_s for the row";

/// Diagnostics for every listed deployment without figures that the
/// estimator cannot place, at the line of the field at fault (`files`:
/// the vendors' files, found by stem).
pub(crate) fn unplaceable(
    estimator: &Estimator,
    vendors: &[Vendor],
    files: &[ProfileFile],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for v in vendors {
        let Some(d) = &v.dedicated else { continue };
        for (i, dep) in d.deployments.iter().enumerate() {
            if dep.prefill_tokens_per_s.is_some() && dep.decode_tokens_per_s.is_some() {
                continue;
            }
            let engine = EngineOrigin::of(dep.engine, d.engine).engine();
            let Some((field, message)) = why_not(estimator, dep, engine) else {
                continue;
            };
            let path = format!("dedicated.deployments[{i}].{field}");
            let file = files.iter().find(|f| f.stem == v.vendor);
            out.push(
                match file.and_then(|f| Some((&f.name, f.text.as_deref().ok()?))) {
                    Some((name, text)) => {
                        Diagnostic::at(name, text, locate_field(text, &path), &path, message)
                    }
                    None => Diagnostic::at(&v.vendor, "", None, &path, message),
                },
            );
        }
    }
    out
}

/// The field at fault and why, or `None` when one stream of a one-token
/// request fits the replica.
fn why_not(
    estimator: &Estimator,
    dep: &Deployment,
    engine: Option<super::Engine>,
) -> Option<(&'static str, String)> {
    let query = Query {
        model: dep.model.clone(),
        gpu: dep.gpu.clone(),
        gpus: Some(dep.gpus_per_replica),
        precision: None,
        input_tokens: 1.0,
        output_tokens: 1.0,
        concurrency: None,
        engine,
    };
    let capacity = match estimator.capacity(&query) {
        Ok(c) => c,
        Err(QueryError::UnknownModel(..)) => {
            return Some((
                "model",
                format!(
                    "the capacity catalog built into infercost has no architecture for `{}` to estimate the row's throughput from; give the vendor's prefill_tokens_per_s and decode_tokens_per_s for the row",
                    dep.model
                ),
            ))
        }
        Err(QueryError::UnknownGpu(..)) => {
            return Some((
                "gpu",
                format!(
                    "the capacity catalog built into infercost has no GPU `{}` to estimate the row's throughput on; give the vendor's prefill_tokens_per_s and decode_tokens_per_s for the row",
                    dep.gpu
                ),
            ))
        }
        Err(e) => {
            let node = estimator.catalog.gpu(&dep.gpu).map(|g| g.max_gpus_per_node);
            let why = match node {
                Some(n) if dep.gpus_per_replica > n => format!(
                    "{} GPUs a replica: infercost estimates a replica on one node, and a {} node holds 1 to {n}",
                    dep.gpus_per_replica, dep.gpu
                ),
                _ => format!("the row cannot be estimated: {e}"),
            };
            return Some(("gpus_per_replica", format!("{why}; {GIVE_FIGURES}")));
        }
    };
    if capacity.throughput.is_some() {
        return None;
    }
    let m = capacity.memory;
    Some((
        "gpus_per_replica",
        format!(
            "{}'s weights at {} ({:.1} GB) and the runtime's reserve ({:.1} GB) do not fit {} × {} ({:.0} GB); give more GPUs a replica, {GIVE_FIGURES}",
            capacity.model,
            capacity.precision.id(),
            m.weights_gb,
            m.reserved_gb,
            m.gpus,
            capacity.gpu,
            m.total_gb
        ),
    ))
}
