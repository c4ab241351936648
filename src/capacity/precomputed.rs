//! The bundled catalog's calibration, fitted ahead of time and built into
//! the binary (`bundled_calibration.yaml` beside this file), so that a run
//! does not repeat the fit (load -> **resolve**: the estimator the
//! deployments' throughput comes from). It is used only when the catalog
//! read at run time is, byte for byte, the one it was fitted on (its
//! fingerprint is in the file); an edited catalog is fitted at run time.
//! The file is whatever [`Calibration`] serializes to, so a change to the
//! fit or to the calibration's fields needs no change here: the test below
//! fails until the file is regenerated, with
//! `UPDATE_GOLDEN=1 cargo test --lib capacity::precomputed`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calibrate::{Calibration, GroupFit, GroupKey};

/// The checked-in calibration of the bundled catalog.
const FILE: &str = include_str!("bundled_calibration.yaml");

/// What the file holds: the fingerprint of the catalog text and its fit.
#[derive(Debug, Serialize, Deserialize)]
struct Precomputed {
    /// [`fingerprint`] of the three catalog files the fit was made on.
    catalog_fingerprint: String,
    /// `calibrate::calibrate` of that catalog.
    calibration: Calibration,
}

/// 64-bit FNV-1a of the catalog files' texts, each preceded by its length
/// (stable across Rust versions and platforms, unlike `std`'s hasher; it
/// detects edits, it is not a defence against a forged file).
pub(crate) fn fingerprint(texts: &[String; 3]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for text in texts {
        let length = (text.len() as u64).to_le_bytes();
        for &byte in length.iter().chain(text.as_bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("fnv1a64:{hash:016x}")
}

/// The built-in calibration when `texts` are the catalog it was fitted on;
/// `None` otherwise (or if the built-in file does not read, which the
/// test below rules out), and the caller fits.
pub(crate) fn for_catalog(texts: &[String; 3]) -> Option<Calibration> {
    let file: Precomputed = serde_yaml_ng::from_str(FILE).ok()?;
    (file.catalog_fingerprint == fingerprint(texts)).then_some(file.calibration)
}

/// `Calibration::groups` as a list of `{key, fit}` (a YAML map key cannot
/// be a struct in a readable way).
pub(crate) mod as_list {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Entry {
        key: GroupKey,
        fit: GroupFit,
    }

    pub(crate) fn serialize<S: serde::Serializer>(
        groups: &BTreeMap<GroupKey, GroupFit>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(groups.iter().map(|(key, fit)| Entry {
            key: key.clone(),
            fit: fit.clone(),
        }))
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<GroupKey, GroupFit>, D::Error> {
        let entries: Vec<Entry> = Vec::deserialize(d)?;
        Ok(entries.into_iter().map(|e| (e.key, e.fit)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::{calibrate, load};

    /// The checked-in calibration is the fit of the bundled catalog as it
    /// is now, to the bit, and names that catalog's fingerprint; with
    /// `UPDATE_GOLDEN=1` the test rewrites the file instead.
    #[test]
    fn the_built_in_calibration_is_a_fresh_fit_of_the_bundled_catalog() {
        let texts = load::bundled_texts();
        let catalog = load::parse_bundled(&texts).expect("the bundled catalog is valid");
        let fresh = Precomputed {
            catalog_fingerprint: fingerprint(&texts),
            calibration: calibrate::calibrate(&catalog),
        };
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/capacity/bundled_calibration.yaml"
            );
            let header = "# Generated: the calibration of the bundled catalog/ (src/capacity/precomputed.rs).\n\
                          # Do not edit; regenerate with UPDATE_GOLDEN=1 cargo test --lib capacity::precomputed\n";
            let body = serde_yaml_ng::to_string(&fresh).expect("a calibration serializes");
            std::fs::write(path, format!("{header}{body}")).expect("the file is writable");
            return;
        }
        let stale = "src/capacity/bundled_calibration.yaml is not the fit of the bundled \
                     catalog (catalog/ or the fit changed): regenerate it with \
                     `UPDATE_GOLDEN=1 cargo test --lib capacity::precomputed` and commit it";
        let built_in: Precomputed = serde_yaml_ng::from_str(FILE).expect(stale);
        assert_eq!(
            built_in.catalog_fingerprint, fresh.catalog_fingerprint,
            "{stale}"
        );
        assert!(built_in.calibration == fresh.calibration, "{stale}");
        assert_eq!(for_catalog(&texts), Some(fresh.calibration));
    }

    /// An edited catalog does not get the built-in calibration: one byte
    /// more in any file changes the fingerprint.
    #[test]
    fn an_edited_catalog_is_fitted_at_run_time() {
        let texts = load::bundled_texts();
        for i in 0..3 {
            let mut edited = texts.clone();
            edited[i].push('\n');
            assert_ne!(fingerprint(&edited), fingerprint(&texts));
            assert_eq!(for_catalog(&edited), None);
        }
    }

    /// FNV-1a 64 of known input, worked from the definition: the empty
    /// input is the offset basis; the three lengths (0) are 24 zero bytes.
    #[test]
    fn the_fingerprint_is_fnv1a_of_the_lengths_and_texts() {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for _ in 0..24 {
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let empty = [String::new(), String::new(), String::new()];
        assert_eq!(fingerprint(&empty), format!("fnv1a64:{hash:016x}"));
        // Moving a byte from one file to the next changes it.
        let a = ["ab".to_string(), String::new(), String::new()];
        let b = ["a".to_string(), "b".to_string(), String::new()];
        assert_ne!(fingerprint(&a), fingerprint(&b));
    }
}
