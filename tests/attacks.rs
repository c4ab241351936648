//! A hostile contributor's pull request, tried through the real binary:
//! each test is one attack on `infercost diff`, the profile loader or the
//! report writer, and asserts that it fails (issue 12).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Git variables that would point git at another repository than the
/// current folder's (as they do inside a git hook).
const GIT_VARIABLES: &[&str] = &["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"];

fn infercost(args: &[&str], dir: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infercost"));
    for v in GIT_VARIABLES {
        command.env_remove(v);
    }
    command
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn base_fixture() -> PathBuf {
    root().join("tests/fixtures/diff/base")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs git in `dir` with an identity and no signing, as on a fresh machine.
fn git(dir: &Path, args: &[&str]) -> String {
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
    stdout(&out)
}

/// Copies the files of folder `from` into `to` (created).
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

/// The base fixture as `base/` and `head/` of a scratch folder.
fn sides() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for side in ["base", "head"] {
        for sub in ["vendors", "workloads"] {
            copy_folder(&base_fixture().join(sub), &tmp.path().join(side).join(sub));
        }
    }
    tmp
}

/// A repository whose one commit (also `origin/main`) holds the base fixture.
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["vendors", "workloads"] {
        copy_folder(&base_fixture().join(sub), &tmp.path().join(sub));
    }
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "vendors", "workloads"]);
    git(tmp.path(), &["commit", "-q", "-m", "base prices"]);
    git(
        tmp.path(),
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    tmp
}

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

/// Text a hostile pull request puts in its profiles: raw HTML, an HTML
/// comment that would hide the rest of the comment, a forged marker, an
/// image and a link that load from or point to another host, a mention, a
/// bare URL and a `www.` autolink, an issue reference, an emoji shortcode,
/// emphasis, math, backticks that would close a code span or fence, and a
/// pipe that would add a table cell.
const HOSTILE: &str = "Evil <!-- infercost-diff --> <img src=\"https://evil.example/i.png\"> \
![x](https://evil.example/p.png) [click](https://evil.example) @octocat www.evil.example \
https://evil.example/u x@evil.example #1 :smile: *em* $x^2$ ``` `` ` | <script>alert(1)</script> &amp;";

/// The GFM renderer GitHub's is built on, with GitHub's extensions, raw HTML
/// kept (`--unsafe`) so that any HTML that got through shows.
fn gfm(markdown: &str) -> String {
    use std::io::Write;
    let mut child = Command::new("cmark-gfm")
        .args([
            "--unsafe",
            "-e",
            "table",
            "-e",
            "autolink",
            "-e",
            "strikethrough",
        ])
        .args(["-e", "tagfilter", "-e", "tasklist"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("cmark-gfm is installed (apt-get install cmark-gfm; .ci/run does)");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(markdown.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
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
    let html = gfm(markdown);
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
    let quoted = serde_json::to_string(HOSTILE).unwrap();
    std::fs::write(
        head.join("vendors/www.evil.example.yaml"),
        format!(
            "vendor: www.evil.example\nname: {quoted}\nsegment: api-marketplace\npositioning: cheap\n\
             as_of: 2026-05-01\nsources: [https://evil.example/p.png]\nmodalities: [text]\n\
             serverless:\n  - model: llama-3.3-70b\n    tier: {quoted}\n    input_usd_per_mtok: 0.1\n    output_usd_per_mtok: 0.1\n"
        ),
    )
    .unwrap();
    let api = head.join("vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(
        &api,
        text.replace("name: Token API", &format!("name: {quoted}")) + &format!(
            "price_changes:\n  - date: 2026-05-01\n    change: {quoted}\n    source: https://evil.example/p.png\n"
        ),
    )
    .unwrap();
    let chat = head.join("workloads/chat.yaml");
    let text = std::fs::read_to_string(&chat).unwrap();
    std::fs::write(
        &chat,
        text.replace("name: Chat product", &format!("name: {quoted}")),
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
        markdown.contains("segment: unknown variant `cheap\\u{a}::error::pwned"),
        "{markdown}"
    );
    assert_inert(&markdown);
    // One fenced block, holding the whole message.
    assert_eq!(gfm(&markdown).matches("<pre>").count(), 1);
    for output in [&markdown, &stderr(&out)] {
        assert!(
            output.lines().all(|l| !l.trim_start().starts_with("::")),
            "a line could run a workflow command:\n{output}"
        );
    }
}

/// A private key, as `ssh-keygen` writes one (the body is made up).
const SECRET: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ-made-up-secret\n-----END OPENSSH PRIVATE KEY-----\n";

fn assert_no_secret(out: &Output) {
    for text in [stdout(out), stderr(out)] {
        assert!(
            !text.contains("OPENSSH") && !text.contains("made-up-secret"),
            "the key leaked:\n{text}"
        );
    }
}

/// Attack 3: `ln -s ~/.ssh/id_ed25519 vendors/key.yaml`, on disk and
/// committed to a revision (there the link leads to a file of the
/// repository outside `vendors/`).
#[test]
fn a_link_out_of_the_profile_folder_is_refused_unread() {
    let repo = repository();
    let dir = repo.path();
    std::fs::write(dir.join("id_ed25519"), SECRET).unwrap();
    std::os::unix::fs::symlink("../id_ed25519", dir.join("vendors/key.yaml")).unwrap();
    // A link to a profile of the same folder is a profile, on both reads.
    std::os::unix::fs::symlink("api.yaml", dir.join("vendors/api2.yaml")).unwrap();
    let refusal = "vendors/key.yaml: a link to a file outside its folder; refused unread";

    let out = infercost(&["validate"], dir);
    assert_eq!(out.status.code(), Some(2));
    assert_no_secret(&out);
    assert!(stderr(&out).contains(refusal), "{}", stderr(&out));
    // api2.yaml is read (and fails only because its vendor id is `api`).
    assert!(
        stderr(&out)
            .contains("vendors/api2.yaml:1:9: vendor: `api` must equal the file name `api2`"),
        "{}",
        stderr(&out)
    );

    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "a link to the key"]);
    let out = infercost(&["diff", "--base-rev", "HEAD", "--head-rev", "HEAD"], dir);
    assert_eq!(out.status.code(), Some(2));
    assert_no_secret(&out);
    assert!(
        stderr(&out).contains(&format!("HEAD:{refusal}")),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out)
            .contains("HEAD:vendors/api2.yaml:1:9: vendor: `api` must equal the file name `api2`"),
        "{}",
        stderr(&out)
    );
}

/// Attack 6: `x.yaml` beside `x.yml`, an extension in capitals, a hidden
/// profile and an editor's swap file, in a folder and at a revision: the
/// same verdict on both reads.
#[test]
fn folder_and_revision_reads_accept_and_refuse_the_same_names() {
    let repo = repository();
    let dir = repo.path();
    let api = std::fs::read_to_string(dir.join("vendors/api.yaml")).unwrap();
    std::fs::write(dir.join("vendors/api.yml"), &api).unwrap();
    std::fs::write(dir.join("vendors/gpus2.YAML"), "vendor: gpus2\n").unwrap();
    std::fs::write(dir.join("vendors/.api.yaml.swp"), "not yaml").unwrap();
    std::fs::write(dir.join("vendors/.yaml"), "vendor: x").unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "two api files"]);
    let expected = [
        "vendors/api.yml: api.yaml defines the profile `api` too; keep one of the two files",
        "vendors/gpus2.YAML: the extension `.YAML` is not read; a profile ends in `.yaml` or `.yml`, in lowercase: rename the file",
        "vendors/.yaml: `.yaml` has no name before its extension; a profile is `<id>.yaml`",
    ];
    let folder = infercost(&["validate"], dir);
    let revision = infercost(&["diff", "--base-rev", "HEAD", "--head-rev", "HEAD"], dir);
    for (out, prefix) in [(&folder, ""), (&revision, "HEAD:")] {
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(out);
        assert!(err.contains("3 problems in the profiles"), "{err}");
        for e in expected {
            assert!(
                err.contains(&format!("{prefix}{e}")),
                "missing {prefix}{e} in\n{err}"
            );
        }
    }
}

/// Attack 6: a 3 MiB blob at a revision is refused by the size `git ls-tree`
/// gives, before it is read.
#[test]
fn a_large_blob_at_a_revision_is_refused_by_its_size() {
    let repo = repository();
    let dir = repo.path();
    std::fs::write(dir.join("vendors/big.yaml"), vec![b'#'; 3 << 20]).unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "a large file"]);
    let out = infercost(&["diff", "--base-rev", "HEAD~1", "--head-rev", "HEAD"], dir);
    assert_eq!(out.status.code(), Some(2));
    // 3 MiB = 3 × 1,048,576 = 3,145,728 bytes.
    assert!(
        stderr(&out).contains(
            "HEAD:vendors/big.yaml: the file is 3145728 bytes; a profile is at most 1048576 bytes"
        ),
        "{}",
        stderr(&out)
    );
}

/// Attack 4, the comment size: 200 workloads with every price raised make a
/// diff far over the limit asked for; `--max-bytes` cuts it at a line, with
/// a note, within the limit.
#[test]
fn a_diff_over_the_comment_limit_is_cut_with_a_note() {
    let tmp = sides();
    let chat = std::fs::read_to_string(base_fixture().join("workloads/chat.yaml")).unwrap();
    for side in ["base", "head"] {
        for i in 0..200 {
            let id = format!("chat-{i:03}");
            std::fs::write(
                tmp.path().join(side).join(format!("workloads/{id}.yaml")),
                chat.replace("workload: chat", &format!("workload: {id}")),
            )
            .unwrap();
        }
    }
    let api = tmp.path().join("head/vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(&api, text.replace("0.88", "0.97")).unwrap();
    let args = ["diff", "--base", "dir:base", "--head", "dir:head"];
    let whole = stdout(&infercost(&args, tmp.path()));
    assert!(whole.len() > 20_000, "{} bytes", whole.len());
    let pointer = "The whole diff is in the job summary.";
    let cut_args = [&args[..], &["--max-bytes", "4000", "--cut-note", pointer]].concat();
    let out = infercost(&cut_args, tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cut = stdout(&out);
    assert!(cut.len() <= 4000, "{} bytes", cut.len());
    let kept = cut.find("\n**This diff is cut**").unwrap();
    assert!(whole.starts_with(&cut[..kept]));
    assert!(
        cut.ends_with(&format!(
            "it is {} bytes, over the 4000-byte limit of this comment; the first {kept} bytes are shown. {pointer}\n",
            whole.len()
        )),
        "{cut}"
    );
}

/// Attack 3, one level up: the pull request's `vendors/` is itself a link
/// to a folder elsewhere on the runner.
#[test]
fn a_side_whose_profile_folder_is_a_link_is_refused() {
    let tmp = sides();
    let head = tmp.path().join("head");
    std::fs::remove_dir_all(head.join("vendors")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("base/vendors"), head.join("vendors")).unwrap();
    let out = infercost(
        &["diff", "--base-dir", "base", "--head-dir", "head"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("head/vendors is a link; a side's profile folders must be folders in it"),
        "{}",
        stderr(&out)
    );
}

/// The script job 1 runs, run here as there: the comment, the whole diff in
/// the job summary, the status of the gates and the pull request's number,
/// and a number that is not one refused.
#[test]
fn the_workflow_script_leaves_the_comment_and_its_status() {
    let tmp = sides();
    let api = tmp.path().join("head/vendors/api.yaml");
    let text = std::fs::read_to_string(&api).unwrap();
    std::fs::write(&api, text.replace("0.88", "2.5")).unwrap();
    let script = root().join(".github/scripts/price-diff.sh");
    let summary = tmp.path().join("summary.md");
    let run = |pr: &str| {
        Command::new("bash")
            .arg(&script)
            .args([env!("CARGO_BIN_EXE_infercost"), "base", "head", "out", pr])
            .arg("--fail-on-pick-change")
            .env("GITHUB_STEP_SUMMARY", &summary)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let out = run("7");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let read = |f: &str| std::fs::read_to_string(tmp.path().join("out").join(f)).unwrap();
    let direct = infercost(
        &["diff", "--base-dir", "base", "--head-dir", "head"],
        tmp.path(),
    );
    assert_eq!(read("comment.md"), stdout(&direct));
    assert_eq!(read("full.md"), stdout(&direct));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), stdout(&direct));
    // 0.88 → 2.50 makes the dedicated GPUs the pick of `chat`: the gate trips.
    assert!(read("comment.md").contains("#### Picks that changed"));
    assert_eq!(read("status"), "1\n");
    assert_eq!(read("pr-number"), "7\n");
    assert!(
        stderr(&out).contains("the pick changed for chat"),
        "{}",
        stderr(&out)
    );

    let out = run("7; echo pwned");
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("the pull request number must be digits"));
}
