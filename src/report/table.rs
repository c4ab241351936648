//! The terminal table of `infercost compare`: it fits the width it is
//! given (long cells wrap; below 120 columns the $/M-token column goes,
//! below 90 the crossover too), marks the pick and the runner-up, says
//! under them when the pick is over the workload's budget (the report's
//! Budget line), and shows every column when no width is given (`--wide`).

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, ContentArrangement, Table};

use crate::contract::{PricedOption, Report, WorkloadResult};
use crate::format::{count, percent, usd};
use crate::verdict::joined;

/// Below this width the $/M-token column is left out (the crossover stays).
const NARROW: u16 = 120;
/// Below this width the crossover column is left out too.
const NARROWER: u16 = 90;

/// One table per workload: every option, sorted by $/month, then the pick.
/// `width`: the columns to fit in; `None` shows everything, unwrapped.
pub(crate) fn render(report: &Report, width: Option<u16>) -> String {
    report
        .workloads
        .iter()
        .map(|w| workload_table(w, width))
        .collect::<Vec<_>>()
        .join("\n")
}

const HEADER: [&str; 9] = [
    "",
    "vendor",
    "offer",
    "gpu / tier",
    "$/month",
    "$/M tok",
    "util.",
    "crossover",
    "status",
];

fn workload_table(w: &WorkloadResult, width: Option<u16>) -> String {
    // Columns shown: all of them, without $/M tok when narrow, and without
    // the crossover too when narrower.
    let keep: Vec<usize> = match width {
        Some(cols) if cols < NARROWER => vec![0, 1, 2, 3, 4, 6, 8],
        Some(cols) if cols < NARROW => vec![0, 1, 2, 3, 4, 6, 7, 8],
        _ => (0..HEADER.len()).collect(),
    };
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_header(keep.iter().map(|&i| HEADER[i]).collect::<Vec<_>>());
    match width {
        Some(cols) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(cols);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let (primary, runner_up) = (w.pick.primary.as_ref(), w.pick.runner_up.as_ref());
    for o in &w.options {
        let id = Some(o.key());
        let mark = if id.as_ref() == primary {
            "pick"
        } else if id.as_ref() == runner_up {
            "2nd"
        } else {
            ""
        };
        let mut cells = row(o);
        cells.insert(0, Cell::new(mark));
        table.add_row(
            cells
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, c)| c),
        );
    }
    for (shown, &i) in keep.iter().enumerate() {
        if (4..8).contains(&i) {
            if let Some(col) = table.column_mut(shown) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    let title = format!(
        "{} ({}): {} {}s/day of {}",
        w.name,
        w.workload,
        count(w.units_per_day),
        w.unit.as_str(),
        w.model
    );
    let mut lines = vec![title];
    match (w.primary(), &w.pick.primary_reason) {
        (Some(p), Some(why)) => lines.push(format!("pick: {}: {why}", p.label())),
        _ => lines.push("pick: no eligible option".into()),
    }
    if let (Some(r), Some(why)) = (w.runner_up(), &w.pick.runner_up_reason) {
        lines.push(format!("2nd (runner-up): {}: {why}", r.label()));
    }
    // The report's headline for a pick over its cold-start allowance.
    let plan = w.cold_start_plan.as_ref();
    let over_allowance = |p| super::view::advice::cold_start::headline(p, w.unit.as_str());
    if let Some(line) = plan.and_then(over_allowance) {
        lines.push(format!("cold starts: {line}"));
    }
    if let Some(line) = super::words::budget::headline(w) {
        lines.push(format!("budget: {line}"));
    }
    for (mark, o) in [("pick", w.primary()), ("2nd", w.runner_up())] {
        if let (Some(o), Some(volume)) = (o, o.and_then(super::words::break_even_band)) {
            lines.push(format!(
                "break-even ({mark}): {} beats the cheapest per-token offer above {volume} {}s/day",
                o.label(),
                w.unit.as_str()
            ));
        }
    }
    for c in &w.requirement_costs {
        lines.push(format!("requirement: {}", c.summary));
    }
    for (mark, o) in [("pick", w.primary()), ("2nd", w.runner_up())] {
        if let Some(line) = o.and_then(super::words::commitment) {
            lines.push(format!(
                "commitment ({mark}): {} {line}",
                o.map_or(String::new(), |o| o.label() + ":")
            ));
        }
    }
    if let Some(line) = super::words::no_commitment_terms(w) {
        lines.push(format!("commitment: {line}"));
    }
    for line in super::words::substitutes(w) {
        lines.push(format!("substitutes: {line}"));
    }
    for u in &w.unserved {
        lines.push(format!("not offered: {} {}", u.vendor, u.reason));
    }
    let wrap = |line: &String| match width {
        Some(cols) => wrap(line, usize::from(cols)),
        None => format!("{line}\n"),
    };
    let mut out = wrap(&lines[0]);
    out.push_str(&format!("{table}\n"));
    for line in &lines[1..] {
        out.push_str(&wrap(line));
    }
    out
}

/// `text` broken at spaces into lines of at most `width` characters (a
/// longer word stays whole), continuation lines indented by two spaces.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from("  ");
        } else if len > 0 {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

fn row(o: &PricedOption) -> Vec<Cell> {
    let detail = match (o.replica_gpus(), &o.tier) {
        (Some(gpus), _) => gpus,
        (None, Some(tier)) => tier.clone(),
        (None, None) => String::new(),
    };
    let status = if o.eligible() {
        let mut s = "eligible".to_string();
        for f in &o.verdict.flags {
            s.push_str(&format!("; {f}"));
        }
        s
    } else {
        format!("excluded: {}", joined(&o.verdict.exclusions))
    };
    vec![
        Cell::new(&o.vendor),
        Cell::new(if o.substitute {
            format!("{} of {}", o.offer.as_str(), o.model)
        } else {
            o.offer.as_str().to_string()
        }),
        Cell::new(detail),
        Cell::new(usd(o.usd_per_month)),
        Cell::new(o.usd_per_mtok.map(usd).unwrap_or_default()),
        Cell::new(o.utilization.map(percent).unwrap_or_default()),
        Cell::new(super::words::crossover(o)),
        Cell::new(status),
    ]
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_lines_wrap_at_spaces_within_the_width() {
        assert_eq!(
            wrap("pick: modal dedicated at $11,062/month, 26% below", 20),
            "pick: modal\n  dedicated at\n  $11,062/month, 26%\n  below\n"
        );
        assert_eq!(wrap("short", 20), "short\n");
    }
}
