//! Profiles refer to canonical ids only: every model a vendor offer or a
//! workload names must be in the catalog. Each unknown id is a diagnostic at
//! its line, with the nearest catalogued ids as a hint.

use super::Catalog;
use crate::profile::parse::locate_field;
use crate::profile::{parse, Diagnostic, ProfileFile};

/// Diagnostics for every model id in `vendors` and `workloads` that the
/// catalog does not list. Files that do not parse are skipped (their own
/// errors are reported by the profile loader).
pub fn unknown_models(
    catalog: &Catalog,
    vendors: &[ProfileFile],
    workloads: &[ProfileFile],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in vendors {
        let Ok(text) = &f.text else { continue };
        let Ok(v) = parse::vendor(&f.name, &f.stem, text) else {
            continue;
        };
        let mut refs: Vec<(String, &str)> = Vec::new();
        refs.extend(
            v.serverless
                .iter()
                .enumerate()
                .map(|(i, o)| (format!("serverless[{i}].model"), o.model.as_str())),
        );
        if let Some(d) = &v.dedicated {
            refs.extend(d.deployments.iter().enumerate().map(|(i, o)| {
                (
                    format!("dedicated.deployments[{i}].model"),
                    o.model.as_str(),
                )
            }));
        }
        refs.extend(
            v.predictions
                .iter()
                .enumerate()
                .map(|(i, o)| (format!("predictions[{i}].model"), o.model.as_str())),
        );
        refs.extend(
            v.training
                .iter()
                .enumerate()
                .map(|(i, o)| (format!("training[{i}].model"), o.model.as_str())),
        );
        check(catalog, &f.name, text, &refs, &mut out);
    }
    for f in workloads {
        let Ok(text) = &f.text else { continue };
        let Ok(w) = parse::workload(&f.name, &f.stem, text) else {
            continue;
        };
        let mut refs = vec![("model".to_string(), w.model.as_str())];
        refs.extend(
            w.substitutes
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("substitutes[{i}]"), m.as_str())),
        );
        check(catalog, &f.name, text, &refs, &mut out);
    }
    out
}

fn check(
    catalog: &Catalog,
    file: &str,
    text: &str,
    refs: &[(String, &str)],
    out: &mut Vec<Diagnostic>,
) {
    for (path, id) in refs {
        if catalog.model(id).is_some() {
            continue;
        }
        let hint: Vec<&str> = catalog
            .models
            .iter()
            .map(|m| m.id.as_str())
            .filter(|m| m.split(['-', '.']).next() == id.split(['-', '.']).next())
            .collect();
        let hint = if hint.is_empty() {
            "add it to catalog/models.yaml".to_string()
        } else {
            format!(
                "known ids of that family: {}; or add it to catalog/models.yaml",
                hint.join(", ")
            )
        };
        out.push(Diagnostic::at(
            file,
            text,
            locate_field(text, path),
            path,
            format!("`{id}` is not a canonical model id in the catalog; {hint}"),
        ));
    }
}
