//! The Markdown reports: `index.md` and `<workload>/report.md`, rendered from
//! the view structs with the Jinja-style templates in `templates/` (minijinja), which are
//! compiled into the binary. Every value is autoescaped so that a name from
//! a profile reads as text in Markdown and stays text once turned into HTML.

use std::sync::OnceLock;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::view::{IndexView, WorkloadView};

/// The templates, compiled into the binary.
const TEMPLATES: [(&str, &str); 3] = [
    (
        "index.md.jinja",
        include_str!("../../templates/index.md.jinja"),
    ),
    (
        "workload.md.jinja",
        include_str!("../../templates/workload.md.jinja"),
    ),
    (
        "page.html.jinja",
        include_str!("../../templates/page.html.jinja"),
    ),
];

/// The one template environment, built on first use. The templates keep
/// their final newline, and every value is written through [`escape`]
/// unless a template marks it `safe`.
pub(crate) fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // A fixed, valid configuration: building it cannot fail.
        let mut syntax = SyntaxConfig::builder();
        syntax.keep_trailing_newline(true);
        if let Ok(syntax) = syntax.build() {
            env.set_syntax(syntax);
        }
        // A field a template reads that the view lacks is an error, not an empty string.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::Custom("markdown".into()));
        env.set_formatter(|out, state, value| {
            let text = shown(value);
            match state.auto_escape() {
                AutoEscape::None => out.write_str(&text),
                _ if value.is_safe() => out.write_str(&text),
                _ => out.write_str(&escape(&text)),
            }
            .map_err(minijinja::Error::from)
        });
        // The templates are constants; `templates_compile` in the tests proves they parse.
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                panic!("a bundled template does not compile: {e:?}");
            }
        }
        env
    })
}

/// A value as text: strings as they are, nothing for null.
fn shown(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None if value.is_none() || value.is_undefined() => String::new(),
        None => value.to_string(),
    }
}

/// Renders a template; the view structs always carry every field a template
/// reads, so an error here is a template bug that the golden tests catch.
pub(crate) fn render(template: &str, context: &impl Serialize) -> String {
    let rendered = templates()
        .get_template(template)
        .and_then(|t| t.render(Serde(context)));
    match rendered {
        Ok(text) => text,
        Err(e) => panic!("template {template} failed: {e:?}"),
    }
}

/// `index.md`: every workload's pick.
pub(crate) fn index(view: &IndexView) -> String {
    render("index.md.jinja", view)
}

/// `<workload>/report.md`.
pub(crate) fn workload(view: &WorkloadView) -> String {
    render("workload.md.jinja", view)
}

/// Escapes a value for Markdown text that may later become HTML: a `<`
/// that could open a tag, comment or autolink, an `&` that could start a
/// character reference and a `>` that starts the value (a block quote) get
/// a backslash, as the diff's escaping does (`src/diff/escape.rs`), while
/// `<0.01%` and `$7 -> $8` read as written, and the characters
/// Markdown would read as syntax get a backslash (`*`, `` ` ``, `[`, `]`,
/// `|`, `\`, `~`, an `_` at a word edge, and a `#`, `-`, `+`, `=` or
/// `1.` that starts the value). Line breaks become spaces, so a value can
/// neither end a table row nor start a block.
pub(crate) fn escape(input: &str) -> String {
    let chars: Vec<char> = input.chars().collect();
    let mut out = String::with_capacity(input.len() + 8);
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' if opens_markup(chars.get(i + 1)) => out.push_str("\\<"),
            '&' if starts_reference(&chars[i + 1..]) => out.push_str("\\&"),
            '>' if i == 0 => out.push_str("\\>"),
            '\n' | '\r' => out.push(' '),
            // A `~` after a space and before a letter or digit (`~60,000`)
            // can only open a strikethrough, never close one: left as is.
            '~' if (i == 0 || chars[i - 1].is_whitespace()) && word(chars.get(i + 1)) => {
                out.push(c)
            }
            '*' | '`' | '[' | ']' | '|' | '\\' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(i > 0 && word(chars.get(i - 1)) && word(chars.get(i + 1))) => {
                out.push_str("\\_")
            }
            '#' | '-' | '+' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            // `1.` or `1)` at the start, then a space or the end, would
            // open an ordered list (`8.2%` would not).
            '.' | ')'
                if i > 0
                    && chars[..i].iter().all(char::is_ascii_digit)
                    && chars.get(i + 1).is_none_or(|n| n.is_whitespace()) =>
            {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Whether a `<` followed by `next` could open a tag, a closing tag, a
/// comment, a processing instruction or an autolink (all start with a
/// letter, `/`, `!` or `?`); `<0.01%` or `< 5` cannot.
fn opens_markup(next: Option<&char>) -> bool {
    next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
}

/// Whether the characters after an `&` make a character reference
/// (`&amp;`, `&#60;`, `&#x3C;`): a name or number, then `;`.
fn starts_reference(after: &[char]) -> bool {
    let name = after
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && after.get(name) == Some(&';')
}

/// Escapes text for HTML.
pub(crate) fn escape_html(input: &str) -> String {
    input
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_compile() {
        for (name, _) in TEMPLATES {
            assert!(templates().get_template(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn escaped_text_renders_as_the_same_characters() {
        for text in [
            "~5 turns ~1,200 tokens",
            "8.2% of requests",
            "a~b~ c",
            "1. first",
        ] {
            let html = crate::report::html::to_html(&escape(text), &[]);
            assert!(
                !html.contains("<del>") && !html.contains("<ol"),
                "{text}: {html}"
            );
            let shown = html.replace("<p>", "").replace("</p>", "");
            assert_eq!(shown.trim(), text, "{text}");
        }
    }

    #[test]
    fn html_in_a_name_is_escaped() {
        assert_eq!(
            escape("<img src=x onerror=alert(1)>"),
            r"\<img src=x onerror=alert(1)>"
        );
        assert_eq!(escape("a</b>"), r"a\</b>");
        assert_eq!(escape("<!-- x -->"), r"\<!-- x -->");
        assert_eq!(escape("&amp; &#60;"), r"\&amp; \&#60;");
        assert_eq!(escape("> quoted"), r"\> quoted");
        let html = crate::report::html::to_html(&escape("<img src=x> &amp;"), &[]);
        assert_eq!(html.trim(), "<p>&lt;img src=x&gt; &amp;amp;</p>");
    }

    #[test]
    fn comparisons_and_arrows_read_as_written() {
        // Markdown is the output here: an HTML entity would show as
        // `&lt;0.01%` to anyone reading the file.
        for text in ["<0.01%", "$7 -> $8", "a < b & c", "B&B", "x >= 5"] {
            let escaped = escape(text);
            assert_eq!(escaped, text, "{text}");
            let html = crate::report::html::to_html(&escaped, &[]);
            let shown = html
                .trim()
                .trim_start_matches("<p>")
                .trim_end_matches("</p>")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            assert_eq!(shown, text, "{text}: {html}");
        }
    }

    #[test]
    fn markdown_syntax_in_a_name_stays_text() {
        assert_eq!(escape("a|b *c* [d](e)"), r"a\|b \*c\* \[d\](e)");
        assert_eq!(escape("# big"), r"\# big");
        assert_eq!(escape("1. first"), r"1\. first");
        // A `~` that can only open a strikethrough stays as is; one that
        // could close it is escaped.
        assert_eq!(escape("~5 turns ~1,200"), "~5 turns ~1,200");
        assert_eq!(escape("a~b~"), r"a\~b\~");
        // A decimal point is not an ordered list.
        assert_eq!(escape("8.2% of requests"), "8.2% of requests");
        assert_eq!(escape("1."), r"1\.");
        assert_eq!(escape("line\nbreak"), "line break");
    }

    #[test]
    fn ordinary_text_reads_unchanged() {
        assert_eq!(escape("cached_input_share 0.6"), "cached_input_share 0.6");
        assert_eq!(escape("$1,234/month, 42% below"), "$1,234/month, 42% below");
        assert_eq!(escape("llama-3.3-70b"), "llama-3.3-70b");
        assert_eq!(escape("_private"), r"\_private");
        assert_eq!(escape("\"quoted\""), "\"quoted\"");
    }
}
