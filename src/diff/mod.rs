//! Review a change: two sets of profiles (a base and a head) priced on the
//! same report date, and what changed between them: picks, costs that moved
//! by more than 1%, options and profiles added or removed, profile fields,
//! vendors that went stale. Pure: profiles in, a [`Diff`] out; rendering is
//! in [`markdown`] (and JSON via `report::json::to_json`). Reading a git
//! revision, the only I/O here, is in [`git`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::contract::{OptionKey, PricedOption, Report, StaleVendor, WorkloadResult};
use crate::engine::{self, Settings};
use crate::profile::Profiles;

pub(crate) mod cut;
pub(crate) mod decision;
mod decision_markdown;
pub(crate) mod escape;
mod fields;
pub(crate) mod git;
pub(crate) mod markdown;
mod undated;

pub(crate) use decision::{BudgetChange, LifecycleFlag, PickCost, ThresholdMove};
pub(crate) use fields::{FieldChange, ProfileKind, ProfileRef};
pub(crate) use undated::UndatedPrices;

/// By default an option's $/month, or a threshold, must move by more than
/// this share to be listed (`--min-change-pct`).
pub(crate) const DEFAULT_MIN_CHANGE: f64 = 0.01;

/// One side of a diff: where its profiles came from, and the profiles.
#[derive(Debug, Clone)]
pub(crate) struct Side {
    /// How the side is named in the output (`origin/main`, a folder).
    pub label: String,
    /// Its profiles, validated.
    pub profiles: Profiles,
}

/// Everything that changed from base to head.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Diff {
    /// How the base is named.
    pub base: String,
    /// How the head is named.
    pub head: String,
    /// The report date both sides were priced on.
    pub as_of: NaiveDate,
    /// The staleness limit in days.
    pub max_age_days: i64,
    /// Costs and thresholds that moved by at most this share are not listed.
    pub min_change_share: f64,
    /// What the picks cost a month, all workloads, on each side.
    pub totals: Totals,
    /// Workloads whose primary platform changed.
    pub picks: Vec<PickChange>,
    /// Options whose $/month moved by more than `min_change_share`, or
    /// whose eligibility changed; largest absolute change first.
    pub options: Vec<OptionChange>,
    /// Options only the head has (of workloads both sides have).
    pub options_added: Vec<OptionSummary>,
    /// Options only the base has (of workloads both sides have).
    pub options_removed: Vec<OptionSummary>,
    /// Vendors and workloads only the head has.
    pub profiles_added: Vec<ProfileRef>,
    /// Vendors and workloads only the base has.
    pub profiles_removed: Vec<ProfileRef>,
    /// Fields that changed in profiles both sides have.
    pub fields: Vec<FieldChange>,
    /// Vendors whose prices changed while their `as_of` did not: the
    /// report would age the new prices from the old date.
    pub undated_prices: Vec<UndatedPrices>,
    /// Vendors stale in the head that were not stale in the base.
    pub went_stale: Vec<StaleVendor>,
    /// Vendors stale in the base that are not stale in the head.
    pub no_longer_stale: Vec<StaleVendor>,
    /// Crossover utilizations and break-even volumes that moved.
    pub thresholds: Vec<ThresholdMove>,
    /// Budgets the picks newly breach or clear.
    pub budgets: Vec<BudgetChange>,
    /// Retirement or deprecation warnings new in the head.
    pub lifecycle: Vec<LifecycleFlag>,
    /// What each workload of both sides picks for, $ a month (the CI gates).
    pub pick_costs: Vec<PickCost>,
}

impl Diff {
    /// Nothing changed: no pick, cost, option, profile or staleness.
    pub(crate) fn is_empty(&self) -> bool {
        self.picks.is_empty()
            && self.options.is_empty()
            && self.options_added.is_empty()
            && self.options_removed.is_empty()
            && self.profiles_added.is_empty()
            && self.profiles_removed.is_empty()
            && self.fields.is_empty()
            && self.went_stale.is_empty()
            && self.no_longer_stale.is_empty()
            && self.thresholds.is_empty()
            && self.budgets.is_empty()
            && self.lifecycle.is_empty()
    }
}

/// What the primary picks cost a month, summed over every workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Totals {
    /// Workloads in the head.
    pub workloads: usize,
    /// Base: $ a month.
    pub before_usd_per_month: f64,
    /// Head: $ a month.
    pub after_usd_per_month: f64,
}

/// A picked option, as shown in a pick change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Picked {
    /// Which option.
    pub option: OptionKey,
    /// Its short label (`gpus dedicated 2×h100-80gb`).
    pub label: String,
    /// $ a month.
    pub usd_per_month: f64,
}

/// A workload whose primary platform changed (or that was added or removed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PickChange {
    /// Workload id.
    pub workload: String,
    /// The base's pick; null when the base has none.
    pub before: Option<Picked>,
    /// The head's pick; null when the head has none.
    pub after: Option<Picked>,
}

/// An option priced on both sides whose cost or eligibility changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct OptionChange {
    /// Workload id.
    pub workload: String,
    /// Which option.
    pub option: OptionKey,
    /// Its short label.
    pub label: String,
    /// Base: $ a month.
    pub before_usd_per_month: f64,
    /// Head: $ a month.
    pub after_usd_per_month: f64,
    /// Head minus base, $ a month.
    pub change_usd_per_month: f64,
    /// The change as a share of the base's cost (null when that is 0).
    pub change_share: Option<f64>,
    /// Eligible in the base.
    pub eligible_before: bool,
    /// Eligible in the head.
    pub eligible_after: bool,
    /// The cost moved by more than the diff's `min_change_share` (false:
    /// only the eligibility changed).
    pub cost_moved: bool,
}

/// An option that only one side has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct OptionSummary {
    /// Workload id.
    pub workload: String,
    /// Which option.
    pub option: OptionKey,
    /// Its short label.
    pub label: String,
    /// $ a month.
    pub usd_per_month: f64,
    /// Meets every requirement.
    pub eligible: bool,
}

/// Prices both sides on the same report date `as_of` (the command's: today
/// unless `--as-of`, the rule `report` follows, so that the two agree) and
/// compares them. Staleness is judged on that date on both sides, so a
/// vendor "went stale" when the change made it so (an older `as_of`, or a
/// vendor added with old prices).
/// Costs and thresholds move when they change by more than `min_change`.
pub(crate) fn compare(
    base: &Side,
    head: &Side,
    as_of: NaiveDate,
    max_age_days: i64,
    min_change: f64,
) -> Diff {
    let date = as_of;
    let priced = |side: &Side| {
        let settings = Settings {
            as_of: Some(date),
            max_age_days,
            profiles: side.label.clone(),
            allow_unverified: false,
        };
        engine::run(&side.profiles, &settings)
    };
    let (before, after) = (priced(base), priced(head));
    let stale_before = engine::stale_vendors(&base.profiles.vendors, date, max_age_days);
    let stale_after = &after.stale_vendors;
    let (profiles_added, profiles_removed, fields) =
        fields::profile_changes(&base.profiles, &head.profiles);
    let undated_prices = undated::undated_price_changes(&fields);
    let (options, options_added, options_removed) = option_changes(&before, &after, min_change);
    let pick_costs = decision::pick_costs(&before, &after);
    Diff {
        base: base.label.clone(),
        head: head.label.clone(),
        as_of: after.as_of,
        max_age_days,
        min_change_share: min_change,
        totals: Totals {
            workloads: after.workloads.len(),
            before_usd_per_month: picks_total(&before),
            after_usd_per_month: picks_total(&after),
        },
        picks: pick_changes(&before, &after),
        options,
        options_added,
        options_removed,
        profiles_added,
        profiles_removed,
        fields,
        undated_prices,
        went_stale: only_in(stale_after, &stale_before),
        no_longer_stale: only_in(&stale_before, stale_after),
        thresholds: decision::thresholds(&before, &after, min_change),
        budgets: decision::budgets(&before, &after, &head.profiles),
        lifecycle: decision::lifecycle(&before, &after),
        pick_costs,
    }
}

fn only_in(these: &[StaleVendor], not_in: &[StaleVendor]) -> Vec<StaleVendor> {
    these
        .iter()
        .filter(|s| !not_in.iter().any(|o| o.vendor == s.vendor))
        .cloned()
        .collect()
}

fn picks_total(report: &Report) -> f64 {
    report
        .workloads
        .iter()
        .filter_map(WorkloadResult::primary)
        .map(|o| o.usd_per_month)
        .sum()
}

fn picked(w: Option<&WorkloadResult>) -> Option<Picked> {
    w?.primary().map(|o| Picked {
        option: o.key(),
        label: o.label(),
        usd_per_month: o.usd_per_month,
    })
}

/// The base's and the head's items paired by key, in key order: (base,
/// head), `None` on the side that lacks the key.
fn pair_by_key<K: Ord, T>(
    base: impl IntoIterator<Item = (K, T)>,
    head: impl IntoIterator<Item = (K, T)>,
) -> BTreeMap<K, (Option<T>, Option<T>)> {
    let mut all = BTreeMap::new();
    for (key, item) in base {
        all.entry(key).or_insert((None, None)).0 = Some(item);
    }
    for (key, item) in head {
        all.entry(key).or_insert((None, None)).1 = Some(item);
    }
    all
}

/// Workloads of either side, by id: (base, head).
fn workloads<'a>(
    before: &'a Report,
    after: &'a Report,
) -> BTreeMap<&'a str, (Option<&'a WorkloadResult>, Option<&'a WorkloadResult>)> {
    let by_id = |r: &'a Report| r.workloads.iter().map(|w| (w.workload.as_str(), w));
    pair_by_key(by_id(before), by_id(after))
}

fn pick_changes(before: &Report, after: &Report) -> Vec<PickChange> {
    workloads(before, after)
        .into_iter()
        .filter_map(|(id, (b, a))| {
            let (before, after) = (picked(b), picked(a));
            let same = before.as_ref().map(|p| &p.option) == after.as_ref().map(|p| &p.option);
            (!same || b.is_none() != a.is_none()).then(|| PickChange {
                workload: id.to_string(),
                before,
                after,
            })
        })
        .collect()
}

/// Options of one workload by key.
fn by_identity(w: &WorkloadResult) -> Vec<(OptionKey, &PricedOption)> {
    w.options.iter().map(|o| (o.key(), o)).collect()
}

type OptionChanges = (Vec<OptionChange>, Vec<OptionSummary>, Vec<OptionSummary>);

fn option_changes(before: &Report, after: &Report, min_change: f64) -> OptionChanges {
    let (mut moved, mut added, mut removed) = (Vec::new(), Vec::new(), Vec::new());
    for (id, sides) in workloads(before, after) {
        let (Some(b), Some(a)) = sides else { continue };
        let (old, new) = (by_identity(b), by_identity(a));
        for (key, o) in &old {
            match new.iter().find(|(k, _)| k == key) {
                Some((_, n)) => moved.extend(moved_option(id, o, n, min_change)),
                None => removed.push(summary(id, o)),
            }
        }
        for (key, n) in &new {
            if !old.iter().any(|(k, _)| k == key) {
                added.push(summary(id, n));
            }
        }
    }
    moved.sort_by(|x, y| {
        y.change_usd_per_month
            .abs()
            .total_cmp(&x.change_usd_per_month.abs())
            .then_with(|| x.workload.cmp(&y.workload))
            .then_with(|| x.label.cmp(&y.label))
    });
    (moved, added, removed)
}

fn moved_option(
    workload: &str,
    old: &PricedOption,
    new: &PricedOption,
    min_change: f64,
) -> Option<OptionChange> {
    let change = new.usd_per_month - old.usd_per_month;
    let share = (old.usd_per_month != 0.0).then(|| change / old.usd_per_month);
    let moved = decision::moved(Some(old.usd_per_month), Some(new.usd_per_month), min_change);
    (moved || old.eligible() != new.eligible()).then(|| OptionChange {
        cost_moved: moved,
        workload: workload.to_string(),
        option: new.key(),
        label: new.label(),
        before_usd_per_month: old.usd_per_month,
        after_usd_per_month: new.usd_per_month,
        change_usd_per_month: crate::format::sig9(change),
        change_share: share.map(crate::format::sig9),
        eligible_before: old.eligible(),
        eligible_after: new.eligible(),
    })
}

fn summary(workload: &str, o: &PricedOption) -> OptionSummary {
    OptionSummary {
        workload: workload.to_string(),
        option: o.key(),
        label: o.label(),
        usd_per_month: o.usd_per_month,
        eligible: o.eligible(),
    }
}
