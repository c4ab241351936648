//! The Method section: every formula of the cost model (`docs/design.md`)
//! written out with this workload's numbers, for the options a reader is most
//! likely to check, plus the inputs of every option, so that any figure of
//! the report can be redone by hand. Intermediate figures keep four
//! significant digits (`num`); results are money as `crate::format` writes it.

use serde::Serialize;

use super::subject::{Priced, Subject};
use crate::contract::OfferKind;
use crate::format::{count, percent, usd};
use crate::model::dedicated::{self, Replica};
use crate::model::{Unit, DAYS_PER_MONTH};
use crate::price::Offer;
use crate::profile::{Scaling, ServerlessOffer};

/// A titled list of worked formulas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MethodBlock {
    /// What the block works out.
    pub title: String,
    /// One formula a line, with the numbers put in.
    pub lines: Vec<String>,
}

/// A number with four significant digits (thousands grouped from 1,000 up),
/// for figures inside formulas.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let a = x.abs();
    if a >= 1000.0 {
        return count(x);
    }
    if a == 0.0 {
        return "0".into();
    }
    let decimals = (3 - a.log10().floor() as i32).clamp(0, 14) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Money inside a formula: `$` and four significant digits.
fn money(x: f64) -> String {
    if x < 0.0 {
        format!("-${}", num(-x))
    } else {
        format!("${}", num(x))
    }
}

/// The worked formulas of a workload.
pub fn blocks(s: &Subject) -> Vec<MethodBlock> {
    let mut blocks = vec![notation(s)];
    for (role, p) in worked_options(s) {
        blocks.push(MethodBlock {
            title: format!("{} ({role})", p.option.label()),
            lines: worked(s, &p),
        });
    }
    if let Some(t) = s
        .options
        .iter()
        .find(|p| p.option.offer == OfferKind::Training)
    {
        if let Offer::Training(o) = t.offer {
            let tokens = s.workload.training_tokens_per_day;
            blocks.push(MethodBlock {
                title: format!("{} (training, cheapest)", t.option.label()),
                lines: vec![
                    format!(
                        "$/day = training tokens/day · train rate/10⁶ = {} · {}/10⁶ = {}",
                        count(tokens),
                        money(o.train_usd_per_mtok),
                        usd(t.option.usd_per_day)
                    ),
                    format!("$/month = $/day · 365/12 = {}", usd(t.option.usd_per_month)),
                    "Training options are listed, not picked: the pick is about serving.".into(),
                ],
            });
        }
    }
    blocks.push(MethodBlock {
        title: "Inputs of every option".into(),
        lines: s.serving().map(|p| inputs(s, p)).collect(),
    });
    blocks.push(MethodBlock {
        title: "The pick".into(),
        lines: vec![
            "An option is excluded when it lacks the model or modality, a required compliance item, isolation or LoRA serving, has too short a context, or publishes latency figures that break a requirement; a missing latency figure is flagged \"unverified\", not excluded, and an over-budget option is flagged.".into(),
            "Pick = the cheapest eligible serving option; where the workload has a latency requirement, options whose published figures meet it come before unverified ones. Runner-up = the next such option from another vendor.".into(),
            "Options with the same $/month are ordered by vendor, offer, GPU and tier, so the order never changes from run to run.".into(),
        ],
    });
    blocks
}

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
        "Prices are list prices on the vendors' public pages as of each vendor's date in Sources; committed-use discounts, free tiers, taxes and egress are not included.".into(),
    ]
}

/// The primary, runner-up, cheapest eligible per-token and dedicated options, once each.
fn worked_options<'a>(s: &Subject<'a>) -> Vec<(&'static str, Priced<'a>)> {
    let eligible = |kind: OfferKind| {
        s.serving()
            .find(|p| p.option.eligible && p.option.offer == kind)
            .copied()
    };
    let candidates = [
        ("pick", s.primary()),
        ("runner-up", s.runner_up()),
        (
            "cheapest eligible per-token",
            eligible(OfferKind::Serverless),
        ),
        (
            "cheapest eligible dedicated",
            eligible(OfferKind::Dedicated),
        ),
        (
            "cheapest eligible per-prediction",
            eligible(OfferKind::Prediction),
        ),
        ("cheapest option", s.serving().next().copied()),
    ];
    let mut out: Vec<(&'static str, Priced<'a>)> = Vec::new();
    for (role, p) in candidates {
        if let Some(p) = p {
            if !out.iter().any(|(_, q)| std::ptr::eq(q.option, p.option)) {
                out.push((role, p));
            }
        }
    }
    out
}

fn notation(s: &Subject) -> MethodBlock {
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

fn worked(s: &Subject, p: &Priced) -> Vec<String> {
    let o = p.option;
    let r = s.demand.units_per_day;
    let mut lines = match p.offer {
        Offer::Serverless(offer) => per_token_lines(s, offer),
        Offer::Dedicated(d, dep) => dedicated_lines(s, &Replica::of(d, dep), dep.gpus_per_replica),
        Offer::Prediction(offer) => vec![format!(
            "$/day = R · $/prediction = {} · {} = {}",
            count(r),
            money(offer.usd_per_prediction()),
            usd(o.usd_per_day)
        )],
        Offer::Training(_) => vec![],
    };
    lines.push(format!(
        "$/month = $/day · 365/12 = {} · {} = {}",
        money(o.usd_per_day),
        num(DAYS_PER_MONTH),
        usd(o.usd_per_month)
    ));
    if let Some(m) = o.usd_per_mtok {
        lines.push(format!(
            "$/M tokens = $/day ÷ tokens a day · 10⁶ = {} ÷ {} · 10⁶ = {}",
            money(o.usd_per_day),
            count(s.result.tokens_per_day),
            usd(m)
        ));
    }
    lines
}

fn per_token_lines(s: &Subject, o: &ServerlessOffer) -> Vec<String> {
    let r = s.demand.units_per_day;
    let mut lines = Vec::new();
    let unit_cost = crate::model::per_token::usd_per_unit(o, &s.demand);
    match s.demand.unit {
        Unit::Request {
            input,
            cached,
            output,
        } => {
            let base = match o.cached_input_usd_per_mtok {
                Some(rc) => {
                    let cost = ((input - cached) * o.input_usd_per_mtok
                        + cached * rc
                        + output * o.output_usd_per_mtok)
                        / 1e6;
                    lines.push(format!(
                        "cost/request = ((I − C)·r_in + C·r_cached + O·r_out)/10⁶ = (({} − {})·{} + {}·{} + {}·{})/10⁶ = {}",
                        num(input), num(cached), money(o.input_usd_per_mtok), num(cached), money(rc), num(output), money(o.output_usd_per_mtok), money(cost)
                    ));
                    cost
                }
                None => {
                    let cost = (input * o.input_usd_per_mtok + output * o.output_usd_per_mtok) / 1e6;
                    lines.push(format!(
                        "cost/request = (I·r_in + O·r_out)/10⁶ (no cached rate, so C = 0) = ({}·{} + {}·{})/10⁶ = {}",
                        num(input), money(o.input_usd_per_mtok), num(output), money(o.output_usd_per_mtok), money(cost)
                    ));
                    cost
                }
            };
            if let (Some(d), true) = (o.batch_discount, s.demand.batch_share > 0.0) {
                lines.push(format!(
                    "batch tier: × (1 − batch_share · batch_discount) = {} · (1 − {} · {}) = {}",
                    money(base),
                    num(s.demand.batch_share),
                    num(d),
                    money(unit_cost)
                ));
            }
        }
        Unit::Episode(ep) => match o.cached_input_usd_per_mtok.filter(|_| o.cross_turn_cache) {
            Some(rc) => lines.push(format!(
                "cost/episode (cross-turn cache: history at the cached rate, still re-sent every turn) = (U·r_in + (S − U)·r_cached + D·r_out)/10⁶ = ({}·{} + {}·{} + {}·{})/10⁶ = {}",
                num(ep.unique), money(o.input_usd_per_mtok), num(ep.sent - ep.unique), money(rc), num(ep.decoded), money(o.output_usd_per_mtok), money(unit_cost)
            )),
            None => lines.push(format!(
                "cost/episode (every turn re-prefills the whole history) = (S·r_in + D·r_out)/10⁶ = ({}·{} + {}·{})/10⁶ = {}",
                num(ep.sent), money(o.input_usd_per_mtok), num(ep.decoded), money(o.output_usd_per_mtok), money(unit_cost)
            )),
        },
    }
    lines.push(format!(
        "$/day = R · cost/{} = {} · {} = {}",
        s.unit_word(),
        count(r),
        money(unit_cost),
        usd(r * unit_cost)
    ));
    lines
}

fn dedicated_lines(s: &Subject, replica: &Replica, gpus: u32) -> Vec<String> {
    let demand = &s.demand;
    let r = demand.units_per_day;
    let target = s.workload.traffic.target_utilization;
    let sec = replica.seconds_per_unit(&demand.unit);
    let cost = dedicated::price(replica, demand, &s.weights, target);
    let mut lines = vec![match demand.unit {
        Unit::Request { input, cached, output } => format!(
            "s = (I − C)/prefill_tps + O/decode_tps = {}/{} + {}/{} = {} replica-seconds per request",
            num(input - cached), num(replica.prefill_tokens_per_s), num(output), num(replica.decode_tokens_per_s), num(sec)
        ),
        Unit::Episode(ep) => format!(
            "s = U/prefill_tps + D/decode_tps = {}/{} + {}/{} = {} replica-seconds per episode (session affinity keeps the history in the KV cache; decode is counted too)",
            num(ep.unique), num(replica.prefill_tokens_per_s), num(ep.decoded), num(replica.decode_tokens_per_s), num(sec)
        ),
    }];
    lines.push(format!(
        "B = R·s/3600 = {}·{}/3600 = {} busy replica-hours/day",
        count(r),
        num(sec),
        num(cost.busy_replica_hours)
    ));
    let (peak_hour, w_max) =
        s.weights
            .iter()
            .copied()
            .enumerate()
            .fold(
                (0, 0.0),
                |best, (h, w)| if w > best.1 { (h, w) } else { best },
            );
    let load = cost.busy_replica_hours * w_max;
    lines.push(format!(
        "busiest hour ({peak_hour:02}:00) carries w = {} of the day: L = B·w = {} replicas' worth of work; n = ceil(L/{}) = {} replicas",
        num(w_max),
        num(load),
        num(target),
        ((load / target) - 1e-9).ceil().max(0.0)
    ));
    let billed = cost.billed_replica_hours;
    lines.push(match replica.scaling {
        Scaling::AlwaysOn => format!(
            "always on: billed = 24·max(1, max n_h) = 24·{} = {} replica-hours/day",
            cost.replicas_peak,
            num(billed)
        ),
        Scaling::Autoscale => format!(
            "autoscale: billed = Σ_h max(min_replicas, n_h) = Σ_h max({}, n_h) = {} replica-hours/day",
            replica.min_replicas,
            num(billed)
        ),
        Scaling::ScaleToZero => {
            let tau = replica.idle_timeout_s;
            let c = replica.cold_start_s + replica.billing.increment_s() / 2.0;
            let lambda = r * demand.arrivals_per_unit() * w_max / 3600.0;
            let up = 1.0 - 1.0 / ((lambda * tau).exp() + lambda * c);
            format!(
                "scale to zero: billed = Σ_h max(L_h/{}, up_h), up_h = 1 − 1/(e^(λ_h·τ) + λ_h·c) with τ = {} s idle timeout and c = cold start + half a billing increment = {} s; in the busiest hour λ = {}/s, up = {}; over the day billed = {} replica-hours/day",
                num(target), num(tau), num(c), num(lambda), num(up), num(billed)
            )
        }
    });
    if replica.scaling == Scaling::ScaleToZero {
        lines.push(format!(
            "cold starts k_h = 3600·λ_h/(e^(λ_h·τ) + λ_h·c) = {} a day; share of arrivals that wait = Σ_h k_h·(1 + λ_h·cold_start_s) / arrivals a day = {}",
            num(cost.cold_starts_per_day),
            percent(cost.cold_start_share)
        ));
    }
    let per_gpu = replica.usd_per_replica_hour / f64::from(gpus.max(1));
    lines.push(format!(
        "$/replica-hour = gpus_per_replica · $/GPU-hour = {} · {} = {}",
        gpus,
        money(per_gpu),
        money(replica.usd_per_replica_hour)
    ));
    lines.push(format!(
        "$/day = billed · $/replica-hour = {} · {} = {}",
        num(billed),
        money(replica.usd_per_replica_hour),
        usd(cost.usd_per_day)
    ));
    if billed > 0.0 {
        lines.push(format!(
            "utilization = B/billed = {}/{} = {}",
            num(cost.busy_replica_hours),
            num(billed),
            percent(cost.utilization)
        ));
    }
    if let Some(c) = s.cheapest_per_token() {
        let a = c.option.usd_per_unit.unwrap_or(0.0);
        if a > 0.0 {
            let x = replica.usd_per_unit_at_full_load(&demand.unit) / a;
            lines.push(format!(
                "crossover u* = (s/3600 · $/replica-hour) / per-token cost per {} = ({}/3600 · {}) / {} (cheapest eligible per-token, {}) = {}{}",
                s.unit_word(),
                num(sec),
                money(replica.usd_per_replica_hour),
                money(a),
                c.option.label(),
                percent(x),
                if x > 1.0 { ": above 100%, so never" } else { "" }
            ));
        }
    }
    lines
}

/// One line of profile inputs for an option.
fn inputs(s: &Subject, p: &Priced) -> String {
    let label = p.option.label();
    match p.offer {
        Offer::Serverless(o) => {
            let mut rates = vec![format!("r_in {}", money(o.input_usd_per_mtok))];
            if let Some(c) = o.cached_input_usd_per_mtok {
                rates.push(format!("r_cached {}", money(c)));
            }
            rates.push(format!("r_out {}", money(o.output_usd_per_mtok)));
            let mut parts = vec![format!("per million tokens {}", rates.join(", "))];
            if let Some(d) = o.batch_discount {
                parts.push(format!("batch discount {}", percent(d)));
            }
            if o.cross_turn_cache {
                parts.push("cross-turn cache".into());
            }
            if let Some(c) = o.context_tokens {
                parts.push(format!("context {} tokens", count(c as f64)));
            }
            parts.push(format!(
                "{} per {}",
                money(p.option.usd_per_unit.unwrap_or(0.0)),
                s.unit_word()
            ));
            format!("{label}: {}", parts.join("; "))
        }
        Offer::Dedicated(d, dep) => {
            let replica = Replica::of(d, dep);
            let mut terms = crate::report::view::billing(p.option);
            if d.scaling == Scaling::ScaleToZero {
                terms.push_str(&format!(
                    " (cold start {} s, idle timeout {} s)",
                    num(replica.cold_start_s),
                    num(replica.idle_timeout_s)
                ));
            }
            if d.scaling == Scaling::Autoscale {
                terms.push_str(&format!(" (min_replicas {})", replica.min_replicas));
            }
            format!(
                "{label}: {} × {} per GPU-hour = {} per replica-hour; prefill {} and decode {} tokens/s per replica; {terms}; billed {} replica-hours/day, peak {} replicas",
                if dep.gpus_per_replica == 1 { "1 GPU".to_string() } else { format!("{} GPUs", dep.gpus_per_replica) },
                money(replica.usd_per_replica_hour / f64::from(dep.gpus_per_replica.max(1))),
                money(replica.usd_per_replica_hour),
                num(dep.prefill_tokens_per_s),
                num(dep.decode_tokens_per_s),
                num(p.option.billed_replica_hours_per_day.unwrap_or(0.0)),
                p.option.replicas_peak.unwrap_or(0)
            )
        }
        Offer::Prediction(o) => {
            format!("{label}: {} per prediction", money(o.usd_per_prediction()))
        }
        Offer::Training(o) => format!(
            "{label}: {} per million training tokens",
            money(o.train_usd_per_mtok)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn figures_keep_four_significant_digits() {
        assert_eq!(num(0.000_702_4), "0.0007024");
        assert_eq!(num(0.155_312), "0.1553");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(123.456), "123.5");
        assert_eq!(num(30.416_666), "30.42");
        assert_eq!(num(2_175_000_000.0), "2,175,000,000");
        assert_eq!(num(f64::NAN), "n/a");
    }
}
