//! The settings of `infercost.toml` through the real executable: each
//! layer overrides the one below it (user, project, `INFERCOST_CONFIG`'s
//! file, the `INFERCOST_*` variables, `--config`'s file, the flag), for the
//! staleness limit and the report's formats; extra vendor folders; and an
//! override for an offer that does not exist, refused at its line.

use std::path::Path;
use std::process::Output;

/// Six vendors of one per-token offer, v1 5 days old on 2026-12-01, v2
/// 15, ... v6 55: a limit of 50 days makes one stale, 40 two, ... 0 six.
fn project() -> tempfile::TempDir {
    let vendors: Vec<(String, String)> = (1..=6)
        .map(|i| {
            let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
                - chrono::Duration::days(10 * i - 5);
            (
                format!("v{i}.yaml"),
                format!("vendor: v{i}\nname: V{i}\nsegment: api-marketplace\npositioning: test\nas_of: {as_of}\nsources: [https://example.com]\nserverless:\n  - {{model: llama-3.3-70b, input_usd_per_mtok: {i}, output_usd_per_mtok: {i}}}\n"),
            )
        })
        .collect();
    let vendors: Vec<(&str, &str)> = vendors
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    crate::common::profiles_in(
        &vendors,
        &[(
            "chat.yaml",
            "workload: chat\nname: Chat\nmodel: llama-3.3-70b\nrequests_per_day: 1000\ninput_tokens: 1000\noutput_tokens: 1000\n",
        )],
    )
}

/// Runs the binary in `dir` with the user's config folder inside the
/// project and only the given `INFERCOST_*` variables.
fn run(dir: &Path, root: &Path, env: &[(&str, String)], args: &[&str]) -> Output {
    crate::common::configured(dir, &root.join("user-config"), env, args)
}

fn days(n: i64) -> String {
    format!("[defaults]\nmax_age_days = {n}\n")
}

/// How many vendors `compare chat` calls stale, run from `root/sub`.
fn stale(root: &Path, env: &[(&str, String)], extra: &[&str]) -> usize {
    let mut args = vec!["--vendors", "../vendors", "--workloads", "../workloads"];
    args.extend(extra);
    let r = crate::common::configured_json(
        &root.join("sub"),
        &root.join("user-config"),
        env,
        "chat",
        &args,
    );
    r["stale_vendors"].as_array().unwrap().len()
}

#[test]
fn each_layer_overrides_the_one_below() {
    let dir = project();
    let root = dir.path();
    std::fs::create_dir_all(root.join("sub")).unwrap();
    // Nothing set: 90 days, none stale.
    assert_eq!(stale(root, &[], &[]), 0);
    let user = root.join("user-config/infercost");
    std::fs::create_dir_all(&user).unwrap();
    std::fs::write(user.join("config.toml"), days(50)).unwrap();
    assert_eq!(stale(root, &[], &[]), 1);
    // The project's, found walking up from sub/.
    std::fs::write(root.join("infercost.toml"), days(40)).unwrap();
    assert_eq!(stale(root, &[], &[]), 2);
    std::fs::write(root.join("env.toml"), days(30)).unwrap();
    let mut env = vec![(
        "INFERCOST_CONFIG",
        root.join("env.toml").display().to_string(),
    )];
    assert_eq!(stale(root, &env, &[]), 3);
    env.push(("INFERCOST_MAX_AGE_DAYS", "20".into()));
    assert_eq!(stale(root, &env, &[]), 4);
    std::fs::write(root.join("flag.toml"), days(10)).unwrap();
    assert_eq!(stale(root, &env, &["--config", "../flag.toml"]), 5);
    assert_eq!(
        stale(
            root,
            &env,
            &["--config", "../flag.toml", "--max-age-days", "0"]
        ),
        6
    );
}

/// The kinds of file `report` writes into `out/chat/`, by extension
/// (without the SVG charts, which come with Markdown and HTML alike).
fn formats(root: &Path, env: &[(&str, String)], extra: &[&str]) -> Vec<String> {
    let _ = std::fs::remove_dir_all(root.join("out"));
    let mut args = vec!["report", "--as-of", "2026-12-01", "--out", "out"];
    args.extend(extra);
    crate::common::succeeded(run(root, root, env, &args));
    let mut kinds: Vec<String> = std::fs::read_dir(root.join("out/chat"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            p.extension().unwrap().to_string_lossy().into_owned()
        })
        .filter(|k| k != "svg")
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[test]
fn report_formats_come_from_the_flag_the_environment_or_the_config() {
    let dir = project();
    let root = dir.path();
    assert_eq!(formats(root, &[], &[]), ["html", "json", "md"]);
    std::fs::write(
        root.join("infercost.toml"),
        "[defaults]\nformats = [\"md\"]\n",
    )
    .unwrap();
    assert_eq!(formats(root, &[], &[]), ["md"]);
    let env = [("INFERCOST_FORMATS", "json,md".to_string())];
    assert_eq!(formats(root, &env, &[]), ["json", "md"]);
    assert_eq!(formats(root, &env, &["--format", "html"]), ["html"]);
    // A format the report does not write is refused with where it came from.
    std::fs::write(
        root.join("infercost.toml"),
        "# mine\n[defaults]\nformats = [\"pdf\"]\n",
    )
    .unwrap();
    let err = crate::common::refused(&run(root, root, &[], &["report", "--out", "out"]));
    assert!(
        err.contains("infercost.toml:3: formats: expected some of json, md, html, found `pdf`"),
        "{err}"
    );
}

#[test]
fn an_extra_vendor_folder_of_the_config_is_priced() {
    let dir = project();
    let root = dir.path();
    std::fs::create_dir_all(root.join("mine")).unwrap();
    std::fs::write(
        root.join("mine/v9.yaml"),
        "vendor: v9\nname: V9\nsegment: api-marketplace\npositioning: test\nas_of: 2026-11-30\nsources: [https://example.com]\nserverless:\n  - {model: llama-3.3-70b, input_usd_per_mtok: 0.1, output_usd_per_mtok: 0.1}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("infercost.toml"),
        "[folders]\nvendors = [\"mine\"]\n",
    )
    .unwrap();
    let r = crate::common::configured_json(root, &root.join("user-config"), &[], "chat", &[]);
    // 1,000 requests of 2,000 tokens at $0.1 a million: $0.2 a day.
    assert_eq!(r["workloads"][0]["pick"]["primary"]["vendor"], "v9");
    assert_eq!(r["workloads"][0]["options"][0]["usd_per_day"], 0.2);
    assert_eq!(
        r["profiles"],
        "vendors/ and workloads/ (with mine/ from the config)"
    );
}

#[test]
fn an_override_of_a_gpu_or_folder_that_does_not_exist_is_refused_at_its_line() {
    let dir = project();
    let root = dir.path();
    std::fs::write(
        root.join("infercost.toml"),
        "[[price]]\nvendor = \"v1\"\ngpu = \"h100-80gb\"\nusd_per_gpu_hour = 2\n\n[folders]\nworkloads = [\"nowhere\"]\n",
    )
    .unwrap();
    let err = refused_compare(root);
    assert!(
        err.contains("infercost.toml:7:13: folders: `nowhere` is not a folder"),
        "{err}"
    );
    std::fs::write(
        root.join("infercost.toml"),
        "[[price]]\nvendor = \"v1\"\ngpu = \"h100-80gb\"\nusd_per_gpu_hour = 2\n",
    )
    .unwrap();
    let err = refused_compare(root);
    assert!(
        err.contains(
            "infercost.toml:1:1: price.gpu: v1 has no dedicated offer, so no GPU rate to replace"
        ),
        "{err}"
    );
}

/// The errors of `compare chat` in `root`, refused.
fn refused_compare(root: &Path) -> String {
    crate::common::refused(&run(
        root,
        root,
        &[],
        &["compare", "chat", "--as-of", "2026-12-01"],
    ))
}
