//! The pick stage (load -> resolve -> price -> **pick** -> render ->
//! write): the judge ([`judge`]) says which offers may serve a workload as
//! typed verdicts ([`crate::verdict`]); ties ([`ties`]) are said as one and
//! broken by a stated rule; [`choose`] names the primary platform and the
//! runner-up with their reasons in numbers; `budget` says whether the pick
//! keeps to the workload's budget, and what does.

use chrono::NaiveDate;

use crate::contract::{OfferKind, Pick, PricedOption};
use crate::format::{percent, usd};

pub(crate) mod budget;
mod judge;
pub(crate) mod substitutes;
pub mod ties;

pub(crate) use judge::cold_starts;
pub use judge::{
    cold_start_allowance, judge, over_budget, DEFAULT_MAX_COLD_START_SHARE, MAX_REPLICAS,
};
use ties::{break_tie, tie_words, tied};

/// Where an option sorts: by $/month, then by its key.
pub fn order(o: &PricedOption) -> impl Ord {
    (Month(o.usd_per_month), o.key())
}

/// $/month ordered by `total_cmp`, so that it can lead a sort key.
#[derive(PartialEq)]
struct Month(f64);

impl Eq for Month {}

impl PartialOrd for Month {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Month {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The cheapest eligible serving option (not training) that `keep` keeps.
pub(crate) fn cheapest_serving(
    options: &[PricedOption],
    keep: impl Fn(&PricedOption) -> bool,
) -> Option<&PricedOption> {
    options
        .iter()
        .filter(|o| o.eligible() && o.offer != OfferKind::Training && keep(o))
        .min_by(|a, b| a.usd_per_month.total_cmp(&b.usd_per_month))
}

/// Primary = cheapest eligible serving option; runner-up = cheapest eligible
/// serving option of another vendor. Options within a tie of the cheapest
/// ([`ties`]) are ordered by fresher prices, a published latency and
/// more headroom before names; `as_of` gives a vendor's price date.
/// `options` must be sorted.
pub fn choose(options: &[PricedOption], as_of: &dyn Fn(&str) -> Option<NaiveDate>) -> Pick {
    let serving: Vec<&PricedOption> = options
        .iter()
        .filter(|o| o.eligible() && o.offer != OfferKind::Training)
        .collect();
    let cheapest = serving.first().map_or(0.0, |o| o.usd_per_month);
    let tied_count = serving
        .iter()
        .take_while(|o| tied(o.usd_per_month, cheapest))
        .count();
    let (group, rule) = break_tie(&serving[..tied_count], as_of);
    let ordered: Vec<&PricedOption> = group
        .iter()
        .chain(&serving[tied_count..])
        .copied()
        .collect();
    let primary = ordered.first().copied();
    let runner_up = primary.and_then(|p| ordered.iter().copied().find(|o| o.vendor != p.vendor));
    let tied_with: Vec<&PricedOption> = group.iter().skip(1).copied().collect();
    Pick {
        primary: primary.map(PricedOption::key),
        runner_up: runner_up.map(PricedOption::key),
        primary_reason: primary.map(|p| {
            let mut reason = primary_reason(p, runner_up, &tied_with, &rule);
            reason.extend(crate::lifecycle::successor_note(p, options));
            reason
        }),
        runner_up_reason: runner_up.zip(primary).map(|(r, p)| runner_up_reason(r, p)),
        // Judged by the engine (`budget::verdict`), which has every
        // acceptable model's options, not only the picked model's.
        budget: None,
    }
}

fn primary_reason(
    p: &PricedOption,
    runner_up: Option<&PricedOption>,
    tied_with: &[&PricedOption],
    rule: &str,
) -> String {
    let mut s = format!("{}/month", usd(p.usd_per_month));
    match runner_up {
        _ if !tied_with.is_empty() => {
            s.push_str(&format!(", {}", tie_words(tied_with, rule)));
        }
        Some(r) if r.usd_per_month > 0.0 => s.push_str(&format!(
            ", {} below the runner-up ({}, {}/month)",
            percent(1.0 - p.usd_per_month / r.usd_per_month),
            r.label(),
            usd(r.usd_per_month)
        )),
        Some(_) => {}
        None => s.push_str(", the only eligible vendor"),
    }
    if let Some(r) = runner_up.filter(|r| straddles(p, r)) {
        s.push_str(&format!(
            " (within the uncertainty of the throughput estimate: {} costs {}–{}/month, {} {}–{}/month)",
            p.label(),
            usd(p.usd_per_month_low.unwrap_or(p.usd_per_month)),
            usd(p.usd_per_month_high.unwrap_or(p.usd_per_month)),
            r.label(),
            usd(r.usd_per_month_low.unwrap_or(r.usd_per_month)),
            usd(r.usd_per_month_high.unwrap_or(r.usd_per_month))
        ));
    }
    if let (Some(u), Some(c)) = (p.utilization, p.crossover()) {
        s.push_str(&format!("; {}", c.runs_at(u)));
    }
    s
}

/// The primary's monthly cost band reaches the runner-up's (only estimated
/// throughput has a band; per-token prices have none).
fn straddles(p: &PricedOption, r: &PricedOption) -> bool {
    let p_high = p.usd_per_month_high.unwrap_or(p.usd_per_month);
    let r_low = r.usd_per_month_low.unwrap_or(r.usd_per_month);
    p_high >= r_low && (p.usd_per_month_high.is_some() || r.usd_per_month_low.is_some())
}

fn runner_up_reason(r: &PricedOption, p: &PricedOption) -> String {
    let mut s = format!(
        "{}/month, the cheapest eligible option from another vendor",
        usd(r.usd_per_month)
    );
    if tied(r.usd_per_month, p.usd_per_month) {
        s.push_str(" (tied with the primary; see the rule there)");
    } else if p.usd_per_month > 0.0 {
        s.push_str(&format!(
            " ({} above the primary)",
            percent(r.usd_per_month / p.usd_per_month - 1.0)
        ));
    }
    s
}
