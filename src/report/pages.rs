//! The files of a report: `report.json`, `index.md`/`index.html` and, per
//! workload, `report.json`, `report.md`/`report.html` with its charts as
//! `.svg` files beside them. Workloads are rendered a chunk at a time on
//! every core (rayon collects in order, so the bytes do not depend on the
//! cores) and handed to the sink before the next chunk starts.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::figures::{self, Figure};
use super::subject::Subject;
use super::{html, json, markdown, view, Format, Sink};
use crate::contract::WorkloadResult;
use crate::engine::{Priced, Pricing};
use crate::profile::Profiles;

/// Workloads rendered at once: enough to keep every core busy, few enough
/// that a chunk's pages stay small in memory.
const CHUNK: usize = 32;

/// Which formats a run writes.
#[derive(Debug, Clone, Copy)]
struct Wanted {
    json: bool,
    md: bool,
    html: bool,
}

/// One rendered file.
type File = (PathBuf, Vec<u8>);

/// Writes every file of the report into `sink`.
pub(super) fn write<S: Sink>(
    priced: &Priced,
    profiles: &Profiles,
    formats: &[Format],
    sink: &mut S,
) -> Result<(), S::Error> {
    let wanted = Wanted {
        json: formats.contains(&Format::Json),
        md: formats.contains(&Format::Md),
        html: formats.contains(&Format::Html),
    };
    let report = &priced.report;
    let top = Path::new("report.json");
    let header = json::header(report);
    if wanted.json {
        let mut start = header.clone();
        start.extend_from_slice(json::open(report.workloads.is_empty()));
        sink.put(top, &start)?;
    }
    if wanted.md || wanted.html {
        let index = markdown::index(&view::index(report, profiles));
        let title = "Which inference platform for each workload";
        for (path, bytes) in pages(Path::new(""), "index", title, &index, &[], wanted) {
            sink.put(&path, &bytes)?;
        }
    }
    let all: Vec<(&WorkloadResult, &Pricing)> = priced.iter().collect();
    let mut first = true;
    for chunk in all.chunks(CHUNK) {
        let rendered: Vec<(Vec<File>, Vec<u8>)> = chunk
            .par_iter()
            .map(|&(w, pricing)| workload(priced, profiles, w, pricing, &header, wanted))
            .collect();
        for (files, entry) in rendered {
            for (path, bytes) in files {
                sink.put(&path, &bytes)?;
            }
            if wanted.json {
                if !first {
                    sink.append(top, json::SEPARATOR)?;
                }
                sink.append(top, &entry)?;
            }
            first = false;
        }
    }
    if wanted.json && !report.workloads.is_empty() {
        sink.append(top, json::CLOSE)?;
    }
    Ok(())
}

/// The files of one workload, and its entry of the top `report.json` (empty
/// without JSON).
fn workload(
    priced: &Priced,
    profiles: &Profiles,
    w: &WorkloadResult,
    pricing: &Pricing,
    header: &[u8],
    wanted: Wanted,
) -> (Vec<File>, Vec<u8>) {
    let dir = PathBuf::from(&w.workload);
    let mut files = Vec::new();
    let mut entry = Vec::new();
    if wanted.json {
        entry = json::entry(w);
        files.push((dir.join("report.json"), json::workload_file(header, &entry)));
    }
    if wanted.md || wanted.html {
        let subject = Subject::new(w, pricing);
        let figures = figures::figures(&subject);
        let charts = figures.iter().map(|f| f.view.clone()).collect();
        let text = markdown::workload(&view::workload(&priced.report, profiles, &subject, charts));
        for f in &figures {
            files.push((dir.join(&f.view.file), f.svg.clone().into_bytes()));
        }
        files.extend(pages(&dir, "report", &w.name, &text, &figures, wanted));
    }
    (files, entry)
}

/// The Markdown and/or HTML page of one text.
fn pages(
    dir: &Path,
    stem: &str,
    title: &str,
    markdown: &str,
    figures: &[Figure],
    wanted: Wanted,
) -> Vec<File> {
    let mut files = Vec::new();
    if wanted.md {
        files.push((dir.join(format!("{stem}.md")), markdown.as_bytes().to_vec()));
    }
    if wanted.html {
        let page = html::page(title, markdown, figures);
        files.push((dir.join(format!("{stem}.html")), page.into_bytes()));
    }
    files
}
