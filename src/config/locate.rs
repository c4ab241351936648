//! Where the config files are: the user's (`$XDG_CONFIG_HOME/infercost/
//! config.toml`, else `~/.config/infercost/config.toml`), the project's
//! (`infercost.toml` in the current folder or the nearest folder above it,
//! as cargo finds `Cargo.toml`), the one `INFERCOST_CONFIG` names, and the
//! one `--config` names, in that order: each later one wins over the ones
//! before (flags over environment over project over user). Part of load.

use std::path::{Path, PathBuf};

use super::{Layer, Origin};
use crate::profile::{Diagnostic, ProfileErrors};

/// The project config's file name.
pub const CONFIG_FILE: &str = "infercost.toml";

/// The environment variable that names a config file.
pub const ENV_CONFIG: &str = "INFERCOST_CONFIG";

/// Largest config file read.
const MAX_BYTES: u64 = 1 << 20;

/// The config layers of a run, lowest precedence first: the user's, the
/// project's above `cwd`, `INFERCOST_CONFIG`'s, `--config`'s. A file named
/// by the environment or a flag must exist; the others are optional.
pub fn find(cwd: &Path, given: Option<&Path>) -> Result<Vec<Layer>, ProfileErrors> {
    let mut paths: Vec<(PathBuf, Origin)> = Vec::new();
    paths.extend(
        user_file()
            .filter(|p| p.is_file())
            .map(|p| (p, Origin::User)),
    );
    paths.extend(
        cwd.ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|p| p.is_file())
            .map(|p| (p, Origin::Project)),
    );
    let from_env = std::env::var_os(ENV_CONFIG).filter(|v| !v.is_empty());
    let named: Vec<(PathBuf, Origin)> = from_env
        .map(|p| (PathBuf::from(p), Origin::Environment))
        .into_iter()
        .chain(given.map(|p| (p.to_path_buf(), Origin::Flag)))
        .collect();
    let mut errors = Vec::new();
    for (p, origin) in &named {
        if !p.is_file() {
            let by = match origin {
                Origin::Environment => ENV_CONFIG,
                _ => "--config",
            };
            errors.push(Diagnostic::file(
                &p.display().to_string(),
                format!("no such config file (named by {by})"),
            ));
        }
    }
    paths.extend(named);
    let mut layers = Vec::new();
    for (p, origin) in paths.iter().filter(|(p, _)| p.is_file()) {
        match read(p) {
            Ok(layer) => layers.push(Layer {
                origin: *origin,
                ..layer
            }),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(layers)
    } else {
        Err(ProfileErrors(errors))
    }
}

fn user_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("infercost").join("config.toml"))
}

fn read(path: &Path) -> Result<Layer, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let size = std::fs::metadata(path)
        .map_err(|e| vec![Diagnostic::file(&name, format!("cannot read: {e}"))])?
        .len();
    if size > MAX_BYTES {
        return Err(vec![Diagnostic::file(
            &name,
            format!("{size} bytes: a config file is at most 1 MiB"),
        )]);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::file(&name, format!("cannot read: {e}"))])?;
    Layer::parse(&name, &text)
}
