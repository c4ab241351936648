//! The ids a profile may name, in one place: compliance items, modalities,
//! GPUs, and the known model ids. docs/format.md lists the same (a test keeps
//! them equal), and the JSON Schema enumerates compliance and model ids.

use std::collections::BTreeSet;

use schemars::{json_schema, Schema, SchemaGenerator};

use super::Vendor;

/// Compliance items a profile may name (a typo such as `hippa` is an error).
pub const COMPLIANCE: &[&str] = &[
    "soc2-type1",
    "soc2-type2",
    "hipaa",
    "iso27001",
    "gdpr",
    "pci-dss",
    "fedramp",
];

/// How a compliance id is written for people: `HIPAA`, `SOC 2 Type II`.
pub fn compliance_name(id: &str) -> &str {
    match id {
        "soc2-type1" => "SOC 2 Type I",
        "soc2-type2" => "SOC 2 Type II",
        "hipaa" => "HIPAA",
        "iso27001" => "ISO 27001",
        "gdpr" => "GDPR",
        "pci-dss" => "PCI DSS",
        "fedramp" => "FedRAMP",
        other => other,
    }
}

/// Modalities a profile may name.
pub const MODALITIES: &[&str] = &["text", "image", "audio", "video", "embedding"];

/// GPU ids a vendor's `dedicated.gpus` may name.
pub const GPUS: &[&str] = &[
    "h100-80gb",
    "h200-141gb",
    "b200-180gb",
    "b300-288gb",
    "a100-80gb",
    "a100-40gb",
    "l40s-48gb",
    "l4-24gb",
    "a10g-24gb",
    "t4-16gb",
];

/// Where a user finds the lists, for error messages.
pub const WHERE_LISTED: &str = "the lists are in docs/format.md, section Canonical ids";

/// The model ids a workload may name: every model some vendor offers
/// (serverless, dedicated, prediction or training). The one place to switch
/// to a model catalog.
pub fn known_model_ids(vendors: &[Vendor]) -> BTreeSet<&str> {
    let mut ids = BTreeSet::new();
    for v in vendors {
        ids.extend(v.serverless.iter().map(|o| o.model.as_str()));
        ids.extend(v.predictions.iter().map(|o| o.model.as_str()));
        ids.extend(v.training.iter().map(|o| o.model.as_str()));
        if let Some(d) = &v.dedicated {
            ids.extend(d.deployments.iter().map(|o| o.model.as_str()));
        }
    }
    ids
}

/// Schema of a list of compliance ids.
pub fn compliance_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Compliance ids (docs/format.md, Canonical ids).",
        "type": "array",
        "items": {"type": "string", "enum": COMPLIANCE},
        "default": [],
    })
}
