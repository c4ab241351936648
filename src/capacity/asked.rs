//! What a query asks, before any figure: the precision a replica runs
//! when none is asked (the engine's kernels considered), and the checks
//! that refuse a precision the model is not published in or numbers that
//! make no sense.

use super::catalog::{Architecture, Gpu, Precision};
use super::estimate::{Query, QueryError};
use super::serving::Engine;

/// The precision to run `arch` in on `gpu` under `engine` (vLLM's rules
/// when `None`) when none is asked: the lowest published one the GPU
/// computes natively, or the model's first-listed (original) precision
/// when that is lower: a model published in 4-bit (gpt-oss, Kimi K2.5)
/// runs in 4-bit with weight-only kernels rather than upcast. Only
/// precisions the engine has a kernel for on the GPU count
/// (`Engine::kernel_gap`): gpt-oss on a T4 runs upcast to 16-bit; when
/// none of the model's does, the choice above stands and the deployment is
/// judged "cannot run".
pub(crate) fn default_precision(
    arch: &Architecture,
    gpu: &Gpu,
    engine: Option<Engine>,
) -> Precision {
    let runs = |p: &Precision| {
        let engine = engine.unwrap_or(Engine::Vllm);
        engine.kernel_gap((*p, arch.w4a16), &gpu.family).is_none()
    };
    let native = arch.precisions.iter().copied().filter(|p| gpu.tflops(*p).1);
    let preferred = native.chain(arch.precisions.first().copied());
    let running = preferred.clone().filter(runs).max();
    running
        .or_else(|| arch.precisions.iter().copied().filter(runs).max())
        .unwrap_or_else(|| any_engines_precision(arch, gpu))
}

/// [`default_precision`] with no engine's kernels considered: the lowest
/// published precision the GPU computes natively, or the model's
/// original when that is lower.
fn any_engines_precision(arch: &Architecture, gpu: &Gpu) -> Precision {
    let native = arch.precisions.iter().copied().filter(|p| gpu.tflops(*p).1);
    native
        .chain(arch.precisions.first().copied())
        .max()
        .unwrap_or(Precision::Bf16)
}

/// The precision a replica would take with no engine's kernels
/// considered, where `chosen` is another: gpt-oss-120b under TensorRT-LLM
/// on an A100 is chosen bf16, and would take fp4, which has no kernel
/// there before Hopper. `None` where they are the same.
pub(crate) fn kernel_upcast(
    arch: &Architecture,
    gpu: &Gpu,
    chosen: Precision,
) -> Option<Precision> {
    let without = any_engines_precision(arch, gpu);
    (without != chosen).then_some(without)
}

/// A precision asked must be one the model is published in.
pub(super) fn check_precision(
    arch: &Architecture,
    asked: Option<Precision>,
) -> Result<(), QueryError> {
    match asked {
        Some(p) if !arch.precisions.contains(&p) => {
            let list: Vec<&str> = arch.precisions.iter().map(|p| p.id()).collect();
            Err(QueryError::Precision(
                arch.id.clone(),
                list.join(", "),
                p.id().into(),
            ))
        }
        _ => Ok(()),
    }
}

pub(super) fn check_numbers(q: &Query, gpu: &Gpu) -> Result<(), QueryError> {
    let ok = |x: f64| x.is_finite() && x >= 1.0;
    if !ok(q.input_tokens) || !ok(q.output_tokens) {
        return Err(QueryError::Invalid(
            "--input-tokens and --output-tokens must be at least 1".into(),
        ));
    }
    if q.concurrency == Some(0) {
        return Err(QueryError::Invalid(
            "--concurrency must be at least 1".into(),
        ));
    }
    match q.gpus {
        Some(n) if n == 0 || n > gpu.max_gpus_per_node => Err(QueryError::Invalid(format!(
            "--gpus must be 1 to {} for {}",
            gpu.max_gpus_per_node, gpu.id
        ))),
        _ => Ok(()),
    }
}
