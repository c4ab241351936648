//! The capacity of one replica for a workload: does the model fit (with the
//! memory breakdown), on how many GPUs, its saturated output tokens/s for
//! the workload's input/output mix split into prefill and decode rates, the
//! band that the calibration error puts around it, and at a concurrency the
//! per-stream speed and time to first token. A measured point for the exact
//! configuration replaces the estimate. The engine drives the figures;
//! with none named they are vLLM's and the band spans every engine's.

use std::sync::Arc;

use super::asked::{check_numbers, check_precision, default_precision};
pub use super::band::{widened, Band, Unseen};
use super::calibrate::{ErrorStats, GroupFit, GroupKey};
use super::catalog::{Architecture, Gpu, MeasuredSeries, Point, Precision};
use super::layout::Layout;
use super::memory::{fit, smallest_fit, MemoryFit, Stored};
use super::roofline::{Efficiency, RooflineReplica};
use super::serving::Engine;
use super::Estimator;

/// A question to the estimator.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Model: canonical id or alias.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// GPUs per replica; `None`: the smallest count that fits.
    pub gpus: Option<u32>,
    /// Precision; `None`: the lowest published one the GPU computes natively.
    pub precision: Option<Precision>,
    /// Mean input tokens per request.
    pub input_tokens: f64,
    /// Mean output tokens per request.
    pub output_tokens: f64,
    /// Streams per replica to report per-stream figures at.
    pub concurrency: Option<u32>,
    /// The serving engine; `None`: vLLM's figures, the band spanning every engine.
    pub engine: Option<Engine>,
}

/// Where a figure comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// A measured point for this exact configuration.
    Measured {
        /// MeasuredSeries id.
        series: String,
        /// Its source.
        source: String,
    },
    /// The roofline with fitted efficiencies.
    Estimated {
        /// The group whose points fitted them.
        group: GroupKey,
        /// MeasuredSeries ids the factors were fitted on (the calibration's list,
        /// shared: a resolved deployment keeps its estimate's basis).
        series: Arc<[String]>,
        /// Leave-one-out error of that fit.
        error: ErrorStats,
        /// The factors.
        efficiency: Efficiency,
        /// What the group has not seen of this query, which widened the band.
        unseen: Unseen,
        /// The relative error the band is built on (the group's p90, or
        /// the transfer error of what it has not seen, whichever is larger).
        band_error: f64,
    },
}

/// Per-stream figures at a concurrency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtConcurrency {
    /// Streams per replica.
    pub concurrency: u32,
    /// Streams the engine decodes at once: the concurrency, at most the
    /// saturated batch (the engine's limit or its KV room); the rest wait
    /// for a slot.
    pub running: u32,
    /// Output tokens per second of one stream while it decodes (1 / TPOT).
    pub stream_tokens_per_s: f64,
    /// Its band.
    pub stream_band: Band,
    /// Time to first token, ms, a wait for a slot included.
    pub ttft_ms: f64,
    /// Output tokens per second of the replica at this concurrency.
    pub output_tokens_per_s: f64,
    /// Output tokens per second of its decode batch alone (K / step time).
    pub decode_tokens_per_s: f64,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Canonical model id.
    pub model: String,
    /// GPU id.
    pub gpu: String,
    /// Precision of the weights.
    pub precision: Precision,
    /// The GPU has tensor cores for that precision (else 16-bit compute).
    pub native_compute: bool,
    /// Memory of the replica (KV cache sized for the concurrency asked, or one stream).
    pub memory: MemoryFit,
    /// Figures, when the model fits.
    pub throughput: Option<Throughput>,
}

/// Throughput of a replica that fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Throughput {
    /// Streams at saturation (KV room or the scheduler's ceiling).
    pub streams: u32,
    /// Output tokens/s of the saturated replica for the I/O mix.
    pub output_tokens_per_s: f64,
    /// Its band.
    pub band: Band,
    /// Input tokens/s the replica prefills when it does nothing else.
    pub prefill_tokens_per_s: f64,
    /// Output tokens/s of the saturated decode batch.
    pub decode_tokens_per_s: f64,
    /// Figures at the concurrency asked.
    pub at_concurrency: Option<AtConcurrency>,
    /// Measured or estimated.
    pub basis: Basis,
    /// The engine the figures are for; `None`: vLLM's figures, the band
    /// spanning every engine's.
    pub engine: Option<Engine>,
}

/// Why the estimator cannot answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// No such model.
    #[error("no model `{0}` in catalog/architectures.yaml; known: {1}")]
    UnknownModel(String, String),
    /// No such GPU.
    #[error("no GPU `{0}` in catalog/gpus.yaml; known: {1}")]
    UnknownGpu(String, String),
    /// The precision is not published for the model.
    #[error("{0} is published in {1}, not {2}")]
    Precision(String, String, String),
    /// Nonsense numbers.
    #[error("{0}")]
    Invalid(String),
}

impl Estimator {
    /// Answers a query. With no engine stated: vLLM's answer (its
    /// precision, memory, batch and measured points), marked as no engine,
    /// its bands spanning every engine's own answer on the same GPUs: the
    /// span of `--engine vllm`, `sglang` and `trtllm` by construction.
    /// (Until 2026-12-08 the other engines' figures were taken on vLLM's
    /// precision and memory, each widened by the error of the engine the
    /// group had not measured: Llama 3.3 70B on 8 × H100 spanned 7,620 to
    /// 114,640 output tokens/s.)
    pub fn capacity(&self, q: &Query) -> Result<Capacity, QueryError> {
        let (arch, gpu) = self.model_and_gpu(q)?;
        check_precision(arch, q.precision)?;
        check_numbers(q, gpu)?;
        let of = |engine: Engine, gpus: Option<u32>| {
            self.answer(&Asked {
                arch,
                gpu,
                q,
                engine,
                gpus,
            })
        };
        let (precision, memory, mut throughput) = of(q.engine.unwrap_or(Engine::Vllm), q.gpus)?;
        if let (None, Some(t)) = (q.engine, throughput.as_mut()) {
            span_the_engines(t, |e| of(e, Some(memory.gpus)));
        }
        Ok(Capacity {
            model: arch.id.clone(),
            gpu: gpu.id.clone(),
            precision,
            native_compute: gpu.tflops(arch.compute_precision(precision)).1,
            memory,
            throughput,
        })
    }

    /// The model and GPU asked, or why not.
    fn model_and_gpu(&self, q: &Query) -> Result<(&Architecture, &Gpu), QueryError> {
        let arch = self.catalog.architecture(&q.model).ok_or_else(|| {
            let ids: Vec<&str> = self
                .catalog
                .architectures
                .iter()
                .map(|a| a.id.as_str())
                .collect();
            QueryError::UnknownModel(q.model.clone(), ids.join(", "))
        })?;
        let gpu = self.catalog.gpu(&q.gpu).ok_or_else(|| {
            let ids: Vec<&str> = self.catalog.gpus.iter().map(|g| g.id.as_str()).collect();
            QueryError::UnknownGpu(q.gpu.clone(), ids.join(", "))
        })?;
        Ok((arch, gpu))
    }

    /// One engine's precision, memory and figures.
    fn answer(&self, a: &Asked<'_>) -> Result<Answer, QueryError> {
        let (arch, gpu, q) = (a.arch, a.gpu, a.q);
        let precision = q
            .precision
            .unwrap_or_else(|| default_precision(arch, gpu, Some(a.engine)));
        let (i, o) = (q.input_tokens, q.output_tokens);
        // The memory holds the streams that run at once: past the engine's
        // batch limit the rest queue and hold no KV cache.
        let batch_limit = a.engine.max_sequences(gpu);
        let streams = q.concurrency.map_or(1, |k| k.min(batch_limit));
        let stored = Stored::by(Some(a.engine), precision);
        let memory = match a.gpus {
            Some(n) => fit(arch, gpu, n, stored, i + o, streams),
            None => smallest_fit(arch, gpu, stored, i + o, streams).unwrap_or_else(|m| m),
        };
        let replica = RooflineReplica {
            arch,
            gpu,
            gpus: memory.gpus,
            precision,
            engine: a.engine,
            layout: Layout::tensor(memory.gpus),
        };
        let factors = self
            .calibration
            .factors(&gpu.family, precision, arch.experts.is_some())
            .ok_or_else(|| {
                QueryError::Invalid("the catalog has no measured points to calibrate on".into())
            })?;
        let throughput = memory
            .fits()
            .then(|| self.throughput(&replica, &memory, q, factors));
        Ok((precision, memory, throughput))
    }

    fn throughput(
        &self,
        r: &RooflineReplica<'_>,
        memory: &MemoryFit,
        q: &Query,
        (key, group): (&GroupKey, &GroupFit),
    ) -> Throughput {
        let (i, o) = (q.input_tokens, q.output_tokens);
        let e = group.efficiency;
        let saturated = |r: &RooflineReplica<'_>| {
            let streams = r.max_streams(memory, i + o / 2.0);
            (streams, r.shape(i, o, f64::from(streams)))
        };
        let (streams, shape) = saturated(r);
        let estimate = shape.output_tokens_per_s(e);
        let unseen = self.unseen(r.arch, &r.gpu.family, group, Some(r.engine), r.gpus);
        let band_error = self.band_error(r.arch, group, unseen);
        let band = Band::around(estimate, band_error);
        let measured = self.measured(r, Some(r.engine), i, o);
        let (output, band, basis, scale, engine) = match measured {
            Some((s, p)) => (
                p.output_tokens_per_s,
                Band {
                    low: p.output_tokens_per_s,
                    high: p.output_tokens_per_s,
                },
                Basis::Measured {
                    series: s.id.clone(),
                    source: s.source.clone(),
                },
                p.output_tokens_per_s / estimate,
                Engine::of_series(&s.engine),
            ),
            None => (
                estimate,
                band,
                Basis::Estimated {
                    group: key.clone(),
                    series: group.series.clone(),
                    error: group.error,
                    efficiency: e,
                    unseen,
                    band_error,
                },
                1.0,
                Some(r.engine),
            ),
        };
        let at_concurrency = q.concurrency.map(|k| {
            // Past the saturated batch the engine decodes `running` at
            // once and the rest queue: with k kept in flight, a request
            // waits (k − running) requests' worth of the replica's rate
            // (Little's law) before its prefill. A measured point's scale
            // applies to every rate and time, as to the saturated ones.
            let running = k.min(streams);
            let s = r.shape(i, o, f64::from(running));
            let stream = scale / s.tpot_s(e);
            let step = s.step_s(e) / scale;
            let output = s.output_tokens_per_s(e) * scale;
            let queued_s = f64::from(k - running) * o / output;
            AtConcurrency {
                concurrency: k,
                running,
                stream_tokens_per_s: stream,
                stream_band: Band::around(stream, band_error),
                ttft_ms: (s.prefill_time_s(e) / scale + step + queued_s) * 1e3,
                output_tokens_per_s: output,
                decode_tokens_per_s: f64::from(running) / step,
            }
        });
        Throughput {
            streams,
            output_tokens_per_s: output,
            band,
            // Scaled with a measured point so that I/prefill + O/decode
            // gives the measured request time.
            prefill_tokens_per_s: i / shape.prefill_time_s(e) * scale,
            decode_tokens_per_s: f64::from(streams) / shape.step_s(e) * scale,
            at_concurrency,
            basis,
            engine,
        }
    }

    /// A saturated measured point of this exact configuration (the
    /// engine asked, or any), lengths within 10%.
    fn measured(
        &self,
        r: &RooflineReplica<'_>,
        engine: Option<Engine>,
        i: f64,
        o: f64,
    ) -> Option<(&MeasuredSeries, &Point)> {
        let near = |a: f64, b: f64| (a - b).abs() <= 0.1 * b;
        self.catalog
            .series
            .iter()
            .filter(|s| {
                s.gpus == r.gpus
                    && s.precision == r.precision
                    && s.model == r.arch.id
                    && s.gpu == r.gpu.id
                    && engine.is_none_or(|e| Engine::of_series(&s.engine) == Some(e))
            })
            .flat_map(|s| s.points.iter().map(move |p| (s, p)))
            .find(|(_, p)| {
                p.concurrency.is_none() && near(i, p.input_tokens) && near(o, p.output_tokens)
            })
    }
}

/// What one engine answers: the precision it runs, the memory, the
/// figures when the model fits.
type Answer = (Precision, MemoryFit, Option<Throughput>);

/// A query whose model and GPU are found, put to one engine on `gpus`.
struct Asked<'a> {
    arch: &'a Architecture,
    gpu: &'a Gpu,
    q: &'a Query,
    engine: Engine,
    gpus: Option<u32>,
}

/// vLLM's figures `t` made the no-engine answer: marked as no engine
/// where estimated, its bands spanning the other engines' own answers.
fn span_the_engines(t: &mut Throughput, other: impl Fn(Engine) -> Result<Answer, QueryError>) {
    if matches!(t.basis, Basis::Estimated { .. }) {
        t.engine = None;
    }
    for engine in [Engine::Sglang, Engine::Trtllm] {
        let Some(o) = other(engine).ok().and_then(|(_, _, o)| o) else {
            continue;
        };
        t.band = t.band.span(o.band);
        if let (Some(a), Some(b)) = (t.at_concurrency.as_mut(), o.at_concurrency) {
            a.stream_band = a.stream_band.span(b.stream_band);
        }
    }
}
