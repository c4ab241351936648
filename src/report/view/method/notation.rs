//! The workload-wide parts of the Method section: the notation block (the
//! workload's volume and tokens with the symbols every formula uses) and the
//! caveats every reader should know, whatever option they check.

use super::{num, MethodBlock};
use crate::format::{count, percent};
use crate::model::{Unit, DAYS_PER_MONTH};
use crate::report::subject::Subject;

/// The caveats every reader should know.
pub fn caveats(s: &Subject) -> Vec<String> {
    let context = match s.demand.unit {
        Unit::Episode(ep) => format!(
            "the longest prompt of an episode is P1 + (T − 1)·Δ = {} tokens, plus {} generated",
            count(ep.longest_prompt),
            count(ep.generation)
        ),
        Unit::Request { input, output, .. } => format!(
            "each request is {} tokens in and {} out",
            count(input),
            count(output)
        ),
    };
    vec![
        format!("Matched context length: every option is priced for the same prompts ({context}). An offer whose published context is shorter is excluded rather than priced with truncated prompts; an offer with no published context length is assumed to fit, so check it before relying on it."),
        "A dedicated deployment is paid whether busy or idle: its $/month is billed replica-hours times the replica's price, and utilization is only the busy share of them.".into(),
        format!("Check utilization before adding replicas: replicas are sized so that the busiest hour runs at {} of capacity; a deployment at low utilization needs more traffic, not more replicas.", percent(s.workload.traffic.target_utilization)),
        "Replica throughputs (prefill and decode tokens/s) are vendor or benchmark figures, not measurements of this workload; a 20% lower throughput raises a dedicated option's cost by up to 25%.".into(),
        prices(s).into(),
    ]
}

/// Which prices the report uses: committed-use terms only on committed options.
fn prices(s: &Subject) -> &'static str {
    if s.serving()
        .any(|p| p.option.offer == crate::contract::OfferKind::Committed)
    {
        "Prices are list prices on the vendors' public pages as of each vendor's date in Sources, except on the committed options, which are priced on the commitment terms their Commitments line cites; free tiers, taxes and egress are not included."
    } else {
        "Prices are list prices on the vendors' public pages as of each vendor's date in Sources; committed-use discounts, free tiers, taxes and egress are not included."
    }
}

/// The symbols of every formula, with this workload's values.
pub(super) fn notation(s: &Subject) -> MethodBlock {
    let r = s.demand.units_per_day;
    let mut lines = Vec::new();
    match s.demand.unit {
        Unit::Request {
            input,
            cached,
            output,
        } => {
            lines.push(format!(
                "R = {} requests/day; I = {} input tokens, of which C = I · cached_input_share = {} · {} = {} hit a prefix cache; O = {} output tokens per request.",
                count(r),
                num(input),
                num(input),
                num(s.workload.cached_input_share),
                num(cached),
                num(output)
            ));
            lines.push(format!(
                "Tokens a day (the denominator of every $/M tokens) = R · (I + O) = {} · ({} + {}) = {}.",
                count(r),
                num(input),
                num(output),
                count(s.result.tokens_per_day)
            ));
        }
        Unit::Episode(ep) => {
            lines.push(format!(
                "R = {} episodes/day of T = {} turns; P1 = {} initial prompt tokens, Δ = {} tokens added per turn, G = {} tokens generated per turn.",
                count(r),
                num(ep.turns),
                num(ep.initial_prompt),
                num(ep.growth),
                num(ep.generation)
            ));
            lines.push(format!(
                "Prompt tokens sent per episode S = T·P1 + Δ·T(T − 1)/2 = {}·{} + {}·{}·{}/2 = {}.",
                num(ep.turns),
                num(ep.initial_prompt),
                num(ep.growth),
                num(ep.turns),
                num(ep.turns - 1.0),
                num(ep.sent)
            ));
            lines.push(format!(
                "Unique prompt tokens U = P1 + (T − 1)·Δ = {} + {}·{} = {}; decoded tokens D = T·G = {}·{} = {}.",
                num(ep.initial_prompt),
                num(ep.turns - 1.0),
                num(ep.growth),
                num(ep.unique),
                num(ep.turns),
                num(ep.generation),
                num(ep.decoded)
            ));
            lines.push(format!(
                "Tokens a day (the denominator of every $/M tokens) = R · (S + D) = {} · ({} + {}) = {}.",
                count(r),
                num(ep.sent),
                num(ep.decoded),
                count(s.result.tokens_per_day)
            ));
        }
    }
    lines.push(format!(
        "One month = 365/12 = {} days; $/month = $/day · 365/12.",
        num(DAYS_PER_MONTH)
    ));
    lines.push("Effective $/M tokens = $/day ÷ tokens a day · 10⁶, the same denominator for every option, so they compare.".into());
    MethodBlock {
        title: "Notation".into(),
        lines,
    }
}
