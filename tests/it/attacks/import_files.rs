//! Issue 19, attack 4: the files an import reads and writes. The map is
//! read bounded and only when it is a regular file (a FIFO would block,
//! `/dev/zero` never ends); the profiles are read and refused as `validate`
//! reads and refuses them (links out of the folder, `.yml`, two files of one
//! id); a CRLF profile stays CRLF; a quoted `model:` is read, and an offer
//! the line editor cannot read is refused with the shape it reads.

use super::*;
use crate::import::{files, fixture, import, scratch};

#[test]
fn a_map_that_is_no_regular_file_or_too_large_is_refused_unread() {
    let dir = scratch();
    let out = import(dir.path(), "litellm", Path::new("/dev/zero"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/dev/zero: not a regular file (a folder, a FIFO or a device); expected the price map's JSON file"), "{}", stderr(&out));
    // A FIFO nobody writes to: opening it would block for ever.
    let fifo = dir.path().join("map.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = import(dir.path(), "litellm", &fifo, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("map.json: not a regular file"),
        "{}",
        stderr(&out)
    );
    // 64 MiB and one byte (sparse: no disk used), refused by its size before it is read.
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len((64 << 20) + 1)
        .unwrap();
    let out = import(dir.path(), "litellm", &big, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "big.json: the file is 67108865 bytes; a price map is at most 67108864 bytes"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_reads_and_refuses_the_profiles_as_validate_does() {
    let dir = scratch();
    let vendors = dir.path().join("vendors");
    let secret = dir.path().join("id_ed25519");
    std::fs::write(&secret, "-----BEGIN OPENSSH PRIVATE KEY-----\nmade-up\n").unwrap();
    std::os::unix::fs::symlink("../id_ed25519", vendors.join("key.yaml")).unwrap();
    let genai = fixture("genai-prices.json");
    let before = files(&vendors);
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(2));
    let refusal = "vendors/key.yaml: a link to a file outside its folder; refused unread";
    assert!(stderr(&out).contains(refusal), "{}", stderr(&out));
    let validate = infercost(&["validate", "--vendors", "vendors"], dir.path());
    assert!(stderr(&validate).contains(refusal), "{}", stderr(&validate));
    assert!(!stderr(&out).contains("made-up"));
    assert_eq!(files(&vendors), before);
    std::fs::remove_file(vendors.join("key.yaml")).unwrap();

    // Two files of one id: refused by both, in the same words.
    std::fs::copy(vendors.join("groq.yaml"), vendors.join("groq.yml")).unwrap();
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(2));
    let twice =
        "vendors/groq.yml: groq.yaml defines the profile `groq` too; keep one of the two files";
    assert!(stderr(&out).contains(twice), "{}", stderr(&out));

    // `.yml` alone is a profile, read and edited in place.
    std::fs::remove_file(vendors.join("groq.yaml")).unwrap();
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let groq = std::fs::read_to_string(vendors.join("groq.yml")).unwrap();
    let gold = std::fs::read_to_string(fixture("after-genai-prices/vendors/groq.yaml")).unwrap();
    assert_eq!(groq, gold);

    // A link to a file of the same folder is read by both; the import would
    // replace the link by a file, so it says so and writes nothing.
    let together = vendors.join("together.yaml");
    std::fs::rename(&together, vendors.join("together.txt")).unwrap();
    std::os::unix::fs::symlink("together.txt", &together).unwrap();
    let before = files(&vendors);
    let out = import(
        dir.path(),
        "litellm",
        &fixture("litellm.json"),
        &["--accept-large-moves"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("vendors/together.yaml: a link; the import replaces a profile by a rename, which would put a file in the link's place. Nothing written"), "{}", stderr(&out));
    assert_eq!(files(&vendors), before);
    assert!(std::fs::symlink_metadata(&together)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn a_crlf_profile_stays_crlf() {
    let dir = scratch();
    let groq = dir.path().join("vendors/groq.yaml");
    let lf = std::fs::read_to_string(&groq).unwrap();
    std::fs::write(&groq, lf.replace('\n', "\r\n")).unwrap();
    let out = import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let gold = std::fs::read_to_string(fixture("after-genai-prices/vendors/groq.yaml")).unwrap();
    assert_ne!(gold, lf, "the import edits groq.yaml");
    assert_eq!(
        std::fs::read_to_string(&groq).unwrap(),
        gold.replace('\n', "\r\n")
    );

    // Mixed line endings: refused with the line, nothing written.
    std::fs::write(&groq, lf.replacen('\n', "\r\n", 1)).unwrap();
    let out = import(
        dir.path(),
        "genai-prices",
        &fixture("genai-prices.json"),
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "vendors/groq.yaml:2: this line ends otherwise than the first (CRLF against LF)"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_quoted_model_is_edited_and_an_unreadable_offer_refused_with_the_shape() {
    let dir = scratch();
    let groq = dir.path().join("vendors/groq.yaml");
    let text = std::fs::read_to_string(&groq).unwrap();
    let genai = fixture("genai-prices.json");
    std::fs::write(
        &groq,
        text.replace("- model: gpt-oss-120b", "- model: \"gpt-oss-120b\""),
    )
    .unwrap();
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("changed   groq gpt-oss-120b batch_discount: none -> 0.50"));

    // An escape the line editor does not read: refused with the line.
    std::fs::write(
        &groq,
        text.replace("- model: gpt-oss-120b", "- model: \"gpt\\x2doss-120b\""),
    )
    .unwrap();
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("vendors/groq.yaml:9: a `model:` or `tier:` value quoted with escapes (or not closed), which the line editor does not read, so groq gpt-oss-120b cannot be found; write it plain or in simple quotes"), "{}", stderr(&out));

    // A shape it does not read at all (a complex key): the message says which shape it reads.
    std::fs::write(
        &groq,
        text.replace("- model: gpt-oss-120b", "- ? model\n    : gpt-oss-120b"),
    )
    .unwrap();
    let out = import(dir.path(), "genai-prices", &genai, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("vendors/groq.yaml: cannot find the lines of groq gpt-oss-120b, which the profile has; the import edits an item `- model: <id>` (the id plain or in simple quotes) in the top-level `serverless:` section"), "{}", stderr(&out));
}
