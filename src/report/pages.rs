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
use crate::contract::{Report, WorkloadResult};
use crate::engine::{self, Priced, Pricing, Settings};
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
    let wanted = Wanted::of(formats);
    let report = &priced.report;
    start(report, report.workloads.is_empty(), wanted, sink)?;
    if wanted.md || wanted.html {
        let index = markdown::index(&view::index(report, profiles));
        let title = "Which inference platform for each workload";
        for (path, bytes) in pages(Path::new(""), "index", title, &index, &[], wanted) {
            sink.put(&path, &bytes)?;
        }
    }
    let mut first = true;
    workloads(priced, profiles, wanted, &mut first, sink)?;
    finish(report.workloads.is_empty(), wanted, sink)
}

/// `--format json` with the workloads priced a chunk at a time
/// ([`engine::price_in_chunks`]) and written before the next chunk is
/// priced: the same bytes as [`write`], without the whole report in memory.
pub(super) fn write_json_in_chunks<S: Sink>(
    profiles: &Profiles,
    settings: &Settings,
    sink: &mut S,
) -> Result<Report, S::Error> {
    let wanted = Wanted::of(&[Format::Json]);
    let empty = profiles.workloads.is_empty();
    let mut first = true;
    let mut header = None;
    engine::price_in_chunks(profiles, settings, CHUNK, |priced| {
        let r = &priced.report;
        let report = header.get_or_insert_with(|| Report {
            schema_version: r.schema_version,
            as_of: r.as_of,
            profiles: r.profiles.clone(),
            stale_vendors: r.stale_vendors.clone(),
            workloads: Vec::new(),
        });
        if first {
            start(report, empty, wanted, sink)?;
        }
        workloads(priced, profiles, wanted, &mut first, sink)
    })?;
    finish(empty, wanted, sink)?;
    // `price_in_chunks` calls back at least once (with no workload when
    // there is none), so the header is set.
    Ok(header.expect("price_in_chunks calls back at least once"))
}

impl Wanted {
    fn of(formats: &[Format]) -> Wanted {
        Wanted {
            json: formats.contains(&Format::Json),
            md: formats.contains(&Format::Md),
            html: formats.contains(&Format::Html),
        }
    }
}

/// The top `report.json` up to its first workload (the whole file when
/// there is none).
fn start<S: Sink>(
    report: &Report,
    empty: bool,
    wanted: Wanted,
    sink: &mut S,
) -> Result<(), S::Error> {
    if wanted.json {
        let mut start = json::header(report);
        start.extend_from_slice(json::open(empty));
        sink.put(Path::new("report.json"), &start)?;
    }
    Ok(())
}

/// The workloads' files, rendered a chunk at a time on every core, and
/// their entries appended to the top `report.json` (`first`: none yet).
fn workloads<S: Sink>(
    priced: &Priced,
    profiles: &Profiles,
    wanted: Wanted,
    first: &mut bool,
    sink: &mut S,
) -> Result<(), S::Error> {
    let top = Path::new("report.json");
    let header = json::header(&priced.report);
    let all: Vec<(&WorkloadResult, &Pricing)> = priced.iter().collect();
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
                if !*first {
                    sink.append(top, json::SEPARATOR)?;
                }
                sink.append(top, &entry)?;
            }
            *first = false;
        }
    }
    Ok(())
}

/// The end of the top `report.json`.
fn finish<S: Sink>(empty: bool, wanted: Wanted, sink: &mut S) -> Result<(), S::Error> {
    if wanted.json && !empty {
        sink.append(Path::new("report.json"), json::CLOSE)?;
    }
    Ok(())
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{self, ProfileFile};
    use crate::report::{render, Files};

    /// The bundled workloads four times over under new ids, listed in
    /// reverse order.
    fn copies_of_the_bundled_workloads() -> Profiles {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let read = |d: &str| ProfileFile::read_dir(&root.join(d)).unwrap();
        let mut profiles = profile::load(&read("vendors"), &read("workloads")).unwrap();
        let bundled = std::mem::take(&mut profiles.workloads);
        for copy in 0..4 {
            for w in &bundled {
                let mut w = w.clone();
                w.workload = format!("{}-{copy}", w.workload);
                profiles.workloads.push(w);
            }
        }
        profiles.workloads.reverse();
        profiles
    }

    /// `--format json` priced and written a chunk at a time is, file for
    /// file and byte for byte, the whole report rendered at once, and says
    /// the same header; with no workload too.
    #[test]
    fn json_in_chunks_is_the_whole_report_written_at_once() {
        let settings = Settings {
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 6),
            ..Settings::default()
        };
        let mut profiles = copies_of_the_bundled_workloads();
        // 33: more than one chunk of 32.
        for n in [33, 0] {
            profiles.workloads.truncate(n);
            let resolved = crate::resolve::resolve(&profiles);
            let whole = engine::price(&resolved, &settings);
            let at_once = render(&whole, &profiles, &[Format::Json]);
            let mut chunked = Files::new();
            let Ok(header) = write_json_in_chunks(&profiles, &settings, &mut chunked);
            assert_eq!(chunked.len(), n + 1);
            assert!(chunked == at_once, "{n} workloads: the files differ");
            assert_eq!(header.as_of, whole.report.as_of);
            assert_eq!(header.stale_vendors, whole.report.stale_vendors);
            assert!(header.workloads.is_empty());
        }
    }
}
