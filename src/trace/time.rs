//! Timestamps of a request log: ISO 8601 / RFC 3339 text (a time without
//! an offset is taken as UTC), or a number of Unix seconds, milliseconds,
//! microseconds or nanoseconds, told apart by size. Mooncake's relative
//! milliseconds are read by [`super::columns`], which knows the format.

use chrono::{DateTime, NaiveDateTime};

/// Largest Unix seconds read as seconds (the year 5138); above, milliseconds.
const MAX_SECONDS: f64 = 1e11;
/// Above this, microseconds.
const MAX_MILLIS: f64 = 1e14;
/// Above this, nanoseconds.
const MAX_MICROS: f64 = 1e17;

/// Earliest time a log may record: 1990-01-01T00:00:00Z, Unix seconds.
const EARLIEST: f64 = 631_152_000.0;
/// Latest: 2200-01-01T00:00:00Z. A time outside is a bad line, not a
/// request: `1e308` read as nanoseconds made a period of 10²⁹⁹ s and a
/// volume of 2·10⁻⁸ a day, and OpenTelemetry's `0` ("unset") a log of
/// 19,675 days (a second read).
const LATEST: f64 = 7_258_118_400.0;

/// Seconds since the Unix epoch of a numeric timestamp, by its size.
pub(crate) fn from_number(x: f64) -> Result<f64, String> {
    if !x.is_finite() || x < 0.0 {
        return Err(format!("timestamp {x} is not a time (expected ≥ 0)"));
    }
    in_range(if x <= MAX_SECONDS {
        x
    } else if x <= MAX_MILLIS {
        x / 1e3
    } else if x <= MAX_MICROS {
        x / 1e6
    } else {
        x / 1e9
    })
}

/// `secs` when it is between 1990 and 2200, else why not.
fn in_range(secs: f64) -> Result<f64, String> {
    if (EARLIEST..LATEST).contains(&secs) {
        Ok(secs)
    } else {
        let shown = if secs.abs() < 1e15 {
            format!("{secs:.0}")
        } else {
            format!("{secs:.3e}")
        };
        Err(format!(
            "{shown} s from 1970 is not between 1990 and 2200 (Unix seconds, milliseconds, microseconds or nanoseconds are told apart by size)"
        ))
    }
}

/// Seconds since the Unix epoch of a textual timestamp: a number, or ISO
/// 8601 with `T` or a space, fractional seconds and an optional offset.
pub(crate) fn from_text(s: &str) -> Result<f64, String> {
    let s = s.trim();
    if let Ok(x) = s.parse::<f64>() {
        return from_number(x);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return in_range(seconds(t.timestamp(), t.timestamp_subsec_nanos()));
    }
    for layout in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
        if let Ok(t) = DateTime::parse_from_str(s, layout) {
            return in_range(seconds(t.timestamp(), t.timestamp_subsec_nanos()));
        }
    }
    let naive = s.trim_end_matches(" UTC").trim_end_matches('Z');
    for layout in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(naive, layout) {
            let t = t.and_utc();
            return in_range(seconds(t.timestamp(), t.timestamp_subsec_nanos()));
        }
    }
    Err("expected ISO 8601 (2024-05-01T12:00:00Z) or Unix seconds or milliseconds".into())
}

fn seconds(secs: i64, nanos: u32) -> f64 {
    secs as f64 + f64::from(nanos) / 1e9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_told_apart_by_size() {
        assert_eq!(from_number(1_700_000_000.0), Ok(1_700_000_000.0));
        assert_eq!(from_number(1_700_000_000_500.0), Ok(1_700_000_000.5));
        assert_eq!(
            from_number(1_700_000_000_000_000_000.0),
            Ok(1_700_000_000.0)
        );
        assert!(from_number(-1.0).is_err());
    }

    #[test]
    fn times_outside_1990_to_2200_are_not_times() {
        // 0 is OpenTelemetry's "unset"; 1e308 read as nanoseconds is
        // 10²⁹⁹ s; 1989-12-31 and 2200-01-01 are just outside.
        assert!(from_number(0.0).is_err());
        let huge = from_number(1e308).unwrap_err();
        assert!(
            huge.contains("1.000e299 s from 1970 is not between 1990 and 2200"),
            "{huge}"
        );
        assert!(from_text("1989-12-31T23:59:59Z").is_err());
        assert!(from_text("2200-01-01T00:00:00Z").is_err());
        assert_eq!(from_text("1990-01-01T00:00:00Z"), Ok(631_152_000.0));
    }

    #[test]
    fn iso_text_with_and_without_offset() {
        // 2023-11-16 18:15:46 UTC = 1,700,158,546 s.
        let azure = from_text("2023-11-16 18:15:46.6805900").unwrap();
        assert!((azure - 1_700_158_546.680_59).abs() < 1e-5, "{azure}");
        assert_eq!(from_text("2023-11-16T18:15:46Z"), Ok(1_700_158_546.0));
        assert_eq!(from_text("2023-11-16T20:15:46+02:00"), Ok(1_700_158_546.0));
        assert_eq!(from_text("1700158546"), Ok(1_700_158_546.0));
        assert!(from_text("yesterday").is_err());
    }
}
