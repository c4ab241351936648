//! The bar chart (`$/month by option`): one horizontal bar per serving
//! option, its label on the left and its cost at the bar's end; the pick and
//! runner-up dark, other eligible options light, excluded options grey.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{linear_ticks, Axis, Coord};
use super::palette::{font, GREY, GREY_TEXT, GRID, INK, OTHER, PICKED};
use super::{Area, Drawn};
use crate::format::{money_decimals, usd, usd_decimals};
use crate::report::curves::Bar;

/// The height of a bar chart of `bars`, in pixels.
pub(super) fn height(bars: &[Bar]) -> u32 {
    110 + 26 * bars.len().max(1) as u32
}

/// Draws the titled bar chart on `root`.
pub(super) fn draw(root: &Area, title: &str, bars: &[Bar]) -> Drawn {
    let n = bars.len().max(1);
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let x_max = if top > 0.0 { top * 1.22 } else { 1.0 };
    let mut chart = ChartBuilder::on(root)
        .caption(title, font(20))
        .margin(12)
        .margin_top(8)
        .x_label_area_size(44)
        .y_label_area_size(label_width(bars))
        .build_cartesian_2d(
            Axis::new(0.0, x_max, linear_ticks(0.0, x_max)),
            Axis::new(0.0, n as f64, vec![]),
        )?;
    // One money format for every tick ($0 is no reason for decimals).
    let decimals = money_decimals(&linear_ticks(0.0, x_max));
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(GRID)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_label_formatter(&|v| usd_decimals(*v, decimals))
        .x_desc("$ per month")
        .label_style(font(15))
        .axis_desc_style(font(15))
        .draw()?;
    for (i, b) in bars.iter().enumerate() {
        draw_bar(root, &mut chart, (n - 1 - i) as f64, b)?;
    }
    Ok(())
}

/// Room for the longest label (10 to 40 characters' worth).
fn label_width(bars: &[Bar]) -> u32 {
    bars.iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(10)
        .clamp(10, 40) as u32
        * 7
        + 12
}

/// One bar at height `y`, with its label and its value.
fn draw_bar(root: &Area, chart: &mut ChartContext<SVGBackend, Coord>, y: f64, b: &Bar) -> Drawn {
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
    let colour = if b.excluded { GREY_TEXT } else { INK };
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
    Ok(())
}
