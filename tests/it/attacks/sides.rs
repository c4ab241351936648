//! Attack 1: a folder of the pull request standing in for the base revision.

use super::*;

/// Attack 1: the pull request raises a price and adds `origin/main/vendors/`
/// and `origin/main/workloads/`, copies of its own profiles, hoping that
/// `--base origin/main` reads them and reports no change.
#[test]
fn a_folder_named_after_the_base_revision_cannot_stand_in_for_it() {
    let repo = repository();
    let dir = repo.path();
    let api = dir.join("vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("output_usd_per_mtok: 0.88", "output_usd_per_mtok: 0.99"),
    )
    .unwrap();
    for sub in ["vendors", "workloads"] {
        copy_folder(&dir.join(sub), &dir.join("origin/main").join(sub));
    }
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "raise a price, and hide it"]);

    // The bare name is both: refused, in words, before anything is read.
    let out = infercost(
        &["diff", "--base", "origin/main", "--fail-on-pick-change"],
        dir,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains(
            "ambiguous: `origin/main` is both a folder and a revision; say `--base-rev origin/main`"
        ),
        "{}",
        stderr(&out)
    );

    // The revision, by flag or by prefix, sees the real change:
    // 0.88 → 0.99 is +12.5%, shown rounded as +13%.
    let row = "| vendor `api` | `serverless[llama-3.3-70b].output_usd_per_mtok` | `0.88` | `0.99` | +13% |";
    for args in [
        ["diff", "--base-rev", "origin/main"],
        ["diff", "--base", "rev:origin/main"],
    ] {
        let out = infercost(&args, dir);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains(row), "{args:?}: {}", stdout(&out));
    }

    // The folder, asked for as a folder, is the PR's own copy: no change.
    let out = infercost(&["diff", "--base-dir", "origin/main"], dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("infercost diff: no change"));

    // Two forms of one side are a usage error from the argument parser.
    let out = infercost(&["diff", "--base", "rev:main", "--base-dir", "x"], dir);
    assert_eq!(out.status.code(), Some(2));
}
