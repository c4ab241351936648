//! An estimated deployment's inputs in words: the throughput, its basis
//! (measured, or the step model with its fit and band), the engine, the
//! per-stream speed and the sizing for latency. The Method section and
//! the options' reasons quote it.

use super::Estimate;
use crate::capacity::estimate::widened;
use crate::capacity::Basis;
use crate::format::count;

/// The estimate's inputs, in words.
pub(super) fn note(e: &Estimate) -> String {
    let what = format!(
        "{} on {} × {} at {}, {} in / {} out: {} output tokens/s ({}–{})",
        e.model,
        e.gpus,
        e.gpu,
        e.precision.id(),
        count(e.input_tokens),
        count(e.output_tokens),
        count(e.output_tokens_per_s),
        count(e.band.low),
        count(e.band.high)
    );
    let mut note = match &e.basis {
        Basis::Measured { series, .. } => format!("measured: {what}, catalog series {series}"),
        Basis::Estimated {
            group,
            error,
            efficiency,
            series,
            unseen,
            band_error,
        } => format!(
            "estimated: {what}; step model at {:.0}% of peak FLOPs and {:.0}% of peak bandwidth fitted on {} ({} series), leave-one-out p90 error {:.0}%{}",
            efficiency.compute * 100.0,
            efficiency.bandwidth * 100.0,
            group.label(),
            series.len(),
            error.p90 * 100.0,
            widened(*unseen, *band_error, error.p90)
        ),
    };
    if let Some(why) = &e.kernel_upcast {
        note.push_str(&format!("; {} weights, not lower: {why}", e.precision.id()));
    }
    note.push_str(&format!("; {}", e.engine.words()));
    if e.engine.engine().is_none() {
        // vLLM's whether estimated or measured: with no engine stated only
        // vLLM's measured points replace the estimate.
        note.push_str(" (vLLM's figures, the band spanning every engine)");
    }
    if let Some(speed) = e.stream_tokens_per_s {
        note.push_str(&format!(
            "; at {} stream{} per replica one stream decodes ~{} output tokens/s",
            e.run_at,
            if e.run_at == 1 { "" } else { "s" },
            count(speed)
        ));
    }
    if e.most < e.streams && e.sized_streams.is_none() {
        note.push_str(&format!(
            "; run at {} stream{} per replica, not the saturated {}: {}",
            e.most,
            if e.most == 1 { "" } else { "s" },
            e.streams,
            if e.capped {
                "the deployment's stated concurrency"
            } else {
                "the most whose KV cache holds the longest context"
            }
        ));
    }
    if let Some(k) = e.sized_streams {
        note.push_str(&format!(
            "; sized at {k} stream{} per replica (of {}) to meet the latency requirement",
            if k == 1 { "" } else { "s" },
            e.most
        ));
    }
    note
}
