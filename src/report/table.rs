//! The terminal table of `infercost compare`.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

use crate::contract::{PricedOption, Report, WorkloadResult};
use crate::format::{count, percent, usd};

/// One table per workload: every option, sorted by $/month, then the pick.
pub fn render(report: &Report) -> String {
    report
        .workloads
        .iter()
        .map(workload_table)
        .collect::<Vec<_>>()
        .join("\n")
}

fn workload_table(w: &WorkloadResult) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "vendor",
        "offer",
        "gpu / tier",
        "$/month",
        "$/M tok",
        "util.",
        "crossover",
        "status",
    ]);
    for o in &w.options {
        table.add_row(row(o));
    }
    for i in 3..7 {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = format!(
        "{} ({}): {} {}s/day of {}\n{table}\n",
        w.name,
        w.workload,
        count(w.units_per_day),
        w.unit.as_str(),
        w.model
    );
    match (w.primary(), &w.pick.primary_reason) {
        (Some(p), Some(why)) => out.push_str(&format!("pick: {}: {why}\n", p.label())),
        _ => out.push_str("pick: no eligible option\n"),
    }
    if let (Some(r), Some(why)) = (w.runner_up(), &w.pick.runner_up_reason) {
        out.push_str(&format!("runner-up: {}: {why}\n", r.label()));
    }
    for u in &w.unserved {
        out.push_str(&format!("not offered: {} {}\n", u.vendor, u.reason));
    }
    out
}

fn row(o: &PricedOption) -> Vec<Cell> {
    let detail = match (o.replica_gpus(), &o.tier) {
        (Some(gpus), _) => gpus,
        (None, Some(tier)) => tier.clone(),
        (None, None) => String::new(),
    };
    let status = if o.eligible {
        let mut s = "eligible".to_string();
        for f in &o.flags {
            s.push_str("; ");
            s.push_str(f);
        }
        s
    } else {
        format!("excluded: {}", o.reasons.join("; "))
    };
    vec![
        Cell::new(&o.vendor),
        Cell::new(o.offer.as_str()),
        Cell::new(detail),
        Cell::new(usd(o.usd_per_month)),
        Cell::new(o.usd_per_mtok.map(usd).unwrap_or_default()),
        Cell::new(o.utilization.map(percent).unwrap_or_default()),
        Cell::new(super::words::crossover_band(o)),
        Cell::new(status),
    ]
}
