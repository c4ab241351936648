//! Issue 19, attack 1: a poisoned price map whose ids carry line breaks,
//! workflow commands (`::warning`) and terminal escapes. Everything the
//! import prints, on stdout and in its errors, shows them as `\u{..}`
//! escapes: no line of the output starts with `::`, none holds an ESC.

use super::*;
use crate::import::{import, scratch};

/// No raw control character but line ends, and no line that starts a
/// workflow command.
fn assert_inert(text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "a raw control character in:\n{text}"
    );
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("::")),
        "a workflow command in:\n{text}"
    );
}

#[test]
fn map_ids_with_line_breaks_and_escapes_print_inert() {
    let dir = scratch();
    let evil = r#"groq/evil\n::warning file=x::Approved by security team\u001b[2J"#;
    let map = litellm_map(
        dir.path(),
        &[
            &groq_oss(""),
            &format!(
                r#""{evil}": {{"litellm_provider": "groq", "input_cost_per_token": 1e-07, "output_cost_per_token": 1e-07}}"#
            ),
        ],
    );
    let out = import(dir.path(), "litellm", &map, &["--verbose"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_inert(&stdout(&out));
    assert!(
        stdout(&out).contains(r"unmapped  litellm groq/evil\u{a}::warning file=x::Approved by security team\u{1b}[2J: no canonical id"),
        "{}",
        stdout(&out)
    );

    // The same id in an error's location, and a date the map controls in its message.
    let map = litellm_map(
        dir.path(),
        &[&format!(
            r#""{evil}": {{"litellm_provider": "groq", "input_cost_per_token": 1e-07, "output_cost_per_token": 1e-07, "deprecation_date": "\n::error::x"}}"#
        )],
    );
    let out = import(dir.path(), "litellm", &map, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_inert(&stderr(&out));
    assert!(
        stderr(&out).contains(r"`groq/evil\u{a}::warning file=x::Approved by security team\u{1b}[2J`: deprecation_date `\u{a}::error::x` is not a date YYYY-MM-DD"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn genai_prices_ids_print_inert_too() {
    let dir = scratch();
    let map = dir.path().join("genai.json");
    std::fs::write(
        &map,
        r#"[{"id": "fireworks", "models": [{"id": "evil\n::notice::pwned\u001b]8;;https://x\u0007", "prices": {"input_mtok": 1, "output_mtok": 2}}]}]"#,
    )
    .unwrap();
    let out = import(dir.path(), "genai-prices", &map, &["--verbose"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_inert(&stdout(&out));
    assert!(
        stdout(&out).contains(r"unmapped  genai-prices fireworks/evil\u{a}::notice::pwned\u{1b}]8;;https://x\u{7}: no canonical id"),
        "{}",
        stdout(&out)
    );
}
