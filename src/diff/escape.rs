//! Profile text made inert for a GitHub comment. Every string a profile
//! controls (names, ids, tiers, field paths, values, error messages) goes
//! through [`text`], [`code`] or [`fence`] before it reaches the Markdown of
//! `infercost diff`, so that a hostile pull request can neither hide part of
//! the comment (raw HTML, an HTML comment, a fake marker), nor close a code
//! span or fence, nor mention anyone, nor load an image or point a link
//! anywhere, nor open GitHub math. Pure string functions; the tests of
//! `tests/it/attacks/` render the result with a real GFM renderer.

/// What replaces a control character or a bidi override: they could end a
/// table row, reach a terminal or reverse the rest of a line.
const REPLACEMENT: char = '\u{FFFD}';

/// A zero-width joiner, put after `@`, `#` and `:` so that GitHub links no
/// mention, issue reference, URL scheme or emoji shortcode.
const JOINER: char = '\u{200D}';

use crate::profile::text::is_bidi_control;

/// Control characters and bidi controls replaced, so that one string is
/// one line that reads in order.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                REPLACEMENT
            } else {
                c
            }
        })
        .collect()
}

/// `s` as plain Markdown text, fit for a paragraph, a list item or a table
/// cell: the ASCII punctuation that Markdown or HTML reads is escaped with a
/// backslash, and a joiner follows `@`, `#` and `:` (GitHub links mentions,
/// references and emoji in rendered text, where a backslash no longer
/// shows), and the `.` of `www.` is escaped (the autolink extension).
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '!' | '|' | '<' | '>'
            | '$' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '@' | '#' | ':' => {
                out.push('\\');
                out.push(c);
                out.push(JOINER);
            }
            '.' if out.to_ascii_lowercase().ends_with("www") => out.push_str("\\."),
            _ => out.push(c),
        }
    }
    out
}

/// `s` as a code span, fit for a table cell: delimited by one backtick more
/// than the longest run of backticks in it (padded with spaces when it
/// starts or ends with one), `|` escaped as GFM tables require even inside
/// code, and `<!--` broken by a joiner. An empty string shows as `(empty)`.
pub(crate) fn code(s: &str) -> String {
    // `<!--` cannot open a comment in a code span, but written as is it
    // would forge the marker that finds the comment again.
    let s = clean(s).replace('|', "\\|").replace("<!--", "<!\u{200D}--");
    if s.is_empty() {
        return "(empty)".to_string();
    }
    let ticks = "`".repeat(longest_run(&s, '`') + 1);
    let pad = if s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// `body` as a fenced code block with info string `lang`: the fence is
/// longer than any run of backticks in the body, so no line can close it.
/// Control characters other than line breaks and tabs are replaced, and
/// `<!--` is broken as in [`code`].
pub(crate) fn fence(lang: &str, body: &str) -> String {
    let body: String = body
        .chars()
        .map(|c| {
            if (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c) {
                REPLACEMENT
            } else {
                c
            }
        })
        .collect();
    let body = body.replace("<!--", "<!\u{200D}--");
    let ticks = "`".repeat((longest_run(&body, '`') + 1).max(3));
    let body = body.trim_end_matches('\n');
    format!("{ticks}{lang}\n{body}\n{ticks}\n")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_breaks_links() {
        assert_eq!(text("chat"), "chat");
        assert_eq!(text("a<!--b"), "a\\<\\!--b");
        assert_eq!(text("@octocat"), "\\@\u{200D}octocat");
        assert_eq!(text("see www.x.com"), "see www\\.x.com");
        assert_eq!(text("https://x"), "https\\:\u{200D}//x");
        assert_eq!(text("x\ny\u{202E}"), "x\u{FFFD}y\u{FFFD}");
    }

    #[test]
    fn code_spans_outlast_the_backticks_inside() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code(""), "(empty)");
    }

    #[test]
    fn fences_outlast_the_backticks_inside() {
        assert_eq!(fence("text", "a\n"), "```text\na\n```\n");
        assert_eq!(fence("text", "````\n"), "`````text\n````\n`````\n");
    }
}
