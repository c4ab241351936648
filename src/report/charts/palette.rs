//! The look shared by every chart: the font, the ink and grid colours, the
//! bar colours of the pick and the other options, and the palette that gives
//! each eligible series of a line chart its own colour (the same one in the
//! plot and in the legend).

use plotters::prelude::*;

use crate::report::curves::{Series, Style};

const FONT: &str = "sans-serif";

/// Text and axes.
pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Grid lines.
pub(super) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
/// Excluded options.
pub(super) const GREY: RGBColor = RGBColor(0xC4, 0xC4, 0xC4);
/// The text of an excluded option's bar.
pub(super) const GREY_TEXT: RGBColor = RGBColor(0x80, 0x80, 0x80);
/// The pick and the runner-up's bars.
pub(super) const PICKED: RGBColor = RGBColor(0x1F, 0x5F, 0xAD);
/// Other eligible options' bars.
pub(super) const OTHER: RGBColor = RGBColor(0x92, 0xB4, 0xDC);
/// Today's reference line.
pub(super) const TODAY: RGBColor = RGBColor(0x66, 0x66, 0x66);
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

/// Chart text of a size, in ink.
pub(super) fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

/// The colour of each series: an eligible option takes the palette colour
/// of its rank among the workload's eligible options, so that it has the
/// same colour in every chart of a report; excluded ones are grey.
pub(super) fn series_colours(series: &[Series]) -> Vec<RGBColor> {
    series
        .iter()
        .map(|s| match s.style {
            _ if s.folded => GREY,
            Style::Excluded => GREY,
            _ => PALETTE[s.colour % PALETTE.len()],
        })
        .collect()
}
