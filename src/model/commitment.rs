//! Commitments (part of the cost model: pure, no I/O): k replicas
//! committed for a term, billed every hour of the day whether busy or not,
//! with the rest of the 24-hour demand curve sent to on-demand replicas or
//! to a per-token offer. [`plan`] finds the cost-minimising k by marginal
//! analysis; [`usd_per_day`] prices any k, which is what the tests' brute
//! force searches; [`break_even_months`] says how many months of a term
//! the workload must run for the commitment to pay.
//!
//! Per hour h: `replicas[h]` whole replicas are needed on demand
//! (n_h = ceil(L_h/u)), `load[h]` busy replica-hours of work (L_h) and
//! `units[h]` requests or episodes arrive. With k committed:
//! - overflow on demand: 24·k·c + Σ_h r·max(0, n_h − k);
//! - overflow per token: 24·k·c + Σ_h p·units_h·max(0, 1 − k·u/L_h)
//!   (k replicas serve k·u replica-hours of work an hour; the rest of the
//!   hour's units go per token).
//!
//! Both are convex in k (a sum of maxima of linear functions plus a linear
//! term), so the saving of each further replica never grows: the planner
//! commits replica j while it saves more than the 24·c it costs.

/// Where the demand above the committed replicas goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Overflow {
    /// On-demand replicas at this $ per replica-hour.
    OnDemand {
        /// $ per on-demand replica-hour.
        usd_per_replica_hour: f64,
    },
    /// A per-token offer at this $ per request or episode.
    PerToken {
        /// $ per unit of the per-token offer.
        usd_per_unit: f64,
    },
}

/// A commitment's terms, as priced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Terms {
    /// Length of the term, months (at least 1).
    pub term_months: u32,
    /// $ per committed replica-hour (every hour of the term).
    pub usd_per_replica_hour: f64,
    /// Fewest replicas the vendor will commit.
    pub min_replicas: u32,
    /// Where the rest goes.
    pub overflow: Overflow,
}

/// A workload's day, hour by hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Day {
    /// Whole replicas needed each hour on demand (n_h).
    pub replicas: [u32; 24],
    /// Busy replica-hours of work each hour (L_h).
    pub load: [f64; 24],
    /// Requests or episodes each hour.
    pub units: [f64; 24],
    /// Share of a replica's time that may be busy (u).
    pub target_utilization: f64,
}

/// The cost-minimising commitment level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Plan {
    /// Committed replicas (0: none pays).
    pub replicas: u32,
    /// $ a day: commitment plus overflow.
    pub usd_per_day: f64,
    /// $ a day of the commitment alone.
    pub commitment_usd_per_day: f64,
}

/// $ a day with `k` committed replicas.
pub(crate) fn usd_per_day(k: u32, terms: &Terms, day: &Day) -> f64 {
    24.0 * f64::from(k) * terms.usd_per_replica_hour + overflow_usd_per_day(k, terms, day)
}

/// $ a day of the demand above `k` committed replicas.
fn overflow_usd_per_day(k: u32, terms: &Terms, day: &Day) -> f64 {
    (0..24)
        .map(|h| match terms.overflow {
            Overflow::OnDemand {
                usd_per_replica_hour,
            } => usd_per_replica_hour * f64::from(day.replicas[h].saturating_sub(k)),
            Overflow::PerToken { usd_per_unit } => {
                let served = f64::from(k) * day.target_utilization;
                let share = if day.load[h] > 0.0 {
                    (1.0 - served / day.load[h]).max(0.0)
                } else {
                    0.0
                };
                usd_per_unit * day.units[h] * share
            }
        })
        .sum()
}

/// The highest level worth considering: the busiest hour's on-demand
/// replicas (a replica committed above it is never busy), and at least the
/// vendor's minimum.
fn most(terms: &Terms, day: &Day) -> u32 {
    day.replicas
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(terms.min_replicas)
}

/// The cost-minimising level: none, or from the vendor's minimum up,
/// adding replica j while its saving on the overflow exceeds its 24·c a
/// day (savings never grow with j, the cost being convex).
pub(crate) fn plan(terms: &Terms, day: &Day) -> Plan {
    let fee = 24.0 * terms.usd_per_replica_hour;
    let start = terms.min_replicas.max(1);
    let mut k = start;
    while k < most(terms, day)
        && overflow_usd_per_day(k, terms, day) - overflow_usd_per_day(k + 1, terms, day) > fee
    {
        k += 1;
    }
    let none = usd_per_day(0, terms, day);
    let with = usd_per_day(k, terms, day);
    let k = if with < none { k } else { 0 };
    Plan {
        replicas: k,
        usd_per_day: usd_per_day(k, terms, day),
        commitment_usd_per_day: fee * f64::from(k),
    }
}

/// Months of a `term_months` term the workload must run for the plan to
/// cost less than `uncommitted_usd_per_day` (the commitment is owed for
/// the whole term even if the workload stops): with F the commitment's
/// monthly fee, P the plan's and O the uncommitted monthly cost, running m
/// months costs P·m + F·(T − m) against O·m, so m* = F·T / (O − P + F).
/// `None` when the plan commits nothing or never pays.
pub(crate) fn break_even_months(
    plan: &Plan,
    terms: &Terms,
    uncommitted_usd_per_day: f64,
) -> Option<f64> {
    if plan.replicas == 0 {
        return None;
    }
    months_to_pay(
        plan.commitment_usd_per_day,
        plan.usd_per_day,
        uncommitted_usd_per_day,
        terms.term_months,
    )
}

/// m* = F·T / (O − P + F), with F the commitment's fee, P the committed
/// cost and O the uncommitted cost (all per the same period); `None` when
/// the commitment never pays (P >= O).
pub(crate) fn months_to_pay(f: f64, p: f64, o: f64, term_months: u32) -> Option<f64> {
    (o > p).then(|| f * f64::from(term_months) / (o - p + f))
}

/// $ a day of a committed spend on a per-token offer: the fee owed (the
/// commitment a month, as a day) or the day's use at the discounted rates,
/// whichever is more (use beyond the commitment is billed at the
/// discounted rates).
pub(crate) fn spend_usd_per_day(fee_usd_per_day: f64, discount: f64, uncommitted: f64) -> f64 {
    fee_usd_per_day.max(uncommitted * (1.0 - discount))
}

#[cfg(test)]
mod tests;
