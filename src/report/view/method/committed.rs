//! The worked lines of a committed option (render): what is committed, the
//! plan's monthly cost from its parts, and the months of the term the
//! workload must run for it to pay, from the engine's plan
//! (`contract::CommitmentPlan`; the planner is `model/commitment.rs`).

use super::{money, num};
use crate::contract::{CommitmentPlan, Commits};
use crate::format::percent;

/// The worked lines of a committed option's plan.
pub(super) fn lines(k: &CommitmentPlan) -> Vec<String> {
    let (f, p, o) = (
        k.commitment_usd_per_month,
        k.usd_per_month,
        k.uncommitted_usd_per_month,
    );
    let mut lines = match k.commits {
        Commits::Replicas => vec![
            format!(
                "committed: k = {} replicas for {} months, billed every hour of the term; the planner takes the k that costs least over the day's 24 hours (docs/design.md, \"Commitments\")",
                k.replicas, k.term_months
            ),
            format!(
                "$/month = commitment F + the rest of the demand = {} + {} = {} (with nothing committed, the same hours cost O = {})",
                money(f),
                money(p - f),
                money(p),
                money(o)
            ),
        ],
        Commits::Spend => {
            let d = k.discount.unwrap_or(0.0);
            vec![format!(
                "$/month = max(commitment F, use at the discount O·(1 − d)) = max({}, {}·(1 − {})) = {}",
                money(f),
                money(o),
                percent(d),
                money(p)
            )]
        }
    };
    if let Some(m) = k.break_even_months {
        lines.push(format!(
            "break-even term m* = F·T/(O − P + F) = {}·{}/({} − {} + {}) = {} months",
            money(f),
            k.term_months,
            money(o),
            money(p),
            money(f),
            num(m)
        ));
    }
    lines
}
