//! The Sources section and the freshness tables: how old each vendor's
//! prices are on the report date, where they were read, and their price
//! history, with every URL made safe to show (and to link, when it is a web
//! URL).

use serde::Serialize;

use crate::contract::{Report, WorkloadResult};
use crate::format::count;
use crate::profile::Vendor;

/// How fresh one vendor's prices are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Freshness {
    /// Vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Its `as_of`.
    pub as_of: String,
    /// Days before the report date.
    pub age_days: String,
    /// Older than the staleness limit.
    pub stale: bool,
}

/// A price change of a vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Change {
    /// When.
    pub date: String,
    /// What.
    pub change: String,
    /// Where it is reported.
    pub source: Option<Link>,
}

/// A URL from a profile: shown as text, and a link only when it is a web URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Link {
    /// The URL as written.
    pub text: String,
    /// The URL to link to, made safe for a Markdown link; empty when the URL
    /// is not http(s) and must not be clickable.
    pub href: String,
}

impl Link {
    /// A link to `url`.
    pub(crate) fn new(url: &str) -> Link {
        let web = url.starts_with("https://") || url.starts_with("http://");
        let href = if web {
            url.chars()
                .map(|c| match c {
                    ' ' => "%20".to_string(),
                    '(' => "%28".to_string(),
                    ')' => "%29".to_string(),
                    '<' => "%3C".to_string(),
                    '>' => "%3E".to_string(),
                    '"' => "%22".to_string(),
                    '`' => "%60".to_string(),
                    c if c.is_whitespace() || c.is_control() => String::new(),
                    c => c.to_string(),
                })
                .collect()
        } else {
            String::new()
        };
        Link {
            text: url.to_string(),
            href,
        }
    }
}

/// A vendor's sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Source {
    /// Vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Its `as_of`, with its age.
    pub freshness: Freshness,
    /// Source URLs.
    pub urls: Vec<Link>,
    /// Price history.
    pub changes: Vec<Change>,
}

/// Vendors with at least one option for the workload, in profile order.
pub(super) fn offering_vendors<'a>(w: &WorkloadResult, vendors: &'a [Vendor]) -> Vec<&'a Vendor> {
    vendors
        .iter()
        .filter(|v| w.options.iter().any(|o| o.vendor == v.vendor))
        .collect()
}

/// The freshness of each vendor on the report date.
pub(super) fn freshness<'a>(
    report: &Report,
    vendors: impl Iterator<Item = &'a Vendor>,
) -> Vec<Freshness> {
    let date = report.as_of;
    vendors
        .map(|v| Freshness {
            vendor: v.vendor.clone(),
            name: v.name.clone(),
            as_of: v.as_of.to_string(),
            age_days: count((date - v.as_of).num_days() as f64),
            stale: report.stale_vendors.iter().any(|s| s.vendor == v.vendor),
        })
        .collect()
}

/// A vendor's entry in the Sources section.
pub(super) fn source(v: &Vendor, freshness: Freshness) -> Source {
    Source {
        vendor: v.vendor.clone(),
        name: v.name.clone(),
        freshness,
        urls: v.sources.iter().map(|u| Link::new(u)).collect(),
        changes: v
            .price_changes
            .iter()
            .map(|c| Change {
                date: c.date.to_string(),
                change: c.change.clone(),
                source: c.source.as_deref().map(Link::new),
            })
            .collect(),
    }
}
