//! The terminal, at the render/print end of the pipeline: the width the
//! plain-text outputs fit in (the terminal's, else `COLUMNS`, else 100; the
//! compare table, `simulate`, `capacity` and `quote` all ask here), an
//! aligned-columns table for `simulate`, wrapping of long lines, and the
//! progress line on standard error (only on a TTY, never under `CI` or with
//! JSON output). infercost prints no colour, so `NO_COLOR` holds trivially.

use std::io::IsTerminal;

/// The default width, and the most any default output uses.
pub(crate) const DEFAULT_WIDTH: u16 = 100;

/// The width plain-text tables fit in: the terminal's own when standard
/// output is one, else `COLUMNS` when set, else 100; never below 40.
pub(crate) fn table_width() -> u16 {
    reader_width().unwrap_or(DEFAULT_WIDTH)
}

/// The width a person reads in: the terminal's, else `COLUMNS` when set;
/// `None` when the output goes to a script (a pipe with no `COLUMNS`).
pub(crate) fn reader_width() -> Option<u16> {
    terminal_width()
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok())
        .filter(|w| *w >= 40)
}

/// The width of the terminal standard output is, if it is one.
#[cfg(target_os = "linux")]
fn terminal_width() -> Option<u16> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    rustix::termios::tcgetwinsize(&stdout)
        .ok()
        .map(|w| w.ws_col)
        .filter(|&c| c > 0)
}

/// Elsewhere `COLUMNS` (or 100) decides.
#[cfg(not(target_os = "linux"))]
fn terminal_width() -> Option<u16> {
    None
}

/// Every line of `text` longer than `width` broken at spaces, continuation
/// lines indented by two spaces (the compare table's wrapping).
pub(crate) fn wrap_lines(text: &str, width: u16) -> String {
    text.lines()
        .map(|line| crate::report::table::wrap(line, usize::from(width)))
        .collect()
}

/// Rows under a header in columns two spaces apart, each as wide as its
/// widest cell: the first column left-aligned, the others (figures) right.
pub(crate) fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain([header[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut out = String::new();
        for (i, cell) in cells.enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.chars().count()));
            match i {
                0 => out.push_str(&format!("{cell}{pad}")),
                _ => out.push_str(&format!("  {pad}{cell}")),
            }
        }
        format!("{}\n", out.trim_end())
    };
    let mut out = line(&mut header.iter().copied());
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

/// A progress line on standard error, `label i/n`, redrawn in place and
/// cleared when dropped; shown
/// only when standard error is a terminal, `CI` is unset and the output is
/// not JSON, so logs, pipes and tests never see it.
pub(crate) struct Progress {
    label: String,
    total: usize,
    shown: bool,
}

impl Progress {
    /// A progress line for `total` steps; silent unless it may be drawn.
    pub(crate) fn new(label: &str, total: usize, json: bool) -> Progress {
        let shown = !json && std::env::var_os("CI").is_none() && std::io::stderr().is_terminal();
        Progress {
            label: label.to_string(),
            total,
            shown,
        }
    }

    /// Shows that `done` steps of the total are done.
    pub(crate) fn step(&self, done: usize) {
        if self.shown {
            eprint!("\r{} {done}/{}", self.label, self.total);
        }
    }
}

/// The line is cleared when the work ends, by success or by an error (so
/// that the error is printed on a line of its own).
impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            let blank = " ".repeat(self.label.chars().count() + 24);
            eprint!("\r{blank}\r");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_pad_to_the_widest_cell_text_left_figures_right() {
        let rows = vec![
            vec!["modal 1×h100".to_string(), "3.20".to_string()],
            vec!["a".to_string(), "12.50".to_string()],
        ];
        assert_eq!(
            columns(&["option", "billed"], &rows),
            "option        billed\nmodal 1×h100    3.20\na              12.50\n"
        );
    }

    #[test]
    fn long_lines_wrap_and_short_ones_stay() {
        assert_eq!(
            wrap_lines("short\none two three four", 9),
            "short\none two\n  three\n  four\n"
        );
    }
}
