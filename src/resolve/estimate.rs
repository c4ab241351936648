//! The resolve stage's arithmetic: a vendor's deployments of one model for
//! one workload, with the vendor's figures or the capacity estimator's for
//! the workload's input/output mix and latency requirements (their inputs
//! in words are `note.rs`). Pure: profiles and the estimator in, resolved
//! deployments out.

use super::{Estimate, Origin, PerStream, ResolvedDeployment, ThroughputBand};
use crate::capacity::estimate::{AtConcurrency, Query};
use crate::capacity::{fit, Capacity, Engine, EngineOrigin, Estimator, NoFit};
use crate::profile::{Dedicated, Deployment, Vendor, Workload};

/// The estimator and the workload's input/output mix, when both exist.
pub(super) type With<'e> = Option<(&'e Estimator, (f64, f64))>;

/// A vendor's deployments of `model` for one workload: listed rows with
/// the vendor's figures as written, listed rows without them estimated,
/// then, when `dedicated.models` runs the model, one estimated deployment
/// on each GPU sold that has no deployment of the model yet.
pub(super) fn vendor<'a>(
    vendor: &'a Vendor,
    dedicated: &'a Dedicated,
    model: &'a str,
    with: With,
    needs: Needs,
) -> Vec<ResolvedDeployment<'a>> {
    let at = Place { vendor, dedicated };
    let mut out = Vec::new();
    for dep in dedicated.deployments.iter().filter(|x| x.model == model) {
        let resolved = match (dep.prefill_tokens_per_s, dep.decode_tokens_per_s) {
            (Some(prefill), Some(decode)) => Some(at.written(dep, prefill, decode, with, needs)),
            _ => with.and_then(|(e, io)| at.estimated(e, Row::Listed(dep), io, needs)),
        };
        out.extend(resolved);
    }
    let Some((estimator, io)) = with else {
        return out;
    };
    if !dedicated.models.as_ref().is_some_and(|m| m.includes(model)) {
        return out;
    }
    for gpu in dedicated.gpus.keys() {
        if out.iter().any(|x| x.gpu == gpu) {
            continue;
        }
        out.extend(at.estimated(estimator, Row::Made { model, gpu }, io, needs));
    }
    out
}

/// Mean input and output tokens of one call: a request, or one turn of an
/// episode (its mean prompt is P1 + (T − 1)·Δ/2). `None` for a workload
/// that moves no text.
pub(super) fn io_mix(workload: &Workload) -> Option<(f64, f64)> {
    if workload.modality != "text" {
        return None;
    }
    match &workload.episode {
        None => Some((
            workload.input_tokens.max(1.0),
            workload.output_tokens.max(1.0),
        )),
        Some(ep) => Some((
            (ep.initial_prompt_tokens
                + (f64::from(ep.turns) - 1.0) * ep.context_growth_per_turn / 2.0)
                .max(1.0),
            ep.generation_tokens.max(1.0),
        )),
    }
}

/// The longest context one call holds: a request's input + output, or an
/// episode's last turn, P1 + (T − 1)·Δ + G. `None` for a workload that
/// moves no text.
pub(super) fn longest_context(workload: &Workload) -> Option<f64> {
    if workload.modality != "text" {
        return None;
    }
    Some(match &workload.episode {
        None => workload.input_tokens + workload.output_tokens,
        Some(ep) => {
            ep.initial_prompt_tokens
                + (f64::from(ep.turns) - 1.0) * ep.context_growth_per_turn
                + ep.generation_tokens
        }
    })
}

/// What a replica must do for a workload: its latency requirements and
/// the longest context it must hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Needs {
    max_ttft_ms: Option<f64>,
    min_stream_tokens_per_s: Option<f64>,
    context: Option<f64>,
    /// Prompt tokens a request finds in the prefix cache (I ·
    /// `cached_input_share`; 0 for an episode's turn, whose mean prompt
    /// the TTFT is taken at in full).
    cached_prompt: f64,
}

impl Needs {
    pub(super) fn of(workload: &Workload) -> Needs {
        Needs {
            max_ttft_ms: workload.requirements.max_ttft_ms,
            min_stream_tokens_per_s: workload.requirements.min_output_tokens_per_s,
            context: longest_context(workload),
            cached_prompt: match workload.episode {
                None => workload.input_tokens * workload.cached_input_share,
                Some(_) => 0.0,
            },
        }
    }

    /// The time to first token of a request whose cached prefix is not
    /// prefilled again: the estimate's TTFT (taken at the whole prompt)
    /// less the cached tokens at the replica's prefill rate, the same
    /// (input − cached) / prefill a request's replica time is billed at.
    fn ttft_after_cache_ms(&self, ttft_ms: f64, prefill_tokens_per_s: f64) -> f64 {
        (ttft_ms - self.cached_prompt / prefill_tokens_per_s * 1e3).max(0.0)
    }

    /// Why `gpus` × `gpu` running `model` under `engine` cannot hold the
    /// longest context.
    fn no_fit(
        &self,
        with: With,
        (model, engine): (&str, Option<Engine>),
        gpu: &str,
        gpus: u32,
    ) -> Option<NoFit> {
        let context = self.context?;
        match with {
            Some((e, _)) => e.no_fit((model, engine), gpu, gpus, None, (context, 1)),
            None => fit::context(None, model, context),
        }
    }

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

/// A deployment to estimate: a listed row without figures, or one made
/// from `dedicated.models` on a GPU the vendor sells.
#[derive(Debug, Clone, Copy)]
enum Row<'a> {
    Listed(&'a Deployment),
    Made { model: &'a str, gpu: &'a str },
}

/// Where deployments are resolved: one vendor's dedicated terms.
#[derive(Debug, Clone, Copy)]
struct Place<'a> {
    vendor: &'a Vendor,
    dedicated: &'a Dedicated,
}

impl<'a> Place<'a> {
    /// A listed row with the vendor's own figures.
    fn written(
        self,
        dep: &'a Deployment,
        prefill: f64,
        decode: f64,
        with: With,
        needs: Needs,
    ) -> ResolvedDeployment<'a> {
        ResolvedDeployment {
            vendor: self.vendor,
            dedicated: self.dedicated,
            written: Some(dep),
            model: &dep.model,
            gpu: &dep.gpu,
            gpus_per_replica: dep.gpus_per_replica,
            prefill_tokens_per_s: prefill,
            decode_tokens_per_s: decode,
            ttft_ms: dep.ttft_ms,
            output_tokens_per_s: dep.output_tokens_per_s,
            lora: dep.lora,
            deprecated_on: dep.deprecated_on,
            retired_on: dep.retired_on,
            throughput: ThroughputBand::vendor(),
            engine: EngineOrigin::of(dep.engine, self.dedicated.engine),
            per_stream: dep.output_tokens_per_s.map(|tokens_per_s| PerStream {
                streams: None,
                tokens_per_s,
            }),
            slots: None,
            fit: needs.no_fit(
                with,
                (
                    &dep.model,
                    EngineOrigin::of(dep.engine, self.dedicated.engine).engine(),
                ),
                &dep.gpu,
                dep.gpus_per_replica,
            ),
        }
    }

    /// The deployment with the estimator's figures, or `None` when the
    /// model or GPU is not in the catalog or the model does not fit. With
    /// latency requirements, the replica runs at the most streams that
    /// still meet them (its decode rate is that of the smaller batch, so it
    /// needs more replicas); when even one stream cannot, it keeps one
    /// stream's figures and the picker excludes it with them.
    fn estimated(
        self,
        estimator: &Estimator,
        row: Row<'a>,
        (input, output): (f64, f64),
        needs: Needs,
    ) -> Option<ResolvedDeployment<'a>> {
        let engine = EngineOrigin::of(
            match row {
                Row::Listed(dep) => dep.engine,
                Row::Made { .. } => None,
            },
            self.dedicated.engine,
        );
        let (written, model, gpu, gpus) = match row {
            Row::Listed(dep) => (
                Some(dep),
                dep.model.as_str(),
                dep.gpu.as_str(),
                Some(dep.gpus_per_replica),
            ),
            // A made deployment takes the fewest GPUs that hold one stream
            // of the longest context (more than the mean needs, for a long
            // episode), when any count does.
            Row::Made { model, gpu } => (
                None,
                model,
                gpu,
                needs.context.and_then(|ctx| {
                    estimator.gpus_for_context((model, engine.engine()), gpu, None, ctx)
                }),
            ),
        };
        let mut query = Query {
            model: model.to_string(),
            gpu: gpu.to_string(),
            gpus,
            precision: None,
            input_tokens: input,
            output_tokens: output,
            concurrency: None,
            engine: engine.engine(),
        };
        let c = capacity_within_context(estimator, &mut query)?;
        let t = c.throughput.as_ref()?;
        let x = t.output_tokens_per_s;
        query.gpus = Some(c.memory.gpus);
        let at = |k: u32| -> Option<AtConcurrency> {
            let q = Query {
                concurrency: Some(k),
                ..query.clone()
            };
            let mut a = estimator.capacity(&q).ok()?.throughput?.at_concurrency?;
            a.ttft_ms = needs.ttft_after_cache_ms(a.ttft_ms, t.prefill_tokens_per_s);
            Some(a)
        };
        // The saturated batch's KV cache is sized at the mean context; at the
        // full context (an episode's last turn, for an episode) fewer streams
        // may fit: the replica runs the most that do.
        let holds = |k: u32| {
            at(k).is_some()
                && needs.context.is_none_or(|ctx| {
                    estimator
                        .no_fit(
                            (model, engine.engine()),
                            gpu,
                            c.memory.gpus,
                            Some(c.precision),
                            (ctx, k),
                        )
                        .is_none()
                })
        };
        // A row's stated `concurrency` caps the batch: the replica never
        // takes more requests at once.
        let cap = written
            .and_then(|w| w.concurrency)
            .map_or(t.streams, |k| k.clamp(1, t.streams));
        let most = if holds(cap) {
            cap
        } else {
            largest(1, cap, holds)
        };
        let (mut run_at, mut sized) = (most, None);
        if needs.any() {
            let ok = |k: u32| at(k).is_some_and(|a| needs.met(a.ttft_ms, a.stream_tokens_per_s));
            if !ok(most) {
                sized = ok(1).then(|| largest(1, most, ok));
                run_at = sized.unwrap_or(1);
            }
        }
        // The pool runs the replica at `slots` streams and the decode rate
        // is that batch's: the most that fit, fewer where a requirement
        // asks. When not even one stream meets it, the replica is priced
        // as it would run and excluded on one stream's figures.
        let slots = sized.unwrap_or(most);
        let decode = if slots == t.streams {
            t.decode_tokens_per_s
        } else {
            at(slots).map_or(t.decode_tokens_per_s, |a| a.decode_tokens_per_s)
        };
        // The figures at the concurrency the replica is run at: its
        // per-stream speed always, its latency where a requirement asks.
        let run = at(run_at);
        let latency = run.filter(|_| needs.any());
        let (low, high, prefill) = (t.band.low / x, t.band.high / x, t.prefill_tokens_per_s);
        Some(ResolvedDeployment {
            vendor: self.vendor,
            dedicated: self.dedicated,
            written,
            model,
            gpu,
            gpus_per_replica: c.memory.gpus,
            prefill_tokens_per_s: prefill,
            decode_tokens_per_s: decode,
            ttft_ms: latency
                .map(|a| round1(a.ttft_ms))
                .or(written.and_then(|d| d.ttft_ms)),
            output_tokens_per_s: latency
                .map(|a| round1(a.stream_tokens_per_s))
                .or(written.and_then(|d| d.output_tokens_per_s)),
            // Unknown for a made deployment: a bring-your-own-model
            // platform may or may not load adapters.
            lora: written.and_then(|d| d.lora),
            deprecated_on: written.and_then(|d| d.deprecated_on),
            retired_on: written.and_then(|d| d.retired_on),
            throughput: ThroughputBand {
                origin: Origin::Catalog(Box::new(Estimate {
                    basis: t.basis.clone(),
                    model: c.model.clone(),
                    gpu: c.gpu.clone(),
                    gpus: c.memory.gpus,
                    precision: c.precision,
                    output_tokens_per_s: x,
                    band: t.band,
                    streams: t.streams,
                    input_tokens: input,
                    output_tokens: output,
                    sized_streams: sized,
                    most,
                    capped: written.and_then(|w| w.concurrency) == Some(most),
                    run_at,
                    stream_tokens_per_s: run.map(|a| a.stream_tokens_per_s),
                    engine,
                    kernel_upcast: estimator
                        .kernel_upcast((model, engine.engine()), gpu, c.precision)
                        .map(Box::new),
                })),
                low,
                high,
            },
            engine,
            per_stream: run.map(|a| PerStream {
                streams: Some(run_at),
                tokens_per_s: a.stream_tokens_per_s,
            }),
            slots: Some(slots),
            // The concurrency the replica is run at, at the longest
            // context; else an engine that cannot load the weights here.
            fit: needs
                .context
                .and_then(|ctx| {
                    estimator.no_fit(
                        (model, engine.engine()),
                        gpu,
                        c.memory.gpus,
                        Some(c.precision),
                        (ctx, run_at),
                    )
                })
                .or_else(|| estimator.no_kernel((model, engine.engine()), gpu, Some(c.precision))),
        })
    }
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

/// The capacity of `query`, or, where its mean request is longer than the
/// model holds and so fits no replica, of the same request scaled down to
/// the model's context (`query` changed to it): the deployment then
/// resolves, and its fit (at the workload's context) excludes it in words,
/// "needs 1,002,000 context tokens; llama-3.3-70b holds 131,072", where it
/// used to vanish from the options once one stream's KV cache outgrew
/// the node (about 500,000 tokens for Llama 3.3 70B; a second read).
fn capacity_within_context(estimator: &Estimator, query: &mut Query) -> Option<Capacity> {
    if let Some(c) = estimator
        .capacity(query)
        .ok()
        .filter(|c| c.throughput.is_some())
    {
        return Some(c);
    }
    let holds = fit::model_context(Some(estimator), &query.model)?;
    let length = query.input_tokens + query.output_tokens;
    if !length.is_finite() || length <= holds {
        return None;
    }
    let share = holds / length;
    query.input_tokens *= share;
    query.output_tokens *= share;
    estimator
        .capacity(query)
        .ok()
        .filter(|c| c.throughput.is_some())
}
