//! The Recommendation section: the pick and the runner-up with their reasons
//! in numbers, what would flip the pick (price, volume, utilization,
//! requirements), the one metric to watch once live, for a pick over the
//! workload's budget what is within it and, for a scale-to-zero pick, the
//! cold-start plan.

use serde::Serialize;

pub(crate) mod cold_start;
mod watch;

use crate::contract::OfferKind;
use crate::format::{count, percent, usd};
use crate::report::subject::{PricedOffer, Subject};
use crate::report::words::Fact;

/// The primary platform or the runner-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// `Pick` or `Runner-up`.
    pub role: String,
    /// The option's label.
    pub label: String,
    /// The vendor's display name.
    pub vendor: String,
    /// Why, in numbers.
    pub reason: String,
}

/// Section 1 of a workload report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    /// The pick and the runner-up (empty when nothing is eligible).
    pub choices: Vec<Choice>,
    /// Why there is no pick (empty when there is one).
    pub nothing: String,
    /// What each requirement that excludes options costs, one line each.
    pub requirement_costs: Vec<String>,
    /// What the substitute models offer, one line each (empty without substitutes).
    pub substitutes: Vec<String>,
    /// The commitment plans of the pick and the runner-up, one line each.
    pub commitments: Vec<String>,
    /// For a workload that trains: the plans to train and serve, one line each.
    pub train_and_serve: Vec<String>,
    /// What would flip the pick, one line each.
    pub flips: Vec<Fact>,
    /// The one metric to watch once live.
    pub watch: String,
    /// For a scaled pick: who waits, and what removes the wait.
    pub cold_start: Vec<String>,
    /// For a pick over its cold-start allowance: who waits and how long,
    /// shown under the pick (empty otherwise).
    pub cold_start_headline: String,
    /// For a pick over the workload's budget: by how much, and what is
    /// within it, shown under the pick (empty otherwise).
    pub budget_headline: String,
}

/// The Recommendation of one workload.
pub fn recommend(s: &Subject) -> Recommendation {
    let (primary, runner_up) = (s.primary(), s.runner_up());
    let mut choices = Vec::new();
    for (role, p, reason) in [
        ("Pick", primary, &s.result.pick.primary_reason),
        ("Runner-up", runner_up, &s.result.pick.runner_up_reason),
    ] {
        if let Some(p) = p {
            choices.push(Choice {
                role: role.into(),
                label: p.option.label(),
                vendor: p.vendor.name.clone(),
                reason: reason.clone().unwrap_or_default(),
            });
        }
    }
    let requirement_costs: Vec<String> = s
        .result
        .requirement_costs
        .iter()
        .map(|c| c.summary.clone())
        .collect();
    let train_and_serve = train_and_serve(s);
    let substitutes = crate::report::words::substitutes(s.result);
    // A commitment plan of the pick or the runner-up reads beside them.
    let commitments: Vec<String> = [primary.as_ref(), runner_up.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let line = crate::report::words::commitment(p.option)?;
            Some(format!("{}: {line}", p.option.label()))
        })
        .chain(crate::report::words::no_commitment_terms(s.result))
        .collect();
    let Some(p) = primary else {
        return Recommendation {
            choices,
            requirement_costs,
            substitutes,
            commitments,
            train_and_serve,
            nothing: "No option meets every requirement: see Excluded options for why each one fails, and relax a requirement or add a vendor.".into(),
            flips: vec![],
            watch: String::new(),
            cold_start: vec![],
            cold_start_headline: String::new(),
            budget_headline: String::new(),
        };
    };
    let flips = vec![
        Fact {
            label: "Price".into(),
            value: price_flip(&p, runner_up.as_ref()),
        },
        Fact {
            label: "Volume".into(),
            value: volume_flip(s, &p),
        },
        Fact {
            label: "Utilization".into(),
            value: utilization_flip(s, &p),
        },
        Fact {
            label: "Requirements".into(),
            value: requirement_flip(s, &p, runner_up.as_ref()),
        },
    ];
    let watch = watch::watch(s, &p, runner_up.as_ref());
    let plan = s.result.cold_start_plan.as_ref();
    let cold_start = plan
        .map(|p| cold_start::words(p, s.result.unit.arrival_word()))
        .unwrap_or_default();
    let cold_start_headline = plan
        .and_then(|p| cold_start::headline(p, s.result.unit.arrival_word()))
        .unwrap_or_default();
    Recommendation {
        choices,
        requirement_costs,
        substitutes,
        commitments,
        train_and_serve,
        nothing: String::new(),
        flips,
        watch,
        cold_start,
        cold_start_headline,
        budget_headline: crate::report::words::budget::headline(s.result).unwrap_or_default(),
    }
}

/// The cheapest plan to train and serve, and the one-vendor plan with what
/// one contract costs on top.
fn train_and_serve(s: &Subject) -> Vec<String> {
    let Some(plan) = &s.result.train_and_serve else {
        return Vec::new();
    };
    let mut lines = vec![format!("Cheapest: {}", plan.cheapest.summary)];
    match &plan.same_vendor {
        Some(one)
            if one.serving.vendor != plan.cheapest.serving.vendor
                || one.training.vendor != plan.cheapest.training.vendor =>
        {
            lines.push(format!(
                "One vendor: {}; {} more than the cheapest plan",
                one.summary,
                usd(one.usd_per_month - plan.cheapest.usd_per_month)
            ))
        }
        Some(_) => {}
        None => lines.push(
            "One vendor: no vendor offers both training and eligible serving of this model".into(),
        ),
    }
    lines
}

fn price_flip(p: &PricedOffer, r: Option<&PricedOffer>) -> String {
    let Some(r) = r else {
        return "no other vendor has an eligible option: only a new offer or a change of requirements changes the pick.".into();
    };
    let (pm, rm) = (p.option.usd_per_month, r.option.usd_per_month);
    if rm > pm && pm > 0.0 {
        format!(
            "the runner-up wins if the pick's price rises by {} or the runner-up's falls by {} ({} against {} a month).",
            percent(rm / pm - 1.0),
            percent(1.0 - pm / rm),
            usd(rm),
            usd(pm)
        )
    } else {
        "the two cost the same; any price change decides the pick.".into()
    }
}

fn volume_flip(s: &Subject, p: &PricedOffer) -> String {
    let unit = s.unit_word();
    let today = s.demand.units_per_day;
    let per_token = s.per_token_for(&p.option.model);
    if let Some(line) = committed_flip(p) {
        return line;
    }
    if p.option.offer == OfferKind::Dedicated {
        return match (crate::report::words::break_even_band(p.option), per_token) {
            (Some(be), Some(c)) => format!(
                "below {be} {unit}s/day (today: {}), the per-token {} costs less than the pick.",
                count(today),
                c.option.label()
            ),
            (None, Some(c)) if c.option.substitute => format!(
                "the pick never costs less than the per-token {} at any volume; it is picked because the workload prefers {}, not for price.",
                c.option.label(),
                p.option.model
            ),
            (None, Some(c)) => format!(
                "the pick never costs less than the per-token {} at any volume; it is picked for a requirement, not for price.",
                c.option.label()
            ),
            (_, None) => "no per-token offer is eligible, so volume only changes how many replicas the pick needs.".into(),
        };
    }
    let dedicated: Vec<&PricedOffer> = s
        .eligible(OfferKind::Dedicated)
        .filter(|d| d.option.model == p.option.model)
        .collect();
    if dedicated.is_empty() {
        return format!(
            "no eligible dedicated deployment of {}: volume does not change the kind of pick.",
            s.result.model
        );
    }
    let earliest = dedicated
        .iter()
        .filter_map(|d| Some((d, d.option.break_even_units_per_day?)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    match earliest {
        Some((d, be)) if today > 0.0 => format!(
            "above {} {unit}s/day ({} today's {}), {} costs less than per-token pricing.",
            count(be),
            times(be / today),
            count(today),
            d.option.label()
        ),
        Some((d, be)) => format!(
            "above {} {unit}s/day, {} costs less than per-token pricing.",
            count(be),
            d.option.label()
        ),
        None => "no dedicated deployment beats per-token pricing at any volume under this traffic shape.".into(),
    }
}

/// `3.2×` or `0.25×`.
fn times(x: f64) -> String {
    format!("{}×", count(x))
}

/// What flips a committed pick: its plan holds for today's demand curve
/// and pays only over enough of its term.
fn committed_flip(p: &PricedOffer) -> Option<String> {
    let k = p
        .option
        .commitment
        .as_ref()
        .filter(|_| p.option.offer == OfferKind::Committed)?;
    let pays = match k.break_even_months {
        Some(m) => format!(
            "; it pays only if the workload runs at least {} of its {} months",
            count(m),
            k.term_months
        ),
        None => String::new(),
    };
    Some(format!(
        "the commitment is planned for today's demand curve (another volume or shape is planned again){pays}."
    ))
}

fn utilization_flip(s: &Subject, p: &PricedOffer) -> String {
    if p.option.offer == OfferKind::Committed {
        return "the committed replicas are billed every hour, busy or not: the plan commits the level that costs least over today's 24 hours.".into();
    }
    if p.option.offer == OfferKind::Dedicated {
        return match (p.option.utilization, p.option.crossover()) {
            (Some(u), Some(c)) => match c.never_words() {
                Some(never) => format!("the pick runs at {} utilization; {never}.", percent(u)),
                None => format!(
                    "the pick runs at {} utilization; below its {c} crossover, per-token pricing is cheaper.",
                    percent(u)
                ),
            },
            (Some(u), None) => format!(
                "the pick runs at {} utilization; no per-token offer is eligible to cross over to.",
                percent(u)
            ),
            _ => "not applicable.".into(),
        };
    }
    let best = s
        .eligible(OfferKind::Dedicated)
        .filter(|d| d.option.model == p.option.model)
        .filter_map(|d| Some((d, d.option.crossover()?)))
        .min_by(|a, b| a.1.at.total_cmp(&b.1.at));
    match best {
        Some((d, c)) if c.at <= 1.0 => format!(
            "{} beats per-token pricing only when busy more than {} of its billed time; at today's volume it would be {}.",
            d.option.label(),
            percent(c.at),
            d.option.utilization.map_or("unknown".into(), percent)
        ),
        Some((d, c)) => format!(
            "even fully busy, {} costs more per {} than per-token pricing{} {}.",
            d.option.label(),
            s.unit_word(),
            c.hedge(),
            c.never_detail()
        ),
        None => "no eligible dedicated deployment to compare with.".into(),
    }
}

/// Latency and feature facts of an offer: (ttft_ms, output tokens/s, LoRA).
fn facts(p: &PricedOffer) -> (Option<f64>, Option<f64>, bool) {
    let latency = p.offer.latency();
    (
        latency.ttft_ms,
        latency.output_tokens_per_s,
        p.offer.serves_lora(),
    )
}

fn isolated(p: &PricedOffer) -> bool {
    p.offer.isolated()
}

fn requirement_flip(s: &Subject, p: &PricedOffer, r: Option<&PricedOffer>) -> String {
    let Some(r) = r else {
        return "no runner-up to hand the pick to.".into();
    };
    let req = &s.workload.requirements;
    let mut conditions = Vec::new();
    for item in &r.vendor.compliance {
        if !p.vendor.compliance.contains(item) && !req.compliance.contains(item) {
            conditions.push(format!(
                "a need for {item} ({} does not attest it, {} does)",
                p.vendor.name, r.vendor.name
            ));
        }
    }
    if isolated(r) && !isolated(p) && !req.isolated {
        conditions.push("a need for single-tenant GPUs (the runner-up's replicas are isolated, the pick's are not)".into());
    }
    let ((pt, ps, pl), (rt, rs, rl)) = (facts(p), facts(r));
    if rl && !pl && !req.fine_tuned {
        conditions.push(
            "serving a fine-tuned LoRA (the runner-up serves one at its price, the pick does not)"
                .into(),
        );
    }
    match (pt, rt) {
        (Some(pt), Some(rt)) if rt < pt => conditions.push(format!(
            "a time-to-first-token target below {} ms (the runner-up publishes {} ms)",
            count(pt),
            count(rt)
        )),
        _ => {}
    }
    if let (Some(ps), Some(rs)) = (ps, rs) {
        if rs > ps {
            conditions.push(format!(
                "a speed target above {} output tokens/s (the runner-up publishes {})",
                count(ps),
                count(rs)
            ));
        }
    }
    if conditions.is_empty() {
        "no compliance, isolation, LoRA or latency fact separates the two: only price does.".into()
    } else {
        format!("the runner-up wins on {}.", conditions.join("; on "))
    }
}
