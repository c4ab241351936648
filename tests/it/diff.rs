//! `infercost diff`, end to end: two fixture trees (a price raised, a vendor
//! added, a workload's volume changed) against a golden Markdown comment,
//! the CI gate's exit status, and a base read from a git revision of a
//! repository made by the test.
//!
//! `UPDATE_GOLDEN=1 cargo test --test it diff::` rewrites `tests/golden/diff.md`
//! and the README's "Review a price change" example; review the change with
//! `git diff`.

use crate::common::{self, golden, infercost, root, updating, GIT_VARIABLES};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/diff")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The README's example: the fixtures on the head's newest price date (by
/// default both sides are priced on today's date, as `report` does).
const DIFF_FIXTURES: [&str; 7] = [
    "diff",
    "--base",
    "base",
    "--head",
    "head",
    "--as-of",
    "2026-07-15",
];

fn golden_diff() -> String {
    let out = infercost(&DIFF_FIXTURES, &fixtures());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn fixture_trees_diff_to_the_golden_markdown() {
    let text = golden_diff();
    golden(&root().join("tests/golden/diff.md"), text.as_bytes());
}

/// The README's example output: the block fenced with four backticks.
const README_FENCE: (&str, &str) = ("````markdown\n", "````\n");

#[test]
fn readme_shows_the_golden_diff() {
    let path = root().join("README.md");
    let mut readme = std::fs::read_to_string(&path).unwrap();
    let golden = golden_diff();
    if updating() {
        let start = readme
            .find(README_FENCE.0)
            .expect("the README has the example")
            + README_FENCE.0.len();
        let end = start + readme[start..].find(README_FENCE.1).unwrap();
        readme.replace_range(start..end, &golden);
        std::fs::write(&path, &readme).unwrap();
    }
    assert!(
        readme.contains(&golden),
        "README.md's \"Review a price change\" example is not the diff of the fixtures; rerun with UPDATE_GOLDEN=1"
    );
}

#[test]
fn a_changed_pick_fails_the_gate_and_still_prints_the_diff() {
    let out = infercost(
        &[
            "diff",
            "--base",
            "base",
            "--head",
            "head",
            "--fail-on-pick-change",
        ],
        &fixtures(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("#### Picks that changed"));
    assert!(
        stderr(&out).contains("the pick changed for chat"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn identical_sides_print_one_line_and_pass_the_gate() {
    let out = infercost(
        &[
            "diff",
            "--base",
            "base",
            "--head",
            "base",
            "--fail-on-pick-change",
            "--as-of",
            "2026-05-01",
        ],
        &fixtures(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "infercost diff: no change in picks, costs or profiles between `base` and `base` (report date 2026-05-01).\n"
    );
}

#[test]
fn json_diff_carries_every_change_with_full_values() {
    let out = infercost(
        &[
            "diff",
            "--base",
            "base",
            "--head",
            "head",
            "--format",
            "json",
            "--as-of",
            "2026-07-15",
        ],
        &fixtures(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["as_of"], "2026-07-15");
    assert_eq!(v["picks"][0]["workload"], "chat");
    assert_eq!(v["picks"][0]["before"]["option"]["vendor"], "api");
    assert_eq!(v["picks"][0]["after"]["option"]["gpu"], "h100-80gb");
    assert_eq!(v["profiles_added"][0]["id"], "newapi");
    // `gpus` (as of 2026-04-01) is stale on 2026-07-15 on both sides: the
    // change did not make it so.
    assert_eq!(v["went_stale"], serde_json::json!([]));
    let price = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "serverless[llama-3.3-70b].input_usd_per_mtok")
        .unwrap();
    assert_eq!(price["old"], 0.88);
    assert_eq!(price["new"], 1.1);
    assert_eq!(price["change_share"], 0.25);
    // Options are sorted by the size of their change.
    let moved: Vec<f64> = v["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["change_usd_per_month"].as_f64().unwrap().abs())
        .collect();
    assert!(moved.windows(2).all(|w| w[0] >= w[1]), "{moved:?}");
}

/// A copy of the base fixture as `base/` and `head/` in a scratch folder.
fn scratch_sides() -> tempfile::TempDir {
    sides_of(&fixtures().join("base"))
}

/// The `vendors/` and `workloads/` of `from`, copied as `base/` and
/// `head/` in a scratch folder.
fn sides_of(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for side in ["base", "head"] {
        for sub in ["vendors", "workloads"] {
            let to = tmp.path().join(side).join(sub);
            std::fs::create_dir_all(&to).unwrap();
            for e in std::fs::read_dir(from.join(sub)).unwrap() {
                let e = e.unwrap();
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    tmp
}

/// Replaces `from` by `to` in a file of a scratch side; `from` must be there.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replace(from, to)).unwrap();
}

/// Issue 20, bug A: a workload-only edit lists the workload's field and
/// nothing else. The diff compares the profiles as written; the capacity
/// estimates each workload's deployments get (which depend on its
/// input/output mix) are derived at the resolve stage and are not fields.
/// Before, the 2,400-token prompt showed as 97 fields changed, 96 of them
/// estimated figures of six vendor files nobody touched.
#[test]
fn a_workload_edit_lists_only_the_workload_field() {
    let tmp = sides_of(&root());
    edit(
        &tmp.path().join("head/workloads/support-chat.yaml"),
        "\ninput_tokens: 1200\n",
        "\ninput_tokens: 2400\n",
    );
    let args = ["diff", "--base-dir", "base", "--head-dir", "head"];
    let out = infercost(&[&args[..], &["--format", "json"]].concat(), tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields = v["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 1, "{fields:#?}");
    assert_eq!(fields[0]["kind"], "workload");
    assert_eq!(fields[0]["id"], "support-chat");
    assert_eq!(fields[0]["path"], "input_tokens");
    assert_eq!(
        (fields[0]["old"].as_f64(), fields[0]["new"].as_f64()),
        (Some(1200.0), Some(2400.0))
    );
    // (2,400 − 1,200) / 1,200.
    assert_eq!(fields[0]["change_share"], 1.0);
    // The comment says so: one field, and no vendor row in its table.
    let text = stdout(&infercost(&args, tmp.path()));
    assert!(text.contains("1 field changed"), "{text}");
    assert!(
        text.contains("| workload `support-chat` | `input_tokens` | `1,200` | `2,400` | +100% |"),
        "{text}"
    );
    assert!(!text.contains("| vendor `"), "{text}");
}

/// A threshold that goes away because no per-token offer is left to
/// compare with says so, not "never" (which reads as a crossover above
/// 100%: the opposite; a second read).
#[test]
fn a_threshold_with_no_per_token_offer_left_does_not_read_never() {
    let tmp = sides_of(&root());
    let head = tmp.path().join("head/workloads/support-chat.yaml");
    let text = std::fs::read_to_string(&head).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("substitutes:"))
        .expect("support-chat names substitutes");
    edit(&head, line, "substitutes: []");
    let args = ["diff", "--base-dir", "base", "--head-dir", "head"];
    let text = stdout(&infercost(&args, tmp.path()));
    assert!(
        text.contains("| support-chat | modal dedicated 1×b200-180gb | above this utilization | 20% | no per-token offer |"),
        "{text}"
    );
    assert!(!text.contains("| never |"), "{text}");
}

/// A free per-token comparator leaves a crossover with nothing to cross
/// (dedicated is never cheaper than $0): that reads "never", not "no
/// per-token offer", which the diff said until 2026-12-08 because it read
/// the missing crossover as a missing offer. support-chat's comparator is
/// Together's muse-glimmer-30b (a substitute); made free in head.
#[test]
fn a_threshold_against_a_free_per_token_offer_reads_never() {
    let tmp = sides_of(&root());
    let head = tmp.path().join("head/vendors/together.yaml");
    let text = std::fs::read_to_string(&head).unwrap();
    let offer = text
        .split("  - model: muse-glimmer-30b\n")
        .nth(1)
        .expect("together sells muse-glimmer-30b");
    for rate in [
        "input_usd_per_mtok: 0.35",
        "output_usd_per_mtok: 1.50",
        "cached_input_usd_per_mtok: 0.04",
    ] {
        assert!(offer.contains(rate), "{rate}");
    }
    let free = offer
        .replacen("input_usd_per_mtok: 0.35", "input_usd_per_mtok: 0", 1)
        .replacen("output_usd_per_mtok: 1.50", "output_usd_per_mtok: 0", 1)
        .replacen(
            "cached_input_usd_per_mtok: 0.04",
            "cached_input_usd_per_mtok: 0",
            1,
        );
    std::fs::write(&head, text.replacen(offer, &free, 1)).unwrap();
    let args = ["diff", "--base-dir", "base", "--head-dir", "head"];
    let text = stdout(&infercost(&args, tmp.path()));
    assert!(
        text.contains("| support-chat | modal dedicated 1×b200-180gb | above this utilization | 20% | never |"),
        "{text}"
    );
    assert!(!text.contains("no per-token offer"), "{text}");
}

/// The two-sizes fixture's deployments of one model on one GPU kind, as
/// written in its `vendors/gpus.yaml`.
const TWO_H100: &str = "    - model: llama-3.3-70b\n      gpu: h100-80gb\n      gpus_per_replica: 2\n      prefill_tokens_per_s: 12200\n      decode_tokens_per_s: 4205\n";
const ONE_H100: &str = "    - model: llama-3.3-70b\n      gpu: h100-80gb\n      gpus_per_replica: 1\n      prefill_tokens_per_s: 2000\n      decode_tokens_per_s: 600\n";

/// Issue 20, bug B: a deployment is named by its key (model, GPU, GPUs per
/// replica), so swapping the 2×H100 and 1×H100 rows is no change (before,
/// six changes such as `decode_tokens_per_s 4,205 → 600`), and a change
/// of one of them names that one.
#[test]
fn reordering_two_sizes_of_a_deployment_is_no_change() {
    let tmp = sides_of(&common::fixture("two-sizes"));
    let gpus = tmp.path().join("head/vendors/gpus.yaml");
    edit(&gpus, TWO_H100, "");
    edit(&gpus, ONE_H100, &format!("{ONE_H100}{TWO_H100}"));
    let args = ["diff", "--base-dir", "base", "--head-dir", "head"];
    let out = infercost(&args, tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "infercost diff: no change in picks, costs or profiles between `base` and `head`"
        ),
        "{text}"
    );

    edit(
        &gpus,
        "decode_tokens_per_s: 600\n",
        "decode_tokens_per_s: 660\n",
    );
    let text = stdout(&infercost(&args, tmp.path()));
    // 600 → 660: +10%.
    let row = "| vendor `gpus` | `dedicated.deployments[llama-3.3-70b/1×h100-80gb].decode_tokens_per_s` | `600` | `660` | +10% |";
    assert!(text.contains(row), "{text}");
    assert!(text.contains("1 field changed"), "{text}");
}

#[test]
fn added_workloads_and_removed_vendors_are_listed_with_their_picks() {
    let tmp = scratch_sides();
    let head = tmp.path().join("head");
    std::fs::remove_file(head.join("vendors/gpus.yaml")).unwrap();
    let chat = std::fs::read_to_string(head.join("workloads/chat.yaml")).unwrap();
    std::fs::write(
        head.join("workloads/chat2.yaml"),
        chat.replace("workload: chat", "workload: chat2"),
    )
    .unwrap();
    let out = infercost(
        &[
            "diff",
            "--base",
            "base",
            "--head",
            "head",
            "--fail-on-pick-change",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "### infercost diff: 2 picks changed, 1 vendor removed, 1 workload added\n"
        ),
        "{text}"
    );
    for line in [
        "| chat2 | — (new workload) | api serverless, $5,353/month |",
        "| hipaa-chat | gpus dedicated 2×h100-80gb, $5,825/month | no eligible option |",
        "<details><summary>2 options removed</summary>",
        "| chat | gpus dedicated 2×h100-80gb | $5,825 | removed |",
        "- Removed: vendor `gpus` (GPU Cloud)",
        "- Added: workload `chat2` (Chat product)",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn a_missing_base_is_named_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = infercost(&["diff", "--base", "no-such-rev"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("git revision `no-such-rev`"), "{err}");
    assert!(err.contains("git: "), "{err}");
}

/// Runs git in `dir` with an identity and no signing, as on a fresh machine.
fn git(dir: &Path, args: &[&str]) {
    let mut command = Command::new("git");
    for v in GIT_VARIABLES {
        command.env_remove(v);
    }
    let out = command
        .args([
            "-c",
            "user.name=infercost test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

/// A repository whose one commit holds the base fixture.
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["vendors", "workloads"] {
        let to = tmp.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(fixtures().join("base").join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "vendors", "workloads"]);
    git(tmp.path(), &["commit", "-q", "-m", "base prices"]);
    tmp
}

#[test]
fn a_price_edit_in_the_work_tree_diffs_against_a_git_revision() {
    let repo = repository();
    let unchanged = infercost(&["diff", "--base", "HEAD"], repo.path());
    assert_eq!(unchanged.status.code(), Some(0), "{}", stderr(&unchanged));
    assert!(stdout(&unchanged).starts_with("infercost diff: no change"));

    let api = repo.path().join("vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("output_usd_per_mtok: 0.88", "output_usd_per_mtok: 0.99"),
    )
    .unwrap();
    let out = infercost(&["diff", "--base", "HEAD"], repo.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        // $5,353 → $5,688 a month takes `chat` over its $5,500 budget.
        text.starts_with("### infercost diff: no pick changed, 2 costs moved, 1 field changed, 2 thresholds moved, 1 budget breached\n"),
        "{text}"
    );
    assert!(
        text.contains("Base `HEAD`, head `vendors/ and workloads/`"),
        "{text}"
    );
    assert!(
        text.contains("| chat | api serverless | $5,353 | $5,688 | $335 more (+6.3%) |"),
        "{text}"
    );
    let row = "| vendor `api` | `serverless[llama-3.3-70b].output_usd_per_mtok` | `0.88` | `0.99` | +13% |";
    assert!(text.contains(row), "{text}");

    // Once committed, the head can be a revision too.
    git(
        repo.path(),
        &["commit", "-q", "-am", "raise the output price"],
    );
    let out = infercost(&["diff", "--base", "HEAD~1", "--head", "HEAD"], repo.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Base `HEAD~1`, head `HEAD`"), "{text}");
    assert!(text.contains(row), "{text}");
}

#[test]
fn a_broken_profile_at_a_revision_is_named_by_revision_and_path() {
    let repo = repository();
    let api = repo.path().join("vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("segment: api-marketplace", "segment: cheap"),
    )
    .unwrap();
    git(repo.path(), &["commit", "-q", "-am", "a typo"]);
    let out = infercost(&["diff", "--base", "HEAD"], repo.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("HEAD:vendors/api.yaml:3:"), "{err}");
}

/// The decision gates on the fixture trees: `chat`'s pick goes from
/// $5,353 to $5,825 a month (+$472, +8.8%) and over its $5,500 budget.
#[test]
fn cost_and_budget_gates_trip_on_the_decisions_they_name() {
    let run = |gates: &[&str]| {
        let args = [
            &["diff", "--base", "dir:base", "--head", "dir:head"][..],
            gates,
        ]
        .concat();
        infercost(&args, &fixtures())
    };
    for (gates, code, message) in [
        (&["--fail-on-cost-increase", "8"][..], 1, "the pick costs more for chat ($5,353 → $5,825 a month) (--fail-on-cost-increase 8)"),
        (&["--fail-on-cost-increase", "9"][..], 0, ""),
        (&["--fail-on-cost-increase-usd", "400"][..], 1, "the pick costs more for chat ($5,353 → $5,825 a month) (--fail-on-cost-increase-usd 400)"),
        (&["--fail-on-cost-increase-usd", "500"][..], 0, ""),
        (&["--fail-on-budget-breach"][..], 1, "the pick newly goes over budget for chat (--fail-on-budget-breach)"),
        (&["--min-change-pct=-1"][..], 2, "--min-change-pct -1: expected a number >= 0"),
    ] {
        let out = run(gates);
        assert_eq!(out.status.code(), Some(code), "{gates:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{gates:?}: {}", stderr(&out));
    }
}

/// An option whose only change is that it became excluded reads so, not as
/// "no change"; a higher --min-change-pct quiets the costs that moved less.
#[test]
fn eligibility_only_changes_are_named_and_min_change_quiets_small_moves() {
    let tmp = scratch_sides();
    let gpus = tmp.path().join("head/vendors/gpus.yaml");
    let text = std::fs::read_to_string(&gpus).unwrap();
    std::fs::write(
        &gpus,
        text.replace(
            "compliance: [soc2-type2, hipaa]",
            "compliance: [soc2-type2]",
        ),
    )
    .unwrap();
    let out = infercost(
        &["diff", "--base", "dir:base", "--head", "dir:head"],
        tmp.path(),
    );
    let text = stdout(&out);
    assert!(
        text.contains("| hipaa-chat | gpus dedicated 2×h100-80gb (now excluded) | $5,825 | $5,825 | eligibility only |"),
        "{text}"
    );
    let api = tmp.path().join("head/vendors/api.yaml");
    let yaml = std::fs::read_to_string(&api).unwrap();
    // 0.88 → 0.90 on the output price: chat's per-token cost rises by
    // 0.02 × 100,000 × 1,000 / 10^6 × 365/12 = $60.83 a month, +1.1% of $5,353.
    std::fs::write(
        &api,
        yaml.replace("output_usd_per_mtok: 0.88", "output_usd_per_mtok: 0.90"),
    )
    .unwrap();
    let moved = |pct: &str| {
        let out = infercost(
            &[
                "diff",
                "--base",
                "dir:base",
                "--head",
                "dir:head",
                "--min-change-pct",
                pct,
            ],
            tmp.path(),
        );
        stdout(&out).contains("| chat | api serverless | $5,353 | $5,414 | $60.83 more (+1.1%) |")
    };
    assert!(moved("1"));
    assert!(!moved("2"));
}

/// The fixture's GPU price (`gpus`, 2×H100) set to `base` on the base side
/// and `head` on the head side, in a scratch folder.
fn gpu_prices(base: &str, head: &str) -> tempfile::TempDir {
    let tmp = scratch_sides();
    for (side, price) in [("base", base), ("head", head)] {
        edit(
            &tmp.path().join(side).join("vendors/gpus.yaml"),
            "h100-80gb: {usd_per_hour: 3.99}",
            &format!("h100-80gb: {{usd_per_hour: {price}}}"),
        );
    }
    tmp
}

const SCRATCH: [&str; 7] = [
    "diff",
    "--base-dir",
    "base",
    "--head-dir",
    "head",
    "--as-of",
    "2026-05-01",
];

/// Issue 24: a crossover above 100% utilization is never reached, so
/// "175% -> 197%" is no move; reaching it or losing it is one ("never").
#[test]
fn crossovers_above_a_hundred_percent_read_never_and_are_not_moves() {
    // $3.99 an hour gives a 40% crossover (the golden diff's); 4.4 times
    // the price, $17.50, 175%; $19.75, 198%.
    let tmp = gpu_prices("17.50", "19.75");
    let out = infercost(&[&SCRATCH[..], &["--format", "json"]].concat(), tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let crossovers: Vec<&Value> = v["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["threshold"] == "crossover_utilization")
        .collect();
    assert!(crossovers.is_empty(), "{crossovers:#?}");
    let text = stdout(&infercost(&SCRATCH, tmp.path()));
    assert!(!text.contains("above this utilization"), "{text}");
    // From 40% to 175%: the deployment no longer beats per-token at any utilization.
    let tmp = gpu_prices("3.99", "17.50");
    let text = stdout(&infercost(&SCRATCH, tmp.path()));
    assert!(
        text.contains(
            "| chat | gpus dedicated 2×h100-80gb | above this utilization | 40% | never |"
        ),
        "{text}"
    );
}

/// Issue 24: a new price under the old `as_of` is warned about.
#[test]
fn a_price_change_that_keeps_its_as_of_is_warned_about() {
    let tmp = gpu_prices("3.99", "4.49");
    let text = stdout(&infercost(&SCRATCH, tmp.path()));
    assert!(
        text.contains("> **Warning:** vendor `gpus` changes `dedicated.gpus.h100-80gb.usd_per_hour` but keeps its `as_of`"),
        "{text}"
    );
    // The same change with a new date is not warned about.
    edit(
        &tmp.path().join("head/vendors/gpus.yaml"),
        "as_of: 2026-04-01",
        "as_of: 2026-05-01",
    );
    let text = stdout(&infercost(&SCRATCH, tmp.path()));
    assert!(!text.contains("Warning"), "{text}");
    // Nor is the fixtures' price change, which moved `api`'s `as_of`.
    assert!(!golden_diff().contains("Warning"));
}

/// Issue 24: `diff` and `report` price on the same date by default (today,
/// UTC); `diff` used the head's newest `as_of`, so the two disagreed.
#[test]
fn diff_and_report_price_on_the_same_date_by_default() {
    let out_dir = tempfile::tempdir().unwrap();
    let report_date = || {
        let out = infercost(
            &[
                "report",
                "--format",
                "json",
                "--out",
                out_dir.path().to_str().unwrap(),
            ],
            &fixtures().join("head"),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let json = std::fs::read(out_dir.path().join("report.json")).unwrap();
        let v: Value = serde_json::from_slice(&json).unwrap();
        v["as_of"].as_str().unwrap().to_string()
    };
    // Read around the diff, so that a run across midnight still compares
    // the diff with a report of its day.
    let before = report_date();
    let out = infercost(
        &[
            "diff", "--base", "base", "--head", "head", "--format", "json",
        ],
        &fixtures(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = report_date();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diff_date = v["as_of"].as_str().unwrap();
    assert!(
        diff_date == before || diff_date == after,
        "{diff_date} against {before}/{after}"
    );
    // Not the head's newest price date, which the diff used before.
    assert_ne!(diff_date, "2026-07-15");
}

/// Both sides are judged on one date: a vendor went stale when the change
/// made it so (here its `as_of` moved back past the 90-day limit).
#[test]
fn a_vendor_whose_as_of_moves_back_past_the_limit_went_stale() {
    let tmp = scratch_sides();
    edit(
        &tmp.path().join("head/vendors/gpus.yaml"),
        "as_of: 2026-04-01",
        "as_of: 2026-01-01",
    );
    let text = stdout(&infercost(&SCRATCH, tmp.path()));
    // 2026-01-01 to 2026-05-01: 31 + 28 + 31 + 30 = 120 days.
    assert!(
        text.contains("- Went stale: `gpus`, prices as of 2026-01-01 (120 days old)"),
        "{text}"
    );
}
