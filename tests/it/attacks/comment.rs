//! Attack 2: profile text that would take over the pull-request comment or
//! the workflow log, rendered through a real GFM renderer.

use super::*;

/// Text a hostile pull request puts in its profiles: raw HTML, an HTML
/// comment that would hide the rest of the comment, a forged marker, an
/// image and a link that load from or point to another host, a mention, a
/// bare URL and a `www.` autolink, an issue reference, an emoji shortcode,
/// emphasis, math, backticks that would close a code span or fence, and a
/// pipe that would add a table cell.
const HOSTILE: &str = "Evil <!-- infercost-diff --> <img src=\"https://evil.example/i.png\"> \
![x](https://evil.example/p.png) [click](https://evil.example) @octocat www.evil.example \
https://evil.example/u x@evil.example #1 :smile: *em* $x^2$ ``` `` ` | <script>alert(1)</script> &amp;";

/// [`HOSTILE`] within the length limit of a name.
const NAME: &str = "Evil <!-- infercost-diff --> <img src=\"https://evil.example/i.png\"> [a](https://e.example) @octocat $x^2$ #1";

/// [`HOSTILE`] within the length limit of a tier.
const TIER: &str = "x``` `` ` | :smile: www.evil.example *em* &amp;";

/// `markdown` through cmark-gfm; `None` (SKIPPED printed) without it outside CI.
fn gfm(markdown: &str) -> Option<String> {
    crate::common::gfm(markdown, "the GFM rendering of the comment-escaping tests")
}

/// The elements and attributes infercost's own Markdown produces; anything
/// else in the HTML came from profile text.
const OWN_TAGS: &[&str] = &[
    "h3", "h4", "p", "strong", "code", "pre", "ul", "li", "table", "thead", "tbody", "tr", "th",
    "td", "details", "summary",
];
const OWN_ATTRIBUTES: &[&str] = &["align=\"right\"", "class=\"language-text\""];

/// Every tag of `html`: (name, attributes), closing tags included.
fn tags(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').expect("tags close");
        let inside = rest[start + 1..end].trim_start_matches('/');
        let (name, attributes) = inside.split_once(' ').unwrap_or((inside, ""));
        found.push((name.to_string(), attributes.trim().to_string()));
        rest = &rest[end + 1..];
    }
    found
}

/// The text of `html` outside `<code>` and `<pre>`: where GitHub links
/// mentions, references, URLs and emoji.
fn text_outside_code(html: &str) -> String {
    let mut text = String::new();
    let mut depth = 0;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        if depth == 0 {
            text.push_str(&rest[..start]);
        }
        let end = start + rest[start..].find('>').unwrap();
        match &rest[start..=end] {
            "<code>" | "<pre>" => depth += 1,
            t if t.starts_with("<code ") || t.starts_with("<pre ") => depth += 1,
            "</code>" | "</pre>" => depth -= 1,
            _ => {}
        }
        rest = &rest[end + 1..];
    }
    text + rest
}

fn assert_inert(markdown: &str) {
    assert!(!markdown.contains("<!--"), "{markdown}");
    let Some(html) = gfm(markdown) else {
        return;
    };
    for (name, attributes) in tags(&html) {
        assert!(
            OWN_TAGS.contains(&name.as_str()),
            "<{name}> from profile text in\n{html}"
        );
        assert!(
            attributes.is_empty() || OWN_ATTRIBUTES.contains(&attributes.as_str()),
            "attributes {attributes:?} from profile text in\n{html}"
        );
    }
    let text = text_outside_code(&html);
    // GitHub links these in rendered text (no `<a>` here proves the
    // autolink extension left `www.` and URLs alone).
    for linked in ["@octocat", "@evil", "#1", ":smile:", "://"] {
        assert!(!text.contains(linked), "{linked:?} would link in {text}");
    }
    assert!(
        !markdown.contains("$x^2$") || !text.contains("$x^2$"),
        "{text}"
    );
    // Visible, though inert: the name reads as written.
    assert!(
        html.contains("Evil &lt;!") && html.contains("-- infercost-diff --&gt; &lt;img src="),
        "{html}"
    );
}

/// Attack 2: hostile names, tiers, ids, field paths, values and price-change
/// texts, in an added vendor and in changed fields.
#[test]
fn hostile_profile_text_renders_inert_through_gfm() {
    let tmp = sides();
    let head = tmp.path().join("head");
    // Names and tiers have length limits (120 and 60 characters); the
    // price-change text and the description take the whole string.
    let quoted = serde_json::to_string(HOSTILE).unwrap();
    let name = serde_json::to_string(NAME).unwrap();
    let tier = serde_json::to_string(TIER).unwrap();
    std::fs::write(
        head.join("vendors/www.evil.example.yaml"),
        format!(
            "vendor: www.evil.example\nname: {name}\nsegment: api-marketplace\npositioning: cheap\n\
             as_of: 2026-05-01\nsources: [https://evil.example/p.png]\nmodalities: [text]\n\
             serverless:\n  - model: llama-3.3-70b\n    tier: {tier}\n    input_usd_per_mtok: 0.1\n    output_usd_per_mtok: 0.1\n"
        ),
    )
    .unwrap();
    let api = head.join("vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("name: Token API", &format!("name: {name}")) + &format!(
            "price_changes:\n  - date: 2026-05-01\n    change: {quoted}\n    source: https://evil.example/p.png\n"
        ),
    )
    .unwrap();
    let chat = head.join("workloads/chat.yaml");
    let text = std::fs::read_to_string(&chat).unwrap();
    std::fs::write(
        &chat,
        text.replace(
            "description: A flat 100,000 requests a day of 1,000 tokens in and 1,000 out.",
            &format!("description: {quoted}"),
        ),
    )
    .unwrap();

    let out = infercost(
        &["diff", "--base", "dir:base", "--head", "dir:head"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let markdown = stdout(&out);
    for part in [
        "Profile changes",
        "Added: vendor",
        "`name`",
        "`description`",
        "price_changes",
    ] {
        assert!(markdown.contains(part), "missing {part} in\n{markdown}");
    }
    assert_inert(&markdown);
}

/// Attack 2, the error path: an invalid value quoted in the error message
/// carries line breaks that would start workflow commands in the log and a
/// fence that would close the comment's code block.
#[test]
fn error_messages_cannot_close_their_fence_or_run_workflow_commands() {
    let tmp = sides();
    let api = tmp.path().join("head/vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    let value = format!("cheap\n::error::pwned\n````\n{HOSTILE}");
    let quoted = serde_json::to_string(&value).unwrap();
    std::fs::write(
        &api,
        text.replace("segment: api-marketplace", &format!("segment: {quoted}")),
    )
    .unwrap();
    let out = infercost(
        &["diff", "--base", "dir:base", "--head", "dir:head"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let markdown = stdout(&out);
    assert!(
        markdown.starts_with("### infercost diff failed\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("segment: unknown value `cheap\\u{a}::error::pwned"),
        "{markdown}"
    );
    assert_inert(&markdown);
    // One fenced block, holding the whole message.
    if let Some(html) = gfm(&markdown) {
        assert_eq!(html.matches("<pre>").count(), 1);
    }
    for output in [&markdown, &stderr(&out)] {
        assert!(
            output.lines().all(|l| !l.trim_start().starts_with("::")),
            "a line could run a workflow command:\n{output}"
        );
    }
}
