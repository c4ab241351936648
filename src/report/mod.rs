//! Rendering: the priced report as files. Each output format is a pure
//! function from the priced report (and the profiles) to bytes; the files
//! go to a [`Sink`] as they are rendered, a few workloads at a time on
//! every core, in workload order, so a large report is never held whole.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};

use crate::engine::Priced;
use crate::profile::Profiles;

pub(crate) mod charts;
pub mod curves;
pub(crate) mod figures;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod markdown;
pub(crate) mod pages;
pub(crate) mod recorded;
pub mod subject;
pub(crate) mod table;
pub(crate) mod view;
pub(crate) mod words;

pub use view::{advice, method};

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    /// `report.json` (the contract) at the top and per workload.
    Json,
    /// Markdown reports.
    Md,
    /// Self-contained HTML reports with inline SVG charts.
    Html,
}

/// Every file of the report, keyed by path relative to the output folder.
pub type Files = BTreeMap<PathBuf, Vec<u8>>;

/// Where rendered files go: a map in memory, or the staging folder.
pub trait Sink {
    /// Why a file could not be taken.
    type Error;
    /// A new file (paths relative to the output folder).
    fn put(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Self::Error>;
    /// More bytes at the end of a file already put.
    fn append(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Self::Error>;
}

impl Sink for Files {
    type Error = Infallible;

    fn put(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Infallible> {
        self.insert(path.to_path_buf(), bytes.to_vec());
        Ok(())
    }

    fn append(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Infallible> {
        self.entry(path.to_path_buf())
            .or_default()
            .extend_from_slice(bytes);
        Ok(())
    }
}

/// Renders the report in the given formats, in memory.
pub fn render(priced: &Priced, profiles: &Profiles, formats: &[Format]) -> Files {
    let mut files = Files::new();
    match write(priced, profiles, formats, &mut files) {
        Ok(()) => files,
        Err(never) => match never {},
    }
}

/// Prices and writes the `--format json` report a chunk of workloads at a
/// time into `sink`: the bytes of [`write()`] with `[Format::Json]`, in
/// bounded memory. Returns the report's header (date, profiles, stale
/// vendors) with no workload.
pub fn write_json_in_chunks<S: Sink>(
    profiles: &Profiles,
    settings: &crate::engine::Settings,
    sink: &mut S,
) -> Result<crate::contract::Report, S::Error> {
    pages::write_json_in_chunks(profiles, settings, sink)
}

/// Renders the report in the given formats into `sink`, file by file.
pub fn write<S: Sink>(
    priced: &Priced,
    profiles: &Profiles,
    formats: &[Format],
    sink: &mut S,
) -> Result<(), S::Error> {
    pages::write(priced, profiles, formats, sink)
}
