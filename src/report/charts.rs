//! The charts as SVG strings, drawn with plotters' SVG backend: one public
//! function per chart, data (from `curves.rs`) in, SVG text out. Text is
//! written as `<text>` elements and measured with plotters' built-in
//! estimate, so no font is ever loaded; coordinates are whole pixels, so the
//! same data gives the same bytes on every machine.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::curves::{Bar, LineChart, Series, Style};
use crate::format::usd;

/// Width of every chart, in pixels.
pub const WIDTH: u32 = 760;
/// Height of the plot of a line chart (its legend comes below).
const PLOT_HEIGHT: u32 = 430;
const LEGEND_ROW: u32 = 22;
const FONT: &str = "sans-serif";

const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
const GREY: RGBColor = RGBColor(0xC4, 0xC4, 0xC4);
const PICKED: RGBColor = RGBColor(0x1F, 0x5F, 0xAD);
const OTHER: RGBColor = RGBColor(0x92, 0xB4, 0xDC);
/// Tableau 10 without its grey (kept for excluded options), then four more
/// dark hues, so that a dozen options get a dozen colours.
const PALETTE: [RGBColor; 13] = [
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x76, 0xB7, 0xB2),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0x9C, 0x75, 0x5F),
    RGBColor(0xED, 0xC9, 0x48),
    RGBColor(0xFF, 0x9D, 0xA7),
    RGBColor(0x1B, 0x2A, 0x6B),
    RGBColor(0x8C, 0x8C, 0x10),
    RGBColor(0x00, 0x8B, 0x8B),
    RGBColor(0x6B, 0x1B, 0x3A),
];

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// `$/month by option`: horizontal bars, the pick and runner-up dark,
/// other eligible options light, excluded options grey.
pub fn cost_by_option(title: &str, bars: &[Bar]) -> String {
    let height = 110 + 26 * bars.len().max(1) as u32;
    svg(title, (WIDTH, height), |root| draw_bars(root, title, bars))
}

/// `$/M tokens against utilization` for each dedicated option, with each
/// per-token offer as a flat line and the crossovers marked.
pub fn cost_vs_utilization(title: &str, chart: &LineChart) -> String {
    line_chart(title, chart)
}

/// `$/month against volume` on log axes, break-even volumes marked.
pub fn cost_vs_volume(title: &str, chart: &LineChart) -> String {
    line_chart(title, chart)
}

/// `Cost per episode against turns`, today's number of turns marked.
pub fn cost_vs_turns(title: &str, chart: &LineChart) -> String {
    line_chart(title, chart)
}

fn line_chart(title: &str, chart: &LineChart) -> String {
    let entries = legend_entries(&chart.series);
    let rows = entries.len().div_ceil(2) as u32;
    let size = (WIDTH, PLOT_HEIGHT + 12 + rows * LEGEND_ROW);
    svg(title, size, |root| {
        let (plot, legend) = root.split_vertically(PLOT_HEIGHT);
        draw_lines(&plot, title, chart)?;
        draw_legend(&legend, &entries)
    })
}

/// Draws into an SVG string; a drawing error (which the SVG backend does not
/// produce for in-memory output) is shown in the image rather than lost.
fn svg(
    title: &str,
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> Drawn,
) -> String {
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

fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

fn draw_bars(
    root: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    bars: &[Bar],
) -> Drawn {
    let n = bars.len().max(1);
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let x_max = if top > 0.0 { top * 1.22 } else { 1.0 };
    let label_width = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(10)
        .clamp(10, 40) as u32
        * 7
        + 12;
    let ticks = linear_ticks(0.0, x_max);
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(20))
        .margin(12)
        .margin_top(8)
        .x_label_area_size(44)
        .y_label_area_size(label_width)
        .build_cartesian_2d(
            Axis::new(0.0, x_max, ticks),
            Axis::new(0.0, n as f64, vec![]),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_label_formatter(&|v| usd(*v))
        .x_desc("$ per month")
        .label_style(font(15))
        .axis_desc_style(font(15))
        .draw()?;
    for (i, b) in bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let colour = match (b.excluded, b.picked) {
            (true, _) => GREY,
            (false, true) => PICKED,
            (false, false) => OTHER,
        };
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y + 0.18), (b.value, y + 0.82)],
            colour.filled(),
        )))?;
        let (x0, ym) = chart.backend_coord(&(0.0, y + 0.5));
        let (xe, _) = chart.backend_coord(&(b.value, y + 0.5));
        let anchor = Pos::new(HPos::Right, VPos::Center);
        let colour = if b.excluded {
            RGBColor(0x80, 0x80, 0x80)
        } else {
            INK
        };
        root.draw(&Text::new(
            b.label.clone(),
            (x0 - 6, ym),
            font(15).color(&colour).pos(anchor),
        ))?;
        let value = if b.excluded {
            format!("{} (excluded)", usd(b.value))
        } else {
            usd(b.value)
        };
        root.draw(&Text::new(
            value,
            (xe + 5, ym),
            font(14)
                .color(&colour)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// A linear axis with the ticks we choose (plotters' own key points are not
/// round on transformed log axes). Log axes are drawn as linear axes of log10.
#[derive(Debug, Clone)]
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Axis {
    fn new(lo: f64, hi: f64, ticks: Vec<f64>) -> Axis {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Axis { lo, hi, ticks }
    }
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, (p0, p1): (i32, i32)) -> i32 {
        let t = ((v - self.lo) / (self.hi - self.lo)).clamp(-1.0, 2.0);
        let t = if t.is_finite() { t } else { 0.0 };
        p0 + (f64::from(p1 - p0) * t).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Only bold lines: the light mesh would double every grid line.
        match hint.weight() {
            KeyPointWeight::Bold => self.ticks.clone(),
            KeyPointWeight::Any => vec![],
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

type Coord = Cartesian2d<Axis, Axis>;

fn draw_lines(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    title: &str,
    c: &LineChart,
) -> Drawn {
    let axis = |(lo, hi): (f64, f64), log: bool| {
        if log {
            let ticks = log_ticks(lo, hi).into_iter().map(f64::log10).collect();
            Axis::new(lo.log10(), hi.log10(), ticks)
        } else {
            Axis::new(lo, hi, linear_ticks(lo, hi))
        }
    };
    let to_x = move |x: f64| if c.x_log { x.log10() } else { x };
    let to_y = move |y: f64| if c.y_log { y.log10() } else { y };
    let from = |v: f64, log: bool| if log { 10f64.powf(v) } else { v };
    let x_fmt = |v: &f64| c.x_ticks.text(round_tick(from(*v, c.x_log)));
    let y_fmt = |v: &f64| c.y_ticks.text(round_tick(from(*v, c.y_log)));
    let mut chart: ChartContext<SVGBackend, Coord> = ChartBuilder::on(area)
        .caption(title, font(20))
        .margin(12)
        .margin_right(24)
        .x_label_area_size(48)
        .y_label_area_size(84)
        .build_cartesian_2d(axis(c.x_range, c.x_log), axis(c.y_range, c.y_log))?;
    chart
        .configure_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .label_style(font(15))
        .axis_desc_style(font(15))
        .draw()?;
    if let Some((x, text)) = &c.today {
        let (y0, y1) = (to_y(c.y_range.0), to_y(c.y_range.1));
        let x = to_x(*x);
        chart.draw_series(DashedLineSeries::new(
            [(x, y0), (x, y1)],
            5,
            4,
            RGBColor(0x66, 0x66, 0x66).stroke_width(1),
        ))?;
        let (px, py) = chart.backend_coord(&(x, y1));
        area.draw(&Text::new(
            text.clone(),
            (px + 4, py + 4),
            font(14).pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    let mut colour_index = 0;
    let mut colours = Vec::new();
    for line in &c.series {
        let colour = match line.style {
            Style::Excluded => GREY,
            _ => {
                colour_index += 1;
                PALETTE[(colour_index - 1) % PALETTE.len()]
            }
        };
        colours.push(colour);
        let points: Vec<(f64, f64)> = line
            .points
            .iter()
            .map(|&(x, y)| (to_x(x), to_y(y)))
            .collect();
        match line.style {
            Style::Dedicated => {
                chart.draw_series(LineSeries::new(points, colour.stroke_width(2)))?;
            }
            Style::PerToken => {
                chart.draw_series(DashedLineSeries::new(points, 8, 5, colour.stroke_width(2)))?;
            }
            Style::Excluded => {
                chart.draw_series(LineSeries::new(points, colour.stroke_width(1)))?;
            }
        }
    }
    let mut labels = Labels::default();
    let mut dots = Vec::new();
    for m in &c.markers {
        let colour = colours.get(m.series).copied().unwrap_or(INK);
        let at = (to_x(m.at.0), to_y(m.at.1));
        chart.draw_series(std::iter::once(Circle::new(at, 5, colour.filled())))?;
        chart.draw_series(std::iter::once(Circle::new(at, 5, INK.stroke_width(1))))?;
        let (px, py) = chart.backend_coord(&at);
        labels.0.push((px - 6, py - 6, px + 6, py + 6));
        dots.push((px, py, &m.text));
    }
    for (px, py, text) in dots {
        if text.is_empty() {
            continue;
        }
        if let Some(((x, y), v, (bx, by, bw))) = labels.place(px, py, text) {
            area.draw(&Rectangle::new(
                [(bx - 1, by), (bx + bw, by + 14)],
                WHITE.mix(0.8).filled(),
            ))?;
            area.draw(&Text::new(
                text.clone(),
                (x, y),
                font(13).pos(Pos::new(HPos::Left, v)),
            ))?;
        }
    }
    Ok(())
}

/// Where a label goes: text anchor, vertical alignment, backing box (x, y, width).
type Placed = ((i32, i32), VPos, (i32, i32, i32));

/// Marker labels already drawn, as pixel boxes, so that a label that would
/// overlap one is left out (its dot stays; the table has the figure).
#[derive(Default)]
struct Labels(Vec<(i32, i32, i32, i32)>);

impl Labels {
    /// Where to draw `text` beside the dot at (x, y): above right, else below
    /// right; `None` when both overlap a label already drawn.
    fn place(&mut self, x: i32, y: i32, text: &str) -> Option<Placed> {
        let width = 6 * text.chars().count() as i32 + 2;
        let candidates = [
            ((x + 7, y - 4), VPos::Bottom, (x + 7, y - 18)),
            ((x + 7, y + 5), VPos::Top, (x + 7, y + 5)),
        ];
        for (pos, v, (bx, by)) in candidates {
            let clash = self
                .0
                .iter()
                .any(|&(x0, y0, x1, y1)| bx < x1 && bx + width > x0 && by < y1 && by + 14 > y0);
            if !clash {
                self.0.push((bx, by, bx + width, by + 14));
                return Some((pos, v, (bx, by, width)));
            }
        }
        None
    }
}

/// One legend line: text, colour, dashed.
struct Entry {
    text: String,
    colour: RGBColor,
    dashed: bool,
}

/// Every eligible series in its colour, and one grey entry for the excluded.
fn legend_entries(series: &[Series]) -> Vec<Entry> {
    let mut entries = Vec::new();
    for (i, s) in series
        .iter()
        .filter(|s| s.style != Style::Excluded)
        .enumerate()
    {
        entries.push(Entry {
            text: s.label.clone(),
            colour: PALETTE[i % PALETTE.len()],
            dashed: s.style == Style::PerToken,
        });
    }
    if series.iter().any(|s| s.style == Style::Excluded) {
        entries.push(Entry {
            text: "excluded options".into(),
            colour: GREY,
            dashed: false,
        });
    }
    entries
}

fn draw_legend(area: &DrawingArea<SVGBackend, plotters::coord::Shift>, entries: &[Entry]) -> Drawn {
    let column = (WIDTH as i32 - 40) / 2;
    for (i, e) in entries.iter().enumerate() {
        let x = 20 + column * (i % 2) as i32;
        let y = 6 + LEGEND_ROW as i32 * (i / 2) as i32 + LEGEND_ROW as i32 / 2;
        let style = e.colour.stroke_width(if e.colour == GREY { 1 } else { 2 });
        if e.dashed {
            area.draw(&PathElement::new(vec![(x, y), (x + 10, y)], style))?;
            area.draw(&PathElement::new(vec![(x + 16, y), (x + 26, y)], style))?;
        } else {
            area.draw(&PathElement::new(vec![(x, y), (x + 26, y)], style))?;
        }
        area.draw(&Text::new(
            e.text.clone(),
            (x + 34, y),
            font(14).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
    }
    Ok(())
}

/// About six round ticks (1, 2 or 5 times a power of ten) from `lo` to `hi`.
pub fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return vec![lo];
    }
    let raw = span / 6.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Ticks at 1, 2 and 5 times powers of ten on a short log axis, every decade
/// (or every other) on a long one.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return vec![];
    }
    let (d0, d1) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let decades = d1 - d0;
    let mantissas: &[f64] = if decades <= 3 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let every = if decades > 8 { 2 } else { 1 };
    (d0..=d1)
        .filter(|d| (d - d0) % every == 0)
        .flat_map(|d| mantissas.iter().map(move |m| m * 10f64.powi(d)))
        .filter(|v| *v >= lo && *v <= hi)
        .collect()
}

/// Removes float noise from a tick value computed through log10/powf.
fn round_tick(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = 3 - v.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (v * scale).round() / scale
}
