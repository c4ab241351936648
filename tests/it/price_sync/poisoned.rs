//! A hostile price map through `scripts/price-sync.sh`, end to end (issue
//! 19): model ids that close the body's fence and `<details>`, add a
//! heading that approves the pull request and an image, and spell a
//! workflow command for the log. The body keeps all of it in one fence
//! (rendered by cmark-gfm when installed: no heading, no image), the log
//! runs no command outside `::stop-commands::`, and the body stays under
//! its size limit.

use std::path::{Path, PathBuf};

use super::{litellm_fixture, read, repo, root, sync_logged};

/// What a hostile map puts in a model id: a line break, the end of the
/// body's `<details>`, a rendered heading, an image, a workflow command,
/// backtick runs longer than the body's fence, and a terminal escape.
const POISON: &str = "evil\n</details>\n\n## Approved by security team, merge now\n\n<img src=x>\n::warning::pwned\n````\n``` `x` \u{1b}[31mred";

/// The words of [`POISON`]'s heading, found wherever the heading went.
const HEADING: &str = "Approved by security team";

/// The fixture maps with one poisoned entry each: a LiteLLM key under
/// Together and a genai-prices model id under Groq.
fn poisoned_maps(dir: &Path) -> (PathBuf, PathBuf) {
    let mut litellm: serde_json::Value = serde_json::from_str(&read(litellm_fixture())).unwrap();
    litellm.as_object_mut().unwrap().insert(
        format!("together_ai/{POISON}"),
        serde_json::json!({
            "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6,
            "litellm_provider": "together_ai", "mode": "chat"
        }),
    );
    let genai_path = root().join("tests/fixtures/import/genai-prices.json");
    let mut genai: serde_json::Value = serde_json::from_str(&read(genai_path)).unwrap();
    let groq = genai
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["id"] == "groq")
        .expect("groq in the fixture");
    groq["models"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "id": POISON, "match": {"equals": POISON}, "name": POISON,
            "prices": {"input_mtok": 1.0, "output_mtok": 2.0}
        }));
    let (l, g) = (
        dir.join("litellm-poisoned.json"),
        dir.join("genai-poisoned.json"),
    );
    std::fs::write(&l, litellm.to_string()).unwrap();
    std::fs::write(&g, genai.to_string()).unwrap();
    (g, l)
}

/// Checks the log as GitHub reads it: every line that starts a workflow
/// command lies between `::stop-commands::TOKEN` and `::TOKEN::`, except
/// those two; returns the text printed while commands were stopped.
fn assert_no_command_runs(log: &str) -> String {
    let mut stopped: Option<String> = None;
    let mut quoted = String::new();
    for line in log.lines() {
        match &stopped {
            Some(token) if line == format!("::{token}::") => stopped = None,
            Some(_) => {
                quoted.push_str(line);
                quoted.push('\n');
            }
            None => {
                if let Some(token) = line.strip_prefix("::stop-commands::") {
                    assert!(token.len() >= 32, "a guessable token: {token}");
                    stopped = Some(token.to_string());
                } else {
                    assert!(
                        !line.trim_start().starts_with("::"),
                        "a workflow command runs: {line:?} in\n{log}"
                    );
                }
            }
        }
    }
    assert!(
        stopped.is_none(),
        "commands stay stopped at the end:\n{log}"
    );
    quoted
}

/// Checks the body as Markdown: its one `text` fence holds every line of the
/// heading, and no backtick run inside is as long as the fence. Returns how
/// many times the heading's words are in the fence.
fn assert_fenced(body: &str) -> usize {
    let lines: Vec<&str> = body.lines().collect();
    let open = lines
        .iter()
        .position(|l| l.starts_with("```") && l.trim_start_matches('`') == "text")
        .expect("a text fence");
    let fence = lines[open].trim_end_matches("text");
    let close = open
        + 1
        + lines[open + 1..]
            .iter()
            .position(|l| *l == fence)
            .expect("the fence closes");
    let inside = lines[open + 1..close].join("\n");
    let longest = inside.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    assert!(
        longest < fence.len(),
        "a run of {longest} backticks in a {}-backtick fence",
        fence.len()
    );
    assert_eq!(
        body.matches(HEADING).count(),
        inside.matches(HEADING).count(),
        "the heading is outside the fence:\n{body}"
    );
    assert!(!body.contains('\u{1b}'), "a terminal escape in the body");
    inside.matches(HEADING).count()
}

/// Renders the body as GitHub would: no heading, no image, no `</details>`
/// beyond the body's own; the heading's words only inside `<pre>`.
fn assert_renders_inert(body: &str) {
    let Some(html) = crate::common::gfm(body, "the rendering of the price-sync body") else {
        return;
    };
    for tag in ["<h1", "<h2", "<img", "<script"] {
        assert!(!html.contains(tag), "{tag} rendered:\n{html}");
    }
    // Only the body's own `<details>` blocks (the diff's and the imports').
    assert_eq!(
        html.matches("</details>").count(),
        html.matches("<details>").count(),
        "{html}"
    );
    let in_pre: usize = html
        .split("<pre>")
        .skip(1)
        .map(|p| p.split("</pre>").next().unwrap().matches(HEADING).count())
        .sum();
    assert_eq!(in_pre, html.matches(HEADING).count(), "{html}");
}

#[test]
fn a_poisoned_map_stays_inert_in_the_pull_request_body_and_the_log() {
    let dir = repo();
    let (genai, litellm) = poisoned_maps(dir.path());
    let (status, log) = sync_logged(dir.path(), &genai, &litellm, &[]);
    assert!(status.success(), "{log}");
    let quoted = assert_no_command_runs(&log);
    // The poisoned ids reached the log (escaped or not), while stopped.
    assert!(quoted.contains("::warning::pwned"), "{log}");
    assert!(!log.contains('\u{1b}'), "a terminal escape in the log");
    let body = read(dir.path().join("out/body.md"));
    assert!(body.len() <= 60_000, "{} bytes", body.len());
    assert_fenced(&body);
    assert_renders_inert(&body);
}

/// Whatever an import prints, not only what today's importer does: a
/// wrapper around infercost adds the poison to what `import` prints on
/// both streams. It is in the body, inside the fence, and in the log,
/// inside the stop.
#[test]
fn whatever_the_import_prints_is_fenced_in_the_body_and_stopped_in_the_log() {
    let dir = repo();
    let wrapper = dir.path().join("infercost-wrapper");
    std::fs::write(
        &wrapper,
        format!(
            "#!/usr/bin/env bash\n\"{}\" \"$@\" || exit $?\nif [ \"$1\" = import ]; then printf '%s\\n' {poison}; printf '%s\\n' {poison} >&2; fi\n",
            env!("CARGO_BIN_EXE_infercost"),
            poison = shell_quote(&format!("changed   {POISON}")),
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let genai = root().join("tests/fixtures/import/genai-prices.json");
    let (status, log) = sync_logged(
        dir.path(),
        &genai,
        &litellm_fixture(),
        &[("INFERCOST", wrapper.to_str().unwrap())],
    );
    assert!(status.success(), "{log}");
    let quoted = assert_no_command_runs(&log);
    assert_eq!(quoted.matches("::warning::pwned").count(), 4, "{log}");
    let body = read(dir.path().join("out/body.md"));
    assert_eq!(assert_fenced(&body), 2, "{body}");
    assert_renders_inert(&body);
}

/// `text` quoted for bash.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The body is cut to its limit: the diff by `infercost diff --max-bytes`
/// with a note, what the imports did at a line with a count. The fixture's
/// diff alone is about 3,300 bytes; with a 2,400-byte limit both are cut.
#[test]
fn the_body_is_cut_below_its_limit() {
    let dir = repo();
    let genai = root().join("tests/fixtures/import/genai-prices.json");
    let (status, log) = sync_logged(
        dir.path(),
        &genai,
        &litellm_fixture(),
        &[("MAX_BYTES", "2400")],
    );
    assert!(status.success(), "{log}");
    let body = read(dir.path().join("out/body.md"));
    assert!(body.len() <= 2400, "{} bytes:\n{body}", body.len());
    let whole = read(dir.path().join("out/diff.md"));
    assert!(whole.len() > 2400, "{} bytes", whole.len());
    assert!(body.contains("**This diff is cut**"), "{body}");
    assert!(
        body.contains("the `price-sync` artifact of the workflow run."),
        "{body}"
    );
    assert!(body.contains("(the first "), "{body}");
    assert!(
        body.contains(" lines; the job log and the price-sync artifact have all)"),
        "{body}"
    );
    assert!(body.ends_with("</details>\n"), "{body}");
}
