//! A [`Diff`] as Markdown fit for a pull-request comment: a headline, the
//! picks that changed, the costs that moved, the profile fields that changed
//! and the vendors that went stale. A pure function of the diff; money and
//! shares go through `crate::format` like every other output.

use serde_json::Value;

use super::escape::{code, text};
use super::{Diff, OptionSummary, Picked, ProfileKind, ProfileRef};
use crate::format::{count, percent, usd};

/// Longest value shown in a table cell, in characters; the JSON output
/// carries the whole value.
const MAX_VALUE_CHARS: usize = 100;

/// The diff as Markdown; one line when nothing changed.
pub(crate) fn render(diff: &Diff) -> String {
    if diff.is_empty() {
        return format!(
            "infercost diff: no change in picks, costs or profiles between {} and {} (report date {}).\n",
            code(&diff.base), code(&diff.head), diff.as_of
        );
    }
    let mut out = format!("### infercost diff: {}\n\n", headline(diff));
    out.push_str(&format!(
        "Base {}, head {}, both priced on the report date {}. \
         The picks of the {} workloads cost **{} → {} a month**, {}.\n",
        code(&diff.base),
        code(&diff.head),
        diff.as_of,
        diff.totals.workloads,
        usd(diff.totals.before_usd_per_month),
        usd(diff.totals.after_usd_per_month),
        total_change(diff),
    ));
    undated_prices(diff, &mut out);
    picks(diff, &mut out);
    super::decision_markdown::render(diff, &mut out);
    options(diff, &mut out);
    added_and_removed_options(diff, &mut out);
    profiles(diff, &mut out);
    staleness(diff, &mut out);
    out
}

/// Why a diff could not be made (invalid profiles, an unknown revision),
/// as a comment: the message in a fence no line of it can close.
pub(crate) fn render_error(message: &str) -> String {
    format!(
        "### infercost diff failed\n\nThe profiles could not be priced; fix these and push again:\n\n{}",
        super::escape::fence("text", message)
    )
}

fn headline(diff: &Diff) -> String {
    let mut parts = vec![match diff.picks.len() {
        0 => "no pick changed".to_string(),
        1 => "1 pick changed".to_string(),
        n => format!("{n} picks changed"),
    }];
    let mut add = |n: usize, one: &str, many: &str| match n {
        0 => {}
        1 => parts.push(format!("1 {one}")),
        n => parts.push(format!("{n} {many}")),
    };
    add(diff.options.len(), "cost moved", "costs moved");
    add(diff.fields.len(), "field changed", "fields changed");
    for kind in [ProfileKind::Vendor, ProfileKind::Workload] {
        let (one, many) = match kind {
            ProfileKind::Vendor => ("vendor", "vendors"),
            ProfileKind::Workload => ("workload", "workloads"),
        };
        for (list, what) in [
            (&diff.profiles_added, "added"),
            (&diff.profiles_removed, "removed"),
        ] {
            let n = list.iter().filter(|p| p.kind == kind).count();
            add(n, &format!("{one} {what}"), &format!("{many} {what}"));
        }
    }
    add(
        diff.went_stale.len(),
        "vendor went stale",
        "vendors went stale",
    );
    parts.extend(super::decision_markdown::headline_parts(diff));
    parts.join(", ")
}

/// A warning for each vendor whose prices changed under the same `as_of`.
fn undated_prices(diff: &Diff, out: &mut String) {
    for u in &diff.undated_prices {
        let fields = match u.paths.as_slice() {
            [one] => code(one),
            many => format!("{} price fields", many.len()),
        };
        out.push_str(&format!(
            "\n> **Warning:** vendor {} changes {fields} but keeps its `as_of`: the report ages the new prices from the old date. Set `as_of` to the day they were read.\n",
            code(&u.vendor),
        ));
    }
}

fn picks(diff: &Diff, out: &mut String) {
    if diff.picks.is_empty() {
        return;
    }
    out.push_str(
        "\n#### Picks that changed\n\n| workload | before | after |\n| --- | --- | --- |\n",
    );
    let listed = |list: &[ProfileRef], id: &str| {
        list.iter()
            .any(|r| r.kind == ProfileKind::Workload && r.id == id)
    };
    for p in &diff.picks {
        let added = listed(&diff.profiles_added, &p.workload);
        let removed = listed(&diff.profiles_removed, &p.workload);
        out.push_str(&row(&[
            text(&p.workload),
            pick_cell(p.before.as_ref(), added.then_some("— (new workload)")),
            pick_cell(p.after.as_ref(), removed.then_some("— (workload removed)")),
        ]));
    }
}

fn pick_cell(p: Option<&Picked>, absent: Option<&str>) -> String {
    match (p, absent) {
        (_, Some(why)) => why.to_string(),
        (Some(p), None) => format!("{}, {}/month", text(&p.label), usd(p.usd_per_month)),
        (None, None) => "no eligible option".to_string(),
    }
}

fn options(diff: &Diff, out: &mut String) {
    if diff.options.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\n#### Costs that moved by more than {}%\n\n\
         | workload | option | before | after | change |\n| --- | --- | ---: | ---: | ---: |\n",
        crate::format::sig9(diff.min_change_share * 100.0)
    ));
    for o in &diff.options {
        let mut label = text(&o.label);
        match (o.eligible_before, o.eligible_after) {
            (true, false) => label.push_str(" (now excluded)"),
            (false, true) => label.push_str(" (now eligible)"),
            _ => {}
        }
        out.push_str(&row(&[
            text(&o.workload),
            label,
            usd(o.before_usd_per_month),
            usd(o.after_usd_per_month),
            if o.cost_moved {
                change(o.change_usd_per_month, o.change_share)
            } else {
                "eligibility only".to_string()
            },
        ]));
    }
}

fn added_and_removed_options(diff: &Diff, out: &mut String) {
    let (added, removed) = (&diff.options_added, &diff.options_removed);
    if added.is_empty() && removed.is_empty() {
        return;
    }
    let plural = |n: usize| if n == 1 { "option" } else { "options" };
    let mut summary = Vec::new();
    if !added.is_empty() {
        summary.push(format!("{} {} added", added.len(), plural(added.len())));
    }
    if !removed.is_empty() {
        summary.push(format!(
            "{} {} removed",
            removed.len(),
            plural(removed.len())
        ));
    }
    out.push_str(&format!(
        "\n<details><summary>{}</summary>\n\n\
         | workload | option | $/month | status |\n| --- | --- | ---: | --- |\n",
        summary.join(", ")
    ));
    let mut line = |o: &OptionSummary, what: &str| {
        let status = if o.eligible {
            what.to_string()
        } else {
            format!("{what}, excluded")
        };
        out.push_str(&row(&[
            text(&o.workload),
            text(&o.label),
            usd(o.usd_per_month),
            status,
        ]));
    };
    for o in added {
        line(o, "added");
    }
    for o in removed {
        line(o, "removed");
    }
    out.push_str("\n</details>\n");
}

fn profiles(diff: &Diff, out: &mut String) {
    if diff.fields.is_empty() && diff.profiles_added.is_empty() && diff.profiles_removed.is_empty()
    {
        return;
    }
    out.push_str("\n#### Profile changes\n\n");
    for (list, what) in [
        (&diff.profiles_added, "Added"),
        (&diff.profiles_removed, "Removed"),
    ] {
        for p in list.iter() {
            out.push_str(&format!(
                "- {what}: {} {} ({})\n",
                p.kind.as_str(),
                code(&p.id),
                text(&p.name)
            ));
        }
    }
    if diff.fields.is_empty() {
        return;
    }
    if !diff.profiles_added.is_empty() || !diff.profiles_removed.is_empty() {
        out.push('\n');
    }
    out.push_str("| profile | field | old | new | change |\n| --- | --- | --- | --- | ---: |\n");
    for f in &diff.fields {
        out.push_str(&row(&[
            format!("{} {}", f.kind.as_str(), code(&f.id)),
            code(&f.path),
            cell_value(f.old.as_ref()),
            cell_value(f.new.as_ref()),
            f.change_share.map(signed_percent).unwrap_or_default(),
        ]));
    }
}

fn staleness(diff: &Diff, out: &mut String) {
    if diff.went_stale.is_empty() && diff.no_longer_stale.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\n#### Staleness (prices read more than {} days before the report date)\n\n",
        diff.max_age_days
    ));
    for s in &diff.went_stale {
        out.push_str(&format!(
            "- Went stale: {}, prices as of {} ({} days old)\n",
            code(&s.vendor),
            s.as_of,
            s.age_days
        ));
    }
    for s in &diff.no_longer_stale {
        out.push_str(&format!(
            "- No longer stale: {} (was as of {})\n",
            code(&s.vendor),
            s.as_of
        ));
    }
}

/// `$472 more (+4.2%)`.
fn total_change(diff: &Diff) -> String {
    let (before, after) = (
        diff.totals.before_usd_per_month,
        diff.totals.after_usd_per_month,
    );
    change(
        after - before,
        (before != 0.0).then(|| (after - before) / before),
    )
}

/// `$1,234 more (+12%)`, `$50.00 less (-1.5%)`, `$300 more (from $0)`.
/// In words rather than `+$1,234`: GitHub reads a `$` right after another
/// character as the end of a math formula opened by an earlier `$`.
fn change(amount: f64, share: Option<f64>) -> String {
    let money = more_or_less(amount);
    match share {
        Some(s) => format!("{money} ({})", signed_percent(s)),
        None if amount == 0.0 => money,
        None => format!("{money} (from $0)"),
    }
}

fn more_or_less(amount: f64) -> String {
    if amount > 0.0 {
        format!("{} more", usd(amount))
    } else if amount < 0.0 {
        format!("{} less", usd(-amount))
    } else {
        "no change".to_string()
    }
}

fn signed_percent(s: f64) -> String {
    if s > 0.0 {
        format!("+{}", percent(s))
    } else {
        percent(s)
    }
}

/// A profile value as written: numbers as in YAML (whole ones grouped),
/// lists and maps inline without their empty or default members.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => count(x),
            Some(x) => x.to_string(),
            None => n.to_string(),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(show).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) => {
            let members: Vec<String> = map
                .iter()
                .filter(|(_, v)| !is_default(v))
                .map(|(k, v)| format!("{k}: {}", show(v)))
                .collect();
            format!("{{{}}}", members.join(", "))
        }
    }
}

fn is_default(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn cell_value(v: Option<&Value>) -> String {
    let Some(v) = v else {
        return "—".to_string();
    };
    let mut shown = show(v);
    if shown.chars().count() > MAX_VALUE_CHARS {
        shown = shown.chars().take(MAX_VALUE_CHARS - 1).collect::<String>() + "…";
    }
    code(&shown)
}

/// One table row of cells already escaped ([`text`], [`code`]: neither
/// leaves a raw pipe or line break).
fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_written() {
        assert_eq!(show(&json!(0.88)), "0.88");
        assert_eq!(show(&json!(150000.0)), "150,000");
        assert_eq!(
            show(&json!({"model": "m", "tier": null, "lora": false, "p": 1.5})),
            "{model: m, p: 1.5}"
        );
        assert_eq!(cell_value(None), "—");
    }

    #[test]
    fn changes_say_more_or_less() {
        assert_eq!(change(1500.0, Some(0.125)), "$1,500 more (+13%)");
        assert_eq!(change(-50.0, Some(-0.015)), "$50.00 less (-1.5%)");
        assert_eq!(change(300.0, None), "$300 more (from $0)");
    }

    #[test]
    fn pipes_do_not_break_a_table() {
        assert_eq!(
            row(&[text("a|b"), code("c\nd|")]),
            "| a\\|b | `c\u{FFFD}d\\|` |\n"
        );
    }
}
