//! `--shortlist` and `--exclude`: which vendors a priced command prices.
//! Applied to the loaded, validated profiles before pricing (load ->
//! **filter** -> price), by `report`, `compare`, `quote` and `diff`; an
//! unknown vendor id is an error with "did you mean", and the vendors left
//! out are named on standard error.

use clap::Args;

use super::{Error, ProfileSource};
use crate::profile::{suggest::did_you_mean, Profiles, Vendor};

/// Which vendors to price.
#[derive(Debug, Clone, Default, Args)]
pub struct VendorFilter {
    /// Price only these vendors (ids, comma-separated) [default: every vendor].
    #[arg(long, value_delimiter = ',', value_name = "VENDOR")]
    pub shortlist: Vec<String>,
    /// Leave these vendors out (ids, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "VENDOR")]
    pub exclude: Vec<String>,
}

impl VendorFilter {
    /// Whether the filter leaves every vendor in.
    fn is_empty(&self) -> bool {
        self.shortlist.is_empty() && self.exclude.is_empty()
    }

    /// An error for the first id of `--shortlist` or `--exclude` that is
    /// none of `known`, with the closest known ids.
    pub(crate) fn check<'a>(
        &self,
        known: impl IntoIterator<Item = &'a str> + Clone,
    ) -> Result<(), Error> {
        let named = [("shortlist", &self.shortlist), ("exclude", &self.exclude)];
        for (flag, ids) in named {
            let Some(id) = ids
                .iter()
                .find(|id| !known.clone().into_iter().any(|k| k == id.as_str()))
            else {
                continue;
            };
            let hint = did_you_mean(id, known.clone());
            let mut list: Vec<&str> = known.clone().into_iter().collect();
            list.sort_unstable();
            return Err(Error::Usage(format!(
                "--{flag}: no vendor `{id}`;{}{} known vendors: {}",
                if hint.is_empty() { "" } else { " " },
                hint,
                list.join(", ")
            )));
        }
        Ok(())
    }

    /// Whether the vendor `id` is priced.
    fn keeps(&self, id: &str) -> bool {
        let listed = |ids: &[String]| ids.iter().any(|v| v == id);
        (self.shortlist.is_empty() || listed(&self.shortlist)) && !listed(&self.exclude)
    }

    /// Keeps the vendors the filter keeps; returns the ids left out, in order.
    pub(crate) fn retain(&self, vendors: &mut Vec<Vendor>) -> Vec<String> {
        let left_out = vendors
            .iter()
            .filter(|v| !self.keeps(&v.vendor))
            .map(|v| v.vendor.clone())
            .collect();
        vendors.retain(|v| self.keeps(&v.vendor));
        left_out
    }

    /// Checks the ids against the vendors of every side (a vendor of either
    /// side of a diff is known), keeps on each side the vendors the filter
    /// keeps, and returns the ids left out, sorted.
    pub(crate) fn apply(&self, sides: &mut [&mut Vec<Vendor>]) -> Result<Vec<String>, Error> {
        if self.is_empty() {
            return Ok(Vec::new());
        }
        let known: Vec<String> = sides
            .iter()
            .flat_map(|s| s.iter().map(|v| v.vendor.clone()))
            .collect();
        self.check(known.iter().map(String::as_str))?;
        let mut left_out: Vec<String> = sides.iter_mut().flat_map(|s| self.retain(s)).collect();
        left_out.sort_unstable();
        left_out.dedup();
        Ok(left_out)
    }
}

/// Filters the vendors of one run and says so twice: in the note for
/// standard error it returns, and in the description of the profiles that
/// the report and the contract print ("Profiles: vendors/ and workloads/;
/// left out by --shortlist/--exclude: groq").
pub(crate) fn narrow(
    filter: &VendorFilter,
    profiles: &mut Profiles,
    source: &mut ProfileSource,
) -> Result<String, Error> {
    let left_out = filter.apply(&mut [&mut profiles.vendors])?;
    if !left_out.is_empty() {
        source.description = format!(
            "{}; left out by --shortlist/--exclude: {}",
            source.description,
            left_out.join(", ")
        );
    }
    Ok(left_out_note(&left_out))
}

/// `note: left out by --shortlist/--exclude: a, b` (empty when none was).
pub(crate) fn left_out_note(ids: &[String]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    format!(
        "note: {} left out by --shortlist/--exclude: {}\n",
        crate::format::plural(ids.len(), "vendor"),
        ids.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(shortlist: &[&str], exclude: &[&str]) -> VendorFilter {
        VendorFilter {
            shortlist: shortlist.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn shortlist_keeps_only_its_vendors_and_exclude_removes_its_own() {
        let f = filter(&["baseten", "modal"], &["modal"]);
        assert!(f.keeps("baseten"));
        assert!(!f.keeps("modal"));
        assert!(!f.keeps("groq"));
        assert!(filter(&[], &["groq"]).keeps("modal"));
    }

    #[test]
    fn an_unknown_vendor_id_is_refused_with_the_closest_known() {
        let known = ["baseten", "fireworks", "modal"];
        let err = filter(&["firewroks"], &[]).check(known).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--shortlist: no vendor `firewroks`; did you mean `fireworks`? known vendors: baseten, fireworks, modal"
        );
        assert!(filter(&[], &["modal"]).check(known).is_ok());
    }
}
