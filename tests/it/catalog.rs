//! The canonical model catalog: the bundled one is valid and covers every
//! model the bundled profiles name; a malformed catalog gets errors with
//! file, line, column and field; an unknown model id in a profile is an
//! error of `validate` at its line.

use std::process::Command;

use infercost::catalog::{self, PriceMap};

fn errors(text: &str) -> String {
    let e = catalog::parse("catalog/models.yaml", text).expect_err("the catalog must be rejected");
    e.iter().map(|d| format!("{d}\n")).collect()
}

const ONE: &str = "models:
  - id: llama-3.3-70b
    name: Llama 3.3 70B
    family: llama
    genai-prices: [groq/llama-3.3-70b-versatile]
";

#[test]
fn the_bundled_catalog_is_valid_and_resolves_map_ids_to_canonical_ids_and_tiers() {
    let c = catalog::built_in().unwrap();
    assert!(c.models.len() >= 19);
    assert_eq!(
        c.resolve(
            PriceMap::Litellm,
            "fireworks_ai/accounts/fireworks/routers/kimi-k2p6-fast"
        ),
        Some(("kimi-k2.6", Some("fast")))
    );
    assert_eq!(
        c.resolve(
            PriceMap::GenaiPrices,
            "huggingface_together/meta-llama/Llama-3.3-70B-Instruct"
        ),
        Some(("llama-3.3-70b", None))
    );
    // A size-bracket entry is deliberately not an alias (see the catalog's header).
    assert_eq!(
        c.resolve(
            PriceMap::Litellm,
            "fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct"
        ),
        None
    );
    let k3 = c.model("kimi-k3").unwrap();
    assert_eq!(
        (k3.total_params_b, k3.active_params_b),
        (Some(2810.0), None)
    );
}

#[test]
fn an_unknown_field_is_an_error_at_its_line() {
    let text = ONE.replace(
        "    family: llama\n",
        "    family: llama\n    famly: llama\n",
    );
    assert_eq!(
        errors(&text).lines().next().unwrap(),
        "catalog/models.yaml:5:12: models[0].famly: unknown field `famly`; did you mean `family`? (expected one of id, name, family, total_params_b, active_params_b, context_tokens, hugging_face, vendors, genai-prices, litellm, successor)"
    );
}

#[test]
fn an_alias_listed_twice_or_claimed_by_two_models_is_an_error() {
    let twice = ONE.replace(
        "[groq/llama-3.3-70b-versatile]",
        "[groq/llama-3.3-70b-versatile, groq/llama-3.3-70b-versatile@fast]",
    );
    assert_eq!(
        errors(&twice).lines().next().unwrap(),
        "catalog/models.yaml:5:50: models[0].genai-prices[1]: `groq/llama-3.3-70b-versatile@fast` is listed twice for genai-prices"
    );
    let two = format!(
        "{ONE}  - id: llama-3.1-8b\n    name: Llama 3.1 8B\n    family: llama\n    genai-prices: [groq/llama-3.3-70b-versatile]\n"
    );
    assert_eq!(
        errors(&two).lines().next().unwrap(),
        "catalog/models.yaml:9:20: models[1].genai-prices[0]: `groq/llama-3.3-70b-versatile` (genai-prices) is already an alias of `llama-3.3-70b` (models[0])"
    );
}

#[test]
fn a_map_alias_under_an_unknown_provider_and_a_duplicate_id_are_errors() {
    let text = format!(
        "{}  - id: llama-3.3-70b\n    name: Again\n    family: llama\n",
        ONE.replace("groq/llama", "grok/llama")
    );
    let e = errors(&text);
    assert!(
        e.contains("catalog/models.yaml:5:20: models[0].genai-prices[0]: `grok/llama-3.3-70b-versatile` does not start with a genai-prices provider the importers cover; expected `provider/model` with provider one of fireworks, together, huggingface_together, groq, baseten, modal"),
        "{e}"
    );
    assert!(
        e.contains(
            "catalog/models.yaml:6:9: models[1].id: `llama-3.3-70b` is already the id of models[0]"
        ),
        "{e}"
    );
}

#[test]
fn validate_rejects_a_model_id_that_is_not_in_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = crate::common::fixture("lifecycle");
    for sub in ["vendors", "workloads"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(fixture.join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
        }
    }
    let beta = dir.path().join("vendors/beta.yaml");
    let text = std::fs::read_to_string(&beta).unwrap();
    std::fs::write(
        &beta,
        text.replace("model: llama-3.3-70b", "model: llama-3.3-70b-turbo"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_infercost"))
        .arg("validate")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("vendors/beta.yaml:9:12: serverless[0].model: `llama-3.3-70b-turbo` is not a canonical model id in the catalog; known ids of that family: llama-3.3-70b, llama-3.1-8b, llama-3.1-70b, llama-3.1-405b; or add it to catalog/models.yaml"),
        "{err}"
    );
}
