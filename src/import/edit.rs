//! Line-level edits of a vendor profile: find a serverless offer by model
//! and tier, replace the line of one field (value and source comment), add
//! a field or an offer, add a `price_changes` entry. Every other line,
//! comment and blank line stays byte for byte. Only the block style the
//! bundled profiles use is edited; a flow-style `serverless` is refused.

use crate::profile::OfferKey;

/// A profile's lines, and the line ending they share (`\n` or `\r\n`).
#[derive(Debug, Clone)]
pub(super) struct Doc {
    lines: Vec<String>,
    trailing_newline: bool,
    eol: &'static str,
}

/// The lines of one serverless offer: `[start, end)`, the indent of its
/// dash and the indent of its fields.
#[derive(Debug, Clone, Copy)]
pub(super) struct Span {
    start: usize,
    end: usize,
    dash: usize,
    indent: usize,
}

/// Why an offer's lines cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unreadable {
    /// Not found in the shape the editor reads.
    NotFound,
    /// A `model:` or `tier:` value, on this line (from 1), quoted with
    /// escapes or not closed.
    Quoted(usize),
}

/// What the editor reads, for the messages that say it could not.
pub(super) const SHAPE: &str = "an item `- model: <id>` (the id plain or in simple quotes) in the top-level `serverless:` section, with its fields one a line at one indent and `tier: <tier>` among them for a tier";

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_top_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// `key: value` of a line, without its comment.
fn value_of<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.trim_start().strip_prefix(key)?.strip_prefix(':')?;
    Some(rest.split(" #").next().unwrap_or_default().trim())
}

/// A scalar as YAML reads it when it is plain, in double quotes without
/// escapes, or in single quotes without a doubled quote; `None` otherwise.
fn unquoted(v: &str) -> Option<&str> {
    for q in ['"', '\''] {
        if let Some(rest) = v.strip_prefix(q) {
            let inner = rest.strip_suffix(q)?;
            return (!inner.contains(q) && !inner.contains('\\')).then_some(inner);
        }
    }
    Some(v)
}

/// The line ending of a text's lines, or the line (from 1) of the first
/// line ended otherwise than the first.
fn line_ending(text: &str) -> Result<&'static str, usize> {
    let mut ends = text
        .split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(|l| l.ends_with("\r\n"));
    let Some(first) = ends.next() else {
        return Ok("\n");
    };
    match ends.position(|crlf| crlf != first) {
        Some(i) => Err(i + 2),
        None => Ok(if first { "\r\n" } else { "\n" }),
    }
}

impl Doc {
    /// Splits a profile into lines; `Err` with the line (from 1) whose
    /// ending differs from the first line's (the text is written back with
    /// the one ending it uses, CRLF or LF).
    pub(super) fn new(text: &str) -> Result<Doc, usize> {
        Ok(Doc {
            eol: line_ending(text)?,
            lines: text.lines().map(str::to_string).collect(),
            trailing_newline: text.ends_with('\n'),
        })
    }

    /// The text again.
    pub(super) fn text(&self) -> String {
        let mut s = self.lines.join(self.eol);
        if self.trailing_newline {
            s.push_str(self.eol);
        }
        s
    }

    /// `[start, end)` of a top-level section's body, without trailing blank
    /// lines and unindented comments (they introduce the next section); an
    /// indented comment belongs to the entry above it.
    fn section(&self, key: &str) -> Option<(usize, usize)> {
        let head = self.lines.iter().position(|l| is_top_key(l, key))?;
        let mut end = self.lines[head + 1..]
            .iter()
            .position(|l| is_content(l) && indent(l) == 0)
            .map_or(self.lines.len(), |p| head + 1 + p);
        while end > head + 1 && {
            let l = &self.lines[end - 1];
            l.trim().is_empty() || (l.starts_with('#'))
        } {
            end -= 1;
        }
        Some((head, end))
    }

    /// Whether the serverless section is in block style (editable).
    pub(super) fn block_style(&self) -> Result<(), usize> {
        let Some((head, end)) = self.section("serverless") else {
            return Ok(());
        };
        if value_of(&self.lines[head], "serverless").is_some_and(|v| !v.is_empty()) {
            return Err(head + 1);
        }
        match (head + 1..end).find(|&i| self.lines[i].trim_start().starts_with("- {")) {
            Some(i) => Err(i + 1),
            None => Ok(()),
        }
    }

    /// The serverless offer of `key` (model and tier, as in the profile).
    pub(super) fn offer(&self, key: &OfferKey) -> Result<Span, Unreadable> {
        let (head, end) = self.section("serverless").ok_or(Unreadable::NotFound)?;
        let mut unread = None;
        let mut i = head + 1;
        while i < end {
            let Some(span) = self.item(i, end) else {
                i += 1;
                continue;
            };
            let value = |key: &str| -> Result<Option<&str>, Unreadable> {
                match self.field(span, key) {
                    None => Ok(None),
                    Some(k) => {
                        let raw = value_of(self.fields_text(span, k), key).unwrap_or_default();
                        unquoted(raw).map(Some).ok_or(Unreadable::Quoted(k + 1))
                    }
                }
            };
            match (value("model"), value("tier")) {
                (Ok(Some(m)), Ok(t)) if OfferKey::tiered(m, t) == *key => return Ok(span),
                (Err(e), _) | (_, Err(e)) => unread = unread.or(Some(e)),
                _ => {}
            }
            i = span.end;
        }
        // Not found: perhaps it is the offer whose value could not be read.
        Err(unread.unwrap_or(Unreadable::NotFound))
    }

    /// The item of a sequence that starts at line `i` (`- key: ...`, or a
    /// bare `-` with its fields below), up to `end`.
    fn item(&self, i: usize, end: usize) -> Option<Span> {
        let line = &self.lines[i];
        let dash = indent(line);
        let after = line.trim_start().strip_prefix('-')?;
        let indent_of_fields = if after.trim().is_empty() {
            let next = (i + 1..end).find(|&k| is_content(&self.lines[k]))?;
            indent(&self.lines[next])
        } else if after.starts_with(' ') {
            dash + 1 + indent(after)
        } else {
            return None;
        };
        let mut j = i + 1;
        while j < end && (self.lines[j].trim().is_empty() || indent(&self.lines[j]) > dash) {
            j += 1;
        }
        while j > i + 1 && self.lines[j - 1].trim().is_empty() {
            j -= 1;
        }
        Some(Span {
            start: i,
            end: j,
            dash,
            indent: indent_of_fields,
        })
    }

    /// The text of field line `k` of an offer without the dash of its first line.
    fn fields_text(&self, span: Span, k: usize) -> &str {
        let line = self.lines[k].as_str();
        if k == span.start {
            line.trim_start().trim_start_matches('-').trim_start()
        } else {
            line
        }
    }

    /// The line of `key` in an offer (its dash line included).
    pub(super) fn field(&self, span: Span, key: &str) -> Option<usize> {
        (span.start..span.end).find(|&k| {
            (k == span.start || indent(&self.lines[k]) == span.indent)
                && value_of(self.fields_text(span, k), key).is_some()
        })
    }

    /// The comment of a line, without `# `.
    pub(super) fn comment(&self, line: usize) -> Option<&str> {
        self.lines[line].split_once(" # ").map(|(_, c)| c)
    }

    /// Sets `key: value # comment` in an offer: replaces its line, or adds one
    /// after the offer's last field.
    pub(super) fn set(&mut self, span: Span, key: &str, value: &str, comment: &str) {
        let line = format!("{}{key}: {value} # {comment}", " ".repeat(span.indent));
        match self.field(span, key) {
            Some(k) if k == span.start => {
                let dash = " ".repeat(span.dash);
                let pad = " ".repeat(span.indent - span.dash - 1);
                self.lines[k] = format!("{dash}-{pad}{key}: {value} # {comment}");
            }
            Some(k) => self.lines[k] = line,
            None => {
                let last = (span.start..span.end)
                    .rev()
                    .find(|&k| is_content(&self.lines[k]))
                    .unwrap_or(span.start);
                self.lines.insert(last + 1, line);
            }
        }
    }

    /// Adds an offer at the end of `serverless` (creating the section before
    /// `dedicated`, `predictions` or `training`, else at the end).
    pub(super) fn add_offer(&mut self, key: &OfferKey, fields: &[(String, String, String)]) {
        let mut block = vec![format!("  - model: {}", key.model)];
        if let Some(t) = &key.tier {
            block.push(format!("    tier: {t}"));
        }
        block.extend(fields.iter().map(|(k, v, c)| format!("    {k}: {v} # {c}")));
        self.append(
            "serverless",
            &["dedicated", "predictions", "training"],
            block,
        );
    }

    /// Whether `price_changes` has an entry of this date whose text contains `needle`.
    pub(super) fn has_price_change(&self, date: &str, needle: &str) -> bool {
        let Some((head, end)) = self.section("price_changes") else {
            return false;
        };
        let body = self.lines[head + 1..end].join("\n");
        body.split("- date:")
            .any(|e| e.trim_start().starts_with(date) && e.contains(needle))
    }

    /// Adds a `price_changes` entry at the end of the section (creating it before `serverless`).
    pub(super) fn add_price_change(&mut self, date: &str, change: &str, source: &str) {
        let block = [
            format!("  - date: {date}"),
            format!("    change: {}", yaml_string(change)),
            format!("    source: {source}"),
        ];
        let before = ["serverless", "dedicated", "predictions", "training"];
        self.append("price_changes", &before, block.to_vec());
    }

    /// Appends `block` to the end of section `key`, creating the section
    /// before the first of `before` that exists (else at the end of the file).
    fn append(&mut self, key: &str, before: &[&str], block: Vec<String>) {
        let at = match self.section(key) {
            Some((_, end)) => end,
            None => {
                let at = before
                    .iter()
                    .filter_map(|k| self.lines.iter().position(|l| is_top_key(l, k)))
                    .min()
                    .unwrap_or(self.lines.len());
                self.lines.insert(at, format!("{key}:"));
                at + 1
            }
        };
        for (k, l) in block.into_iter().enumerate() {
            self.lines.insert(at + k, l);
        }
    }
}

/// A double-quoted YAML string.
fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "vendor: x\nserverless:\n  # a section comment\n  - model: a\n    input_usd_per_mtok: 1.00 # hand\n    # inner note\n\n  - model: a\n    tier: fast\n    input_usd_per_mtok: 2.00 # hand\ndedicated:\n  billing: per-second\n";

    #[test]
    fn an_offer_is_found_by_model_and_tier_and_one_line_changes() {
        let mut d = Doc::new(TEXT).unwrap();
        let s = d.offer(&OfferKey::tiered("a", Some("fast"))).unwrap();
        assert_eq!(d.field(s, "input_usd_per_mtok"), Some(9));
        d.set(s, "input_usd_per_mtok", "2.50", "map");
        let s = d.offer(&OfferKey::tiered("a", None)).unwrap();
        d.set(s, "output_usd_per_mtok", "3.00", "map");
        assert_eq!(
            d.text(),
            "vendor: x\nserverless:\n  # a section comment\n  - model: a\n    input_usd_per_mtok: 1.00 # hand\n    output_usd_per_mtok: 3.00 # map\n    # inner note\n\n  - model: a\n    tier: fast\n    input_usd_per_mtok: 2.50 # map\ndedicated:\n  billing: per-second\n"
        );
    }

    #[test]
    fn quoted_ids_and_a_model_after_another_field_are_found() {
        let text = "serverless:\n  - tier: 'fast'\n    model: \"a\"\n    input_usd_per_mtok: 1.00 # hand\n  -   model: b\n      input_usd_per_mtok: 2.00 # hand\n";
        let mut d = Doc::new(text).unwrap();
        let s = d.offer(&OfferKey::tiered("a", Some("fast"))).unwrap();
        d.set(s, "tier", "fast", "x");
        let s = d.offer(&OfferKey::tiered("b", None)).unwrap();
        d.set(s, "model", "b", "y");
        assert_eq!(
            d.text(),
            "serverless:\n  - tier: fast # x\n    model: \"a\"\n    input_usd_per_mtok: 1.00 # hand\n  -   model: b # y\n      input_usd_per_mtok: 2.00 # hand\n"
        );
        let escaped = Doc::new("serverless:\n  - model: \"\\x61\"\n").unwrap();
        assert_eq!(
            escaped.offer(&OfferKey::tiered("a", None)).unwrap_err(),
            Unreadable::Quoted(2)
        );
    }

    #[test]
    fn crlf_text_stays_crlf_and_mixed_endings_are_named() {
        let mut d = Doc::new("serverless:\r\n  - model: a\r\n    x: 1 # m\r\n").unwrap();
        let s = d.offer(&OfferKey::tiered("a", None)).unwrap();
        d.set(s, "y", "2", "n");
        assert_eq!(
            d.text(),
            "serverless:\r\n  - model: a\r\n    x: 1 # m\r\n    y: 2 # n\r\n"
        );
        assert_eq!(Doc::new("a: 1\r\nb: 2\nc: 3\r\n").unwrap_err(), 2);
    }

    #[test]
    fn a_new_offer_goes_at_the_end_of_serverless() {
        let mut d = Doc::new(TEXT).unwrap();
        d.add_offer(
            &OfferKey::tiered("b", None),
            &[("input_usd_per_mtok".into(), "0.10".into(), "map".into())],
        );
        assert!(d.text().contains("    input_usd_per_mtok: 2.00 # hand\n  - model: b\n    input_usd_per_mtok: 0.10 # map\ndedicated:"));
    }
}
