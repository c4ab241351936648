//! Fuzzing the profile loader and the whole report path with proptest
//! (cargo-fuzz needs a nightly toolchain): arbitrary text, YAML-shaped token
//! soup, and the bundled profiles with structured mutations (numbers set to
//! NaN, infinities, negatives, extremes; fields dropped, added, retyped,
//! nested deep; aliases). Claims: parsing never panics; a profile that
//! parses prices and renders in every format without panicking, no output
//! carries a NaN or an infinity, and the work stays bounded: the files an
//! input renders to are at most [`MAX_WORK`] times the bundled set's, and a
//! refusal's diagnostics are short. No claim is in seconds (a loaded
//! machine makes any time limit flaky; `cargo bench` measures speed); an
//! input that hung would show as a test that never finishes.
//!
//! `cargo test` runs a few cases of each; the long run sets `FUZZ_CASES`:
//! `FUZZ_CASES=200000 cargo test --release --test it fuzz::` (README,
//! "Reliability"). Inputs that once broke something live in `tests/corpus/`
//! and are replayed by `corpus_replays_cleanly`.

use std::path::Path;
use std::sync::OnceLock;

use infercost::engine::{self, Settings};
use infercost::profile::{self, embedded, ProfileFile, Profiles};
use infercost::report::{self, Format};
use infercost::resolve::resolve;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_yaml_ng::{Mapping, Value};

/// Cases per property: `FUZZ_CASES` (on random seeds: the long run
/// explores), else `default` on a fixed seed, so that `cargo test` and CI
/// run the same cases every time (an input a random seed finds is kept in
/// `tests/corpus/`, not left to chance).
fn config(default: u32) -> ProptestConfig {
    let asked: Option<u32> = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok());
    let rng_seed = match asked {
        Some(_) => proptest::test_runner::RngSeed::Random,
        None => proptest::test_runner::RngSeed::Fixed(20_261_206),
    };
    ProptestConfig {
        cases: asked.unwrap_or(default),
        rng_seed,
        // Failures are kept as files in tests/corpus/ by hand, with a name
        // that says what they broke; proptest's own seed files are not kept.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// How many times the bundled set's rendered bytes (every format) a single
/// input may render to: the measure of its work. The largest seen in 8,000
/// cases (2026-12-06, `FUZZ_SHOW_WORK=1 FUZZ_CASES=2000 cargo test
/// --release --test it fuzz:: -- --nocapture` prints each) was 1.01.
const MAX_WORK: usize = 2;

/// Which parser a text goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Vendor,
    Workload,
}

struct Bundled {
    vendors: Vec<ProfileFile>,
    workloads: Vec<ProfileFile>,
    profiles: Profiles,
    /// The bytes the bundled set renders to in every format.
    rendered_bytes: usize,
}

fn bundled() -> &'static Bundled {
    static BUNDLED: OnceLock<Bundled> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        let (vendors, workloads) = (embedded::vendors(), embedded::workloads());
        let profiles = profile::load(&vendors, &workloads).expect("bundled profiles are valid");
        let rendered_bytes = rendered_bytes(&profiles);
        Bundled {
            vendors,
            workloads,
            profiles,
            rendered_bytes,
        }
    })
}

const EVERY_FORMAT: &[Format] = &[Format::Json, Format::Md, Format::Html];

/// The bytes `profiles` priced render to in every format.
fn rendered_bytes(profiles: &Profiles) -> usize {
    let resolved = resolve(profiles);
    let priced = engine::price(&resolved, &Settings::default());
    report::render(&priced, profiles, EVERY_FORMAT)
        .values()
        .map(Vec::len)
        .sum()
}

/// Parses `text` as the `index`-th bundled profile of its kind (same file
/// name and stem); when it parses, prices the bundled set with it in place
/// and renders every format. Panics on any broken claim; returns the
/// diagnostics when the text is refused.
fn check(kind: Kind, index: usize, text: &str) -> Result<(), String> {
    let b = bundled();
    let files = match kind {
        Kind::Vendor => &b.vendors,
        Kind::Workload => &b.workloads,
    };
    let file = &files[index % files.len()];
    let mut profiles = b.profiles.clone();
    match kind {
        Kind::Vendor => match profile::parse::vendor(&file.name, &file.stem, text) {
            Ok(v) => profiles.vendors[index % files.len()] = v,
            Err(errors) => return Err(assert_errors_are_clear(&errors)),
        },
        Kind::Workload => match profile::parse::workload(&file.name, &file.stem, text) {
            Ok(w) => profiles.workloads[index % files.len()] = w,
            Err(errors) => return Err(assert_errors_are_clear(&errors)),
        },
    }
    let resolved = resolve(&profiles);
    let priced = engine::price(&resolved, &Settings::default());
    let yaml = serde_yaml_ng::to_string(&priced.report).expect("the report serializes");
    for line in yaml.lines() {
        let value = line.trim_end().rsplit([' ', '-']).next().unwrap_or("");
        assert!(
            !matches!(value, ".nan" | ".inf" | "-.inf" | "+.inf"),
            "a non-finite number in the contract: {line}"
        );
    }
    let files = report::render(&priced, &profiles, EVERY_FORMAT);
    // Rust writes non-finite numbers as `NaN`, `inf` and `-inf`; a profile's
    // own text may hold those words too (a name `inf`), which reports echo.
    let echoed: Vec<&str> = ["NaN", "inf"]
        .into_iter()
        .filter(|w| has_word(text, w))
        .collect();
    for (path, bytes) in &files {
        let shown = String::from_utf8_lossy(bytes);
        for word in ["NaN", "inf"] {
            assert!(
                echoed.contains(&word) || !has_word(&shown, word),
                "{} shows a non-finite number ({word})",
                path.display()
            );
        }
    }
    let work: usize = files.values().map(Vec::len).sum();
    if std::env::var_os("FUZZ_SHOW_WORK").is_some() {
        eprintln!("work {:.2}", work as f64 / b.rendered_bytes as f64);
    }
    assert!(
        work <= MAX_WORK * b.rendered_bytes,
        "{work} bytes rendered, over {MAX_WORK} times the bundled set's {}",
        b.rendered_bytes
    );
    Ok(())
}

/// Checks that a refusal has diagnostics and that they are short; returns them.
fn assert_errors_are_clear(errors: &[profile::Diagnostic]) -> String {
    assert!(!errors.is_empty(), "an error without a diagnostic");
    let shown = profile::ProfileErrors(errors.to_vec()).to_string();
    assert!(
        shown.len() < 2_000 * errors.len(),
        "{} bytes of diagnostics",
        shown.len()
    );
    shown
}

/// Whether `word` stands alone in `text` (not inside `infercost` or `info`,
/// nor YAML's `.inf` that a profile's text field holds as a string).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Vendor), Just(Kind::Workload)]
}

/// YAML-shaped token soup: structure, anchors, tags, odd scalars and the
/// profiles' own field names.
fn token_soup() -> impl Strategy<Value = String> {
    let tokens = prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(": "),
        Just(":"),
        Just("- "),
        Just("\n"),
        Just("\n  "),
        Just("\n    "),
        Just(", "),
        Just("? "),
        Just("&a "),
        Just("*a"),
        Just("&b "),
        Just("*b"),
        Just("!!str "),
        Just("!!float "),
        Just("!x "),
        Just("| "),
        Just("> "),
        Just("'"),
        Just("\""),
        Just("# c"),
        Just("---\n"),
        Just("...\n"),
        Just("1e308"),
        Just("-1e309"),
        Just(".nan"),
        Just("-.inf"),
        Just("0x1F"),
        Just("~"),
        Just("null"),
        Just("0"),
        Just("-0.5"),
        Just("4294967296"),
        Just("2026-05-01"),
        Just("llama-3.3-70b"),
        Just("h100-80gb"),
        Just("vendor"),
        Just("workload"),
        Just("serverless"),
        Just("dedicated"),
        Just("deployments"),
        Just("model"),
        Just("gpu"),
        Just("gpus"),
        Just("usd_per_hour"),
        Just("input_usd_per_mtok"),
        Just("requests_per_day"),
        Just("episode"),
        Just("turns"),
        Just("traffic"),
        Just("shape"),
        Just("hourly"),
        Just("scaling"),
        Just("scale-to-zero"),
        Just("requirements"),
        Just("\t"),
        Just("\u{feff}"),
        Just("é"),
        Just("\r\n"),
    ];
    prop::collection::vec(tokens, 0..120).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn arbitrary_text_never_panics_the_loader(kind in kind(), index in 0usize..16, text in any::<String>()) {
        let _ = check(kind, index, &text);
    }

    #[test]
    fn yaml_token_soup_never_panics_the_loader(kind in kind(), index in 0usize..16, text in token_soup()) {
        let _ = check(kind, index, &text);
    }
}

/// One step along a path in a YAML value.
#[derive(Debug, Clone)]
enum Step {
    Key(Value),
    Item(usize),
}

/// Every node of `v`, as paths from the root.
fn paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                at.push(Step::Key(k.clone()));
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Sequence(s) => {
            for (i, child) in s.iter().enumerate() {
                at.push(Step::Item(i));
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match (v, step) {
        (Value::Mapping(m), Step::Key(k)) => m.get_mut(k).expect("a path of the value"),
        (Value::Sequence(s), Step::Item(i)) => &mut s[*i],
        _ => unreachable!("paths come from the value"),
    })
}

/// A structured change to a profile.
#[derive(Debug, Clone)]
enum Mutation {
    /// Sets a node to a number.
    Number(Index, f64),
    /// Sets a node to another value (string, list, mapping, null, bool).
    Replace(Index, Value),
    /// Drops a field of a mapping.
    Drop(Index),
    /// Adds a field to a mapping.
    Add(Index, String, Value),
    /// Wraps a node in `depth` lists.
    Nest(Index, usize),
    /// Repeats the first item of a list `times` times.
    Repeat(Index, usize),
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            -0.0,
            0.0,
            5e-324,
            1e-300,
            1e-9,
            0.5,
            1.0,
            24.0,
            1e9,
            4294967295.0,
            4294967296.0,
            9007199254740993.0,
            1e15,
            1.0000001e15,
            1e16,
            1e300,
            f64::MAX,
        ]),
        any::<f64>(),
        (-30.0..30.0f64).prop_map(|e| 10f64.powf(e)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(|x| Value::Number(x.into())),
        "[a-z0-9._-]{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4).prop_map(|kv| {
                Value::Mapping(
                    kv.into_iter()
                        .map(|(k, v)| (Value::String(k), v))
                        .collect::<Mapping>(),
                )
            }),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), number()).prop_map(|(i, x)| Mutation::Number(i, x)),
        2 => (any::<Index>(), value()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<Index>().prop_map(Mutation::Drop),
        1 => (any::<Index>(), "[a-z_]{1,12}", value()).prop_map(|(i, k, v)| Mutation::Add(i, k, v)),
        1 => (any::<Index>(), 1usize..200).prop_map(|(i, d)| Mutation::Nest(i, d)),
        1 => (any::<Index>(), 1usize..50).prop_map(|(i, n)| Mutation::Repeat(i, n)),
    ]
}

fn mutate(doc: &mut Value, m: &Mutation) {
    let mut all: Vec<Vec<Step>> = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let at = |i: &Index| -> Vec<Step> { i.get(&all).clone() };
    match m {
        Mutation::Number(i, x) => *node(doc, &at(i)) = Value::Number((*x).into()),
        Mutation::Replace(i, v) => *node(doc, &at(i)) = v.clone(),
        Mutation::Drop(i) => {
            let path = at(i);
            if let Some((Step::Key(k), parent)) = path.split_last() {
                if let Value::Mapping(m) = node(doc, parent) {
                    m.remove(k);
                }
            }
        }
        Mutation::Add(i, k, v) => {
            if let Value::Mapping(m) = node(doc, &at(i)) {
                m.insert(Value::String(k.clone()), v.clone());
            }
        }
        Mutation::Nest(i, depth) => {
            let n = node(doc, &at(i));
            for _ in 0..*depth {
                *n = Value::Sequence(vec![n.clone()]);
            }
        }
        Mutation::Repeat(i, times) => {
            if let Value::Sequence(s) = node(doc, &at(i)) {
                if let Some(first) = s.first().cloned() {
                    s.extend(std::iter::repeat_n(first, *times));
                }
            }
        }
    }
}

/// The YAML text of a value, with every repeated mapping or list written
/// once under an anchor and then as an alias, as a person might.
fn with_aliases(text: &str) -> String {
    // serde_yaml_ng writes no aliases; add one for the first repeated line.
    let mut seen = std::collections::BTreeMap::new();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        match trimmed.split_once(": ") {
            Some((key, value)) if !value.is_empty() && !value.starts_with(['&', '*', '|', '>']) => {
                let indent = &line[..line.len() - trimmed.len()];
                if let Some(anchor) = seen.get(value) {
                    out.push_str(&format!("{indent}{key}: *{anchor}\n"));
                    continue;
                }
                let anchor = format!("v{}", seen.len());
                out.push_str(&format!("{indent}{key}: &{anchor} {value}\n"));
                seen.insert(value.to_string(), anchor);
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn mutated_bundled_profiles_price_and_render_cleanly(
        kind in kind(),
        index in 0usize..16,
        mutations in prop::collection::vec(mutation(), 1..4),
        aliases in any::<bool>(),
    ) {
        let b = bundled();
        let files = match kind {
            Kind::Vendor => &b.vendors,
            Kind::Workload => &b.workloads,
        };
        let original = files[index % files.len()].text.as_ref().expect("bundled text");
        let mut doc: Value = serde_yaml_ng::from_str(original).expect("bundled YAML");
        for m in &mutations {
            mutate(&mut doc, m);
        }
        let mut text = serde_yaml_ng::to_string(&doc).expect("a YAML value serializes");
        if aliases {
            text = with_aliases(&text);
        }
        let _ = check(kind, index, &text);
    }
}

/// Replays every input of `tests/corpus/`. A file is named
/// `<vendor|workload>-<stem>--<what>.yaml`: it stands in for the bundled
/// profile `<stem>`, and its last line says what must happen:
/// `# expect: parses` (then it prices and renders cleanly) or
/// `# expect: refused: <words of the error>`.
#[test]
fn corpus_replays_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let b = bundled();
    let mut replayed = 0;
    for e in std::fs::read_dir(&dir).expect("tests/corpus") {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some((target, _)) = name.split_once("--") else {
            continue;
        };
        let (kind, stem, files) = if let Some(stem) = target.strip_prefix("vendor-") {
            (Kind::Vendor, stem, &b.vendors)
        } else if let Some(stem) = target.strip_prefix("workload-") {
            (Kind::Workload, stem, &b.workloads)
        } else {
            panic!("{name}: expected vendor-<stem>--… or workload-<stem>--…");
        };
        let index = files
            .iter()
            .position(|f| f.stem == stem)
            .unwrap_or_else(|| panic!("{name}: no bundled profile `{stem}`"));
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let expect = text
            .lines()
            .last()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{name}: no `# expect:` last line"));
        match (check(kind, index, &text), expect.strip_prefix("refused: ")) {
            (Ok(()), None) => assert_eq!(expect, "parses", "{name}"),
            (Err(shown), Some(words)) => assert!(shown.contains(words), "{name}: {shown}"),
            (Ok(()), Some(_)) => panic!("{name} parsed; expected a refusal"),
            (Err(shown), None) => panic!("{name} was refused: {shown}"),
        }
        replayed += 1;
    }
    assert!(
        replayed >= 10,
        "only {replayed} inputs in {}",
        dir.display()
    );
}
