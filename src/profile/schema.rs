//! The JSON Schema of the profiles, generated from the serde types with
//! schemars, so that an editor checks a profile as it is typed. It covers
//! the shape (field names, types, enums, unknown fields refused); the
//! checks of meaning (prices >= 0, shares in [0, 1]) stay in `validate`.
//! `infercost schema` prints it; `docs/schema/*.schema.json` are copies that
//! a test keeps equal to it.

use schemars::generate::SchemaSettings;
use serde_json::{json, Value};

use schemars::{json_schema, Schema, SchemaGenerator};

use super::ids::known_model_ids;
use super::{embedded, parse, Vendor, Workload};

/// Which profiles a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `vendors/<vendor>.yaml`.
    Vendor,
    /// `workloads/<workload>.yaml`.
    Workload,
}

impl Kind {
    /// The file name of this schema in `docs/schema/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Vendor => "vendor.schema.json",
            Kind::Workload => "workload.schema.json",
        }
    }
}

/// The JSON Schema (draft 2020-12) of one kind of profile.
pub fn of(kind: Kind) -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let (schema, title) = match kind {
        Kind::Vendor => (
            generator.into_root_schema_for::<Vendor>(),
            "infercost vendor profile",
        ),
        Kind::Workload => (
            generator.into_root_schema_for::<Workload>(),
            "infercost workload profile",
        ),
    };
    let mut value = schema.to_value();
    value["title"] = json!(title);
    value
}

/// One schema for both kinds: a document with a `vendor` field is checked
/// as a vendor profile, any other as a workload profile.
pub fn either() -> Value {
    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let vendor = generator.subschema_for::<Vendor>().to_value();
    let workload = generator.subschema_for::<Workload>().to_value();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "infercost profile",
        "description": "A vendor profile (it has a `vendor` field) or a workload profile.",
        "if": {"required": ["vendor"]},
        "then": vendor,
        "else": workload,
        "$defs": Value::Object(generator.take_definitions(true)),
    })
}

/// A schema as committed to `docs/schema/`: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    // Serializing a serde_json::Value cannot fail.
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The model ids of the vendors built into the binary, for the JSON Schema.
pub fn bundled_model_ids() -> Vec<String> {
    let vendors: Vec<Vendor> = embedded::vendors()
        .iter()
        .filter_map(|f| {
            let text = f.text.as_deref().ok()?;
            parse::vendor(&f.name, &f.stem, text).ok()
        })
        .collect();
    known_model_ids(&vendors)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Schema of a workload's `model`: one of the bundled model ids, so that an
/// editor catches a typo (infercost itself also accepts models that a
/// vendor folder of your own offers).
pub fn model_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Canonical model id: one that a vendor profile offers.",
        "type": "string",
        "enum": bundled_model_ids(),
    })
}

/// Schema of a list of model ids (a workload's `substitutes`).
pub fn models_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Canonical model ids, each one that a vendor profile offers, in order of preference.",
        "type": "array",
        "items": {"type": "string", "enum": bundled_model_ids()},
        "default": [],
    })
}
