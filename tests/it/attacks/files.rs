//! Attacks 3 and 6: profile files that would make infercost read what it
//! should not (links out of the folder, capitals, duplicates, large blobs).

use std::process::Output;

use super::*;

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
