//! The checks of a workload profile (load stage): the model and its
//! substitutes, volume, lengths, requirements and the traffic shape, each
//! problem at its field path ([`super::Checker`]).

use super::{Checker, Problem, COMPLIANCE, MIN_NUMBER, MODALITIES};
use crate::profile::{Shape, Workload};

/// Each substitute an id, neither the first choice nor listed twice.
fn substitutes(c: &mut Checker, w: &Workload) {
    for (i, m) in w.substitutes.iter().enumerate() {
        let path = format!("substitutes[{i}]");
        c.id(&path, m);
        if *m == w.model {
            c.fail(
                path,
                format!("`{m}` is the workload's `model`; list only the models that would also do"),
            );
        } else if w.substitutes[..i].contains(m) {
            c.fail(path, format!("`{m}` is listed twice"));
        }
    }
}

/// Problems in a workload profile read from a file with stem `stem`.
pub(crate) fn workload(w: &Workload, stem: &str) -> Vec<Problem> {
    let mut c = Checker::default();
    c.id("workload", &w.workload);
    c.matches_stem("workload", &w.workload, stem);
    c.id("model", &w.model);
    substitutes(&mut c, w);
    c.one_of("modality".into(), &w.modality, MODALITIES);
    match (&w.requests_per_day, &w.episode) {
        (Some(r), None) => c.volume("requests_per_day", *r, "requests"),
        (None, Some(ep)) => {
            c.volume("episode.episodes_per_day", ep.episodes_per_day, "episodes");
            if ep.turns == 0 {
                c.fail("episode.turns", "expected at least 1 turn");
            }
            c.non_negative("episode.initial_prompt_tokens", ep.initial_prompt_tokens);
            c.non_negative(
                "episode.context_growth_per_turn",
                ep.context_growth_per_turn,
            );
            c.non_negative("episode.generation_tokens", ep.generation_tokens);
            for (field, value) in [
                ("input_tokens", w.input_tokens),
                ("output_tokens", w.output_tokens),
                ("cached_input_share", w.cached_input_share),
                ("batch_share", w.batch_share),
            ] {
                if value != 0.0 {
                    c.fail(
                        field,
                        "does not apply to an episode workload (its shape follows from `episode`)",
                    );
                }
            }
        }
        (Some(_), Some(_)) => c.fail(
            "episode",
            "give either requests_per_day or episode, not both",
        ),
        (None, None) => c.fail(
            "requests_per_day",
            "expected requests_per_day, or an episode",
        ),
    }
    c.non_negative("input_tokens", w.input_tokens);
    c.non_negative("output_tokens", w.output_tokens);
    c.share("cached_input_share", w.cached_input_share);
    c.share("batch_share", w.batch_share);
    c.non_negative("training_tokens_per_day", w.training_tokens_per_day);
    traffic(&mut c, w);
    let r = &w.requirements;
    for (i, item) in r.compliance.iter().enumerate() {
        c.one_of(format!("requirements.compliance[{i}]"), item, COMPLIANCE);
    }
    if let Some(t) = r.max_ttft_ms {
        c.positive("requirements.max_ttft_ms", t);
    }
    if let Some(s) = r.min_output_tokens_per_s {
        c.positive("requirements.min_output_tokens_per_s", s);
    }
    if let Some(s) = r.max_cold_start_share {
        c.share("requirements.max_cold_start_share", s);
    }
    if let Some(b) = w.budget_usd_per_month {
        c.non_negative("budget_usd_per_month", b);
    }
    c.problems
}

fn traffic(c: &mut Checker, w: &Workload) {
    let t = &w.traffic;
    let u = t.target_utilization;
    if !(u > 0.0 && u <= 1.0) {
        c.fail(
            "traffic.target_utilization",
            format!("expected a share above 0 and at most 1, found {u}"),
        );
    } else if u < MIN_NUMBER {
        // Replicas needed = load / target_utilization: a tiny share is an infinite need.
        c.fail(
            "traffic.target_utilization",
            format!("expected a share of at least {MIN_NUMBER:e} and at most 1, found {u:e}"),
        );
    }
    match (t.shape, t.hourly.len()) {
        (Shape::Hourly, 24) => {
            for (h, weight) in t.hourly.iter().enumerate() {
                c.non_negative(format!("traffic.hourly[{h}]"), *weight);
            }
            let sum: f64 = t.hourly.iter().sum();
            if sum.is_nan() || sum <= 0.0 {
                c.fail("traffic.hourly", "expected weights with a positive sum");
            }
        }
        (Shape::Hourly, n) => c.fail(
            "traffic.hourly",
            format!("expected 24 hourly weights, found {n}"),
        ),
        (_, 0) => {}
        (_, _) => c.fail("traffic.hourly", "applies only to shape: hourly"),
    }
}
