//! A run's configuration (wire): the config files and `INFERCOST_*`
//! variables found once, then read where each stage needs them: the extra
//! profile folders before the profiles load, the user's prices after
//! (resolve), and the defaults under the flags (a flag given on the
//! command line always wins). `diff` reads none of it: its comment depends
//! on the two revisions only.

use std::path::Path;

use super::profiles::ProfileSource;
use super::{DateArgs, Error};
use crate::config::{self, Folder, Layer, Settings};
use crate::profile::{ProfileErrors, ProfileFile, Profiles};
use crate::report::Format;

/// The staleness limit when neither a flag, the environment nor a config
/// file sets one.
pub(crate) const DEFAULT_MAX_AGE_DAYS: i64 = 90;

/// The formats `report` writes by default.
const DEFAULT_FORMATS: [Format; 3] = [Format::Json, Format::Md, Format::Html];

/// The config layers of a run and the settings merged from them.
pub(super) struct Configured {
    layers: Vec<Layer>,
    settings: Settings,
}

impl Configured {
    /// Finds the config files above the current folder, in the user's
    /// config folder and named by `INFERCOST_CONFIG` and `given`
    /// (`--config`), and merges their defaults with the environment's.
    pub(super) fn find(given: Option<&Path>) -> Result<Self, Error> {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::Usage(format!("cannot read the current folder: {e}")))?;
        let layers = config::find(&cwd, given)?;
        let settings = config::settings(&layers, |name| std::env::var(name).ok())
            .map_err(|e| Error::Profiles(ProfileErrors(e)))?;
        Ok(Configured { layers, settings })
    }

    /// The date flags with the staleness limit filled in: the flag, else
    /// the merged setting.
    pub(super) fn date(&self, date: &DateArgs) -> DateArgs {
        DateArgs {
            max_age_days: date.max_age_days.or(self
                .settings
                .max_age_days
                .as_ref()
                .map(|s| s.value)),
            ..date.clone()
        }
    }

    /// The staleness limit of `validate`: the flag, else the setting, else 90.
    pub(super) fn max_age_days(&self, flag: Option<i64>) -> i64 {
        self.date(&DateArgs {
            as_of: None,
            max_age_days: flag,
        })
        .max_age()
    }

    /// The formats `report` writes: the flag's, else the merged setting
    /// (each name checked, with where it came from), else every format.
    pub(super) fn formats(&self, flag: &[Format]) -> Result<Vec<Format>, Error> {
        if !flag.is_empty() {
            return Ok(flag.to_vec());
        }
        let Some(setting) = &self.settings.formats else {
            return Ok(DEFAULT_FORMATS.to_vec());
        };
        let parsed: Result<Vec<Format>, String> = setting
            .value
            .iter()
            .map(|name| <Format as clap::ValueEnum>::from_str(name, false))
            .collect();
        match parsed {
            Ok(formats) if !formats.is_empty() => Ok(formats),
            _ => Err(Error::Usage(format!(
                "{}: formats: expected some of json, md, html, found `{}`",
                setting.source,
                setting.value.join(",")
            ))),
        }
    }

    /// Reads the extra vendor folders (and, with `workloads`, the extra
    /// workload folders) into `source`: their files join the run's, the
    /// folders are protected from the report's output, and the
    /// description names them as written.
    pub(super) fn add_folders(
        &self,
        source: &mut ProfileSource,
        workloads: bool,
    ) -> Result<(), Error> {
        let extra = |folders: &[Folder], files: &mut Vec<ProfileFile>| {
            let mut written = Vec::new();
            for f in folders {
                files.extend(
                    ProfileFile::read_dir(&f.path)
                        .map_err(|d| Error::Profiles(ProfileErrors(vec![d])))?,
                );
                written.push(format!("{}/", f.written.trim_end_matches('/')));
            }
            Ok::<Vec<String>, Error>(written)
        };
        let vendors = extra(&self.settings.vendors, &mut source.vendors)?;
        let workloads = if workloads {
            extra(&self.settings.workloads, &mut source.workloads)?
        } else {
            Vec::new()
        };
        let folders = self.settings.vendors.iter().chain(if workloads.is_empty() {
            &[][..]
        } else {
            &self.settings.workloads[..]
        });
        source.folders.extend(folders.map(|f| f.path.clone()));
        if !vendors.is_empty() {
            source.vendors_description = format!(
                "{} (with {} from the config)",
                source.vendors_description,
                vendors.join(", ")
            );
        }
        if !vendors.is_empty() || !workloads.is_empty() {
            let all: Vec<String> = vendors.into_iter().chain(workloads).collect();
            source.description = format!(
                "{} (with {} from the config)",
                source.description,
                all.join(", ")
            );
        }
        Ok(())
    }

    /// Applies the user's prices and commitments to the loaded vendors.
    pub(super) fn apply_prices(&self, profiles: &mut Profiles) -> Result<(), Error> {
        config::apply(&mut profiles.vendors, &self.layers)?;
        Ok(())
    }
}
