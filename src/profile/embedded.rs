//! The bundled `vendors/` and `workloads/`, for a run outside any profile
//! folder. With the `bundle` feature they are built into the binary, so
//! that a copied binary works anywhere; without it (the default) they are
//! read at run time from the folders of the source tree the binary was
//! built from, so that editing a vendor file never rebuilds the binary.
//! Either way every file is named `(built in) <folder>/<file>` in errors.

use super::ProfileFile;

/// The bundled vendor profiles.
pub fn vendors() -> Vec<ProfileFile> {
    files("vendors")
}

/// The bundled workload profiles.
pub fn workloads() -> Vec<ProfileFile> {
    files("workloads")
}

#[cfg(feature = "bundle")]
fn files(folder: &str) -> Vec<ProfileFile> {
    use include_dir::{include_dir, Dir};
    static VENDORS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/vendors");
    static WORKLOADS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/workloads");
    let dir = if folder == "vendors" {
        &VENDORS
    } else {
        &WORKLOADS
    };
    let mut out: Vec<ProfileFile> = dir
        .files()
        .filter(|f| is_profile(f.path()))
        .map(|f| ProfileFile {
            name: format!("(built in) {folder}/{}", f.path().display()),
            stem: stem(f.path()),
            text: f
                .contents_utf8()
                .map(str::to_string)
                .ok_or_else(|| "not UTF-8 text".to_string()),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(not(feature = "bundle"))]
fn files(folder: &str) -> Vec<ProfileFile> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| is_profile(p));
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let file = ProfileFile::read(p);
            let shown = p
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            ProfileFile {
                name: format!("(built in) {folder}/{shown}"),
                ..file
            }
        })
        .collect()
}

fn is_profile(path: &std::path::Path) -> bool {
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    matches!(super::names::classify(file), super::names::Name::Profile(_))
}

#[cfg(feature = "bundle")]
fn stem(path: &std::path::Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}
