//! Ties in the pick: eligible options within 0.5% of the cheapest, or
//! within $1/month when that is also within 5%, are a tie (so $0.11
//! against $0.59 a month, five times as much, is not), said as one, and
//! broken by a stated rule that a
//! founder can use (fresher prices, then a published latency, then more
//! headroom) before falling back to names.

use chrono::NaiveDate;

use crate::contract::PricedOption;
use crate::format::{percent, usd};
use crate::verdict::Flag;

/// Options at most this share apart are a tie...
pub const TIE_SHARE: f64 = 0.005;
/// ...and so are options at most this many $/month apart...
pub const TIE_USD_PER_MONTH: f64 = 1.0;
/// ...when that gap is also at most this share of the dearer: under a few
/// dollars a month, a dollar is no tie (the absolute allowance is for
/// rounding on large bills, not for calling one option five times another
/// "the same").
pub const TIE_SMALL_GAP_SHARE: f64 = 0.05;

/// Whether two monthly costs are a tie.
pub fn tied(a: f64, b: f64) -> bool {
    let gap = (a - b).abs();
    let dearer = a.abs().max(b.abs());
    gap <= TIE_SHARE * dearer || (gap <= TIE_USD_PER_MONTH && gap <= TIE_SMALL_GAP_SHARE * dearer)
}

/// The facts a tie is broken on, best first.
type TieKey = (std::cmp::Reverse<Option<NaiveDate>>, bool, i64);

fn key(o: &PricedOption, as_of: &dyn Fn(&str) -> Option<NaiveDate>) -> TieKey {
    let unverified = o
        .verdict
        .flags
        .iter()
        .any(|f| matches!(f, Flag::UnverifiedLatency { .. }));
    // Utilization in basis points: lower leaves more headroom; a per-token
    // offer has no replica to fill (0).
    let busy = (o.utilization.unwrap_or(0.0) * 10_000.0).round() as i64;
    (std::cmp::Reverse(as_of(&o.vendor)), unverified, busy)
}

/// Orders `group` (tied options, in the sorted order) by the rule, and says
/// which step of the rule separated the first from the second.
pub fn break_tie<'a>(
    group: &[&'a PricedOption],
    as_of: &dyn Fn(&str) -> Option<NaiveDate>,
) -> (Vec<&'a PricedOption>, String) {
    let mut ordered = group.to_vec();
    // A stable sort keeps the name order among options equal on every fact.
    ordered.sort_by_key(|o| key(o, as_of));
    let (Some(first), Some(second)) = (ordered.first(), ordered.get(1)) else {
        return (ordered, String::new());
    };
    let (a, b) = (key(first, as_of), key(second, as_of));
    let rule = if a.0 != b.0 {
        format!(
            "broken by fresher prices (as of {} against {})",
            fmt_date(as_of(&first.vendor)),
            fmt_date(as_of(&second.vendor))
        )
    } else if a.1 != b.1 {
        "broken by a published latency (the other's is unverified)".to_string()
    } else if a.2 != b.2 {
        format!(
            "broken by more headroom ({} utilization against {})",
            percent(first.utilization.unwrap_or(0.0)),
            percent(second.utilization.unwrap_or(0.0))
        )
    } else {
        "nothing else separates them (price dates, latency facts and headroom are equal), so first by vendor name".to_string()
    };
    (ordered, rule)
}

fn fmt_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "unknown".to_string(), |d| d.to_string())
}

/// "a tie with X ($5,247/month) and Y (...)" for the options tied with the primary.
pub fn tie_words(others: &[&PricedOption], rule: &str) -> String {
    let names: Vec<String> = others
        .iter()
        .map(|o| format!("{} ({}/month)", o.label(), usd(o.usd_per_month)))
        .collect();
    format!(
        "a tie with {} ({}); {rule}",
        names.join(" and "),
        tie_allowance()
    )
}

/// The tie rule in words: `within 0.50%, or within $1.00/month and 5%`.
pub fn tie_allowance() -> String {
    format!(
        "within {}, or within {}/month and {}%",
        percent(TIE_SHARE),
        usd(TIE_USD_PER_MONTH),
        TIE_SMALL_GAP_SHARE * 100.0
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::{Flag, Verdict};

    fn option(vendor: &str, usd_per_month: f64, verdict: Verdict) -> PricedOption {
        PricedOption::for_tests(vendor, usd_per_month, verdict)
    }

    #[test]
    fn a_tie_is_broken_on_the_typed_latency_flag() {
        let unverified = Flag::UnverifiedLatency {
            ttft: true,
            speed: false,
        };
        let a = option(
            "a",
            100.0,
            Verdict {
                flags: vec![unverified],
                ..Verdict::default()
            },
        );
        let b = option("b", 100.2, Verdict::default());
        let (ordered, rule) = break_tie(&[&a, &b], &|_| None);
        assert_eq!(ordered[0].vendor, "b");
        assert!(rule.contains("published latency"), "{rule}");
    }

    #[test]
    fn a_dollar_is_no_tie_between_small_bills_far_apart() {
        // $0.59 is 5.4 times $0.11: the $0.48 gap is under $1 but 81% of
        // the dearer, far over 5%.
        assert!(!tied(0.11, 0.59));
        // $20 against $20.99: $0.99 is 4.7% of $20.99, within $1 and 5%.
        assert!(tied(20.0, 20.99));
        // $10 against $10.90: $0.90 is 8.3% of $10.90, over 5%.
        assert!(!tied(10.0, 10.9));
        assert!(tied(0.0, 0.0));
    }

    #[test]
    fn a_dollar_or_half_a_percent_is_a_tie() {
        assert!(tied(100.0, 100.99));
        assert!(!tied(100.0, 101.5));
        // 0.5% of $10,000 is $50.
        assert!(tied(10_000.0, 10_049.0));
        assert!(!tied(10_000.0, 10_051.0));
    }
}
