//! `infercost diff`: price a base and a head (folders or git revisions) on
//! the same report date and print what changed, as Markdown or JSON, with an
//! optional exit status for CI when a pick changed.

use std::path::Path;

use super::profiles::load;
use super::{DiffArgs, DiffFormat, Error, Output, ProfileArgs};
use crate::profile;
use crate::report;

/// Which profiles one side of a diff reads.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SideSpec {
    /// The profiles `report` would read.
    Default,
    /// A folder holding `vendors/` and `workloads/`.
    Dir(String),
    /// A git revision.
    Rev(String),
}

/// The side named by `--base`/`--base-rev`/`--base-dir` (or the head's
/// three): the explicit forms as given; a `rev:` or `dir:` prefix as it
/// says; a bare name that is both a folder and a revision is refused, so
/// that a folder a pull request adds (`origin/main/vendors/`) can never
/// stand in for the revision it is named after.
fn side_spec(
    flag: &str,
    bare: Option<&str>,
    rev: Option<&str>,
    dir: Option<&str>,
) -> Result<SideSpec, Error> {
    if let Some(rev) = rev {
        return Ok(SideSpec::Rev(rev.to_string()));
    }
    if let Some(dir) = dir {
        return Ok(SideSpec::Dir(dir.to_string()));
    }
    let Some(bare) = bare else {
        return Ok(SideSpec::Default);
    };
    if let Some(rev) = bare.strip_prefix("rev:") {
        return Ok(SideSpec::Rev(rev.to_string()));
    }
    if let Some(dir) = bare.strip_prefix("dir:") {
        return Ok(SideSpec::Dir(dir.to_string()));
    }
    let is_dir = Path::new(bare).is_dir();
    match (is_dir, crate::diff::git::is_revision(bare)) {
        (true, true) => Err(Error::Usage(format!(
            "ambiguous: `{bare}` is both a folder and a revision; say `--{flag}-rev {bare}` \
             (or `rev:{bare}`) for the revision, `--{flag}-dir {bare}` (or `dir:{bare}`) for the folder"
        ))),
        (true, false) => Ok(SideSpec::Dir(bare.to_string())),
        (false, _) => Ok(SideSpec::Rev(bare.to_string())),
    }
}

/// One side of a diff, read and validated.
fn diff_side(spec: SideSpec) -> Result<crate::diff::Side, Error> {
    let (profiles, label) = match spec {
        SideSpec::Default => {
            let (profiles, source) = load(&ProfileArgs {
                vendors: None,
                workloads: None,
                config: None,
            })?;
            (profiles, source.description)
        }
        SideSpec::Dir(dir) => {
            let path = Path::new(&dir);
            if !path.is_dir() {
                return Err(Error::Usage(format!(
                    "{dir} is not a folder; expected a folder holding vendors/ and workloads/"
                )));
            }
            for sub in ["vendors", "workloads"] {
                let link = std::fs::symlink_metadata(path.join(sub))
                    .is_ok_and(|m| m.file_type().is_symlink());
                if link {
                    return Err(Error::Usage(format!(
                        "{dir}/{sub} is a link; a side's profile folders must be folders in it, \
                         not links to folders elsewhere"
                    )));
                }
            }
            let (profiles, _) = load(&ProfileArgs {
                vendors: Some(path.join("vendors")),
                workloads: Some(path.join("workloads")),
                config: None,
            })?;
            (profiles, dir)
        }
        SideSpec::Rev(rev) => {
            let (vendors, workloads) = crate::diff::git::read_revision(&rev)?;
            (profile::load(&vendors, &workloads)?, rev)
        }
    };
    Ok(crate::diff::Side { label, profiles })
}

/// The Markdown, cut to `--max-bytes` when given.
fn cut(args: &DiffArgs, markdown: String) -> String {
    match args.max_bytes {
        Some(max) => crate::diff::cut::cut(&markdown, max, &args.cut_note),
        None => markdown,
    }
}

/// `infercost diff`: the changes from base to head, and the CI gate.
pub(super) fn diff_command(args: &DiffArgs) -> Result<Output, Error> {
    check_numbers(args)?;
    let base = side_spec(
        "base",
        args.base.as_deref(),
        args.base_rev.as_deref(),
        args.base_dir.as_deref(),
    )?;
    let head = side_spec(
        "head",
        args.head.as_deref(),
        args.head_rev.as_deref(),
        args.head_dir.as_deref(),
    )?;
    let sides = diff_side(base).and_then(|base| Ok((base, diff_side(head)?)));
    let sides = sides.and_then(|(mut base, mut head)| {
        let sides = &mut [&mut base.profiles.vendors, &mut head.profiles.vendors];
        let left_out = super::shortlist::left_out_note(&args.vendor_filter.apply(sides)?);
        Ok((base, head, left_out))
    });
    let (base, head, left_out) = match sides {
        Ok(sides) => sides,
        // The comment shows why the profiles could not be priced, as inert
        // text; the error still exits 2.
        Err(e) if args.format == DiffFormat::Markdown => {
            return Ok(Output {
                stdout: cut(args, crate::diff::markdown::render_error(&e.to_string())),
                stderr: format!("error: {e}\n"),
                exit_code: e.exit_code(),
            })
        }
        Err(e) => return Err(e),
    };
    let diff = crate::diff::compare(
        &base,
        &head,
        // One rule with `report`: today (UTC) unless --as-of says otherwise.
        args.date
            .as_of
            .map_or_else(super::dates::today, super::dates::AsOf::date),
        args.date.max_age(),
        args.min_change_pct / 100.0,
    );
    let stdout = match args.format {
        DiffFormat::Markdown => cut(args, crate::diff::markdown::render(&diff)),
        DiffFormat::Json => String::from_utf8_lossy(&report::json::to_json(&diff)).into_owned(),
    };
    let tripped = gates(args, &diff);
    Ok(Output {
        stdout,
        exit_code: i32::from(!tripped.is_empty()),
        stderr: left_out + &tripped,
    })
}

/// Refuses a negative or non-finite percentage or amount.
fn check_numbers(args: &DiffArgs) -> Result<(), Error> {
    let numbers = [
        ("--min-change-pct", Some(args.min_change_pct)),
        ("--fail-on-cost-increase", args.fail_on_cost_increase),
        (
            "--fail-on-cost-increase-usd",
            args.fail_on_cost_increase_usd,
        ),
    ];
    for (flag, value) in numbers {
        if let Some(v) = value.filter(|v| !v.is_finite() || *v < 0.0) {
            return Err(Error::Usage(format!("{flag} {v}: expected a number >= 0")));
        }
    }
    Ok(())
}

/// The CI gates that tripped, one line each (empty: all passed).
fn gates(args: &DiffArgs, diff: &crate::diff::Diff) -> String {
    let mut out = String::new();
    if args.fail_on_pick_change && !diff.picks.is_empty() {
        let changed: Vec<&str> = diff.picks.iter().map(|p| p.workload.as_str()).collect();
        out.push_str(&format!(
            "infercost diff: the pick changed for {} (--fail-on-pick-change)\n",
            changed.join(", ")
        ));
    }
    let (pct, usd) = (args.fail_on_cost_increase, args.fail_on_cost_increase_usd);
    let risen = crate::diff::decision::cost_increases(&diff.pick_costs, pct, usd);
    if !risen.is_empty() {
        let mut limits = Vec::new();
        if let Some(p) = pct {
            limits.push(format!("--fail-on-cost-increase {p}"));
        }
        if let Some(u) = usd {
            limits.push(format!("--fail-on-cost-increase-usd {u}"));
        }
        out.push_str(&format!(
            "infercost diff: the pick costs more for {} ({})\n",
            risen.join(", "),
            limits.join(", ")
        ));
    }
    let breached: Vec<&str> = diff
        .budgets
        .iter()
        .filter(|b| b.breached)
        .map(|b| b.workload.as_str())
        .collect();
    if args.fail_on_budget_breach && !breached.is_empty() {
        out.push_str(&format!(
            "infercost diff: the pick newly goes over budget for {} (--fail-on-budget-breach)\n",
            breached.join(", ")
        ));
    }
    out
}
