//! `infercost diff`: price a base and a head (folders or git revisions) on
//! the same report date and print what changed, as Markdown or JSON, with an
//! optional exit status for CI when a pick changed.

use std::path::Path;

use super::profiles::load;
use super::{DiffArgs, DiffFormat, Error, Output, ProfileArgs};
use crate::profile;
use crate::report;

/// One side of a diff: a folder holding `vendors/` and `workloads/`, a git
/// revision, or (none given) the same profiles `report` would read.
fn diff_side(spec: Option<&str>) -> Result<crate::diff::Side, Error> {
    let (profiles, label) = match spec {
        None => {
            let (profiles, source) = load(&ProfileArgs {
                vendors: None,
                workloads: None,
            })?;
            (profiles, source.description)
        }
        Some(dir) if Path::new(dir).is_dir() => {
            let dir = Path::new(dir);
            let (profiles, _) = load(&ProfileArgs {
                vendors: Some(dir.join("vendors")),
                workloads: Some(dir.join("workloads")),
            })?;
            (profiles, dir.display().to_string())
        }
        Some(rev) => {
            let (vendors, workloads) = crate::diff::git::read_revision(rev)?;
            (profile::load(&vendors, &workloads)?, rev.to_string())
        }
    };
    Ok(crate::diff::Side { label, profiles })
}

/// `infercost diff`: the changes from base to head, and the CI gate.
pub(super) fn diff_command(args: &DiffArgs) -> Result<Output, Error> {
    let base = diff_side(Some(&args.base))?;
    let head = diff_side(args.head.as_deref())?;
    let as_of = args.date.as_of.map(super::dates::AsOf::date);
    let diff = crate::diff::compare(&base, &head, as_of, args.date.max_age_days);
    let stdout = match args.format {
        DiffFormat::Markdown => crate::diff::markdown::render(&diff),
        DiffFormat::Json => String::from_utf8_lossy(&report::json::to_json(&diff)).into_owned(),
    };
    let gate = args.fail_on_pick_change && !diff.picks.is_empty();
    Ok(Output {
        stdout,
        stderr: if gate {
            let changed: Vec<&str> = diff.picks.iter().map(|p| p.workload.as_str()).collect();
            format!(
                "infercost diff: the pick changed for {} (--fail-on-pick-change)\n",
                changed.join(", ")
            )
        } else {
            String::new()
        },
        exit_code: i32::from(gate),
    })
}
