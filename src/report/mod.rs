//! Rendering: the priced report as bytes, all in memory. Each output format
//! is a pure function from the report (and the profiles) to files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::engine::Priced;
use crate::profile::Profiles;

pub mod advice;
pub mod charts;
pub mod curves;
pub mod figures;
pub mod html;
pub mod json;
pub mod markdown;
pub mod method;
pub mod pages;
pub mod subject;
pub mod table;
pub mod view;

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

/// Renders the report in the given formats.
pub fn render(priced: &Priced, profiles: &Profiles, formats: &[Format]) -> Files {
    let mut files = Files::new();
    if formats.contains(&Format::Json) {
        json::render(&priced.report, &mut files);
    }
    pages::render(priced, profiles, formats, &mut files);
    files
}
