//! View structs: what the Markdown and HTML templates show, with every
//! number already written by `crate::format`, so that the templates only lay
//! text out and every report writes money, shares and counts the same way.
//! This module owns the workload report's view as a whole; its parts live
//! beside it: `index` (the index page), `summary` (the workload's figures),
//! `options` (the options table) and `sources` (freshness and sources).

use serde::Serialize;

use super::subject::Subject;
use super::words::fact;
pub(crate) use super::words::Fact;
use crate::contract::Report;
use crate::profile::Profiles;
use advice::Recommendation;
use method::MethodBlock;

pub mod advice;
mod index;
pub mod method;
mod options;
mod sources;
mod summary;

pub(crate) use index::{index, IndexView};
pub(crate) use options::{Excluded, OptionRow, TrainingRow};
pub(crate) use sources::{Freshness, Source};

/// A chart of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ChartView {
    /// File name beside the report (`cost-by-option.svg`).
    pub file: String,
    /// Short heading.
    pub heading: String,
    /// Title, with the workload's name.
    pub title: String,
    /// What it shows and how to read it.
    pub caption: String,
}

/// `<workload>/report.md` and `report.html`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct WorkloadView {
    /// Workload id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Model id.
    pub model: String,
    /// Who runs it and why these numbers.
    pub description: String,
    /// The report date.
    pub as_of: String,
    /// Which profiles were used.
    pub profiles: String,
    /// Section 1.
    pub recommendation: Recommendation,
    /// Section 2: the workload's figures.
    pub summary: Vec<Fact>,
    /// Section 2: freshness of the vendors that offer the model.
    pub freshness: Vec<Freshness>,
    /// Some of them are stale.
    pub any_stale: bool,
    /// Header of the per-unit column.
    pub per_unit_header: String,
    /// Section 3: serving options, by $/month.
    pub options: Vec<OptionRow>,
    /// Section 3: training options.
    pub training: Vec<TrainingRow>,
    /// Section 4.
    pub charts: Vec<ChartView>,
    /// Section 5.
    pub excluded: Vec<Excluded>,
    /// Section 5: vendors without the model.
    pub unserved: Vec<Fact>,
    /// Before section 6: "On your recorded traffic", Markdown already
    /// escaped (`report --replay`), or null.
    pub recorded: Option<String>,
    /// Section 6: formulas with this workload's numbers.
    pub method: Vec<MethodBlock>,
    /// Section 6: caveats.
    pub caveats: Vec<String>,
    /// Section 7.
    pub sources: Vec<Source>,
}

/// The report of one workload.
pub(crate) fn workload(
    report: &Report,
    profiles: &Profiles,
    s: &Subject,
    charts: Vec<ChartView>,
) -> WorkloadView {
    let w = s.result;
    let vendors = sources::offering_vendors(w, &profiles.vendors);
    let freshness = sources::freshness(report, vendors.iter().copied());
    WorkloadView {
        id: w.workload.clone(),
        name: w.name.clone(),
        model: w.model.clone(),
        description: s.workload.description.trim().to_string(),
        as_of: report.as_of.to_string(),
        profiles: report.profiles.clone(),
        recommendation: advice::recommend(s),
        summary: summary::summary(s),
        any_stale: freshness.iter().any(|f| f.stale),
        freshness: freshness.clone(),
        per_unit_header: options::per_unit_header(w.unit),
        options: options::option_rows(w),
        training: options::training_rows(w),
        charts,
        excluded: options::excluded(w),
        unserved: w
            .unserved
            .iter()
            .map(|u| fact(&u.vendor, u.reason.clone()))
            .collect(),
        recorded: w
            .recorded_traffic
            .as_ref()
            .map(|t| super::recorded::section(t, &w.workload, &w.options)),
        method: method::blocks(s),
        caveats: method::caveats(s),
        sources: vendors
            .iter()
            .zip(freshness)
            .map(|(v, f)| sources::source(v, f))
            .collect(),
    }
}
