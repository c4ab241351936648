//! The Method section: every formula of the cost model (`docs/design.md`)
//! written out with this workload's numbers, for the options a reader is most
//! likely to check, plus the inputs of every option, so that any figure of
//! the report can be redone by hand. Intermediate figures keep four
//! significant digits (`num`); results are money as `crate::format` writes it.
//!
//! This module assembles the blocks and works the per-prediction and
//! training lines; `notation` has the workload-wide notation and caveats,
//! and each billing kind with formulas of its own has its file: `per_token`,
//! `dedicated` and `committed`.

use serde::Serialize;

use crate::contract::OfferKind;
use crate::format::{count, usd};
use crate::model::DAYS_PER_MONTH;
use crate::price::Offer;
use crate::report::subject::{PricedOffer, Subject};

mod committed;
mod dedicated;
mod notation;
mod per_token;

pub use notation::caveats;
use notation::notation;

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
            "An option is excluded when it lacks the model or modality, a required compliance item, isolation or LoRA serving, has too short a context, publishes latency figures that break a requirement, or is priced on a GPU rate its profile marks unverified (unless --allow-unverified); a missing latency figure is flagged \"unverified\", not excluded, and an over-budget option is flagged.".into(),
            "Pick = the cheapest eligible serving option. Runner-up = the cheapest eligible serving option from another vendor.".into(),
            "Options with the same $/month are ordered by vendor, offer, GPU, GPUs per replica and tier, so the order never changes from run to run.".into(),
        ],
    });
    blocks
}

/// The primary, runner-up, cheapest eligible per-token and dedicated options, once each.
fn worked_options<'a>(s: &Subject<'a>) -> Vec<(&'static str, PricedOffer<'a>)> {
    let eligible = |kind: OfferKind| s.eligible(kind).next().copied();
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
    let mut out: Vec<(&'static str, PricedOffer<'a>)> = Vec::new();
    for (role, p) in candidates {
        if let Some(p) = p {
            if !out.iter().any(|(_, q)| std::ptr::eq(q.option, p.option)) {
                out.push((role, p));
            }
        }
    }
    out
}

fn worked(s: &Subject, p: &PricedOffer) -> Vec<String> {
    let o = p.option;
    let r = s.demand.units_per_day;
    let committed = o
        .commitment
        .as_ref()
        .filter(|_| o.offer == OfferKind::Committed);
    let mut lines = match p.offer {
        _ if committed.is_some() => committed.map(committed::lines).unwrap_or_default(),
        Offer::Serverless(offer) => per_token::lines(s, p, offer),
        Offer::Dedicated(_, dep) => match p.costed.dedicated {
            Some((replica, cost)) => dedicated::lines(s, &replica, &cost, dep),
            None => vec![],
        },
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

/// One line of profile inputs for an option.
fn inputs(s: &Subject, p: &PricedOffer) -> String {
    let label = p.option.label();
    match p.offer {
        Offer::Serverless(o) => format!("{label}: {}", per_token::inputs(s, p, o)),
        Offer::Dedicated(d, dep) => format!("{label}: {}", dedicated::inputs(p, d, dep)),
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
