//! The charts as SVG strings, drawn with plotters' SVG backend: one public
//! function per chart, data (from `curves`) in, SVG text out. Text is
//! written as `<text>` elements and measured with plotters' built-in
//! estimate, so no font is ever loaded; coordinates are whole pixels, so the
//! same data gives the same bytes on every machine.
//!
//! This module owns the SVG document (its size, `<title>` and the fallback
//! when drawing fails); `bars` draws the bar chart and `lines` the line
//! charts, with `legend` below them (and `smooth` choosing the points a line
//! draws); `axis` and `palette` are shared by all.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::curves::{Bar, LineChart};

mod axis;
mod bars;
mod legend;
mod lines;
mod palette;
mod smooth;

/// Width of every chart, in pixels.
pub(crate) const WIDTH: u32 = 760;

/// What a drawing step returns: plotters' errors, boxed.
type Drawn = Result<(), Box<dyn std::error::Error>>;

/// The drawing area of a chart, or of a part of one.
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// `$/month by option`: horizontal bars, the pick and runner-up dark,
/// other eligible options light, excluded options grey.
pub(crate) fn cost_by_option(title: &str, bars: &[Bar]) -> String {
    svg(title, (WIDTH, bars::height(bars)), |root| {
        bars::draw(root, title, bars)
    })
}

/// `$/M tokens against utilization` for each dedicated option, with each
/// per-token offer as a flat line and the crossovers marked.
pub(crate) fn cost_vs_utilization(title: &str, chart: &LineChart) -> String {
    lines::line_chart(title, chart)
}

/// `$/month against volume` on log axes, break-even volumes marked.
pub(crate) fn cost_vs_volume(title: &str, chart: &LineChart) -> String {
    lines::line_chart(title, chart)
}

/// `Cost per episode against turns`, today's number of turns marked.
pub(crate) fn cost_vs_turns(title: &str, chart: &LineChart) -> String {
    lines::line_chart(title, chart)
}

/// Draws into an SVG string; a drawing error (which the SVG backend does not
/// produce for in-memory output) is shown in the image rather than lost.
fn svg(title: &str, size: (u32, u32), draw: impl FnOnce(&Area) -> Drawn) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(Into::into))
    };
    if let Err(e) = result {
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"40\"><text x=\"10\" y=\"25\">chart could not be drawn: {}</text></svg>\n",
            size.0,
            escape(&e.to_string())
        );
    }
    with_title(out, title)
}

/// Adds a `<title>` (read by screen readers, shown on hover) after the root tag.
fn with_title(svg: String, title: &str) -> String {
    match svg.find(">\n") {
        Some(i) => format!(
            "{}<title>{}</title>\n{}",
            &svg[..i + 2],
            escape(title),
            &svg[i + 2..]
        ),
        None => svg,
    }
}

/// Escapes text for SVG (XML) content.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
