//! The bundled catalog read, and a bad file's errors.

use super::*;

#[test]
fn bundled_catalog_is_valid() {
    let c = bundled().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.gpus.len(), 11);
    assert!(c.architectures.len() >= 16);
    let points: usize = c.series.iter().map(|s| s.points.len()).sum();
    assert_eq!(points, 157);
}

#[test]
fn a_cached_prefix_as_long_as_the_prompt_names_the_file_and_field() {
    let [g, a, b] = bundled_texts();
    let holdout = "as_of: 2026-12-07\nseries:\n  - {id: x, model: llama-3.1-8b, gpu: h100-80gb, gpus: 1, parallelism: TP1, precision: fp8, engine: vllm, engine_version: '1', load: max-throughput, source: s, date: 2026-12, grade: A, quote: q, points: [{input_tokens: 100, output_tokens: 10, output_tokens_per_s: 5, cached_input_tokens: 100}]}\n";
    let mut text = fitted_files(&g, &a, &b);
    text.holdout = Some(("holdout.yaml", holdout));
    let err = parse_catalog(&text)
        .expect_err("cached >= input")
        .to_string();
    assert!(err.contains("holdout.yaml"), "{err}");
    assert!(
        err.contains("series[0].points[0].cached_input_tokens"),
        "{err}"
    );
    assert!(err.contains("below input_tokens (100), found 100"), "{err}");
}

#[test]
fn same_as_copies_the_base_figures() {
    let c = bundled().unwrap_or_else(|e| panic!("{e}"));
    let r1 = c.architecture("deepseek-ai/DeepSeek-R1").expect("by HF id");
    assert_eq!(r1.id, "deepseek-r1");
    assert_eq!(r1.layers, 61);
    assert_eq!(r1.kv_latent_dim, Some(576));
    assert_eq!(r1.experts, Some((256, 8)));
}

/// A bundled catalog file that cannot be read is named, with what to do:
/// the estimator is refused (`Estimator::load_bundled`), not built from an
/// empty catalog, which left a report with no dedicated option and no
/// word of why (seen with a binary whose source tree had been removed).
#[test]
fn an_unreadable_bundled_file_is_named_with_what_to_do() {
    let found = match read(["gpus.yaml", "no-such-file.yaml"]) {
        Err(ProfileErrors(found)) => found,
        Ok(_) => panic!("a file that does not exist was read"),
    };
    assert_eq!(found.len(), 1, "{found:?}");
    let text = found[0].to_string();
    assert!(
        text.contains("(built in) catalog/no-such-file.yaml"),
        "{text}"
    );
    assert!(
        text.contains("cannot read the bundled catalog/no-such-file.yaml"),
        "{text}"
    );
    #[cfg(not(feature = "bundle"))]
    assert!(
        text.contains("cargo install --path . --features bundle"),
        "{text}"
    );
    assert!(read_bundled().is_ok());
}
