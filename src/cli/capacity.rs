//! `infercost capacity MODEL --gpu GPU`: what one dedicated replica of a
//! model on a GPU holds and delivers, from the performance catalog built
//! into the binary: memory fit, GPUs per replica, saturated output tokens/s
//! for the I/O mix with its prefill and decode parts and its band, and at a
//! concurrency the per-stream speed and TTFT; measured or estimated, with
//! the points it was calibrated on. Table or JSON.

use clap::Args;
use serde_json::{json, Value};

use super::{Error, Output};
use crate::capacity::estimate::{AtConcurrency, QueryError};
use crate::capacity::{
    fit, AttentionKind, Band, Basis, Capacity, Engine, EngineOrigin, Estimator, LayoutClass, NoFit,
    Precision, Query, Throughput,
};
use crate::format::{count, sig9};
use crate::profile::suggest::did_you_mean;

/// `infercost capacity`.
#[derive(Debug, Clone, Args)]
pub struct CapacityArgs {
    /// Model: canonical id or alias (its Hugging Face id included).
    pub model: String,
    /// GPU id (`h100-80gb`).
    #[arg(long)]
    pub gpu: String,
    /// GPUs per replica [default: the smallest power of two that fits].
    #[arg(long)]
    pub gpus: Option<u32>,
    /// Weight precision [default: the lowest published one the GPU computes natively].
    #[arg(long, value_parser = ["bf16", "fp8", "fp4"])]
    pub precision: Option<String>,
    /// Serving engine: its step floor, collectives and batch limit drive
    /// the figures [default: not stated: vLLM's figures, the band spanning
    /// every engine].
    #[arg(long, value_parser = ["vllm", "sglang", "trtllm"])]
    pub engine: Option<String>,
    /// Mean input tokens per request.
    #[arg(long, default_value_t = 1000)]
    pub input_tokens: u32,
    /// Mean output tokens per request.
    #[arg(long, default_value_t = 1000)]
    pub output_tokens: u32,
    /// Streams per replica for per-stream speed and TTFT (and the KV cache the fit reserves).
    #[arg(long)]
    pub concurrency: Option<u32>,
    /// What to print.
    #[arg(long, value_enum, default_value = "table")]
    pub format: super::CompareFormat,
}

/// Runs `infercost capacity`.
pub(super) fn capacity_command(args: &CapacityArgs) -> Result<Output, Error> {
    let estimator = Estimator::bundled()?;
    let query = Query {
        model: args.model.clone(),
        gpu: args.gpu.clone(),
        gpus: args.gpus,
        precision: args.precision.as_deref().and_then(Precision::parse),
        input_tokens: f64::from(args.input_tokens),
        output_tokens: f64::from(args.output_tokens),
        concurrency: args.concurrency,
        engine: args.engine.as_deref().and_then(Engine::parse),
    };
    let answer = estimator.capacity(&query).map_err(with_suggestion)?;
    let engine = EngineOrigin::of(args.engine.as_deref().and_then(Engine::parse), None);
    let judged = Judged {
        context: fit::context(
            Some(estimator),
            &answer.model,
            query.input_tokens + query.output_tokens,
        ),
        cannot_run: estimator.no_kernel(
            (answer.model.as_str(), query.engine),
            &answer.gpu,
            Some(answer.precision),
        ),
        // A precision asked for is not a default to explain.
        upcast: match query.precision {
            Some(_) => None,
            None => estimator.kernel_upcast(
                (answer.model.as_str(), query.engine),
                &answer.gpu,
                answer.precision,
            ),
        },
    };
    let stdout = match args.format {
        super::CompareFormat::Json => {
            let mut text = serde_json::to_string_pretty(&to_json(&answer, &query, &judged, engine))
                .unwrap_or_default();
            text.push('\n');
            text
        }
        super::CompareFormat::Table => super::term::wrap_lines(
            &to_table(&answer, &query, &judged, engine),
            super::term::table_width(),
        ),
    };
    Ok(Output {
        stdout,
        ..Output::default()
    })
}

fn band_json(b: Band) -> Value {
    json!({"low": sig9(b.low), "high": sig9(b.high)})
}

/// What the answer's replica cannot do, judged as the report judges a
/// deployment: a context beyond the model's limit, an engine without a
/// kernel for the weights on the GPU.
pub(super) struct Judged {
    /// The context exceeds the model's limit.
    pub(super) context: Option<NoFit>,
    /// The engine cannot run the weights on the GPU.
    pub(super) cannot_run: Option<NoFit>,
    /// The default precision is higher than the GPU would take: the
    /// engine has no kernel for the lower one there.
    pub(super) upcast: Option<NoFit>,
}

/// The answer as JSON (numbers rounded to 9 significant digits); a
/// context beyond the model's limit does not fit (`does_not_fit` gives
/// the reason), and a replica whose engine has no kernel for its weights
/// cannot run (`cannot_run`), so it has no throughput.
pub(super) fn to_json(c: &Capacity, q: &Query, judged: &Judged, engine: EngineOrigin) -> Value {
    let m = &c.memory;
    let context = judged.context.as_ref();
    let throughput = c
        .throughput
        .as_ref()
        .filter(|_| judged.cannot_run.is_none());
    json!({
        "model": c.model,
        "gpu": c.gpu,
        "gpus": m.gpus,
        "precision": c.precision.id(),
        "native_compute": c.native_compute,
        "engine": engine.engine().map(Engine::id),
        "input_tokens": q.input_tokens,
        "output_tokens": q.output_tokens,
        "fits": m.fits() && context.is_none(),
        "does_not_fit": context.map(ToString::to_string),
        "cannot_run": judged.cannot_run.as_ref().map(ToString::to_string),
        "precision_not_lower": judged.upcast.as_ref().map(ToString::to_string),
        "memory": {
            "total_gb": sig9(m.total_gb),
            "weights_gb": sig9(m.weights_gb),
            "kv_cache_gb": sig9(m.kv_cache_gb),
            "reserved_gb": sig9(m.reserved_gb),
            "kv_cache_for_streams": m.concurrency,
            "context_tokens": m.context_tokens,
        },
        "streams": throughput.map(|t| t.streams),
        "output_tokens_per_s": throughput.map(|t| sig9(t.output_tokens_per_s)),
        "band": throughput.map(|t| band_json(t.band)),
        "prefill_tokens_per_s": throughput.map(|t| sig9(t.prefill_tokens_per_s)),
        "decode_tokens_per_s": throughput.map(|t| sig9(t.decode_tokens_per_s)),
        "at_concurrency": throughput.and_then(|t| t.at_concurrency).map(|a| json!({
            "concurrency": a.concurrency,
            "running": a.running,
            "stream_output_tokens_per_s": sig9(a.stream_tokens_per_s),
            "band": band_json(a.stream_band),
            "ttft_ms": sig9(a.ttft_ms),
            "output_tokens_per_s": sig9(a.output_tokens_per_s),
        })),
        "basis": throughput.map(|t| basis_json(&t.basis)),
    })
}

fn basis_json(b: &Basis) -> Value {
    match b {
        Basis::Measured { series, source } => {
            json!({"kind": "measured", "series": [series], "source": source})
        }
        Basis::Estimated {
            group,
            series,
            error,
            efficiency,
            unseen,
            band_error,
        } => json!({
            "kind": "estimated",
            "calibrated_on": group.label(),
            "series": &series[..],
            "leave_one_out_error": {"points": error.n, "median": sig9(error.median), "p90": sig9(error.p90)},
            "band_error": sig9(*band_error),
            "unseen": {"model": unseen.model, "engine": unseen.engine, "attention": unseen.attention.map(AttentionKind::words), "gpu_family": unseen.gpu_family, "layout": unseen.layout.map(LayoutClass::words)},
            "efficiency": {"compute": sig9(efficiency.compute), "bandwidth": sig9(efficiency.bandwidth)},
        }),
    }
}

/// The estimator's error, with "did you mean" for an unknown model or GPU.
fn with_suggestion(e: QueryError) -> Error {
    let hint = match &e {
        QueryError::UnknownModel(id, known) | QueryError::UnknownGpu(id, known) => {
            did_you_mean(id, known.split(", "))
        }
        _ => String::new(),
    };
    match hint.as_str() {
        "" => Error::Usage(e.to_string()),
        _ => Error::Usage(format!("{e}; {hint}")),
    }
}

/// The answer as lines for a terminal.
fn to_table(c: &Capacity, q: &Query, judged: &Judged, engine: EngineOrigin) -> String {
    let m = &c.memory;
    let context = judged.context.as_ref();
    let compute = if c.native_compute {
        ""
    } else {
        " (weights only: 16-bit compute on this GPU)"
    };
    let mut out = format!(
        "{} on {} x {} at {}{compute}, {} input / {} output tokens\n",
        c.model,
        m.gpus,
        c.gpu,
        c.precision.id(),
        count(q.input_tokens),
        count(q.output_tokens)
    );
    if let Some(why) = &judged.upcast {
        out += &format!("{} weights, not lower: {why}\n", c.precision.id());
    }
    let measured_by = c.throughput.as_ref().and_then(|t| match t.basis {
        Basis::Measured { .. } => t.engine,
        Basis::Estimated { .. } => None,
    });
    out += &match (engine.engine(), measured_by) {
        (Some(_), _) => format!("{}\n", engine.words()),
        (None, Some(by)) => format!(
            "{}: {}'s measured point, the band spanning vLLM, SGLang and TensorRT-LLM\n",
            engine.words(),
            by.name()
        ),
        (None, None) => format!(
            "{}: vLLM's figures, the band spanning vLLM, SGLang and TensorRT-LLM\n",
            engine.words()
        ),
    };
    out += &format!(
        "memory: weights {} GB + KV cache {} GB ({} stream{} x {} tokens) + reserve {} GB = {} of {} GB: {}\n",
        count(m.weights_gb),
        count(m.kv_cache_gb),
        m.concurrency,
        if m.concurrency == 1 { "" } else { "s" },
        count(m.context_tokens),
        count(m.reserved_gb),
        count(m.weights_gb + m.kv_cache_gb + m.reserved_gb),
        count(m.total_gb),
        match (context, m.fits()) {
            (Some(_), _) => "does not fit (the context, below)",
            (None, true) => "fits",
            (None, false) => "does not fit",
        }
    );
    if let Some(no) = context {
        out += &format!("does not fit: {no}\n");
        return out;
    }
    if let Some(no) = &judged.cannot_run {
        out += &format!("cannot run: {no}\n");
        return out;
    }
    match &c.throughput {
        None => out += "no throughput: the model does not fit; try more --gpus, a lower --precision or a larger GPU\n",
        Some(t) => out += &throughput_lines(t),
    }
    out
}

fn throughput_lines(t: &Throughput) -> String {
    let mut out = format!(
        "saturated ({} streams): {} output tokens/s ({} to {}); prefill {} input tokens/s, decode {} output tokens/s\n",
        t.streams,
        count(t.output_tokens_per_s),
        count(t.band.low),
        count(t.band.high),
        count(t.prefill_tokens_per_s),
        count(t.decode_tokens_per_s)
    );
    if let Some(a) = t.at_concurrency {
        out += &concurrency_line(&a);
    }
    out += &match &t.basis {
        Basis::Measured { series, source } => format!("measured: {series} ({source})\n"),
        Basis::Estimated { group, series, error, efficiency, unseen, band_error } => format!(
            "estimated: step model at {:.0}% of peak FLOPs and {:.0}% of peak bandwidth, fitted on {} ({} series: {}); leave-one-out error median {:.0}%, p90 {:.0}% (the band){}\n",
            efficiency.compute * 100.0,
            efficiency.bandwidth * 100.0,
            group.label(),
            series.len(),
            series.join(", "),
            error.median * 100.0,
            error.p90 * 100.0,
            crate::capacity::estimate::widened(*unseen, *band_error, error.p90)
        ),
    };
    out
}

fn concurrency_line(a: &AtConcurrency) -> String {
    let queued = if a.running < a.concurrency {
        let waiting = a.concurrency - a.running;
        format!(
            " (the engine decodes {} at once; {} for a slot, in the TTFT)",
            count(f64::from(a.running)),
            if waiting == 1 {
                "the other one waits".to_string()
            } else {
                format!("the other {} wait", count(f64::from(waiting)))
            }
        )
    } else {
        String::new()
    };
    format!(
        "at {} streams{queued}: {} output tokens/s per stream ({} to {}), TTFT {} ms, {} output tokens/s in all\n",
        a.concurrency,
        count(a.stream_tokens_per_s),
        count(a.stream_band.low),
        count(a.stream_band.high),
        count(a.ttft_ms),
        count(a.output_tokens_per_s)
    )
}
