//! Issue 19, attack 4: a map that would turn picks by itself. Moves to or
//! from zero, context beyond 10x and retirement dates before the report
//! date are held back like a 10x price move (nothing written unless
//! `--accept-large-moves`); an entry whose key and provider disagree, an id
//! listed twice and a doubtful price history are refused alone and
//! reported; dated prices apply in date order whatever the list's order.

use super::*;
use crate::import::{files, import, scratch};

/// Runs the import of `map` and asserts that it is held back with `why`
/// and writes nothing, then that `--accept-large-moves` writes `line`.
fn held_back(dir: &Path, map: &Path, why: &str, line: &str) {
    let before = files(&dir.join("vendors"));
    let out = import(dir, "litellm", map, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(why),
        "missing `{why}` in:\n{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("held back and nothing written"));
    assert_eq!(files(&dir.join("vendors")), before, "nothing written");
    let accepted = import(dir, "litellm", map, &["--accept-large-moves"]);
    assert_eq!(accepted.status.code(), Some(0), "{}", stderr(&accepted));
    let groq = std::fs::read_to_string(dir.join("vendors/groq.yaml")).unwrap();
    assert!(groq.contains(line), "missing `{line}` in:\n{groq}");
}

#[test]
fn a_move_to_or_from_zero_is_held_back() {
    let dir = scratch();
    // To zero: 0.15 -> 0 (a ratio that the 10x test cannot see).
    let map = litellm_map(dir.path(), &[&groq_oss("").replace("1.5e-07", "0.0")]);
    held_back(
        dir.path(),
        &map,
        "groq gpt-oss-120b input_usd_per_mtok would move from 0.15 to 0.00 (to or from zero)",
        "input_usd_per_mtok: 0.00 # litellm groq/openai/gpt-oss-120b (B, imported)",
    );
    // And back from zero: 0 -> 0.15.
    let map = litellm_map(dir.path(), &[&groq_oss("")]);
    held_back(
        dir.path(),
        &map,
        "input_usd_per_mtok would move from 0.00 to 0.15 (to or from zero)",
        "input_usd_per_mtok: 0.15 # litellm",
    );
}

#[test]
fn a_context_change_beyond_10x_is_held_back() {
    let dir = scratch();
    let groq = dir.path().join("vendors/groq.yaml");
    let text = std::fs::read_to_string(&groq).unwrap();
    std::fs::write(
        &groq,
        format!("{text}    context_tokens: 131072 # groq.com (B)\n"),
    )
    .unwrap();
    // 131072 -> 2000000 tokens: 15.3x.
    let map = litellm_map(dir.path(), &[&groq_oss(r#", "max_input_tokens": 2000000"#)]);
    held_back(
        dir.path(),
        &map,
        "groq gpt-oss-120b context_tokens would move from 131072 to 2000000 (more than 10x)",
        "context_tokens: 2000000 # litellm",
    );
}

#[test]
fn a_retirement_before_the_report_date_is_held_back_and_a_later_one_written() {
    let dir = scratch();
    let later = litellm_map(
        dir.path(),
        &[&groq_oss(r#", "deprecation_date": "2027-01-31""#)],
    );
    let out = import(dir.path(), "litellm", &later, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("retired   groq gpt-oss-120b retired_on: none -> 2027-01-31"));
    // The attack: every entry retired on 1970-01-01 (the report date is 2026-12-01).
    let past = litellm_map(
        dir.path(),
        &[&groq_oss(r#", "deprecation_date": "1970-01-01""#)],
    );
    held_back(
        dir.path(),
        &past,
        "groq gpt-oss-120b retired_on would move from 2027-01-31 to 1970-01-01 (a retirement date before the report date 2026-12-01, which would retire the offer at once)",
        "retired_on: 1970-01-01 # litellm",
    );
}

#[test]
fn a_key_whose_prefix_and_provider_disagree_is_refused_alone() {
    let dir = scratch();
    // Together's Llama 3.3 70B key, routed to Groq by its provider field, at $99.
    let map = litellm_map(
        dir.path(),
        &[
            r#""together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo": {"litellm_provider": "groq", "input_cost_per_token": 9.9e-05, "output_cost_per_token": 9.9e-05}"#,
            &groq_oss(r#", "max_input_tokens": 131072"#),
        ],
    );
    let before = files(&dir.path().join("vendors"));
    let out = import(dir.path(), "litellm", &map, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("refused   litellm together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo: the key's prefix `together_ai/` and its litellm_provider `groq` disagree"), "{}", stdout(&out));
    // The other entry is imported; no file but groq.yaml changed, and not by $99.
    assert!(stdout(&out).contains("changed   groq gpt-oss-120b context_tokens: none -> 131072"));
    let after = files(&dir.path().join("vendors"));
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.as_str())
        .collect();
    assert_eq!(changed, ["groq.yaml"]);
    assert!(!after.iter().any(|(_, text)| text.contains("99.00")));
}

#[test]
fn an_id_listed_twice_is_refused_not_last_wins() {
    let dir = scratch();
    let before = files(&dir.path().join("vendors"));
    // Two copies of one key: serde_json alone would keep the second ($0.01).
    let map = litellm_map(
        dir.path(),
        &[&groq_oss(""), &groq_oss("").replace("1.5e-07", "1e-08")],
    );
    let out = import(dir.path(), "litellm", &map, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("refused   litellm groq/openai/gpt-oss-120b: listed 2 times in the map, so which prices are meant is unknown; none imported"), "{}", stdout(&out));
    assert_eq!(files(&dir.path().join("vendors")), before);

    let genai = dir.path().join("genai.json");
    let model =
        r#"{"id": "openai/gpt-oss-120b", "prices": {"input_mtok": 0.15, "output_mtok": 0.6}}"#;
    std::fs::write(
        &genai,
        format!(
            r#"[{{"id": "groq", "models": [{model}, {}]}}]"#,
            model.replace("0.15", "0.01")
        ),
    )
    .unwrap();
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("refused   genai-prices groq/openai/gpt-oss-120b: listed 2 times"),
        "{}",
        stdout(&out)
    );
    assert_eq!(files(&dir.path().join("vendors")), before);
}

/// A genai-prices map of Together's Llama 3.3 70B with `prices`.
fn llama(dir: &Path, prices: &str) -> PathBuf {
    let path = dir.join("genai.json");
    std::fs::write(
        &path,
        format!(r#"[{{"id": "huggingface_together", "models": [{{"id": "meta-llama/Llama-3.3-70B-Instruct", "prices": [{prices}]}}]}}]"#),
    )
    .unwrap();
    path
}

fn dated(date: &str, price: f64) -> String {
    format!(
        r#"{{"constraint": {{"start_date": "{date}"}}, "prices": {{"input_mtok": {price}, "output_mtok": {price}}}}}"#
    )
}

#[test]
fn dated_prices_apply_in_date_order_and_doubtful_histories_are_refused() {
    let dir = scratch();
    // Newest first: 1.04 from 2026-10-19 listed before the base 0.88 it replaces.
    let base = r#"{"prices": {"input_mtok": 0.88, "output_mtok": 0.88}}"#;
    let map = llama(
        dir.path(),
        &format!("{}, {base}", dated("2026-10-19", 1.04)),
    );
    let out = import(dir.path(), "genai-prices", &map, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for line in [
        "changed   together llama-3.3-70b input_usd_per_mtok: 0.88 -> 1.04",
        "history   together llama-3.3-70b: price change of 2026-10-19 recorded in price_changes",
    ] {
        assert!(
            stdout(&out).contains(line),
            "missing `{line}` in:\n{}",
            stdout(&out)
        );
    }
    let id = "refused   genai-prices huggingface_together/meta-llama/Llama-3.3-70B-Instruct";
    let same_day = llama(
        dir.path(),
        &format!(
            "{base}, {}, {}",
            dated("2026-10-19", 1.04),
            dated("2026-10-19", 0.5)
        ),
    );
    let out = import(dir.path(), "genai-prices", &same_day, &[]);
    assert!(
        stdout(&out).contains(&format!("{id}: two dated prices start on 2026-10-19")),
        "{}",
        stdout(&out)
    );
    // 17 dated prices, one a day: more than the 16 an entry may list.
    let many: Vec<String> = (1..=17)
        .map(|d| dated(&format!("2026-10-{d:02}"), 1.0 + d as f64 / 100.0))
        .collect();
    let out = import(
        dir.path(),
        "genai-prices",
        &llama(dir.path(), &many.join(", ")),
        &[],
    );
    assert!(
        stdout(&out).contains(&format!(
            "{id}: 17 dated prices, more than the 16 an entry may list; none imported"
        )),
        "{}",
        stdout(&out)
    );
}
