//! The reports a founder reads: `index.md`/`index.html` and, per workload,
//! `report.md`/`report.html` with its charts as `.svg` files beside them.
//! Builds each workload's subject, view and figures, then the requested
//! formats, all in memory.

use std::path::PathBuf;

use super::figures::{self, Figure};
use super::subject::Subject;
use super::{html, markdown, view, Files, Format};
use crate::engine::Priced;
use crate::profile::Profiles;

/// Adds the Markdown and/or HTML reports (and the charts) to `files`.
pub fn render(priced: &Priced, profiles: &Profiles, formats: &[Format], files: &mut Files) {
    let report = &priced.report;
    let md = formats.contains(&Format::Md);
    let html = formats.contains(&Format::Html);
    if !md && !html {
        return;
    }
    let index = markdown::index(&view::index(report, profiles));
    emit(
        files,
        PathBuf::new(),
        "index",
        "Which inference platform for each workload",
        &index,
        &[],
        md,
        html,
    );
    for (w, pricing) in priced.iter() {
        let subject = Subject::new(w, pricing);
        let figures = figures::figures(&subject);
        let charts = figures.iter().map(|f| f.view.clone()).collect();
        let text = markdown::workload(&view::workload(report, profiles, &subject, charts));
        let dir = PathBuf::from(&w.workload);
        for f in &figures {
            files.insert(dir.join(&f.view.file), f.svg.clone().into_bytes());
        }
        emit(files, dir, "report", &w.name, &text, &figures, md, html);
    }
}

#[allow(clippy::too_many_arguments)]
fn emit(
    files: &mut Files,
    dir: PathBuf,
    stem: &str,
    title: &str,
    markdown: &str,
    figures: &[Figure],
    md: bool,
    html: bool,
) {
    if md {
        files.insert(dir.join(format!("{stem}.md")), markdown.as_bytes().to_vec());
    }
    if html {
        let page = html::page(title, markdown, figures);
        files.insert(dir.join(format!("{stem}.html")), page.into_bytes());
    }
}
