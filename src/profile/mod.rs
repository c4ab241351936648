//! Profiles: the serde types of vendors and workloads, their parsing from
//! `&str` with positions, their validation, and loading them from a folder
//! or from the set embedded in the binary.

mod diagnostic;
pub mod embedded;
pub mod ids;
mod key;
mod load;
mod locate;
pub(crate) mod names;
pub mod parse;
mod recover;
pub mod schema;
pub(crate) mod suggest;
pub(crate) mod text;
pub(crate) mod validate;
mod vendor;
mod wording;
mod workload;

pub(crate) use diagnostic::visible;
pub use diagnostic::{Diagnostic, ProfileErrors};
pub use key::OfferKey;
pub use load::{load, ProfileFile, Profiles};
pub use vendor::*;
pub use workload::*;

/// Dates in profiles: `YYYY-MM-DD`, with an error that says so.
pub(crate) mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer};

    /// Deserializes a `YYYY-MM-DD` date.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
            serde::de::Error::custom(format!("expected a date YYYY-MM-DD, found `{text}`"))
        })
    }

    /// Deserializes an optional `YYYY-MM-DD` date (with `#[serde(default)]`).
    pub(crate) fn deserialize_opt<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        deserialize(d).map(Some)
    }
}
