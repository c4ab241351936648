//! Bad and hostile request logs: bad lines counted and shown, too many
//! failing with nothing written, empty, binary and overlong logs, escaped
//! log text, and logs of several models.

use super::{ok, run, TEN};

#[test]
fn a_few_bad_lines_warn_with_their_numbers_and_many_fail_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut few = TEN.to_string();
    few.push_str("1700000100,-5,20,0,llama\n");
    std::fs::write(dir.path().join("few.csv"), &few).unwrap();
    let (code, _, stderr) = run(&["fit", "few.csv", "--model", "llama-3.3-70b"], dir.path());
    assert_eq!(code, 0, "{stderr}");
    // 1 of 11 (9%) is under the 10% limit.
    assert!(stderr.contains("1 of 11 data lines are bad"), "{stderr}");
    assert!(
        stderr.contains("few.csv:12: input_tokens: `-5` is not a whole number of tokens ≥ 0"),
        "{stderr}"
    );

    let mut many = few;
    many.push_str("yesterday,10,20,0,llama\n1700000120,10,20\n");
    std::fs::write(dir.path().join("many.csv"), many).unwrap();
    let (code, stdout, stderr) = run(
        &[
            "fit",
            "many.csv",
            "--model",
            "llama-3.3-70b",
            "--out",
            "many.yaml",
        ],
        dir.path(),
    );
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("3 of 13 data lines are bad, more than 10%: nothing written"),
        "{stderr}"
    );
    assert!(
        stderr.contains("many.csv:13: timestamp: expected ISO 8601"),
        "{stderr}"
    );
    assert!(
        stderr.contains("many.csv:14: 3 fields where the header has 5"),
        "{stderr}"
    );
    assert!(!dir.path().join("many.yaml").exists());
}

#[test]
fn empty_binary_and_overlong_logs_fail_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("empty.csv", vec![], "empty: no line to read"),
        (
            "header.csv",
            b"timestamp,input_tokens,output_tokens\n".to_vec(),
            "has no data line",
        ),
        (
            "binary.csv",
            b"\x7fELF\x02\x01\x01\x00\x00".to_vec(),
            "binary content",
        ),
        (
            "long.jsonl",
            vec![b'{'; 9 << 20],
            "a line longer than 8 MiB",
        ),
    ];
    for (name, bytes, expected) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let (code, stdout, stderr) = run(&["fit", name, "--model", "llama-3.3-70b"], dir.path());
        assert_eq!((code, stdout.as_str()), (2, ""), "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
    let (code, _, stderr) = run(&["fit", "absent.csv"], dir.path());
    assert_eq!(code, 2);
    assert!(stderr.contains("absent.csv: cannot open"), "{stderr}");
}

#[test]
fn log_text_reaching_the_terminal_is_escaped() {
    // A model name with an escape sequence and a bidi override, and a bad
    // line quoting one: both are shown escaped, never raw.
    let dir = tempfile::tempdir().unwrap();
    let log = "timestamp,input_tokens,output_tokens,model\n\
               1700000000,10,1,\u{1b}[31mred\u{202e}\n\
               1700000010,10,1,\u{1b}[31mred\u{202e}\n";
    std::fs::write(dir.path().join("m.csv"), log).unwrap();
    // Not a catalog id, so not written into the profile as its model.
    let (code, stdout, stderr) = run(&["fit", "m.csv"], dir.path());
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(
        stderr.contains("the log's model `\\u{1b}[31mred\\u{202e}` is not a catalog id"),
        "{stderr:?}"
    );
    let (code, _, stderr) = run(&["fit", "m.csv", "--log-model", "other"], dir.path());
    assert_eq!(code, 2);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
        "{stderr:?}"
    );
    let bad = "timestamp,input_tokens,output_tokens\n1700000000,\u{1b}[2J,1\n1700000010,1,1\n";
    std::fs::write(dir.path().join("b.csv"), bad).unwrap();
    let (_, _, stderr) = run(&["fit", "b.csv", "--model", "x"], dir.path());
    assert!(stderr.contains("`\\u{1b}[2J`"), "{stderr:?}");
}

#[test]
fn a_log_of_several_models_is_refused_unless_one_is_kept() {
    // 2 requests of `a`, 1 of `b`, 1 naming none: refused with their
    // counts, even with --model; --log-model a keeps a's 2 (1 s apart:
    // 86,400 a day) and leaves out the one naming none, not known to be
    // of `a` (until 2026-12-08 it was kept).
    let log = "timestamp,input_tokens,output_tokens,model\n1700000000,10,1,a\n1700000001,10,1,a\n1700000002,10,1,b\n1700000003,10,1,\n";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.csv"), log).unwrap();
    let (code, _, stderr) = run(&["fit", "m.csv", "--model", "llama-3.3-70b"], dir.path());
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the log names 2 models (`a` ×2, `b` ×1)"),
        "{stderr}"
    );
    let args = [
        "fit",
        "m.csv",
        "--model",
        "llama-3.3-70b",
        "--log-model",
        "a",
    ];
    let yaml = ok(&args, dir.path());
    assert!(
        yaml.contains(
            "# left out: 1 requests of log model `b`\n# left out: 1 requests that name no model\n"
        ),
        "{yaml}"
    );
    assert!(yaml.contains("\nrequests_per_day: 86400\n"), "{yaml}");
}

#[test]
fn fit_refuses_what_would_write_a_bad_profile_or_clobber_a_log() {
    // A second read: `--model` went into the YAML as given (a newline and a
    // key in it made an injected field), an `--out` stem with spaces made
    // a workload id `replay` refused, `--out` naming the log overwrote it,
    // and a log given twice counted every request twice. Each is refused
    // before anything is read or written.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ten.csv"), TEN).unwrap();
    let refused = |args: &[&str], says: &str| {
        let (code, stdout, stderr) = run(args, dir.path());
        assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    };
    refused(
        &["fit", "ten.csv", "--model", "foo: bar\nrequests_per_day: 1"],
        "expected a catalog model id",
    );
    refused(
        &[
            "fit",
            "ten.csv",
            "--model",
            "llama-3.3-70b",
            "--out",
            "my traffic #1.yaml",
        ],
        "its file name (without .yaml) is the workload id",
    );
    refused(
        &[
            "fit",
            "ten.csv",
            "--model",
            "llama-3.3-70b",
            "--out",
            "ten.csv",
        ],
        "that is a log being read",
    );
    refused(
        &["fit", "ten.csv", "./ten.csv", "--model", "llama-3.3-70b"],
        "are the same log",
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ten.csv")).unwrap(),
        TEN
    );
    assert!(!dir.path().join("my traffic #1.yaml").exists());
}

/// A log of several models read from a pipe cannot be read again for each
/// model: it is refused in words, where `/dev/stdin` read empty the second
/// time and the model's log was reported "empty". One model kept with
/// `--log-model` reads the pipe once and fits.
#[test]
fn a_piped_log_of_several_models_is_refused_in_words() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let log = "timestamp,model,input_tokens,output_tokens\n\
               1700000000,a-model,100,10\n1700000060,b-model,100,10\n\
               1700000120,a-model,100,10\n1700000180,b-model,100,10\n";
    let piped = |extra: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_infercost"))
            .args(["fit", "/dev/stdin", "--out", "fitted.yaml"])
            .args(extra)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(log.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = piped(&[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("/dev/stdin is not a file, and the log names 2 models (a-model, b-model), which infercost reads once for each: save the log to a file, or keep one model with --log-model NAME"),
        "{stderr}"
    );
    assert!(!dir.path().join("fitted.yaml").exists());
    let out = piped(&["--log-model", "a-model", "--model", "llama-3.3-70b"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("fitted.yaml").exists());
}

/// Two columns (or JSON keys) that mean one field are refused, where the
/// last one silently won: `prompt_tokens` beside `input_tokens` in a CSV
/// header fails at line 1; in JSON Lines every line is bad, with the whole
/// advice (the bad-line messages were cut at 80 characters, mid-advice).
/// Naming one with `--columns` reads it: 100 input tokens, not 200.
#[test]
fn two_columns_of_one_meaning_are_refused_until_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "timestamp,prompt_tokens,input_tokens,output_tokens\n\
               1700000000,100,200,10\n1700000060,100,200,10\n";
    std::fs::write(dir.path().join("dup.csv"), csv).unwrap();
    let (code, _, stderr) = run(&["fit", "dup.csv", "--model", "llama-3.3-70b"], dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("dup.csv:1: columns `prompt_tokens` and `input_tokens` both mean input_tokens: name the one to read with --columns input_tokens=NAME"),
        "{stderr}"
    );
    let jsonl = "{\"timestamp\":1700000000,\"prompt_tokens\":100,\"input_tokens\":200,\"output_tokens\":10}\n";
    std::fs::write(dir.path().join("dup.jsonl"), jsonl.repeat(2)).unwrap();
    let (code, _, stderr) = run(
        &["fit", "dup.jsonl", "--model", "llama-3.3-70b"],
        dir.path(),
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("dup.jsonl:1: keys `input_tokens` and `prompt_tokens` both mean input_tokens: name the one to read with --columns input_tokens=NAME"),
        "{stderr}"
    );
    let fitted = ok(
        &[
            "fit",
            "dup.csv",
            "--model",
            "llama-3.3-70b",
            "--columns",
            "input_tokens=prompt_tokens",
        ],
        dir.path(),
    );
    assert!(fitted.contains("\ninput_tokens: 100\n"), "{fitted}");
}

/// A log with no model field has nothing of the model `--log-model` asks
/// for, and says why (its requests name none).
#[test]
fn a_log_without_a_model_field_takes_no_log_model() {
    let dir = tempfile::tempdir().unwrap();
    let plain = "timestamp,input_tokens,output_tokens\n1700000000,10,1\n1700000001,10,1\n";
    std::fs::write(dir.path().join("p.csv"), plain).unwrap();
    let args = [
        "fit",
        "p.csv",
        "--model",
        "llama-3.3-70b",
        "--log-model",
        "a",
    ];
    let (code, _, stderr) = run(&args, dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("has no request of that model (0 of other models, 2 naming none: a log without a model field takes no --log-model)"),
        "{stderr}"
    );
}
