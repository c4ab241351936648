//! The bundled `vendors/` and `workloads/`, for a run outside any profile
//! folder. With the `bundle` feature they are built into the binary, so
//! that a copied binary works anywhere; without it (the default) they are
//! read at run time from the folders of the source tree the binary was
//! built from, so that editing a vendor file never rebuilds the binary.
//! Either way every file is named `(built in) <folder>/<file>` in errors.
//! The bundled catalog (`catalog/`) is read the same way: this is the one
//! loader of bundled data.

use super::ProfileFile;

/// The bundled vendor profiles.
pub fn vendors() -> Vec<ProfileFile> {
    files("vendors")
}

/// The bundled workload profiles.
pub fn workloads() -> Vec<ProfileFile> {
    files("workloads")
}

/// The text of one bundled file, `<folder>/<name>` (`catalog/models.yaml`).
pub fn text(folder: &str, name: &str) -> Result<String, String> {
    #[cfg(feature = "bundle")]
    let text = dir(folder)
        .get_file(name)
        .ok_or_else(|| "not in the binary".to_string())
        .and_then(|f| {
            f.contents_utf8()
                .map(str::to_string)
                .ok_or_else(|| "not UTF-8 text".to_string())
        });
    #[cfg(not(feature = "bundle"))]
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(folder)
            .join(name),
    )
    .map_err(|e| {
        format!(
            "{e}; this infercost was built without the `bundle` feature and reads its \
             bundled files from {}, its source tree: put the tree back, or install it \
             with `cargo install --path . --features bundle`",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    text.map_err(|e| format!("cannot read the bundled {folder}/{name}: {e}"))
}

/// The bundled folder `folder` (vendors, workloads or catalog).
#[cfg(feature = "bundle")]
fn dir(folder: &str) -> &'static include_dir::Dir<'static> {
    use include_dir::{include_dir, Dir};
    static VENDORS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/vendors");
    static WORKLOADS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/workloads");
    static CATALOG: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/catalog");
    match folder {
        "vendors" => &VENDORS,
        "workloads" => &WORKLOADS,
        _ => &CATALOG,
    }
}

#[cfg(feature = "bundle")]
fn files(folder: &str) -> Vec<ProfileFile> {
    let dir = dir(folder);
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
