//! The workload summary of a report (section 2): the model, volume, request
//! or episode shape, tokens, traffic, training, requirements and budget, each
//! as a labelled fact in words.

use crate::format::{count, percent, usd};
use crate::profile::{Shape, Workload};
use crate::report::subject::Subject;
use crate::report::words::{fact, Fact};

/// The workload's figures, one fact a line.
pub(super) fn summary(s: &Subject) -> Vec<Fact> {
    let w = s.workload;
    let unit = s.unit_word();
    let mut facts = vec![fact(
        "Model",
        format!("{} ({} output)", w.model, w.modality),
    )];
    match &w.episode {
        Some(ep) => {
            facts.push(fact(
                "Volume",
                format!("{} episodes/day", count(ep.episodes_per_day)),
            ));
            facts.push(fact(
                "Episode",
                format!(
                    "T = {} turns; P1 = {} initial prompt tokens; Δ = {} tokens added per turn; G = {} tokens generated per turn",
                    ep.turns,
                    count(ep.initial_prompt_tokens),
                    count(ep.context_growth_per_turn),
                    count(ep.generation_tokens)
                ),
            ));
        }
        None => {
            facts.push(fact(
                "Volume",
                format!("{} requests/day", count(s.demand.units_per_day)),
            ));
            if s.demand.tokens_per_unit() > 0.0 {
                facts.push(fact(
                    "Request",
                    format!(
                        "{} input tokens ({} cached), {} output tokens",
                        count(w.input_tokens),
                        percent(w.cached_input_share),
                        count(w.output_tokens)
                    ),
                ));
            }
            if w.batch_share > 0.0 {
                facts.push(fact(
                    "Batch",
                    format!(
                        "{} of requests can wait for a batch tier",
                        percent(w.batch_share)
                    ),
                ));
            }
        }
    }
    if s.demand.tokens_per_unit() > 0.0 {
        facts.push(fact(
            "Tokens",
            format!(
                "{} sent and generated a day ({} per {unit})",
                count(s.result.tokens_per_day),
                count(s.demand.tokens_per_unit())
            ),
        ));
    }
    let peak = s.weights.iter().copied().fold(0.0, f64::max);
    facts.push(fact(
        "Traffic",
        format!(
            "{}; the busiest hour carries {} of the day; dedicated replicas are sized for {} utilization",
            shape_name(w.traffic.shape),
            percent(peak),
            percent(w.traffic.target_utilization)
        ),
    ));
    if w.training_tokens_per_day > 0.0 {
        facts.push(fact(
            "Training",
            format!("{} training tokens/day", count(w.training_tokens_per_day)),
        ));
    }
    facts.push(fact("Requirements", requirements(w)));
    if let Some(b) = w.budget_usd_per_month {
        facts.push(fact("Budget", format!("{}/month", usd(b))));
    }
    facts
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Flat => "flat",
        Shape::BusinessHours => "business hours (80% between 09:00 and 18:00)",
        Shape::Diurnal => "diurnal, peaking at 14:00",
        Shape::Hourly => "hourly weights given in the profile",
    }
}

/// The workload's requirements in words.
pub(super) fn requirements(w: &Workload) -> String {
    let r = &w.requirements;
    let mut parts = Vec::new();
    if !r.compliance.is_empty() {
        parts.push(format!("compliance: {}", r.compliance.join(", ")));
    }
    if r.isolated {
        parts.push("single-tenant (isolated) GPUs".to_string());
    }
    if r.fine_tuned {
        parts.push("serves a fine-tuned LoRA".to_string());
    }
    if let Some(t) = r.max_ttft_ms {
        parts.push(format!("time to first token at most {} ms", count(t)));
    }
    if let Some(v) = r.min_output_tokens_per_s {
        parts.push(format!("at least {} output tokens/s per stream", count(v)));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join("; ")
    }
}
