//! The sentences of the verdicts: the one place each exclusion, flag and
//! requirement becomes words. Every renderer (the JSON contract, the
//! Markdown and HTML report, the terminal table, the diff) shows these.

use std::fmt::{self, Display, Formatter};

use super::{
    Exclusion, Flag, Method, PoolCheck, Requirement, ThroughputOrigin, Unknown,
    MIN_ARRIVALS_TO_REBILL,
};
use crate::capacity::{KernelGap, NoFit};
use crate::format::{count, percent, usd};
use crate::profile::ids::compliance_name;

/// The contract's key: `compliance:hipaa`, `isolated`, `fit`, …
impl Display for Requirement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Requirement::Compliance(item) => write!(f, "compliance:{item}"),
            other => f.write_str(other.group()),
        }
    }
}

impl Display for Unknown {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Unknown::Compliance { item, vendor } => write!(
                f,
                "{} not verified: no source found for {vendor}",
                compliance_name(item)
            ),
            Unknown::Isolation { vendor } => write!(
                f,
                "isolation not verified: no source found for {vendor}'s dedicated replicas"
            ),
            Unknown::LoraAtBaseRate => f.write_str(
                "LoRA at the base rate not verified: no source found for this per-token offer",
            ),
            Unknown::LoraServing => {
                f.write_str("LoRA serving not verified: no source found for this deployment")
            }
            Unknown::GpuPrice { vendor, gpu } => write!(
                f,
                "{vendor}'s {gpu} price not verified: its profile marks the rate a placeholder"
            ),
        }
    }
}

impl Display for Exclusion {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::NotOffered {
                item,
                vendor,
                source,
            } => write!(
                f,
                "{vendor} does not offer {} ({source})",
                compliance_name(item)
            ),
            Exclusion::Unverified(u) => write!(f, "{u} (--allow-unverified admits it)"),
            Exclusion::SharesHardware { vendor } => {
                write!(f, "{vendor} states its dedicated replicas share hardware")
            }
            Exclusion::SharedInfrastructure => {
                f.write_str("shared infrastructure; the workload needs isolated GPUs")
            }
            Exclusion::NoLoraAtBaseRate => {
                f.write_str("no fine-tuned LoRA at the base rate on this per-token offer")
            }
            Exclusion::NoLoraServing => f.write_str("this deployment does not serve LoRA adapters"),
            Exclusion::NoFineTunedPredictions => {
                f.write_str("no fine-tuned models on this per-prediction offer")
            }
            Exclusion::Context { needed, accepts } => write!(
                f,
                "needs {} context tokens; this offer accepts {}",
                count(*needed),
                count(*accepts)
            ),
            Exclusion::NoFit(no) => no.fmt(f),
            Exclusion::Modality { modality } => write!(f, "does not produce {modality} output"),
            Exclusion::Ttft { ms, max_ms } => write!(
                f,
                "time to first token {ms} ms exceeds the required {max_ms} ms"
            ),
            Exclusion::ColdStarts { share, max_share } => write!(
                f,
                "{} of requests wait for a cold start, above the {} a TTFT requirement allows",
                percent(*share),
                percent(*max_share)
            ),
            Exclusion::OutputSpeed {
                tokens_per_s,
                min,
                derived_on: Some((gpus, gpu)),
            } => write!(
                f,
                "one stream decodes at most ~{tokens_per_s} output tokens/s on {gpus}×{gpu} for this model, below the required {min}"
            ),
            Exclusion::OutputSpeed {
                tokens_per_s, min, ..
            } => write!(
                f,
                "{tokens_per_s} output tokens/s is below the required {min}"
            ),
            Exclusion::TooManyReplicas { peak, most } => write!(
                f,
                "needs more than {} replicas at peak ({}); infercost prices at most {} replicas of one deployment",
                count(f64::from(*most)),
                if *peak == u32::MAX {
                    "over 4.29 billion".to_string()
                } else {
                    count(f64::from(*peak))
                },
                count(f64::from(*most)),
            ),
            Exclusion::Retired { on } => write!(f, "retired on {on}"),
        }
    }
}

impl Display for Flag {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Flag::UnverifiedLatency { ttft, speed } => {
                let missing: Vec<&str> = [(*ttft, "time to first token"), (*speed, "output speed")]
                    .into_iter()
                    .filter_map(|(missing, what)| missing.then_some(what))
                    .collect();
                write!(
                    f,
                    "unverified latency: no published {}",
                    missing.join(" or ")
                )
            }
            Flag::OverBudget {
                usd_per_month,
                budget,
            } => write!(
                f,
                "over budget ({}/month against {})",
                usd(*usd_per_month),
                usd(*budget)
            ),
            Flag::Deprecated { on } => write!(f, "deprecated on {on}"),
            Flag::Retires { on } => write!(f, "retires on {on}"),
            Flag::Admitted(u) => write!(f, "{u}; admitted by --allow-unverified"),
            Flag::Stale { as_of } => write!(f, "stale prices (as of {as_of})"),
            Flag::Throughput(ThroughputOrigin::Estimated) => {
                f.write_str("estimated throughput (capacity catalog; see Method)")
            }
            Flag::Throughput(ThroughputOrigin::Measured) => {
                f.write_str("measured throughput (capacity catalog)")
            }
            Flag::Throughput(ThroughputOrigin::Vendor) => {
                f.write_str("the vendor's throughput figures")
            }
            Flag::Pool(check) => check.fmt(f),
            Flag::PoolClosedForm => write!(f, "pool billed by its closed form, not simulated"),
            Flag::PoolOutsideCheckedRange { idle_timeout_s } => {
                let (low, high) = crate::model::pool::CHECKED_IDLE_TIMEOUT_S;
                write!(
                    f,
                    "idle timeout {} s, outside the {low:.0}–{high:.0} s the pool's closed form is checked on: its bill may be far off (`infercost simulate` bills it by simulation)",
                    crate::format::count(*idle_timeout_s)
                )
            }
            Flag::YourPrice { file, line } => {
                write!(f, "your price, from {file} (line {line})")
            }
        }
    }
}

impl Display for PoolCheck {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let PoolCheck {
            billed_by,
            days,
            seed,
            bound: bound_share,
            difference,
            arrivals,
            noise,
        } = *self;
        let sign = if difference >= 0.0 { "+" } else { "−" };
        let signed = format!("{sign}{}", percent(difference.abs()));
        // A whole percent, as the Method states it: `3%`.
        let bound = format!("{}%", (bound_share * 100.0).round());
        let within = difference.abs() <= bound_share;
        match billed_by {
            Method::ClosedForm if within => write!(
                f,
                "pool checked by simulation ({days} days, seed {seed}): the closed form is within {bound} ({signed})"
            ),
            Method::ClosedForm if arrivals < MIN_ARRIVALS_TO_REBILL => write!(
                f,
                "pool checked by simulation ({days} days, seed {seed}): the closed form is {signed} off, but {} arrivals are too few to bill by ({} needed); billed by the closed form",
                count(arrivals as f64),
                count(MIN_ARRIVALS_TO_REBILL as f64)
            ),
            Method::ClosedForm => write!(
                f,
                "pool checked by simulation ({days} days, seed {seed}): the closed form is {signed} off, within {bound} plus the simulation's own ±{}; billed by the closed form",
                percent(noise)
            ),
            Method::Simulation => write!(
                f,
                "billed by the pool simulation ({days} days, seed {seed}): the closed form is {signed} off, beyond {bound}"
            ),
        }
    }
}

/// Sentences joined as the report and the terminal table show them: `a; b`.
pub fn joined<T: Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl Display for NoFit {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            NoFit::Context {
                needed,
                model,
                holds,
            } => write!(
                f,
                "needs {} context tokens; {model} holds {}",
                count(*needed),
                count(*holds)
            ),
            NoFit::KvCache {
                streams,
                context,
                needed_gb,
                room_gb,
                gpus,
                gpu,
            } => write!(
                f,
                "the KV cache of {} {}-token stream{} needs {needed_gb:.1} GB; {gpus}×{gpu} has {room_gb:.1} GB left after the weights and the runtime's reserve",
                if *streams == 1 { "one".to_string() } else { count(f64::from(*streams)) },
                count(*context),
                if *streams == 1 { "" } else { "s" },
            ),
            NoFit::NoKernel {
                model,
                precision,
                gpu,
                engine,
                gap,
            } => match gap {
                KernelGap::QuantizedOnTuring => write!(
                    f,
                    "{model}'s {} weights have no kernel on the {gpu} (Turing) in {}: 8- and 4-bit weight kernels need an Ampere or newer GPU",
                    precision.id(),
                    engine.name()
                ),
                KernelGap::TrtllmFp8OnAmpere => write!(
                    f,
                    "TensorRT-LLM runs {model}'s fp8 weights on Ada, Hopper and Blackwell GPUs, not on the {gpu} (Ampere)"
                ),
                KernelGap::TrtllmFp4BeforeHopper => write!(
                    f,
                    "TensorRT-LLM runs {model}'s fp4 weights on Hopper and Blackwell GPUs, not on the {gpu}"
                ),
                KernelGap::TrtllmOffNvidia => write!(
                    f,
                    "TensorRT-LLM runs on NVIDIA GPUs only, not on the {gpu}"
                ),
            },
        }
    }
}
