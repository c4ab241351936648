//! The HTML reports: the Markdown body turned into HTML by pulldown-cmark
//! (the one place its options are set), each chart image replaced by the
//! chart's SVG inline, links to `.md` files pointed at their `.html` twins,
//! and the result wrapped in a page with inline CSS. The page loads nothing:
//! no scripts, no images, no fonts, no style sheets (its Content Security
//! Policy says so to the browser too).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::figures::Figure;
use super::markdown;

/// The Markdown dialect of every report: CommonMark with tables.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
}

/// A whole HTML page: `title`, and the Markdown `body` with `figures` inline.
pub(crate) fn page(title: &str, body: &str, figures: &[Figure]) -> String {
    /// The page's values.
    #[derive(serde::Serialize)]
    struct Page {
        /// The page's only value outside the Markdown body; escaped here for
        /// HTML, since the shared escape function writes Markdown escapes.
        title: String,
        body: String,
    }
    let page = Page {
        title: markdown::escape_html(title),
        body: to_html(body, figures),
    };
    markdown::render("page.html.jinja", &page)
}

/// Markdown to HTML. Raw HTML in the Markdown (which the templates never
/// write, and which escaped profile values cannot produce) is shown as text.
pub(crate) fn to_html(body: &str, figures: &[Figure]) -> String {
    let mut events = Vec::new();
    let mut in_image = false;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                in_image = true;
                if let Some(f) = figures.iter().find(|f| *f.view.file == *dest_url) {
                    events.push(Event::InlineHtml(CowStr::from(inline_svg(f))));
                }
            }
            Event::End(TagEnd::Image) => in_image = false,
            // The alt text of an image: the inline SVG carries its own title.
            _ if in_image => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => events.push(Event::Start(Tag::Link {
                link_type,
                dest_url: html_twin(dest_url),
                title,
                id,
            })),
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut out, events.into_iter());
    out
}

/// The chart inside a block with an id (`#cost-by-option`) to link to.
fn inline_svg(f: &Figure) -> String {
    let id = f.view.file.trim_end_matches(".svg");
    format!(
        "<span class=\"chart\" id=\"{id}\">{}</span>",
        f.svg.trim_end()
    )
}

/// `support-chat/report.md` -> `support-chat/report.html`; other links unchanged.
fn html_twin(dest: CowStr<'_>) -> CowStr<'_> {
    let relative = !dest.contains("://") && !dest.starts_with('/');
    match dest.strip_suffix(".md") {
        Some(stem) if relative => CowStr::from(format!("{stem}.html")),
        _ => dest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_markdown_is_shown_as_text() {
        let html = to_html(
            "a <img src=x onerror=alert(1)> b\n\n<script>x</script>\n",
            &[],
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
    }

    #[test]
    fn links_to_markdown_reports_point_at_html() {
        let html = to_html(
            "[a](x/report.md) [b](../index.md) [c](https://e.com/r.md)",
            &[],
        );
        assert!(html.contains("href=\"x/report.html\""), "{html}");
        assert!(html.contains("href=\"../index.html\""), "{html}");
        assert!(html.contains("href=\"https://e.com/r.md\""), "{html}");
    }

    #[test]
    fn tables_are_on() {
        let html = to_html("| a | b |\n|---|--:|\n| 1 | 2 |\n", &[]);
        assert!(html.contains("<table>"), "{html}");
    }

    #[test]
    fn unknown_images_load_nothing() {
        let html = to_html("![x](https://tracker.example/pixel.png)", &[]);
        assert!(!html.contains("<img"), "{html}");
    }
}
