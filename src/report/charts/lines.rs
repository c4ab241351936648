//! The line charts (cost against utilization, volume or turns): the plot
//! with its axes, today's reference line, one line per option (solid for
//! dedicated, dashed for per-token, thin grey for excluded), the marked
//! points with labels that never overlap, and the legend below.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{round_tick, Axis, Coord};
use super::palette::{font, series_colours, GRID, INK, TODAY};
use super::smooth::smoothed;
use super::{legend, svg, Area, Drawn, WIDTH};
use crate::format::usd_decimals;
use crate::report::curves::{LineChart, Marker, Series, Style, Tick};

/// Height of the plot of a line chart (its legend comes below).
const PLOT_HEIGHT: u32 = 430;

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Coord>;

/// The titled line chart with its legend, as SVG.
pub(super) fn line_chart(title: &str, chart: &LineChart) -> String {
    let entries = legend::entries(&chart.series);
    let size = (WIDTH, PLOT_HEIGHT + 12 + legend::height(entries.len()));
    svg(title, size, |root| {
        let (plot, legend) = root.split_vertically(PLOT_HEIGHT);
        draw(&plot, title, chart)?;
        legend::draw(&legend, &entries)
    })
}

/// Where data values go on the axes: log10 of them on a log axis.
#[derive(Clone, Copy)]
struct Scale {
    x_log: bool,
    y_log: bool,
}

impl Scale {
    fn x(self, x: f64) -> f64 {
        if self.x_log {
            x.log10()
        } else {
            x
        }
    }

    fn y(self, y: f64) -> f64 {
        if self.y_log {
            y.log10()
        } else {
            y
        }
    }

    fn point(self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.x(x), self.y(y))
    }
}

/// A tick's value as data again, from where it sits on a (maybe log) axis.
fn from_axis(v: f64, log: bool) -> f64 {
    if log {
        10f64.powf(v)
    } else {
        v
    }
}

/// How the ticks of one axis are written: money with the digits its value
/// has and no more (`$10,000`, `$1`, `$0.50`, `$0.05`; cents below a
/// dollar), the same decimals along a linear axis (its step's: `$1.50`
/// beside `$1.00`), other figures as they come.
fn axis_format(tick: Tick, range: (f64, f64), log: bool) -> impl Fn(&f64) -> String {
    let values: Vec<f64> = Axis::over(range, log)
        .tick_positions()
        .iter()
        .map(|&t| round_tick(from_axis(t, log)))
        .collect();
    // A linear axis steps evenly: its step's decimals suit every tick.
    let step = match values.as_slice() {
        [a, b, ..] => Some(round_tick(b - a)),
        [a] => Some(*a),
        [] => None,
    };
    move |v: &f64| {
        let v = round_tick(from_axis(*v, log));
        match tick {
            Tick::Usd if v == 0.0 => "$0".to_string(),
            Tick::Usd if log => usd_decimals(v, money_tick_decimals(v)),
            Tick::Usd => usd_decimals(v, step.map_or(0, money_tick_decimals)),
            _ => tick.text(v),
        }
    }
}

/// The decimals a money tick needs: none for whole dollars, else the
/// fewest that write it exactly, and at least cents.
fn money_tick_decimals(v: f64) -> usize {
    let exact = (0..=12)
        .find(|&d| {
            let scale = 10f64.powi(d);
            ((v * scale).round() / scale - v).abs() <= 1e-9 * v.abs()
        })
        .unwrap_or(12) as usize;
    if exact == 0 {
        0
    } else {
        exact.max(2)
    }
}

fn draw(area: &Area, title: &str, c: &LineChart) -> Drawn {
    let scale = Scale {
        x_log: c.x_log,
        y_log: c.y_log,
    };
    let x_fmt = axis_format(c.x_ticks, c.x_range, c.x_log);
    let y_fmt = axis_format(c.y_ticks, c.y_range, c.y_log);
    let mut chart: Chart = ChartBuilder::on(area)
        .caption(title, font(20))
        .margin(12)
        .margin_right(24)
        .x_label_area_size(48)
        .y_label_area_size(84)
        .build_cartesian_2d(
            Axis::over(c.x_range, c.x_log),
            Axis::over(c.y_range, c.y_log),
        )?;
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
        draw_today(area, &mut chart, scale, c.y_range, *x, text)?;
    }
    let colours = series_colours(&c.series);
    for (line, colour) in c.series.iter().zip(&colours) {
        draw_series(&mut chart, scale, line, *colour)?;
    }
    draw_markers(area, &mut chart, scale, &c.markers, &colours)
}

/// The dashed vertical line at today's figure, with its text at the top.
fn draw_today(
    area: &Area,
    chart: &mut Chart,
    scale: Scale,
    y_range: (f64, f64),
    x: f64,
    text: &str,
) -> Drawn {
    let (y0, y1) = (scale.y(y_range.0), scale.y(y_range.1));
    let x = scale.x(x);
    chart.draw_series(DashedLineSeries::new(
        [(x, y0), (x, y1)],
        5,
        4,
        TODAY.stroke_width(1),
    ))?;
    let (px, py) = chart.backend_coord(&(x, y1));
    area.draw(&Text::new(
        text.to_string(),
        (px + 4, py + 4),
        font(14).pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    Ok(())
}

/// One option's line, drawn as its style says.
fn draw_series(chart: &mut Chart, scale: Scale, line: &Series, colour: RGBColor) -> Drawn {
    let points: Vec<(f64, f64)> = line.points.iter().map(|&p| scale.point(p)).collect();
    let points = smoothed(chart, points);
    // The pick and the runner-up stand out: twice as heavy.
    let width = if line.picked { 4 } else { 2 };
    match line.style {
        _ if line.folded => {
            chart.draw_series(LineSeries::new(points, colour.stroke_width(1)))?;
        }
        Style::Dedicated => {
            chart.draw_series(LineSeries::new(points, colour.stroke_width(width)))?;
        }
        Style::PerToken => {
            chart.draw_series(DashedLineSeries::new(
                points,
                8,
                5,
                colour.stroke_width(width),
            ))?;
        }
        Style::Excluded => {
            chart.draw_series(LineSeries::new(points, colour.stroke_width(1)))?;
        }
    }
    Ok(())
}

/// Every marker's dot in its series' colour, then the labels that fit.
fn draw_markers(
    area: &Area,
    chart: &mut Chart,
    scale: Scale,
    markers: &[Marker],
    colours: &[RGBColor],
) -> Drawn {
    let mut labels = Labels::default();
    let mut dots = Vec::new();
    for m in markers {
        let colour = colours.get(m.series).copied().unwrap_or(INK);
        let at = scale.point(m.at);
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
    /// Where to draw `text` near the dot at (x, y): above right, below
    /// right, above left, below left, then the same one and two rows
    /// further out; `None` when every place overlaps a label or dot already
    /// drawn (labels never overlap; a crowded dot keeps its figure in the table).
    fn place(&mut self, x: i32, y: i32, text: &str) -> Option<Placed> {
        let width = 6 * text.chars().count() as i32 + 2;
        let mut candidates = Vec::new();
        for row in 0..3 {
            let up = y - 4 - 16 * row;
            let down = y + 5 + 16 * row;
            for left in [x + 7, x - 7 - width] {
                candidates.push(((left, up), VPos::Bottom, (left, up - 14)));
                candidates.push(((left, down), VPos::Top, (left, down)));
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tick of a logarithmic money axis over `range`, as written.
    fn money_ticks(range: (f64, f64)) -> Vec<String> {
        let format = axis_format(Tick::Usd, range, true);
        Axis::over(range, true)
            .tick_positions()
            .iter()
            .map(&format)
            .collect()
    }

    #[test]
    fn a_money_axis_across_a_hundred_dollars_reads_in_one_format() {
        // Log ticks over $10-$1,000: $10, $20, $50, $100, ...; usd() alone
        // wrote "$10.00" beside "$100".
        let ticks = money_ticks((10.0, 1000.0));
        assert!(ticks.contains(&"$10".to_string()), "{ticks:?}");
        assert!(ticks.contains(&"$100".to_string()), "{ticks:?}");
        assert!(ticks.iter().all(|t| !t.contains('.')), "{ticks:?}");
        // Below a dollar, cents.
        let format = axis_format(Tick::Usd, (0.1, 10.0), true);
        assert_eq!(format(&1f64.log10()), "$1");
        assert_eq!(format(&0.2f64.log10()), "$0.20");
    }

    #[test]
    fn money_ticks_carry_the_digits_they_have_and_no_more() {
        // A log axis over $0.01-$10,000 wrote "$0.010" ... "$10,000.000".
        let ticks = money_ticks((0.01, 10_000.0));
        assert_eq!(
            ticks,
            ["$0.01", "$0.10", "$1", "$10", "$100", "$1,000", "$10,000"],
        );
        // $0.05-$1 (the utilization chart's): "$0.050" and "$1.000" before.
        let format = axis_format(Tick::Usd, (0.04, 1.2), true);
        assert_eq!(format(&0.05f64.log10()), "$0.05");
        assert_eq!(format(&0.5f64.log10()), "$0.50");
        assert_eq!(format(&1f64.log10()), "$1");
        // Far below a cent: the digits the tick has.
        assert_eq!(format(&0.002f64.log10()), "$0.002");
        // A linear axis in steps of $0.50 writes every tick in cents.
        let format = axis_format(Tick::Usd, (0.0, 3.0), false);
        assert_eq!(format(&0.0), "$0");
        assert_eq!(format(&1.0), "$1.00");
        assert_eq!(format(&1.5), "$1.50");
        let format = axis_format(Tick::Usd, (0.0, 8.0), false);
        assert_eq!(format(&4.0), "$4");
    }
}
