//! The plan of one import: which map entry feeds which vendor offer (through
//! the catalog's aliases), what changes, and the edited profile texts. The
//! map overwrites the figures it covers unless the offer is `pinned`, or the
//! figure came from the other map with a date at least as new (then the
//! disagreement is reported for a person to decide). A price move of more
//! than 10x is bad input unless accepted. Every edited text must parse as a
//! valid profile, or nothing is written.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::edit::Doc;
use super::figure::{
    batch_discount, label, old_value, price_fields, provenance, read_provenance, Field, Target,
    Value,
};
use super::{Entry, ImportError, Prices};
use crate::catalog::{vendor_of, Catalog, PriceMap};
use crate::profile::{parse, OfferKey, ServerlessOffer};

/// The vendor profiles an import may edit: (vendor id, file name, text).
#[derive(Debug, Clone, Default)]
pub struct Vendors {
    /// The folder, as named in messages.
    pub dir: String,
    /// Each profile.
    pub files: Vec<(String, String, String)>,
}

/// What an import did or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// One line per change, disagreement, note and unmapped entry.
    pub report: Vec<String>,
    /// Profiles whose text changes: (file name, new text).
    pub writes: Vec<(String, String)>,
    /// Changes a write would make (0 when the profiles agree with the map).
    pub pending: usize,
}

/// The targets of one map: the first alias of each (vendor, offer key) the map has.
fn targets<'a>(
    map: PriceMap,
    entries: &'a [Entry],
    catalog: &'a Catalog,
    report: &mut Vec<String>,
) -> (Vec<Target<'a>>, BTreeSet<&'a str>) {
    let by_id: BTreeMap<&str, &Entry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut used = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for m in &catalog.models {
        for a in m.aliases(map) {
            let Some(&e) = by_id.get(a.id) else { continue };
            used.insert(e.id.as_str());
            let Some(vendor) = vendor_of(map, &e.provider) else {
                continue;
            };
            let key = OfferKey::tiered(&m.id, a.tier);
            if !seen.insert((vendor, key.clone())) {
                continue;
            }
            let mut fields = price_fields(e, e.prices, "");
            if let Some(n) = e.context_tokens {
                fields.push(Field {
                    key: "context_tokens",
                    value: Value::Int(n),
                    comment: provenance(e, " context"),
                });
            }
            if let Some(b) = e.batch {
                match batch_discount(e.prices, b) {
                    Some(d) => fields.push(Field {
                        key: "batch_discount",
                        value: Value::Num(d),
                        comment: provenance(e, &format!(" batch tier {}/{} per 1M", Value::Num(b.input).text(), Value::Num(b.output).text())),
                    }),
                    None => report.push(format!("note      {}: batch prices are not one discount on input and output; batch_discount not written ({} {})", label(vendor, &key), map.name(), e.id)),
                }
            }
            if let Some(r) = e.retired_on {
                fields.push(Field {
                    key: "retired_on",
                    value: Value::Date(r),
                    comment: provenance(e, " deprecation_date"),
                });
            }
            out.push(Target {
                vendor,
                key,
                entry: e,
                fields,
            });
            if let (Some(p), None) = (e.priority, a.tier) {
                let key = OfferKey::tiered(&m.id, Some("priority"));
                if seen.insert((vendor, key.clone())) {
                    let mut fields = price_fields(e, p, " priority tier");
                    if let Some(r) = e.retired_on {
                        fields.push(Field {
                            key: "retired_on",
                            value: Value::Date(r),
                            comment: provenance(e, " deprecation_date"),
                        });
                    }
                    out.push(Target {
                        vendor,
                        key,
                        entry: e,
                        fields,
                    });
                }
            }
        }
    }
    (out, used)
}

/// Options of one import.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The report date: the map's prices in force on it are used.
    pub date: NaiveDate,
    /// Write price moves of more than 10x instead of refusing them.
    pub accept_large_moves: bool,
}

/// Plans an import of `entries` (from `file`) into `vendors`.
pub fn plan(
    map: PriceMap,
    file: &str,
    entries: &[Entry],
    catalog: &Catalog,
    vendors: &Vendors,
    opts: Options,
) -> Result<Outcome, ImportError> {
    let mut out = Outcome::default();
    let (targets, used) = targets(map, entries, catalog, &mut out.report);
    for t in &targets {
        if !vendors.files.iter().any(|(v, _, _)| v == t.vendor) {
            return Err(ImportError::new(file, format!("`{}`", t.entry.id), format!(
                "maps to vendor `{}` ({}), which has no profile in {}; add {}/{}.yaml or pass the folder that holds it with --vendors",
                t.vendor, t.key.model, vendors.dir, vendors.dir.trim_end_matches('/'), t.vendor
            )));
        }
    }
    for (vendor, name, text) in &vendors.files {
        let mine: Vec<&Target> = targets.iter().filter(|t| t.vendor == vendor).collect();
        if mine.is_empty() {
            continue;
        }
        let new = edit_vendor(map, file, name, vendor, text, &mine, opts, &mut out)?;
        if new != *text {
            out.writes.push((name.clone(), new));
        }
    }
    let unmapped: Vec<&Entry> = entries
        .iter()
        .filter(|e| !used.contains(e.id.as_str()))
        .collect();
    for e in &unmapped {
        out.report.push(format!("unmapped  {} {}: no canonical id in the catalog (add an alias to catalog/models.yaml to import it)", map.name(), e.id));
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn edit_vendor(
    map: PriceMap,
    file: &str,
    name: &str,
    vendor: &str,
    text: &str,
    targets: &[&Target],
    opts: Options,
    out: &mut Outcome,
) -> Result<String, ImportError> {
    let stem = vendor;
    let profile = parse::vendor(name, stem, text).map_err(|d| {
        ImportError::new(
            name,
            "",
            format!("the profile is not valid, so it is not edited: {}", d[0]),
        )
    })?;
    let mut doc = Doc::new(text);
    doc.block_style().map_err(|line| {
        ImportError::new(&format!("{name}:{line}"), "", "serverless offers in flow style cannot be edited line by line; write them in block style (`- model: ...` with one field a line)")
    })?;
    for t in targets {
        let what = label(vendor, &t.key);
        let offer = profile.serverless.iter().find(|o| o.key() == t.key);
        match offer {
            Some(o) => update(map, file, name, &what, o, t, &mut doc, opts, out)?,
            None if t.fields.iter().any(|f| {
                matches!(f.value, Value::Date(d) if d <= opts.date) && f.key == "retired_on"
            }) =>
            {
                out.report.push(format!(
                    "skipped   {what}: retired on the report date per {} {}; not added",
                    map.name(),
                    t.entry.id
                ));
            }
            None => {
                let fields: Vec<(String, String, String)> = t
                    .fields
                    .iter()
                    .map(|f| (f.key.to_string(), f.value.text(), f.comment.clone()))
                    .collect();
                doc.add_offer(&t.key, &fields);
                let prices: Vec<String> = t
                    .fields
                    .iter()
                    .filter(|f| f.key.ends_with("_per_mtok"))
                    .map(|f| {
                        format!(
                            "{} {}",
                            f.key.trim_end_matches("_usd_per_mtok"),
                            f.value.text()
                        )
                    })
                    .collect();
                out.report.push(format!(
                    "added     {what}: {} per 1M ({} {})",
                    prices.join(", "),
                    map.name(),
                    t.entry.id
                ));
                out.pending += 1;
            }
        }
        if t.entry.deprecated
            && offer.is_some_and(|o| o.deprecated_on.is_none() && o.retired_on.is_none())
        {
            out.report.push(format!("deprecated {what}: {} flags {} deprecated without a date; set deprecated_on or retired_on by hand from the vendor's notice", map.name(), t.entry.id));
        }
        if t.key.tier.as_deref() != Some("priority") {
            price_history(map, &what, t, &mut doc, opts, out);
        }
    }
    let new = doc.text();
    parse::vendor(name, stem, &new).map_err(|d| {
        ImportError::new(
            name,
            "",
            format!(
                "the edited profile would not be valid ({}); nothing written",
                d[0]
            ),
        )
    })?;
    Ok(new)
}

#[allow(clippy::too_many_arguments)]
fn update(
    map: PriceMap,
    file: &str,
    name: &str,
    what: &str,
    o: &ServerlessOffer,
    t: &Target,
    doc: &mut Doc,
    opts: Options,
    out: &mut Outcome,
) -> Result<(), ImportError> {
    for f in &t.fields {
        let old = old_value(o, f.key);
        if old.is_some_and(|v| v.same(f.value)) {
            continue;
        }
        let old_text = old.map_or("none".to_string(), |v| v.text());
        if o.pinned {
            out.report.push(format!(
                "pinned    {what} {}: kept {old_text}; {} {} says {}",
                f.key,
                map.name(),
                t.entry.id,
                f.value.text()
            ));
            continue;
        }
        let span = doc.offer(&t.key).ok_or_else(|| {
            ImportError::new(name, "", format!("cannot find the lines of {what}"))
        })?;
        let from = doc
            .field(span, f.key)
            .and_then(|l| doc.comment(l))
            .and_then(read_provenance);
        if let Some((other, their_date)) = from.filter(|(m, _)| *m != map) {
            let ours_newer = match (t.entry.since, their_date) {
                (Some(a), Some(b)) => a > b,
                (Some(_), None) => true,
                _ => false,
            };
            if !ours_newer {
                out.report.push(format!(
                    "disagree  {what} {}: profile {old_text} ({}) against {} {} ({}); kept the profile's, which is as new or newer",
                    f.key, other.name(), map.name(), f.value.text(), t.entry.id
                ));
                continue;
            }
            out.report.push(format!(
                "disagree  {what} {}: {} {} replaces {old_text} ({}), being newer",
                f.key,
                map.name(),
                f.value.text(),
                other.name()
            ));
        }
        if let (Some(Value::Num(a)), Value::Num(b)) = (old, f.value) {
            if a > 0.0 && b > 0.0 && (b / a > 10.0 || a / b > 10.0) && !opts.accept_large_moves {
                return Err(ImportError::new(file, format!("`{}`", t.entry.id), format!(
                    "{what} {} would move from {old_text} to {} (more than 10x) in {name}; held back and nothing written. If the move is real, rerun with --accept-large-moves",
                    f.key, f.value.text()
                )));
            }
        }
        doc.set(span, f.key, &f.value.text(), &f.comment);
        let verb = if f.key == "retired_on" {
            "retired  "
        } else {
            "changed  "
        };
        out.report.push(format!(
            "{verb} {what} {}: {old_text} -> {} ({} {})",
            f.key,
            f.value.text(),
            map.name(),
            t.entry.id
        ));
        out.pending += 1;
    }
    Ok(())
}

/// Dated price changes become `price_changes` entries; future ones are reported.
fn price_history(
    map: PriceMap,
    what: &str,
    t: &Target,
    doc: &mut Doc,
    opts: Options,
    out: &mut Outcome,
) {
    let p = |p: Prices| {
        let cached = p
            .cached
            .map(|c| format!(", cached {}", Value::Num(c).text()))
            .unwrap_or_default();
        format!(
            "input {}{cached}, output {}",
            Value::Num(p.input).text(),
            Value::Num(p.output).text()
        )
    };
    for c in &t.entry.changes {
        let date = c.date.to_string();
        if doc.has_price_change(&date, &t.entry.id) {
            continue;
        }
        let text = format!(
            "{what}: {} -> {} per 1M tokens ({} {}, start date {date}; imported, B)",
            p(c.before),
            p(c.after),
            map.name(),
            t.entry.id
        );
        doc.add_price_change(&date, &text, "https://github.com/pydantic/genai-prices");
        out.report.push(format!(
            "history   {what}: price change of {date} recorded in price_changes"
        ));
        out.pending += 1;
    }
    for c in &t.entry.scheduled {
        out.report.push(format!(
            "scheduled {what}: {} -> {} from {} (after the report date {}; not applied)",
            p(c.before),
            p(c.after),
            c.date,
            opts.date
        ));
    }
}
