//! One offer's update from one map entry: each figure that changes, unless
//! the offer is pinned or the other map's figure is as new; the guards that
//! hold a large move back (a price or context beyond 10x, a move to or from
//! zero, a retirement date before the report date: each would turn a pick
//! on its own); and the dated price changes recorded in `price_changes`.

use chrono::NaiveDate;

use super::super::edit::{Doc, Unreadable, SHAPE};
use super::super::figure::{old_value, read_provenance, Target, Value};
use super::super::{ImportError, Prices};
use super::{Options, Outcome};
use crate::catalog::PriceMap;
use crate::profile::ServerlessOffer;

#[allow(clippy::too_many_arguments)]
pub(super) fn update(
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
            out.note(format!(
                "pinned    {what} {}: kept {old_text}; {} {} says {}",
                f.key,
                map.name(),
                t.entry.id,
                f.value.text()
            ));
            continue;
        }
        let span = doc.offer(&t.key).map_err(|e| unreadable(name, what, e))?;
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
                out.note(format!(
                    "disagree  {what} {}: profile {old_text} ({}) against {} {} ({}); kept the profile's, which is as new or newer",
                    f.key, other.name(), map.name(), f.value.text(), t.entry.id
                ));
                continue;
            }
            out.note(format!(
                "disagree  {what} {}: {} {} replaces {old_text} ({}), being newer",
                f.key,
                map.name(),
                f.value.text(),
                other.name()
            ));
        }
        if let Some(why) = large_move(old, f.value, opts.date).filter(|_| !opts.accept_large_moves)
        {
            return Err(ImportError::new(file, format!("`{}`", t.entry.id), format!(
                "{what} {} would move from {old_text} to {} ({why}) in {name}; held back and nothing written. If the move is real, rerun with --accept-large-moves",
                f.key, f.value.text()
            )));
        }
        doc.set(span, f.key, &f.value.text(), &f.comment);
        let verb = if f.key == "retired_on" {
            "retired  "
        } else {
            "changed  "
        };
        out.note(format!(
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

/// Why a move from `old` to `new` is large enough to need a person's
/// word, if it is.
fn large_move(old: Option<Value>, new: Value, date: NaiveDate) -> Option<String> {
    let ratio = |a: f64, b: f64| {
        if (a == 0.0) != (b == 0.0) {
            Some("to or from zero".to_string())
        } else {
            (a > 0.0 && (b / a > 10.0 || a / b > 10.0)).then(|| "more than 10x".to_string())
        }
    };
    match (old, new) {
        (Some(Value::Num(a)), Value::Num(b)) => ratio(a, b),
        // Context lengths: exact integers far below 2^53.
        (Some(Value::Int(a)), Value::Int(b)) => ratio(a as f64, b as f64),
        (_, Value::Date(d)) if d < date => Some(format!(
            "a retirement date before the report date {date}, which would retire the offer at once"
        )),
        _ => None,
    }
}

/// The error of an offer whose lines the editor cannot read, with the shape it reads.
fn unreadable(name: &str, what: &str, e: Unreadable) -> ImportError {
    match e {
        Unreadable::NotFound => ImportError::new(name, "", format!(
            "cannot find the lines of {what}, which the profile has; the import edits {SHAPE}: rewrite the offer in that shape"
        )),
        Unreadable::Quoted(line) => ImportError::new(&format!("{name}:{line}"), "", format!(
            "a `model:` or `tier:` value quoted with escapes (or not closed), which the line editor does not read, so {what} cannot be found; write it plain or in simple quotes"
        )),
    }
}

/// Dated price changes become `price_changes` entries; future ones are reported.
pub(super) fn price_history(
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
        out.note(format!(
            "history   {what}: price change of {date} recorded in price_changes"
        ));
        out.pending += 1;
    }
    for c in &t.entry.scheduled {
        out.note(format!(
            "scheduled {what}: {} -> {} from {} (after the report date {}; not applied)",
            p(c.before),
            p(c.after),
            c.date,
            opts.date
        ));
    }
}
