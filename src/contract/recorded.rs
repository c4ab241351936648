//! A workload's options on a recorded request log in the contract
//! (additive to schema version 1, present only when `report --replay`
//! gave a log): the recorded period, what each option would have billed
//! for the recorded requests beside what the profile predicts for the same
//! period, and the pick on each. `crate::replay` computes it; the report
//! only words it.

use serde::Serialize;

use super::OptionKey;

/// The workload on the recorded traffic of its `--replay` logs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedTraffic {
    /// The logs, as named on the command line.
    pub logs: Vec<String>,
    /// First arrival: RFC 3339 UTC, or seconds from the log's origin when its times are relative.
    pub first_arrival: String,
    /// Last arrival, alike.
    pub last_arrival: String,
    /// Seconds from the first arrival to the last: the recorded period.
    pub seconds: f64,
    /// Requests recorded.
    pub requests: u64,
    /// Every replayed option, in the order of `options`.
    pub options: Vec<RecordedOption>,
    /// The pick on the recording beside the pick on the profile.
    pub pick: RecordedPick,
}

/// One option on the recorded traffic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedOption {
    /// The option (its key fields, as in `options`).
    #[serde(flatten)]
    pub key: OptionKey,
    /// Whether the engine found it eligible for the profile.
    pub eligible: bool,
    /// Share of the recorded requests that waited for a replica to start
    /// (null unless a scaled pool).
    pub cold_start_wait_share: Option<f64>,
    /// Of those, the requests that arrived during the cold start the
    /// recording opens with (a pool at zero replicas when the log begins:
    /// whether it was up before the log is unknown), which the allowance
    /// does not judge (null unless a scaled pool).
    pub opening_cold_start_waits: Option<u64>,
    /// More of the recorded requests after the opening waited for a cold
    /// start than the workload allows (`requirements.max_cold_start_share`):
    /// not eligible on the recording, whatever `eligible` says of the profile.
    pub over_cold_start_budget: bool,
    /// $ for the recorded period on the recorded requests.
    pub usd: f64,
    /// Replica-hours billed in the period (null unless dedicated).
    pub billed_replica_hours: Option<f64>,
    /// The profile's $ a day × the period's share of a day.
    pub predicted_usd: f64,
    /// The profile's billed replica-hours a day × the same share (null unless dedicated).
    pub predicted_billed_replica_hours: Option<f64>,
    /// (predicted − recorded) / recorded: how far the profile is from the
    /// recording (null when nothing was billed).
    pub difference: Option<f64>,
}

/// The cheapest eligible option on the recording and the profile's pick.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedPick {
    /// The cheapest option on the recorded requests that is eligible and
    /// within the cold-start allowance on them (null when none is).
    pub recorded: Option<OptionKey>,
    /// The profile's primary pick.
    pub profile: Option<OptionKey>,
    /// Whether the two are the same option.
    pub same: bool,
}
