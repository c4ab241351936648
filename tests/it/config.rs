//! `infercost.toml` through the real executable: a negotiated price
//! survives `infercost import` (it lives beside the profiles, not in them)
//! and is marked in the output; the files' precedence; and overrides that
//! name nothing are errors at their line.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::common::strings;

/// A scratch project: the import fixture's vendors/ and one workload of
/// 1,000 requests of 1,000 tokens in and 1,000 out of llama-3.3-70b.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = crate::common::root().join("tests/fixtures/import/vendors");
    for sub in ["vendors", "workloads"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    for e in std::fs::read_dir(fixture).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("vendors").join(e.file_name())).unwrap();
    }
    std::fs::write(
        dir.path().join("workloads/chat.yaml"),
        "workload: chat\nname: Chat\nmodel: llama-3.3-70b\nrequests_per_day: 1000\ninput_tokens: 1000\noutput_tokens: 1000\n",
    )
    .unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_infercost"))
        .args(args)
        .current_dir(dir)
        .env_remove("INFERCOST_CONFIG")
        .env("XDG_CONFIG_HOME", dir.join("user-config"))
        .output()
        .expect("the binary runs")
}

/// together's llama-3.3-70b option of `compare chat --format json`.
fn together(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "compare",
        "chat",
        "--as-of",
        "2026-12-01",
        "--format",
        "json",
    ];
    args.extend(extra);
    let out = crate::common::succeeded(run(dir, &args));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    r["workloads"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["vendor"] == "together")
        .unwrap()
        .clone()
}

const OVERRIDE: &str = "# negotiated with Together\n[[price]]\nvendor = \"together\"\nmodel = \"llama-3.3-70b\"\ninput_usd_per_mtok = 0.50\noutput_usd_per_mtok = 0.50\n";

#[test]
fn an_override_survives_an_import_and_is_marked() {
    let dir = project();
    std::fs::write(dir.path().join("infercost.toml"), OVERRIDE).unwrap();
    let genai = crate::common::root().join("tests/fixtures/import/genai-prices.json");
    let import = run(
        dir.path(),
        &[
            "import",
            "genai-prices",
            genai.to_str().unwrap(),
            "--as-of",
            "2026-12-01",
        ],
    );
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    // The import moved the list price 0.88 -> 1.04 per 1M tokens...
    let profile = std::fs::read_to_string(dir.path().join("vendors/together.yaml")).unwrap();
    assert!(profile.contains("input_usd_per_mtok: 1.04"), "{profile}");
    // ...and the report still prices the negotiated $0.50: (1,000 · 0.50 +
    // 1,000 · 0.50)/10⁶ = $0.001 a request, $1 a day for 1,000.
    let o = together(dir.path(), &[]);
    assert_eq!(o["usd_per_unit"], 0.001);
    assert_eq!(o["usd_per_day"], 1.0);
    let flags = strings(&o["flags"]);
    assert!(
        flags.contains(&"your price, from infercost.toml (line 2)"),
        "{flags:?}"
    );
}

#[test]
fn config_flag_over_project_over_user() {
    let dir = project();
    // User: $0.70; project (found from a sub-folder, walking up): $0.60;
    // --config: $0.40. A request costs 2,000 tokens · rate / 10⁶.
    let rate = |r: f64| {
        format!("[[price]]\nvendor = \"together\"\nmodel = \"llama-3.3-70b\"\ninput_usd_per_mtok = {r}\noutput_usd_per_mtok = {r}\n")
    };
    let user = dir.path().join("user-config/infercost");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(user.join("config.toml"), rate(0.7)).unwrap();
    assert_eq!(together(dir.path(), &[])["usd_per_unit"], 0.0014);
    std::fs::write(dir.path().join("infercost.toml"), rate(0.6)).unwrap();
    let sub = dir.path().join("deeper/still");
    std::fs::create_dir_all(&sub).unwrap();
    let folders = [
        "--vendors",
        "../../vendors",
        "--workloads",
        "../../workloads",
    ];
    assert_eq!(together(&sub, &folders)["usd_per_unit"], 0.0012);
    std::fs::write(dir.path().join("mine.toml"), rate(0.4)).unwrap();
    let mut with_flag = folders.to_vec();
    with_flag.extend(["--config", "../../mine.toml"]);
    assert_eq!(together(&sub, &with_flag)["usd_per_unit"], 0.0008);
}

#[test]
fn overrides_that_name_nothing_are_errors_at_their_line() {
    let dir = project();
    std::fs::write(
        dir.path().join("infercost.toml"),
        "[[price]]\nvendor = \"togther\"\ndiscount = 0.1\n\n[[price]]\nvendor = \"together\"\nmodel = \"llama-3.3-7b\"\ndiscount = 0.1\n",
    )
    .unwrap();
    let out = run(dir.path(), &["compare", "chat", "--as-of", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "infercost.toml:1:1: price.vendor: no vendor `togther`; did you mean `together`?"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "infercost.toml:5:1: price.model: together has no per-token offer of `llama-3.3-7b`"
        ),
        "{err}"
    );
}

/// A negotiated input rate below the listed cached-input rate, with no
/// cached rate of its own, would make a cache hit cost more than a miss:
/// Baseten lists kimi-k2.6's cached input at $0.16/M; a price of $0.10/M
/// input (and $2/M output) is refused at its line, saying what to add.
/// With its own cached rate it is taken.
#[test]
fn a_negotiated_input_rate_below_the_listed_cached_rate_needs_its_own() {
    let dir = project();
    let toml = |cached: &str| {
        std::fs::write(
            dir.path().join("infercost.toml"),
            format!("[[price]]\nvendor = \"baseten\"\nmodel = \"kimi-k2.6\"\ninput_usd_per_mtok = 0.10\noutput_usd_per_mtok = 2.0\n{cached}"),
        )
        .unwrap();
        run(dir.path(), &["compare", "chat", "--as-of", "2026-12-01"])
    };
    let out = toml("");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("infercost.toml:1:1: price.input_usd_per_mtok: $0.10/M input is below baseten's listed cached-input rate for `kimi-k2.6`, $0.16/M, so a cache hit would cost more than a miss; state your `cached_input_usd_per_mtok` too"),
        "{err}"
    );
    crate::common::succeeded(toml("cached_input_usd_per_mtok = 0.05\n"));
    // A cached rate of its own above its input rate is refused too.
    let out = toml("cached_input_usd_per_mtok = 0.50\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("price.cached_input_usd_per_mtok: $0.50/M cached input is above the $0.10/M input rate for `kimi-k2.6`, so a cache hit would cost more than a miss"),
        "{err}"
    );
}

/// A vendor-wide discount leaves an offer another entry prices alone,
/// before or after it in the file: the negotiated $0.50/M in and out on
/// together's llama-3.3-70b stays $1 a day for the chat workload
/// ((1,000 · 1,000 · 0.50 · 2)/10⁶), where stacking the 50% off made it
/// $0.50. Without the specific entry the discount takes the list
/// $0.88/M: 1,000 · 1,000 · 0.88 · 2 / 10⁶ · 0.5 = $0.88 a day.
#[test]
fn a_vendor_wide_discount_does_not_stack_on_a_negotiated_price() {
    let dir = project();
    let wide = "[[price]]\nvendor = \"together\"\ndiscount = 0.5\n";
    for toml in [format!("{OVERRIDE}\n{wide}"), format!("{wide}\n{OVERRIDE}")] {
        std::fs::write(dir.path().join("infercost.toml"), &toml).unwrap();
        let o = together(dir.path(), &[]);
        assert_eq!(o["usd_per_day"], 1.0, "{toml}");
    }
    std::fs::write(dir.path().join("infercost.toml"), wide).unwrap();
    assert_eq!(together(dir.path(), &[])["usd_per_day"], 0.88);
}

#[test]
fn a_discount_over_100_percent_is_refused() {
    let dir = project();
    std::fs::write(
        dir.path().join("infercost.toml"),
        "[[price]]\nvendor = \"together\"\ndiscount = 1.5\n",
    )
    .unwrap();
    let out = run(dir.path(), &["compare", "chat", "--as-of", "2026-12-01"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("price.discount: expected a share of the list price in [0, 1)"),
        "{err}"
    );
}

#[test]
fn a_negotiated_commitment_is_planned_over_the_day() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["vendors", "workloads"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    std::fs::write(
        dir.path().join("vendors/acme.yaml"),
        "vendor: acme\nname: Acme\nsegment: gpu-platform\npositioning: test\nas_of: 2026-11-01\nsources: [https://example.com]\ndedicated:\n  billing: per-hour\n  scaling: always-on\n  gpus:\n    h100-80gb: {usd_per_hour: 4.0}\n  deployments:\n    - {model: llama-3.3-70b, gpu: h100-80gb, gpus_per_replica: 1, prefill_tokens_per_s: 10000, decode_tokens_per_s: 1000}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("workloads/flat.yaml"),
        "workload: flat\nname: Flat\nmodel: llama-3.3-70b\nrequests_per_day: 86400\ninput_tokens: 0\noutput_tokens: 100\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("infercost.toml"),
        "[[commitment]]\nvendor = \"acme\"\nterm_months = 12\ndiscount = 0.3\noverflow = \"on-demand\"\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "compare",
            "flat",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let k = &r["workloads"][0]["options"][0]["commitment"];
    // s = 100/1,000 = 0.1 s a request; 86,400 a day: 2.4 busy replica-hours,
    // 0.1 an hour, so one replica every hour (ceil(0.1/0.8)). Uncommitted:
    // 24 · $4 = $96 a day; committed at 30% off: 24 · $2.8 = $67.2 a day.
    // Months: · 365/12. Break-even: 67.2 · 12 / (96 − 67.2 + 67.2) = 8.4.
    assert_eq!(k["replicas"], 1);
    crate::common::assert_close(
        k["usd_per_month"].as_f64().unwrap(),
        67.2 * 365.0 / 12.0,
        1e-8,
    );
    crate::common::assert_close(
        k["uncommitted_usd_per_month"].as_f64().unwrap(),
        96.0 * 365.0 / 12.0,
        1e-8,
    );
    crate::common::assert_close(k["break_even_months"].as_f64().unwrap(), 8.4, 1e-8);
    assert_eq!(k["source"], "your terms, from infercost.toml (line 1)");
}

/// `replay` prices the recorded requests at the user's prices, as `report
/// --replay` does: the config was read by `report` and `compare` only, so
/// `replay --config` was accepted and ignored.
#[test]
fn replay_prices_the_log_at_the_negotiated_price() {
    let dir = project();
    let log = crate::common::root().join("tests/fixtures/traces/azure_conv_head300.csv");
    let log = log.to_str().unwrap();
    let together = |dir: &Path| {
        let args = [
            "replay",
            log,
            "--workload",
            "chat",
            "--as-of",
            "2026-12-01",
            "--format",
            "json",
        ];
        let out = crate::common::succeeded(run(dir, &args));
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        r["options"][0]["usd"].as_f64().unwrap()
    };
    // The log's 300 requests: 270,000 tokens in, 76,870 out, 346,870 in all;
    // at the fixture's list $0.88 a million both ways: $0.3052456.
    crate::common::assert_close(together(dir.path()), 0.3052456, 1e-9);
    std::fs::write(dir.path().join("infercost.toml"), OVERRIDE).unwrap();
    // At the negotiated $0.50 both ways: 346,870 · 0.5 / 10⁶ = $0.173435.
    crate::common::assert_close(together(dir.path()), 0.173435, 1e-9);
}

/// `simulate` reads the extra vendor folders of the config, as `report`
/// does: a vendor kept beside the project is simulated.
#[test]
fn simulate_reads_the_vendor_folders_of_the_config() {
    let dir = project();
    let mine = dir.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::copy(
        crate::common::root().join("vendors/modal.yaml"),
        mine.join("modal.yaml"),
    )
    .unwrap();
    let args = [
        "simulate",
        "chat",
        "--vendor",
        "modal",
        "--days",
        "1",
        "--as-of",
        "2026-12-01",
    ];
    let err = crate::common::refused(&run(dir.path(), &args));
    assert!(err.contains("no vendor `modal`"), "{err}");
    std::fs::write(
        dir.path().join("infercost.toml"),
        "[folders]\nvendors = [\"mine\"]\n",
    )
    .unwrap();
    let out = crate::common::succeeded(run(dir.path(), &args));
    assert!(String::from_utf8_lossy(&out.stdout).contains("modal "));
}
