//! Where a run's profiles come from: the folders given, else `./vendors`
//! and `./workloads` when present, else the set built into the binary; how
//! that source is described in outputs; and the settings and staleness note
//! every priced command shares.

use std::path::{Path, PathBuf};

use super::configured::Configured;
use super::dates::{self, AsOf};
use super::{DateArgs, Error, ProfileArgs};
use crate::contract::Report;
use crate::engine::Settings;
use crate::profile::{self, embedded, ProfileErrors, ProfileFile, Profiles};

/// The profile files of a run, and a description of where they came from.
pub struct ProfileSource {
    /// Vendor files.
    pub vendors: Vec<ProfileFile>,
    /// Workload files.
    pub workloads: Vec<ProfileFile>,
    /// `vendors/ and workloads/` or `the set built into infercost`.
    pub description: String,
    /// Where the vendors came from: `vendors/` or `the vendors built into infercost`.
    pub vendors_description: String,
    /// Folders on disk that a report must never overwrite.
    pub folders: Vec<PathBuf>,
}

/// Reads the profiles: the folders given, else `./vendors` and `./workloads`
/// when present, else the set built into the binary.
pub fn read_profiles(args: &ProfileArgs) -> Result<ProfileSource, Error> {
    let vendors = pick_folder(args.vendors.as_deref(), "vendors")?;
    let workloads = pick_folder(args.workloads.as_deref(), "workloads")?;
    let (vendor_files, vendors_from) = read_kind(vendors.as_deref(), "vendors", embedded::vendors)?;
    let (workload_files, workloads_from) =
        read_kind(workloads.as_deref(), "workloads", embedded::workloads)?;
    Ok(ProfileSource {
        vendors: vendor_files,
        workloads: workload_files,
        description: format!("{vendors_from} and {workloads_from}"),
        vendors_description: vendors_from,
        folders: vendors.into_iter().chain(workloads).collect(),
    })
}

fn pick_folder(given: Option<&Path>, default: &str) -> Result<Option<PathBuf>, Error> {
    match given {
        Some(dir) if dir.is_dir() => Ok(Some(dir.to_path_buf())),
        Some(dir) => Err(Error::Usage(format!("{} is not a folder", dir.display()))),
        None => Ok(Path::new(default).is_dir().then(|| PathBuf::from(default))),
    }
}

/// The profile files of one kind, read from `dir` or else built in, and how
/// to name where they came from.
fn read_kind(
    dir: Option<&Path>,
    kind: &str,
    built_in: fn() -> Vec<ProfileFile>,
) -> Result<(Vec<ProfileFile>, String), Error> {
    match dir {
        Some(dir) => Ok((read_folder(dir)?, format!("{}/", dir.display()))),
        None => Ok((built_in(), format!("the {kind} built into infercost"))),
    }
}

fn read_folder(dir: &Path) -> Result<Vec<ProfileFile>, Error> {
    ProfileFile::read_dir(dir).map_err(|d| Error::Profiles(ProfileErrors(vec![d])))
}

/// Loads and validates the profiles of a run.
pub fn load(args: &ProfileArgs) -> Result<(Profiles, ProfileSource), Error> {
    let source = read_profiles(args)?;
    let profiles = profile::load(&source.vendors, &source.workloads)?;
    bundled_catalog()?;
    Ok((profiles, source))
}

/// Loads and validates the profiles of a run with its configuration: the
/// extra folders of the config files read beside the run's, then the
/// user's prices and commitments applied to the loaded vendors (the resolve
/// stage of `report`, `compare` and `validate`).
pub(super) fn load_configured(
    args: &ProfileArgs,
    configured: &Configured,
) -> Result<(Profiles, ProfileSource), Error> {
    let mut source = read_profiles(args)?;
    configured.add_folders(&mut source, true)?;
    let profiles = load_priced(&source, configured)?;
    Ok((profiles, source))
}

/// Loads and validates the profiles `source` read, with the user's prices
/// and commitments of `configured` applied (the resolve stage).
pub(super) fn load_priced(
    source: &ProfileSource,
    configured: &Configured,
) -> Result<Profiles, Error> {
    // The capacity catalog is read on one core while the profiles are
    // read on the others (both are parse-bound, and neither needs the other).
    let (profiles, catalog) = rayon::join(
        || profile::load(&source.vendors, &source.workloads),
        bundled_catalog,
    );
    let mut profiles = profiles?;
    configured.apply_prices(&mut profiles)?;
    catalog?;
    placeable(&profiles, &source.vendors)?;
    Ok(profiles)
}

/// Refuses a listed deployment without the vendor's figures that the
/// estimator cannot place (`capacity::listed`), at its line.
pub(super) fn placeable(profiles: &Profiles, vendors: &[ProfileFile]) -> Result<(), Error> {
    let unplaceable =
        crate::capacity::listed::unplaceable(bundled_catalog()?, &profiles.vendors, vendors);
    if unplaceable.is_empty() {
        Ok(())
    } else {
        Err(Error::Profiles(ProfileErrors(unplaceable)))
    }
}

/// The bundled capacity catalog, which every dedicated estimate reads:
/// refused when it cannot be read or is broken, instead of a report with
/// no estimated deployment.
fn bundled_catalog() -> Result<&'static crate::capacity::Estimator, Error> {
    crate::capacity::Estimator::bundled().map_err(Error::Profiles)
}

/// The engine settings of a priced command: the report date is `--as-of`,
/// else today; a date before a vendor's prices is refused.
pub(super) fn settings(
    date: &DateArgs,
    source: &ProfileSource,
    profiles: &Profiles,
    allow_unverified: bool,
) -> Result<Settings, Error> {
    let as_of = date.as_of.map_or_else(dates::today, AsOf::date);
    dates::check_not_before_prices(as_of, &profiles.vendors)?;
    Ok(Settings {
        as_of: Some(as_of),
        max_age_days: date.max_age(),
        profiles: source.description.clone(),
        allow_unverified,
    })
}

/// One warning line per stale vendor of the report, and one naming the
/// vendors stale against today when the report date is earlier.
pub(super) fn stale_note(report: &Report, profiles: &Profiles, max_age_days: i64) -> String {
    let mut note: String = report
        .stale_vendors
        .iter()
        .map(|s| format!("warning: {}\n", s.age()))
        .collect();
    note.push_str(&dates::stale_today_note(
        &profiles.vendors,
        report.as_of,
        max_age_days,
    ));
    note
}
