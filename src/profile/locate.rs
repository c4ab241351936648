//! Where each field of a YAML document stands: a map from field path
//! (`serverless[0].input_usd_per_mtok`) to line and column, so that an error
//! found after deserializing still points at the line to fix. Built from the
//! YAML event stream, which also reveals duplicate keys.

use std::collections::{BTreeSet, HashMap};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// Positions of the fields of one document, and the problems the event stream shows.
#[derive(Debug, Default)]
pub(super) struct Locations {
    keys: HashMap<String, Position>,
    scalars: HashMap<String, Position>,
    /// Keys written twice in one mapping: (path, position of the second).
    pub duplicates: Vec<(String, Position)>,
    /// A syntax error: (message, position).
    pub syntax_error: Option<(String, Position)>,
    /// YAML tags (`!!str`, `!Custom`), as written, and where: the first
    /// [`MAX_TAGS`] of them.
    pub tags: Vec<(String, Position)>,
}

impl Locations {
    /// Indexes a YAML text: its first document, as serde_yaml_ng reads it.
    ///
    /// The events are pulled one by one rather than through yaml-rust2's
    /// recursive `Parser::load`, which overflows the stack on a deeply nested
    /// document; nesting deeper than [`MAX_NESTING`] and field paths beyond
    /// [`MAX_PATH_BYTES`] stop the indexing with an error, so that hostile
    /// input costs neither the stack nor unbounded memory.
    pub(super) fn of(text: &str) -> Locations {
        let mut index = Indexer::default();
        let mut parser = Parser::new_from_str(text);
        loop {
            let (event, mark) = match parser.next_token() {
                Ok(next) => next,
                Err(e) => {
                    index.stop(e.info(), e.marker());
                    break;
                }
            };
            let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
            if opens && index.stack.len() >= MAX_NESTING {
                index.stop(
                    &format!(
                        "nested deeper than {MAX_NESTING} levels; a profile is a shallow mapping"
                    ),
                    &mark,
                );
                break;
            }
            let last = matches!(event, Event::DocumentEnd | Event::StreamEnd);
            index.expansion.on_event(&event);
            if index.expansion.bytes > MAX_EXPANDED_BYTES {
                index.stop(
                    &format!(
                        "aliases expand the document past {} MiB (an alias bomb?); a profile needs few aliases, if any",
                        MAX_EXPANDED_BYTES >> 20
                    ),
                    &mark,
                );
                break;
            }
            index.on_event(event, mark);
            if index.path_bytes > MAX_PATH_BYTES {
                index.stop(
                    &format!(
                        "too many long, nested keys (their field paths pass {} MiB); a profile is a shallow mapping of short keys",
                        MAX_PATH_BYTES >> 20
                    ),
                    &mark,
                );
                break;
            }
            if last {
                break;
            }
        }
        index.found
    }

    /// Where a field path stands: its value when that is a scalar, else its
    /// key; a missing field points at the key of the nearest parent written
    /// in the file.
    pub(super) fn find(&self, path: &str) -> Option<Position> {
        if let Some(pos) = self.scalars.get(path) {
            return Some(*pos);
        }
        let mut p = path;
        loop {
            if let Some(pos) = self.keys.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

/// Most tags recorded: one is enough to refuse the file, a few show the pattern.
pub(super) const MAX_TAGS: usize = 8;

/// Deepest nesting of mappings and sequences accepted: real profiles nest
/// four levels (`dedicated.deployments[0].gpu`); serde_yaml_ng stops at 128.
pub(super) const MAX_NESTING: usize = 64;

/// Largest total size of the field paths indexed: a 1 MiB profile of short
/// keys needs a few MiB; long keys nested under long keys would need
/// gigabytes.
pub(super) const MAX_PATH_BYTES: usize = 64 << 20;

/// Largest size of the document with every alias replaced by its anchor's
/// node: serde_yaml_ng builds that many values, so a few aliases of a large
/// node (or nested aliases of aliases, the "billion laughs") would exhaust
/// memory.
pub(super) const MAX_EXPANDED_BYTES: u64 = 16 << 20;

/// The size of the document as serde will see it, aliases expanded: each
/// scalar counts its bytes plus a node's overhead, each alias its anchor's
/// size.
#[derive(Default)]
struct Expansion {
    /// Size of each anchored node, by anchor id.
    anchors: HashMap<usize, u64>,
    /// Open collections: (anchor id, size so far).
    open: Vec<(usize, u64)>,
    /// Size of the document so far, aliases expanded.
    bytes: u64,
}

/// What a node costs beyond its text.
const NODE_BYTES: u64 = 8;

impl Expansion {
    fn on_event(&mut self, event: &Event) {
        match event {
            Event::Scalar(text, _, anchor, _) => {
                let size = text.len() as u64 + NODE_BYTES;
                self.node(*anchor, size);
                self.bytes = self.bytes.saturating_add(size);
            }
            Event::Alias(anchor) => {
                let size = self.anchors.get(anchor).copied().unwrap_or(NODE_BYTES);
                self.node(0, size);
                self.bytes = self.bytes.saturating_add(size);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.open.push((*anchor, NODE_BYTES));
                self.bytes = self.bytes.saturating_add(NODE_BYTES);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, size)) = self.open.pop() {
                    self.node(anchor, size);
                }
            }
            _ => {}
        }
    }

    /// A finished node of `size`: counted in its parent, and kept by its anchor.
    fn node(&mut self, anchor: usize, size: u64) {
        if anchor != 0 {
            self.anchors.insert(anchor, size);
        }
        if let Some((_, parent)) = self.open.last_mut() {
            *parent = parent.saturating_add(size);
        }
    }
}

/// A tag as written: `!!str` for the standard `tag:yaml.org,2002:str`.
fn tag_text(tag: &yaml_rust2::parser::Tag) -> String {
    match tag.handle.as_str() {
        "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
        handle => format!("{handle}{}", tag.suffix),
    }
}

fn position(m: &Marker) -> Position {
    Position {
        line: m.line(),
        column: m.col() + 1,
    }
}

/// One open collection in the event stream.
enum Frame {
    Mapping {
        path: String,
        pending_key: Option<String>,
        seen: BTreeSet<String>,
    },
    Sequence {
        path: String,
        next: usize,
    },
}

#[derive(Default)]
struct Indexer {
    stack: Vec<Frame>,
    found: Locations,
    /// Bytes of the field paths stored so far.
    path_bytes: usize,
    /// The document's size with aliases expanded.
    expansion: Expansion,
}

impl Indexer {
    /// Ends the indexing with an error at `mark`.
    fn stop(&mut self, message: &str, mark: &Marker) {
        self.found.syntax_error = Some((message.to_string(), position(mark)));
    }

    /// The path of the value that the next node fills, if the node is a value
    /// (not a mapping key); records its position.
    fn next_value_path(&mut self, at: Position) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                self.path_bytes += p.len();
                self.found.keys.entry(p.clone()).or_insert(at);
                Some(p)
            }
            Some(Frame::Mapping {
                path, pending_key, ..
            }) => {
                let key = pending_key.take()?;
                Some(if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                })
            }
        }
    }

    /// Handles a scalar: a key of the open mapping, or a value.
    fn scalar(&mut self, text: String, at: Position) {
        if let Some(Frame::Mapping {
            path,
            pending_key,
            seen,
        }) = self.stack.last_mut()
        {
            if pending_key.is_none() {
                if seen.is_empty() && path.ends_with(']') {
                    // A mapping in a sequence is marked late by its start event; its first key marks it best.
                    self.path_bytes += path.len();
                    self.found.keys.insert(path.clone(), at);
                }
                let full = if path.is_empty() {
                    text.clone()
                } else {
                    format!("{path}.{text}")
                };
                if !seen.insert(text.clone()) {
                    self.path_bytes += full.len();
                    self.found.duplicates.push((full.clone(), at));
                }
                self.path_bytes += full.len();
                self.found.keys.entry(full).or_insert(at);
                *pending_key = Some(text);
                return;
            }
        }
        if let Some(path) = self.next_value_path(at) {
            self.path_bytes += path.len();
            self.found.scalars.entry(path).or_insert(at);
        }
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = position(&mark);
        if let Event::Scalar(_, _, _, Some(tag))
        | Event::MappingStart(_, Some(tag))
        | Event::SequenceStart(_, Some(tag)) = &ev
        {
            if self.found.tags.len() < MAX_TAGS {
                self.found.tags.push((tag_text(tag), at));
            }
        }
        match ev {
            Event::Scalar(text, ..) => self.scalar(text, at),
            Event::Alias(_) => self.scalar(String::from("*alias"), at),
            Event::MappingStart(..) => {
                let path = self.next_value_path(at).unwrap_or_default();
                self.stack.push(Frame::Mapping {
                    path,
                    pending_key: None,
                    seen: BTreeSet::new(),
                });
            }
            Event::SequenceStart(..) => {
                let path = self.next_value_path(at).unwrap_or_default();
                self.stack.push(Frame::Sequence { path, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "vendor: x\nserverless:\n  - model: a\n    input_usd_per_mtok: 1\n  - model: b\n    input_usd_per_mtok: 2\ndedicated:\n  gpus:\n    h100-80gb: {usd_per_hour: 3}\n";

    #[test]
    fn finds_nested_fields_by_path() {
        let loc = Locations::of(DOC);
        assert_eq!(loc.find("vendor"), Some(Position { line: 1, column: 9 }));
        assert_eq!(
            loc.find("serverless"),
            Some(Position { line: 2, column: 1 })
        );
        assert_eq!(
            loc.find("serverless[1].input_usd_per_mtok"),
            Some(Position {
                line: 6,
                column: 25
            })
        );
        assert_eq!(
            loc.find("dedicated.gpus.h100-80gb"),
            Some(Position { line: 9, column: 5 })
        );
        assert_eq!(
            loc.find("dedicated.gpus.h100-80gb.usd_per_hour"),
            Some(Position {
                line: 9,
                column: 31
            })
        );
    }

    #[test]
    fn a_missing_field_points_at_its_parent() {
        let loc = Locations::of(DOC);
        assert_eq!(
            loc.find("serverless[1].output_usd_per_mtok"),
            Some(Position { line: 5, column: 5 })
        );
    }

    #[test]
    fn records_tags_with_their_position() {
        let loc = Locations::of("a: !!str 1\nb: !x {c: 2}\n");
        let tags: Vec<(&str, usize, usize)> = loc
            .tags
            .iter()
            .map(|(t, p)| (t.as_str(), p.line, p.column))
            .collect();
        assert_eq!(tags, vec![("!!str", 1, 10), ("!x", 2, 7)], "{:?}", loc.tags);
    }

    #[test]
    fn reports_duplicate_keys() {
        let loc = Locations::of("a: 1\nb: 2\na: 3\n");
        assert_eq!(
            loc.duplicates,
            vec![("a".to_string(), Position { line: 3, column: 1 })]
        );
    }
}
