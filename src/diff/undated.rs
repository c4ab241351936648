//! Prices that changed while the vendor's `as_of` did not: the report ages
//! a vendor's prices from its `as_of`, so a new price under an old date
//! reads as older than it is (and a fresher price read on the old date
//! hides that the file was not re-checked). Works on the field changes of
//! [`super::fields`]; the comment warns about each vendor found.

use serde::Serialize;

use super::fields::{FieldChange, ProfileKind};

/// A vendor whose prices changed under an unchanged `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct UndatedPrices {
    /// Vendor id.
    pub vendor: String,
    /// The price fields that changed, as in the field changes.
    pub paths: Vec<String>,
}

/// Whether a vendor field path names a price: its last part is a dollar
/// figure (`input_usd_per_mtok`, `usd_per_hour`) or a discount. The price
/// history (`price_changes`) records changes and is not one.
fn is_price(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    !path.starts_with("price_changes") && (last.contains("usd") || last.contains("discount"))
}

/// Vendors with a price field changed on both sides and no `as_of` change,
/// in the order of the field changes (by vendor id).
pub(crate) fn undated_price_changes(fields: &[FieldChange]) -> Vec<UndatedPrices> {
    let mut out: Vec<UndatedPrices> = Vec::new();
    for f in fields.iter().filter(|f| f.kind == ProfileKind::Vendor) {
        let changed = f.old.is_some() && f.new.is_some() && is_price(&f.path);
        let dated = fields
            .iter()
            .any(|g| g.kind == ProfileKind::Vendor && g.id == f.id && g.path == "as_of");
        if !changed || dated {
            continue;
        }
        match out.last_mut() {
            Some(u) if u.vendor == f.id => u.paths.push(f.path.clone()),
            _ => out.push(UndatedPrices {
                vendor: f.id.clone(),
                paths: vec![f.path.clone()],
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(id: &str, path: &str) -> FieldChange {
        FieldChange {
            kind: ProfileKind::Vendor,
            id: id.into(),
            path: path.into(),
            old: Some(json!(1.0)),
            new: Some(json!(2.0)),
            change_share: Some(1.0),
        }
    }

    #[test]
    fn a_price_changed_under_the_same_as_of_is_named() {
        let fields = [
            change("api", "serverless[llama-3.3-70b].input_usd_per_mtok"),
            change("api", "serverless[llama-3.3-70b].batch_discount"),
            change("gpus", "dedicated.gpus.h100-80gb.usd_per_hour"),
            change("gpus", "as_of"),
            change("other", "sources"),
            change("other", "price_changes[2026-07-15].change"),
        ];
        let found = undated_price_changes(&fields);
        assert_eq!(
            found,
            [UndatedPrices {
                vendor: "api".into(),
                paths: vec![
                    "serverless[llama-3.3-70b].input_usd_per_mtok".into(),
                    "serverless[llama-3.3-70b].batch_discount".into()
                ],
            }]
        );
    }
}
