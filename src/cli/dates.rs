//! The report date of a command: `--as-of today` or `--as-of YYYY-MM-DD`,
//! and, when none is given, today (UTC) for `report`, `compare`, `quote`
//! and `diff`. The clock is read here only; the engine takes the date as an argument, so the
//! files written depend on the report date alone. Also the checks of a date
//! against the vendors: a report date before a vendor's price date is an
//! error, and vendors stale against today get a warning on standard error.

use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{Days, NaiveDate};

use super::Error;
use crate::engine;
use crate::profile::Vendor;

/// A report date as given on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    /// `today`: the current date, UTC.
    Today,
    /// A fixed date.
    Date(NaiveDate),
}

impl FromStr for AsOf {
    type Err = String;

    fn from_str(text: &str) -> Result<AsOf, String> {
        if text.eq_ignore_ascii_case("today") {
            return Ok(AsOf::Today);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(AsOf::Date)
            .map_err(|_| format!("expected `today` or a date YYYY-MM-DD, found `{text}`"))
    }
}

impl AsOf {
    /// The date this stands for, `today` read from the clock.
    pub fn date(self) -> NaiveDate {
        match self {
            AsOf::Today => today(),
            AsOf::Date(d) => d,
        }
    }
}

/// Today's date in UTC, from the system clock.
pub fn today() -> NaiveDate {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    // 1970-01-01 is a valid date; adding the days since then fails only
    // past the year 262,000.
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(Days::new(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Refuses a report date before any vendor's price date: ages would be negative.
pub fn check_not_before_prices(date: NaiveDate, vendors: &[Vendor]) -> Result<(), Error> {
    let newer: Vec<String> = vendors
        .iter()
        .filter(|v| v.as_of > date)
        .map(|v| format!("{} (as of {})", v.vendor, v.as_of))
        .collect();
    if newer.is_empty() {
        return Ok(());
    }
    let newest = vendors.iter().map(|v| v.as_of).max().unwrap_or(date);
    Err(Error::Usage(format!(
        "the report date {date} is before the prices of {}; prices cannot be aged before they were read: give --as-of {newest} or later (or --as-of today)",
        newer.join(", ")
    )))
}

/// One warning line per vendor whose prices are older than `max_age_days`
/// before today, when the report date is not today (the report flags those
/// stale against its own date).
pub fn stale_today_note(vendors: &[Vendor], report_date: NaiveDate, max_age_days: i64) -> String {
    let today = today();
    if report_date >= today {
        return String::new();
    }
    let stale = engine::stale_vendors(vendors, today, max_age_days);
    if stale.is_empty() {
        return String::new();
    }
    let names: Vec<String> = stale
        .iter()
        .map(|s| format!("{} ({} days, as of {})", s.vendor, s.age_days, s.as_of))
        .collect();
    format!(
        "warning: as of today ({today}) these vendors' prices are older than {max_age_days} days: {}; the report is dated {report_date}\n",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_and_dates_parse() {
        assert_eq!("today".parse::<AsOf>(), Ok(AsOf::Today));
        assert_eq!(
            "2026-10-07".parse::<AsOf>(),
            Ok(AsOf::Date(NaiveDate::from_ymd_opt(2026, 10, 7).unwrap()))
        );
        assert!("yesterday".parse::<AsOf>().unwrap_err().contains("`today`"));
    }

    #[test]
    fn today_is_after_this_code_was_written() {
        assert!(today() > NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    }
}
