//! The plan of one import: which map entry feeds which vendor offer (through
//! the catalog's aliases), what changes, and the edited profile texts. The
//! map overwrites the figures it covers unless the offer is `pinned`, or the
//! figure came from the other map with a date at least as new (then the
//! disagreement is reported for a person to decide). A large move (see
//! `update.rs`) is bad input unless accepted. Every edited text must parse
//! as a valid profile, or nothing is written. Every line of the report is
//! made inert ([`crate::profile::visible`]): the map's ids reach terminals,
//! CI logs and pull-request bodies.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::edit::Doc;
use super::figure::{batch_discount, label, price_fields, provenance, Field, Target, Value};
use super::{Entry, ImportError, Parsed, Refusal, Refused, MAX_DATED_PRICES};
use crate::catalog::{vendor_of, Catalog, PriceMap};
use crate::profile::{parse, visible, OfferKey};

mod update;

use update::{price_history, update};

/// The vendor profiles an import may edit: (vendor id, file name, text).
#[derive(Debug, Clone, Default)]
pub(crate) struct Vendors {
    /// The folder, as named in messages.
    pub dir: String,
    /// Each profile.
    pub files: Vec<(String, String, String)>,
}

/// What an import did or would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// One line per change, disagreement, note and unmapped entry.
    pub report: Vec<String>,
    /// Profiles whose text changes: (file name, new text).
    pub writes: Vec<(String, String)>,
    /// Changes a write would make (0 when the profiles agree with the map).
    pub pending: usize,
}

impl Outcome {
    /// Adds a line to the report, made inert.
    fn note(&mut self, line: String) {
        self.report.push(visible(&line));
    }
}

/// The line of a refused entry.
fn refusal(map: PriceMap, r: &Refusal) -> String {
    let why = match &r.why {
        Refused::ProviderMismatch { prefix, provider } => format!(
            "the key's prefix `{prefix}/` and its litellm_provider `{provider}` disagree, so the vendor it prices is unknown; fix the map or ask its maintainers"
        ),
        Refused::Duplicate { count } => format!(
            "listed {count} times in the map, so which prices are meant is unknown; none imported"
        ),
        Refused::TooManyDatedPrices { count } => format!(
            "{count} dated prices, more than the {MAX_DATED_PRICES} an entry may list; none imported"
        ),
        Refused::SameStartDate { date } => format!(
            "two dated prices start on {date}, so which is in force is unknown; none imported"
        ),
    };
    format!("refused   {} {}: {why}", map.name(), r.id)
}

/// The `retired_on` field of an entry with a retirement date.
fn retirement(e: &Entry) -> Option<Field> {
    e.retired_on.map(|r| Field {
        key: "retired_on",
        value: Value::Date(r),
        comment: provenance(e, " deprecation_date"),
    })
}

/// The targets of one map: the first alias of each (vendor, model, tier) the map has.
fn targets<'a>(
    map: PriceMap,
    entries: &'a [Entry],
    catalog: &'a Catalog,
    out: &mut Outcome,
) -> (Vec<Target<'a>>, BTreeSet<&'a str>) {
    let by_id: BTreeMap<&str, &Entry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut used = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for m in &catalog.models {
        for a in m.aliases(map) {
            let Some(&e) = by_id.get(a.id) else { continue };
            used.insert(e.id.as_str());
            let Some(vendor) = vendor_of(map, &e.provider) else {
                continue;
            };
            if !seen.insert((vendor, m.id.as_str(), a.tier)) {
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
                    None => out.note(format!("note      {}: batch prices are not one discount on input and output; batch_discount not written ({} {})", label(vendor, &OfferKey::tiered(&m.id, a.tier)), map.name(), e.id)),
                }
            }
            fields.extend(retirement(e));
            found.push(Target {
                vendor,
                key: OfferKey::tiered(&m.id, a.tier),
                entry: e,
                fields,
            });
            if let (Some(p), None) = (e.priority, a.tier) {
                if seen.insert((vendor, m.id.as_str(), Some("priority"))) {
                    let mut fields = price_fields(e, p, " priority tier");
                    fields.extend(retirement(e));
                    found.push(Target {
                        vendor,
                        key: OfferKey::tiered(&m.id, Some("priority")),
                        entry: e,
                        fields,
                    });
                }
            }
        }
    }
    (found, used)
}

/// Options of one import.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// The report date: the map's prices in force on it are used.
    pub date: NaiveDate,
    /// Write large moves (prices or context beyond 10x, to or from zero,
    /// retirement dates before `date`) instead of holding them back.
    pub accept_large_moves: bool,
}

/// Plans an import of the map `parsed` (from `file`) into `vendors`.
pub(crate) fn plan(
    map: PriceMap,
    file: &str,
    parsed: &Parsed,
    catalog: &Catalog,
    vendors: &Vendors,
    opts: Options,
) -> Result<Outcome, ImportError> {
    let entries = &parsed.entries;
    let mut out = Outcome::default();
    for r in &parsed.refused {
        out.note(refusal(map, r));
    }
    let (targets, used) = targets(map, entries, catalog, &mut out);
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
        out.note(format!("unmapped  {} {}: no canonical id in the catalog (add an alias to catalog/models.yaml to import it)", map.name(), e.id));
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
    let mut doc = Doc::new(text).map_err(|line| {
        ImportError::new(&format!("{name}:{line}"), "", "this line ends otherwise than the first (CRLF against LF); the import writes a profile back with its one line ending, so make them all one kind")
    })?;
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
                out.note(format!(
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
                out.note(format!(
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
            out.note(format!("deprecated {what}: {} flags {} deprecated without a date; set deprecated_on or retired_on by hand from the vendor's notice", map.name(), t.entry.id));
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
