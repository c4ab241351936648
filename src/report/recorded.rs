//! The "On your recorded traffic" section in words: a workload's
//! [`RecordedTraffic`] (`report --replay`, `replay --format md`) as
//! Markdown, every figure from the contract, every text from the log or the
//! profiles escaped. Render stage; `crate::replay` computed the figures.

use crate::contract::{OptionKey, PricedOption, RecordedOption, RecordedTraffic};
use crate::diff::escape;
use crate::format::usd;

/// The section, from its `##` heading to the end of its last line; `workload` is the
/// profile's id, `options` the workload's priced options (for labels).
pub(crate) fn section(t: &RecordedTraffic, workload: &str, options: &[PricedOption]) -> String {
    let mut out = String::from("## On your recorded traffic\n\n");
    out.push_str(&format!(
        "{}: {}. What each option would have billed for them, beside what the profile {} predicts for the same period.\n\n",
        escape::text(&t.logs.join(", ")),
        escape::text(&period(t)),
        escape::code(workload)
    ));
    out.push_str("| Option | Eligible | Recorded | Profile | Difference | Replica-hours (recorded / profile) |\n");
    out.push_str("|---|---|--:|--:|--:|--:|\n");
    for r in &t.options {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            escape::text(&label(&r.key, options)),
            eligibility(r),
            escape::text(&usd(r.usd)),
            escape::text(&usd(r.predicted_usd)),
            signed(r.difference),
            replica_hours(r, " / ")
        ));
    }
    out.push('\n');
    out.push_str(&picks(t, |k| escape::text(&label(k, options))));
    out.push('\n');
    out.push_str(&opening(t));
    out
}

/// A sentence on the requests that waited for the cold start the
/// recording opens with, when any did: billed, not judged.
fn opening(t: &RecordedTraffic) -> String {
    let most = t
        .options
        .iter()
        .filter_map(|r| r.opening_cold_start_waits)
        .max()
        .unwrap_or(0);
    if most == 0 {
        return String::new();
    }
    format!(
        "\nA scaled pool at zero replicas when the log begins starts one for its first request, and the requests that arrive during that cold start (up to {most} of the {} here) wait for it: they are billed, but not held against the cold-start allowance, since the log does not say whether the pool was up before it.\n",
        t.requests
    )
}

/// Whether an option is eligible on the recording: "yes", "no" (not for
/// the profile), or "no: cold starts" (more recorded requests after the
/// recording's opening cold start waited for a
/// replica to start than the workload allows).
pub(crate) fn eligibility(r: &RecordedOption) -> &'static str {
    match (r.eligible, r.over_cold_start_budget) {
        (false, _) => "no",
        (true, true) => "no: cold starts",
        (true, false) => "yes",
    }
}

/// The recorded period in words.
pub(crate) fn period(t: &RecordedTraffic) -> String {
    format!(
        "{} requests from {} to {} ({:.0} s)",
        t.requests, t.first_arrival, t.last_arrival, t.seconds
    )
}

/// The two picks and whether they differ, options named by `name`.
pub(crate) fn picks(t: &RecordedTraffic, name: impl Fn(&OptionKey) -> String) -> String {
    let of = |k: Option<&OptionKey>| k.map_or("none eligible".into(), &name);
    let verdict = if t.pick.same {
        "the same pick"
    } else {
        "a different pick: the profile's shape is not the recorded traffic's"
    };
    format!(
        "Pick on the recorded traffic: {}; on the profile: {} ({verdict}).",
        of(t.pick.recorded.as_ref()),
        of(t.pick.profile.as_ref())
    )
}

/// An option's label as the report writes it (its key's fields when the
/// option is not among `options`).
pub(crate) fn label(key: &OptionKey, options: &[PricedOption]) -> String {
    options.iter().find(|o| o.is(key)).map_or_else(
        || format!("{} {}", key.vendor, key.offer.as_str()),
        PricedOption::label,
    )
}

/// A difference in percent with its sign, or a dash.
pub(crate) fn signed(x: Option<f64>) -> String {
    x.map_or("—".into(), |x| format!("{:+.1}%", 100.0 * x))
}

/// Billed replica-hours recorded and predicted, `sep` between; empty for an
/// option that bills no replicas.
pub(crate) fn replica_hours(r: &RecordedOption, sep: &str) -> String {
    match (r.billed_replica_hours, r.predicted_billed_replica_hours) {
        (Some(a), Some(b)) => format!("{a:.3}{sep}{b:.3}"),
        _ => String::new(),
    }
}
