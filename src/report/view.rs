//! View structs: what the Markdown and HTML templates show, with every
//! number already written by `crate::format`, so that the templates only lay
//! text out and every report writes money, shares and counts the same way.

use chrono::NaiveDate;
use serde::Serialize;

use super::advice::{self, Recommendation};
use super::method::{self, MethodBlock};
use super::subject::Subject;
use crate::contract::{OfferKind, PricedOption, Report, WorkloadResult};
use crate::format::{count, percent, usd};
use crate::profile::{Billing, Profiles, Scaling, Shape, Vendor, Workload};

/// A label and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// What.
    pub label: String,
    /// Its value, formatted.
    pub value: String,
}

fn fact(label: &str, value: impl Into<String>) -> Fact {
    Fact {
        label: label.to_string(),
        value: value.into(),
    }
}

/// How fresh one vendor's prices are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Freshness {
    /// Vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Its `as_of`.
    pub as_of: String,
    /// Days before the report date.
    pub age_days: String,
    /// Older than the staleness limit.
    pub stale: bool,
}

/// One row of `index.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexRow {
    /// Workload id (the folder of its report).
    pub id: String,
    /// Workload name.
    pub name: String,
    /// The primary option's label, or a dash.
    pub pick: String,
    /// Its $/month.
    pub pick_month: String,
    /// The runner-up's label, or a dash.
    pub runner_up: String,
    /// Its $/month.
    pub runner_up_month: String,
    /// Why the pick, in one line.
    pub why: String,
}

/// `index.md` and `index.html`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexView {
    /// The report date.
    pub as_of: String,
    /// Which profiles were used.
    pub profiles: String,
    /// One row per workload.
    pub workloads: Vec<IndexRow>,
    /// Every vendor's price date.
    pub freshness: Vec<Freshness>,
    /// Some vendor is stale.
    pub any_stale: bool,
}

/// One row of the options table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionRow {
    /// `pick`, `runner-up` or empty.
    pub role: String,
    /// Vendor id.
    pub vendor: String,
    /// Offer kind, with its tier.
    pub offer: String,
    /// Model id.
    pub model: String,
    /// `2×h100-80gb`, or empty.
    pub gpu: String,
    /// How it is billed.
    pub billing: String,
    /// $/day.
    pub usd_day: String,
    /// $/month.
    pub usd_month: String,
    /// $/M tokens.
    pub usd_mtok: String,
    /// $/1k requests or $/episode.
    pub per_unit: String,
    /// Utilization.
    pub utilization: String,
    /// Crossover utilization.
    pub crossover: String,
    /// Flags, or `excluded`.
    pub flags: String,
    /// Excluded.
    pub excluded: bool,
}

/// One training option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingRow {
    /// Vendor id.
    pub vendor: String,
    /// Tier, or empty.
    pub tier: String,
    /// $/day.
    pub usd_day: String,
    /// $/month.
    pub usd_month: String,
    /// Whether the vendor also serves the model.
    pub serves: String,
}

/// An excluded option and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// The option's label.
    pub label: String,
    /// Its $/month.
    pub usd_month: String,
    /// The reasons, joined.
    pub reasons: String,
}

/// A chart of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChartView {
    /// File name beside the report (`cost-by-option.svg`).
    pub file: String,
    /// Short heading.
    pub heading: String,
    /// Title, with the workload's name.
    pub title: String,
    /// What it shows and how to read it.
    pub caption: String,
}

/// A price change of a vendor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// When.
    pub date: String,
    /// What.
    pub change: String,
    /// Where it is reported.
    pub source: Option<Link>,
}

/// A URL from a profile: shown as text, and a link only when it is a web URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The URL as written.
    pub text: String,
    /// The URL to link to, made safe for a Markdown link; empty when the URL
    /// is not http(s) and must not be clickable.
    pub href: String,
}

impl Link {
    /// A link to `url`.
    pub fn new(url: &str) -> Link {
        let web = url.starts_with("https://") || url.starts_with("http://");
        let href = if web {
            url.chars()
                .map(|c| match c {
                    ' ' => "%20".to_string(),
                    '(' => "%28".to_string(),
                    ')' => "%29".to_string(),
                    '<' => "%3C".to_string(),
                    '>' => "%3E".to_string(),
                    '"' => "%22".to_string(),
                    '`' => "%60".to_string(),
                    c if c.is_whitespace() || c.is_control() => String::new(),
                    c => c.to_string(),
                })
                .collect()
        } else {
            String::new()
        };
        Link {
            text: url.to_string(),
            href,
        }
    }
}

/// A vendor's sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Its `as_of`, with its age.
    pub freshness: Freshness,
    /// Source URLs.
    pub urls: Vec<Link>,
    /// Price history.
    pub changes: Vec<Change>,
}

/// `<workload>/report.md` and `report.html`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadView {
    /// Workload id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Model id.
    pub model: String,
    /// Who runs it and why these numbers.
    pub description: String,
    /// The report date.
    pub as_of: String,
    /// Which profiles were used.
    pub profiles: String,
    /// Section 1.
    pub recommendation: Recommendation,
    /// Section 2: the workload's figures.
    pub summary: Vec<Fact>,
    /// Section 2: freshness of the vendors that offer the model.
    pub freshness: Vec<Freshness>,
    /// Some of them are stale.
    pub any_stale: bool,
    /// Header of the per-unit column.
    pub per_unit_header: String,
    /// Section 3: serving options, by $/month.
    pub options: Vec<OptionRow>,
    /// Section 3: training options.
    pub training: Vec<TrainingRow>,
    /// Section 4.
    pub charts: Vec<ChartView>,
    /// Section 5.
    pub excluded: Vec<Excluded>,
    /// Section 5: vendors without the model.
    pub unserved: Vec<Fact>,
    /// Section 6: formulas with this workload's numbers.
    pub method: Vec<MethodBlock>,
    /// Section 6: caveats.
    pub caveats: Vec<String>,
    /// Section 7.
    pub sources: Vec<Source>,
}

/// The index of every workload.
pub fn index(report: &Report, profiles: &Profiles) -> IndexView {
    let workloads = report
        .workloads
        .iter()
        .map(|w| {
            let find = |id: &Option<crate::contract::OptionId>| {
                w.options.iter().find(|o| id.as_ref() == Some(&o.id()))
            };
            let (pick, runner_up) = (find(&w.pick.primary), find(&w.pick.runner_up));
            IndexRow {
                id: w.workload.clone(),
                name: w.name.clone(),
                pick: pick.map_or("no eligible option".into(), PricedOption::label),
                pick_month: pick.map_or("–".into(), |o| usd(o.usd_per_month)),
                runner_up: runner_up.map_or("–".into(), PricedOption::label),
                runner_up_month: runner_up.map_or("–".into(), |o| usd(o.usd_per_month)),
                why: w
                    .pick
                    .primary_reason
                    .clone()
                    .unwrap_or_else(|| "every option is excluded; see the report".into()),
            }
        })
        .collect();
    let freshness = freshness(report, profiles.vendors.iter());
    IndexView {
        as_of: report.as_of.clone(),
        profiles: report.profiles.clone(),
        any_stale: freshness.iter().any(|f| f.stale),
        workloads,
        freshness,
    }
}

/// The report of one workload.
pub fn workload(
    report: &Report,
    profiles: &Profiles,
    s: &Subject,
    charts: Vec<ChartView>,
) -> WorkloadView {
    let w = s.result;
    let vendors = offering_vendors(w, &profiles.vendors);
    let freshness = freshness(report, vendors.iter().copied());
    let options: Vec<&PricedOption> = w
        .options
        .iter()
        .filter(|o| o.offer != OfferKind::Training)
        .collect();
    WorkloadView {
        id: w.workload.clone(),
        name: w.name.clone(),
        model: w.model.clone(),
        description: s.workload.description.trim().to_string(),
        as_of: report.as_of.clone(),
        profiles: report.profiles.clone(),
        recommendation: advice::recommend(s),
        summary: summary(s),
        any_stale: freshness.iter().any(|f| f.stale),
        freshness: freshness.clone(),
        per_unit_header: match w.unit {
            crate::contract::UnitKind::Request => "$/1k requests".into(),
            crate::contract::UnitKind::Episode => "$/episode".into(),
        },
        options: options.iter().map(|o| option_row(w, o)).collect(),
        training: training_rows(w),
        charts,
        excluded: w
            .options
            .iter()
            .filter(|o| !o.eligible)
            .map(|o| Excluded {
                label: o.label(),
                usd_month: usd(o.usd_per_month),
                reasons: o.reasons.join("; "),
            })
            .collect(),
        unserved: w
            .unserved
            .iter()
            .map(|u| fact(&u.vendor, u.reason.clone()))
            .collect(),
        method: method::blocks(s),
        caveats: method::caveats(s),
        sources: vendors
            .iter()
            .zip(freshness)
            .map(|(v, f)| source(v, f))
            .collect(),
    }
}

/// Vendors with at least one option for the workload, in profile order.
fn offering_vendors<'a>(w: &WorkloadResult, vendors: &'a [Vendor]) -> Vec<&'a Vendor> {
    vendors
        .iter()
        .filter(|v| w.options.iter().any(|o| o.vendor == v.vendor))
        .collect()
}

fn freshness<'a>(report: &Report, vendors: impl Iterator<Item = &'a Vendor>) -> Vec<Freshness> {
    let date = NaiveDate::parse_from_str(&report.as_of, "%Y-%m-%d").ok();
    vendors
        .map(|v| Freshness {
            vendor: v.vendor.clone(),
            name: v.name.clone(),
            as_of: v.as_of.to_string(),
            age_days: date.map_or(String::new(), |d| count((d - v.as_of).num_days() as f64)),
            stale: report.stale_vendors.iter().any(|s| s.vendor == v.vendor),
        })
        .collect()
}

fn source(v: &Vendor, freshness: Freshness) -> Source {
    Source {
        vendor: v.vendor.clone(),
        name: v.name.clone(),
        freshness,
        urls: v.sources.iter().map(|u| Link::new(u)).collect(),
        changes: v
            .price_changes
            .iter()
            .map(|c| Change {
                date: c.date.to_string(),
                change: c.change.clone(),
                source: c.source.as_deref().map(Link::new),
            })
            .collect(),
    }
}

fn summary(s: &Subject) -> Vec<Fact> {
    let w = s.workload;
    let unit = s.unit_word();
    let mut facts = vec![fact(
        "Model",
        format!("{} ({} output)", w.model, w.modality),
    )];
    match &w.episode {
        Some(ep) => {
            facts.push(fact(
                "Volume",
                format!("{} episodes/day", count(ep.episodes_per_day)),
            ));
            facts.push(fact(
                "Episode",
                format!(
                    "T = {} turns; P1 = {} initial prompt tokens; Δ = {} tokens added per turn; G = {} tokens generated per turn",
                    ep.turns,
                    count(ep.initial_prompt_tokens),
                    count(ep.context_growth_per_turn),
                    count(ep.generation_tokens)
                ),
            ));
        }
        None => {
            facts.push(fact(
                "Volume",
                format!("{} requests/day", count(s.demand.units_per_day)),
            ));
            if s.demand.tokens_per_unit() > 0.0 {
                facts.push(fact(
                    "Request",
                    format!(
                        "{} input tokens ({} cached), {} output tokens",
                        count(w.input_tokens),
                        percent(w.cached_input_share),
                        count(w.output_tokens)
                    ),
                ));
            }
            if w.batch_share > 0.0 {
                facts.push(fact(
                    "Batch",
                    format!(
                        "{} of requests can wait for a batch tier",
                        percent(w.batch_share)
                    ),
                ));
            }
        }
    }
    if s.demand.tokens_per_unit() > 0.0 {
        facts.push(fact(
            "Tokens",
            format!(
                "{} sent and generated a day ({} per {unit})",
                count(s.result.tokens_per_day),
                count(s.demand.tokens_per_unit())
            ),
        ));
    }
    let peak = s.weights.iter().copied().fold(0.0, f64::max);
    facts.push(fact(
        "Traffic",
        format!(
            "{}; the busiest hour carries {} of the day; dedicated replicas are sized for {} utilization",
            shape_name(w.traffic.shape),
            percent(peak),
            percent(w.traffic.target_utilization)
        ),
    ));
    if w.training_tokens_per_day > 0.0 {
        facts.push(fact(
            "Training",
            format!("{} training tokens/day", count(w.training_tokens_per_day)),
        ));
    }
    facts.push(fact("Requirements", requirements(w)));
    if let Some(b) = w.budget_usd_per_month {
        facts.push(fact("Budget", format!("{}/month", usd(b))));
    }
    facts
}

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Flat => "flat",
        Shape::BusinessHours => "business hours (80% between 09:00 and 18:00)",
        Shape::Diurnal => "diurnal, peaking at 14:00",
        Shape::Hourly => "hourly weights given in the profile",
    }
}

/// The workload's requirements in words.
pub fn requirements(w: &Workload) -> String {
    let r = &w.requirements;
    let mut parts = Vec::new();
    if !r.compliance.is_empty() {
        parts.push(format!("compliance: {}", r.compliance.join(", ")));
    }
    if r.isolated {
        parts.push("single-tenant (isolated) GPUs".to_string());
    }
    if r.fine_tuned {
        parts.push("serves a fine-tuned LoRA".to_string());
    }
    if let Some(t) = r.max_ttft_ms {
        parts.push(format!("time to first token at most {} ms", count(t)));
    }
    if let Some(v) = r.min_output_tokens_per_s {
        parts.push(format!("at least {} output tokens/s per stream", count(v)));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join("; ")
    }
}

/// How an option is billed, in words.
pub fn billing(o: &PricedOption) -> String {
    match o.offer {
        OfferKind::Serverless => "per token".into(),
        OfferKind::Prediction => "per prediction".into(),
        OfferKind::Training => "per training token".into(),
        OfferKind::Dedicated => {
            let billing = match o.billing {
                Some(Billing::PerSecond) => "per second",
                Some(Billing::PerMinute) => "per minute",
                Some(Billing::PerHour) => "per hour",
                None => "GPU time",
            };
            let scaling = match o.scaling {
                Some(Scaling::AlwaysOn) => "always on",
                Some(Scaling::Autoscale) => "autoscale",
                Some(Scaling::ScaleToZero) => "scale to zero",
                None => "",
            };
            format!("{billing}, {scaling}")
        }
    }
}

/// The role of an option in the pick.
pub fn role(w: &WorkloadResult, o: &PricedOption) -> &'static str {
    let id = Some(o.id());
    if id == w.pick.primary {
        "pick"
    } else if id == w.pick.runner_up {
        "runner-up"
    } else {
        ""
    }
}

/// A crossover utilization; above 100% the dedicated option never wins.
pub fn crossover(x: f64) -> String {
    if x > 1.0 {
        format!("{} (never)", percent(x))
    } else {
        percent(x)
    }
}

fn option_row(w: &WorkloadResult, o: &PricedOption) -> OptionRow {
    let per_unit = o.usd_per_unit.map_or(String::new(), |u| match w.unit {
        crate::contract::UnitKind::Request => usd(u * 1000.0),
        crate::contract::UnitKind::Episode => usd(u),
    });
    OptionRow {
        role: role(w, o).to_string(),
        vendor: o.vendor.clone(),
        offer: match &o.tier {
            Some(t) => format!("{} ({t})", o.offer.as_str()),
            None => o.offer.as_str().to_string(),
        },
        model: o.model.clone(),
        gpu: o.gpu.as_ref().map_or(String::new(), |g| {
            format!("{}×{g}", o.gpus_per_replica.unwrap_or(1))
        }),
        billing: billing(o),
        usd_day: usd(o.usd_per_day),
        usd_month: usd(o.usd_per_month),
        usd_mtok: o.usd_per_mtok.map_or(String::new(), usd),
        per_unit,
        utilization: o.utilization.map_or(String::new(), percent),
        crossover: o.crossover_utilization.map_or(String::new(), crossover),
        flags: if o.eligible {
            o.flags.join("; ")
        } else {
            "excluded (see below)".to_string()
        },
        excluded: !o.eligible,
    }
}

fn training_rows(w: &WorkloadResult) -> Vec<TrainingRow> {
    w.options
        .iter()
        .filter(|o| o.offer == OfferKind::Training)
        .map(|o| {
            let serves = w
                .options
                .iter()
                .any(|s| s.vendor == o.vendor && s.offer != OfferKind::Training && s.eligible);
            TrainingRow {
                vendor: o.vendor.clone(),
                tier: o.tier.clone().unwrap_or_default(),
                usd_day: usd(o.usd_per_day),
                usd_month: usd(o.usd_per_month),
                serves: if serves {
                    "yes: train and deploy in one place".into()
                } else {
                    "no".into()
                },
            }
        })
        .collect()
}
