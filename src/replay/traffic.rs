//! The replay of one workload as the contract's [`RecordedTraffic`]: the
//! recorded period, each option's recorded bill beside the profile's
//! prediction and their difference, and the picks (the price and pick
//! steps on recorded traffic). `replay --format md` and `report --replay`
//! word it through `crate::report::recorded`.

use super::{Recorded, Replayed};
use crate::contract::{OptionKey, RecordedOption, RecordedPick, RecordedTraffic};
use crate::format::sig9;
use crate::trace::{yaml::when, Log};

/// The contract's record of `rows` (replayed on `log`) beside the profile's
/// pick `profile_pick`; a scaled pool over the workload's cold-start
/// allowance on the recording is not picked on it.
pub(crate) fn traffic(
    log: &Log,
    rows: &[Replayed],
    profile_pick: Option<&OptionKey>,
) -> RecordedTraffic {
    let rec = Recorded::of(log);
    let recorded = cheapest_eligible(rows).map(|i| rows[i].option.key());
    let profile = profile_pick.cloned();
    RecordedTraffic {
        logs: log.files.clone(),
        first_arrival: when(log, rec.first_t),
        last_arrival: when(log, rec.last_t),
        seconds: sig9(rec.span_s()),
        requests: rec.requests,
        options: rows.iter().map(option).collect(),
        pick: RecordedPick {
            same: recorded == profile,
            recorded,
            profile,
        },
    }
}

/// One row as the contract's option (figures to 9 significant digits).
fn option(r: &Replayed) -> RecordedOption {
    RecordedOption {
        key: r.option.key(),
        eligible: r.option.eligible(),
        cold_start_wait_share: r.bill.cold_start_wait_share.map(sig9),
        opening_cold_start_waits: r.bill.opening_waits,
        over_cold_start_budget: r.over_cold_start_budget,
        usd: sig9(r.bill.usd),
        billed_replica_hours: r.bill.billed_replica_hours.map(sig9),
        predicted_usd: sig9(r.predicted_usd),
        predicted_billed_replica_hours: r.predicted_billed_replica_hours.map(sig9),
        difference: difference(r).map(sig9),
    }
}

/// The cheapest option eligible on the recording (the first of equals).
fn cheapest_eligible(rows: &[Replayed]) -> Option<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, r)| r.eligible_on_recording())
        .min_by(|a, b| a.1.bill.usd.total_cmp(&b.1.bill.usd))
        .map(|(i, _)| i)
}

/// (profile − recorded) / recorded; `None` when nothing was billed.
pub(crate) fn difference(r: &Replayed) -> Option<f64> {
    (r.bill.usd > 0.0).then(|| r.predicted_usd / r.bill.usd - 1.0)
}
