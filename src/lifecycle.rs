//! Model lifecycle: an offer's `deprecated_on` and `retired_on` dates judged
//! on the report date. Part of the pick step: a retired offer is excluded
//! ("retired on DATE"), a deprecated one or one retiring soon is flagged, and
//! a flagged pick names the cheapest eligible option without such a flag.
//! Pure: dates in, typed verdicts out (their words are [`crate::verdict`]'s).

use chrono::NaiveDate;

use crate::contract::{OfferKind, PricedOption};
use crate::format::usd;
use crate::price::Offer;
use crate::verdict::{Exclusion, Flag};

/// An offer retiring within this many days after the report date is flagged.
pub(crate) const RETIRING_WITHIN_DAYS: i64 = 90;

/// The two lifecycle dates of one offer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Lifecycle {
    /// The vendor deprecated the offer on this date.
    pub deprecated_on: Option<NaiveDate>,
    /// The vendor stops serving the offer on this date.
    pub retired_on: Option<NaiveDate>,
}

impl Lifecycle {
    /// The lifecycle dates of any kind of offer.
    pub(crate) fn of(offer: &Offer) -> Lifecycle {
        let (deprecated_on, retired_on) = match offer {
            Offer::Serverless(o) => (o.deprecated_on, o.retired_on),
            Offer::Dedicated(_, d) => (d.deprecated_on, d.retired_on),
            Offer::Prediction(o) => (o.deprecated_on, o.retired_on),
            Offer::Training(o) => (o.deprecated_on, o.retired_on),
        };
        Lifecycle {
            deprecated_on,
            retired_on,
        }
    }
}

/// What the lifecycle dates mean on the report date.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Status {
    /// Retired: the offer no longer exists on the report date.
    pub reason: Option<Exclusion>,
    /// Deprecated and/or retiring soon.
    pub flags: Vec<Flag>,
}

/// Judges the dates on `date`. Retired on or before the report date excludes;
/// deprecated on or before it, or retiring within [`RETIRING_WITHIN_DAYS`]
/// after it, flags.
pub(crate) fn status(l: Lifecycle, date: NaiveDate) -> Status {
    let mut s = Status::default();
    if let Some(on) = l.retired_on.filter(|r| *r <= date) {
        s.reason = Some(Exclusion::Retired { on });
        return s;
    }
    if let Some(on) = l.deprecated_on.filter(|d| *d <= date) {
        s.flags.push(Flag::Deprecated { on });
    }
    if let Some(on) = l
        .retired_on
        .filter(|r| (*r - date).num_days() <= RETIRING_WITHIN_DAYS)
    {
        s.flags.push(Flag::Retires { on });
    }
    s
}

/// The lifecycle flags of an option (deprecated, retiring soon).
pub(crate) fn flags(o: &PricedOption) -> Vec<&Flag> {
    o.verdict
        .flags
        .iter()
        .filter(|f| f.is_lifecycle())
        .collect()
}

/// When the primary carries a lifecycle flag: says so, and names the
/// cheapest eligible serving option without one (or says there is none).
/// `options` must be sorted by $/month.
pub(crate) fn successor_note(primary: &PricedOption, options: &[PricedOption]) -> Option<String> {
    let own = flags(primary);
    if own.is_empty() {
        return None;
    }
    let what = own
        .iter()
        .map(|f| match f {
            Flag::Deprecated { .. } => format!("was {f}"),
            _ => f.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" and ");
    let successor = options
        .iter()
        .filter(|o| o.eligible() && o.offer != OfferKind::Training)
        .find(|o| flags(o).is_empty());
    Some(match successor {
        Some(s) => format!(
            "; but it {what}: the cheapest eligible successor is {} at {}/month",
            s.label(),
            usd(s.usd_per_month)
        ),
        None => format!(
            "; but it {what}, and no eligible option is free of a deprecation or retirement date: move the workload to a current model"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Verdict;

    fn option(vendor: &str, usd_per_month: f64, verdict: Verdict) -> PricedOption {
        PricedOption::for_tests(vendor, usd_per_month, verdict)
    }

    #[test]
    fn the_successor_note_reads_the_typed_lifecycle() {
        let deprecated = Flag::Deprecated {
            on: d("2026-10-22"),
        };
        let old = option(
            "old",
            10.0,
            Verdict {
                flags: vec![deprecated.clone()],
                ..Verdict::default()
            },
        );
        let new = option(
            "new",
            12.0,
            Verdict {
                flags: vec![Flag::Stale {
                    as_of: d("2026-01-05"),
                }],
                ..Verdict::default()
            },
        );
        let note = successor_note(&old, &[old.clone(), new.clone()]).unwrap();
        assert_eq!(
            note,
            "; but it was deprecated on 2026-10-22: the cheapest eligible successor is new serverless at $12.00/month"
        );
        assert!(deprecated.is_lifecycle());
        assert!(!Flag::Stale {
            as_of: d("2026-01-05")
        }
        .is_lifecycle());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn life(dep: Option<&str>, ret: Option<&str>) -> Lifecycle {
        Lifecycle {
            deprecated_on: dep.map(d),
            retired_on: ret.map(d),
        }
    }

    #[test]
    fn retired_on_the_report_date_is_excluded() {
        let s = status(
            life(Some("2026-09-01"), Some("2026-12-01")),
            d("2026-12-01"),
        );
        assert_eq!(
            s.reason.map(|r| r.to_string()).as_deref(),
            Some("retired on 2026-12-01")
        );
        assert!(s.flags.is_empty());
    }

    #[test]
    fn deprecated_before_and_retiring_within_90_days_are_both_flagged() {
        // 2026-12-01 + 90 days = 2027-03-01: retiring on that day is flagged, a day later is not.
        let s = status(
            life(Some("2026-10-22"), Some("2027-03-01")),
            d("2026-12-01"),
        );
        assert_eq!(s.reason, None);
        assert_eq!(
            s.flags,
            [
                Flag::Deprecated {
                    on: d("2026-10-22")
                },
                Flag::Retires {
                    on: d("2027-03-01")
                }
            ]
        );
        let later = status(life(None, Some("2027-03-02")), d("2026-12-01"));
        assert!(later.flags.is_empty() && later.reason.is_none());
    }

    #[test]
    fn a_deprecation_announced_for_later_is_not_yet_a_flag() {
        let s = status(life(Some("2026-12-02"), None), d("2026-12-01"));
        assert_eq!(s, Status::default());
    }
}
