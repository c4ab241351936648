//! The legend under a line chart: two columns of entries, each eligible
//! series in its colour (dashed for per-token offers), and one grey entry
//! for all the excluded options.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{font, series_colours, GREY};
use super::{Area, Drawn, WIDTH};
use crate::report::curves::{Series, Style};

/// Height of one legend row, in pixels.
pub(super) const ROW: u32 = 22;

/// One legend line: text, colour, dashed.
pub(super) struct Entry {
    text: String,
    colour: RGBColor,
    dashed: bool,
    /// The pick or runner-up: drawn as heavy as its line.
    picked: bool,
}

/// Every eligible series in its colour, and one grey entry for the excluded.
pub(super) fn entries(series: &[Series]) -> Vec<Entry> {
    let mut entries: Vec<Entry> = series
        .iter()
        .zip(series_colours(series))
        .filter(|(s, _)| s.style != Style::Excluded && !s.folded)
        .map(|(s, colour)| Entry {
            text: s.label.clone(),
            colour,
            dashed: s.style == Style::PerToken,
            picked: s.picked,
        })
        .collect();
    if series
        .iter()
        .any(|s| s.style == Style::Excluded && !s.folded)
    {
        entries.push(Entry {
            text: "excluded options".into(),
            colour: GREY,
            dashed: false,
            picked: false,
        });
    }
    if series.iter().any(|s| s.folded) {
        entries.push(Entry {
            text: "other options (see All options)".into(),
            colour: GREY,
            dashed: false,
            picked: false,
        });
    }
    entries
}

/// The height of a legend of `n` entries, in pixels.
pub(super) fn height(n: usize) -> u32 {
    n.div_ceil(2) as u32 * ROW
}

/// Draws the entries in two columns.
pub(super) fn draw(area: &Area, entries: &[Entry]) -> Drawn {
    let column = (WIDTH as i32 - 40) / 2;
    for (i, e) in entries.iter().enumerate() {
        let x = 20 + column * (i % 2) as i32;
        let y = 6 + ROW as i32 * (i / 2) as i32 + ROW as i32 / 2;
        let width = match (e.colour == GREY, e.picked) {
            (true, _) => 1,
            (false, true) => 4,
            (false, false) => 2,
        };
        let style = e.colour.stroke_width(width);
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
