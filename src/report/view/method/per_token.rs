//! The Method lines of a per-token (serverless) offer: the cost of one
//! request or episode from the token rates (cached input, batch tier and
//! cross-turn cache included), its $/day, and the offer's inputs.

use super::{money, num};
use crate::format::{count, percent, usd};
use crate::model::{per_token, Unit};
use crate::profile::ServerlessOffer;
use crate::report::subject::{PricedOffer, Subject};

/// The worked cost of one request or episode and the $/day, with the
/// model's own intermediate figures.
pub(super) fn lines(s: &Subject, p: &PricedOffer, o: &ServerlessOffer) -> Vec<String> {
    let r = s.demand.units_per_day;
    let mut lines = Vec::new();
    // The engine's own figure (`price::cost`), batch tier and cache included.
    let unit_cost = p.costed.usd_per_unit.unwrap_or(0.0);
    match s.demand.unit {
        Unit::Request {
            input,
            cached,
            output,
        } => {
            // The model's own figure, before the batch tier.
            let base = per_token::request_cost(o, input, cached, output);
            match o.cached_input_usd_per_mtok {
                Some(rc) => {
                    let cost = base;
                    lines.push(format!(
                        "cost/request = ((I − C)·r_in + C·r_cached + O·r_out)/10⁶ = (({} − {})·{} + {}·{} + {}·{})/10⁶ = {}",
                        num(input), num(cached), money(o.input_usd_per_mtok), num(cached), money(rc), num(output), money(o.output_usd_per_mtok), money(cost)
                    ));
                }
                None => {
                    let cost = base;
                    lines.push(format!(
                        "cost/request = (I·r_in + O·r_out)/10⁶ (no cached rate, so C = 0) = ({}·{} + {}·{})/10⁶ = {}",
                        num(input), money(o.input_usd_per_mtok), num(output), money(o.output_usd_per_mtok), money(cost)
                    ));
                }
            }
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

/// The profile inputs of a per-token offer (the line after its label).
pub(super) fn inputs(s: &Subject, p: &PricedOffer, o: &ServerlessOffer) -> String {
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
    parts.join("; ")
}
