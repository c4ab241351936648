//! A diff's Markdown cut to fit a pull-request comment (GitHub refuses a
//! comment over 65,536 characters): whole lines are kept up to the limit,
//! a `<details>` block or code fence left open is closed, and a note says
//! how much was left out and where the whole diff is. Pure.

/// `markdown` if it is at most `max_bytes` long; else its first lines, the
/// blocks they leave open closed, and a note ending with `pointer` (where
/// to read the whole diff), all within `max_bytes` when that leaves room
/// for the note.
pub(crate) fn cut(markdown: &str, max_bytes: usize, pointer: &str) -> String {
    if markdown.len() <= max_bytes {
        return markdown.to_string();
    }
    let note = |kept: usize| {
        format!(
            "\n**This diff is cut**: it is {} bytes, over the {max_bytes}-byte limit of this comment; \
             the first {kept} bytes are shown. {pointer}\n",
            markdown.len()
        )
    };
    // The note's length barely depends on `kept`: reserve it at its longest.
    let longest = note(markdown.len());
    if longest.len() > max_bytes {
        return short_note(markdown.len(), max_bytes, pointer);
    }
    let room = max_bytes - longest.len();
    let (mut kept, mut fence, mut details) = (0, None::<String>, 0usize);
    let mut closers = String::new();
    for line in markdown.split_inclusive('\n') {
        let (next_fence, next_details) = track(line, fence.clone(), details);
        let next_closers = closing(next_fence.as_deref(), next_details);
        if kept + line.len() + next_closers.len() > room {
            break;
        }
        kept += line.len();
        (fence, details, closers) = (next_fence, next_details, next_closers);
    }
    format!("{}{closers}{}", &markdown[..kept], note(kept))
}

/// A limit too small for the note: no line of the diff, and the longest of
/// a shorter note, its bare title, or as much of the title as fits (nothing
/// for a limit of 0), so that the output never passes `max_bytes`.
fn short_note(len: usize, max_bytes: usize, pointer: &str) -> String {
    const TITLE: &str = "**This diff is cut**\n";
    let shorter = format!("**This diff is cut** ({len} bytes). {pointer}\n");
    if shorter.len() <= max_bytes {
        return shorter;
    }
    // TITLE is ASCII: any prefix is whole characters.
    TITLE[..TITLE.len().min(max_bytes)].to_string()
}

/// The open fence and `<details>` depth after `line`.
fn track(line: &str, fence: Option<String>, details: usize) -> (Option<String>, usize) {
    let trimmed = line.trim_end();
    match fence {
        Some(f) if trimmed == f => (None, details),
        Some(f) => (Some(f), details),
        None if trimmed.starts_with("```") => {
            let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
            (Some("`".repeat(ticks)), details)
        }
        None if trimmed.starts_with("<details>") => (None, details + 1),
        None if trimmed.starts_with("</details>") => (None, details.saturating_sub(1)),
        None => (None, details),
    }
}

/// What closes an open fence and `details` open `<details>` blocks.
fn closing(fence: Option<&str>, details: usize) -> String {
    let mut out = String::new();
    if let Some(f) = fence {
        out.push_str(f);
        out.push('\n');
    }
    out.push_str(&"\n</details>\n".repeat(details));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(cut("a\nb\n", 4, "x"), "a\nb\n");
    }

    #[test]
    fn a_long_text_is_cut_at_a_line_and_its_blocks_closed() {
        let text = format!(
            "head\n<details><summary>s</summary>\n\n{}</details>\n",
            "| row |\n".repeat(100)
        );
        let out = cut(&text, 300, "See the artifact.");
        assert!(out.len() <= 300, "{} bytes", out.len());
        assert!(out.starts_with("head\n<details>"));
        assert!(
            out.contains("| row |\n\n</details>\n\n**This diff is cut**"),
            "{out}"
        );
        assert!(out.ends_with("See the artifact.\n"));
        let fenced = format!("x\n````text\n{}````\n", "line\n".repeat(100));
        let out = cut(&fenced, 250, "");
        assert!(out.contains("line\n````\n\n**This diff is cut**"), "{out}");
    }

    #[test]
    fn a_limit_below_the_note_keeps_a_shorter_note_within_it() {
        let text = "x\n".repeat(100); // 200 bytes
        assert_eq!(
            cut(&text, 60, "See CI."),
            "**This diff is cut** (200 bytes). See CI.\n"
        );
        assert_eq!(cut(&text, 30, "See CI."), "**This diff is cut**\n");
        assert_eq!(cut(&text, 5, "See CI."), "**Thi");
        assert_eq!(cut(&text, 0, "See CI."), "");
    }
}
