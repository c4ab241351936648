//! Errors in profiles: each names the file, the line and column where the
//! YAML gives one, the field path and what was expected. A run collects all
//! of them and prints them together.

use std::fmt;

/// One problem in one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: String,
    /// Line and column, from 1, when known.
    pub position: Option<(usize, usize)>,
    /// Field path (`serverless[0].input_usd_per_mtok`); empty for the whole file.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// The source line the position points at, or a window of it around
    /// the column when the line is long.
    pub excerpt: Option<String>,
}

/// Longest excerpt shown, and longest message, in characters: a minified
/// one-line file must not print a megabyte of source, nor of spaces before
/// the caret.
const MAX_EXCERPT: usize = 120;
const MAX_MESSAGE: usize = 400;

/// `text` with control characters (but tabs) and bidi controls written as
/// `\u{..}` escapes: an error is printed to terminals and CI logs, where a
/// raw line break could start a workflow command (`::`), an escape sequence
/// could drive the terminal and a bidi override reverse the rest of a line.
pub(crate) fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\t') || super::text::is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text`, made [`visible`] and cut to `max` characters with an ellipsis.
fn clip(text: String, max: usize) -> String {
    let text = visible(&text);
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// The part of `line` to show around `column`: from its start, or from
/// half a window before the column, after an ellipsis.
fn window(line: &str, column: usize) -> String {
    let line = visible(line.trim_end());
    let skip = column.saturating_sub(MAX_EXCERPT / 2);
    if skip == 0 {
        return line.chars().take(MAX_EXCERPT).collect();
    }
    let shown: String = line.chars().skip(skip).take(MAX_EXCERPT).collect();
    format!("…{shown}")
}

/// The caret's column under the excerpt of [`window`].
fn caret(column: usize) -> usize {
    if column > MAX_EXCERPT / 2 {
        MAX_EXCERPT / 2 + 1
    } else {
        column
    }
}

impl Diagnostic {
    /// A problem with the whole file (unreadable, too large, not UTF-8).
    pub fn file(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: visible(file),
            position: None,
            path: String::new(),
            message: clip(message.into(), MAX_MESSAGE),
            excerpt: None,
        }
    }

    /// A problem at a position of a file's text.
    pub fn at(
        file: &str,
        text: &str,
        position: Option<(usize, usize)>,
        path: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let excerpt = position.and_then(|(line, column)| {
            let text = text.lines().nth(line.saturating_sub(1))?;
            Some(window(text, column))
        });
        Diagnostic {
            file: visible(file),
            position,
            path: clip(path.to_string(), MAX_MESSAGE),
            message: clip(message.into(), MAX_MESSAGE),
            excerpt,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": {}", self.path)?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some((line, column)), Some(excerpt)) = (self.position, &self.excerpt) {
            let gutter = line.to_string().len();
            let caret = caret(column);
            write!(
                f,
                "\n {:gutter$} |\n {line} | {excerpt}\n {:gutter$} | {:>caret$}",
                "", "", "^"
            )?;
        }
        Ok(())
    }
}

/// Every problem found in a set of profiles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProfileErrors(pub Vec<Diagnostic>);

impl fmt::Display for ProfileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the profiles:",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.0 {
            writeln!(f, "\n{d}")?;
        }
        Ok(())
    }
}
