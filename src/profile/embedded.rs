//! The bundled `vendors/` and `workloads/`, built into the binary so that an
//! installed `infercost` works from any folder.

use include_dir::{include_dir, Dir};

use super::ProfileFile;

static VENDORS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/vendors");
static WORKLOADS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/workloads");

/// The bundled vendor profiles.
pub fn vendors() -> Vec<ProfileFile> {
    files(&VENDORS, "vendors")
}

/// The bundled workload profiles.
pub fn workloads() -> Vec<ProfileFile> {
    files(&WORKLOADS, "workloads")
}

fn files(dir: &Dir<'_>, folder: &str) -> Vec<ProfileFile> {
    let mut out: Vec<ProfileFile> = dir
        .files()
        .filter(|f| {
            matches!(
                f.path().extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            )
        })
        .map(|f| ProfileFile {
            name: format!("(built in) {folder}/{}", f.path().display()),
            stem: f
                .path()
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string(),
            text: f
                .contents_utf8()
                .map(str::to_string)
                .ok_or_else(|| "not UTF-8 text".to_string()),
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
