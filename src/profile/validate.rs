//! Checks of meaning that types cannot express: prices finite and
//! non-negative, shares in [0, 1], one price unit per GPU, ids that match file
//! names. Each check names the field path and what was expected.

use std::collections::BTreeSet;

use super::{Scaling, Shape, Vendor, Workload};

/// A problem found in a deserialized profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Field path.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

pub(crate) use super::ids::{COMPLIANCE, MODALITIES};
use super::ids::{GPUS, WHERE_LISTED};
use super::suggest::did_you_mean;

/// Largest number accepted anywhere: keeps every product of figures finite.
const MAX_NUMBER: f64 = 1e15;

/// Smallest non-zero number accepted anywhere: keeps every quotient of
/// figures finite (a throughput of 5e-324 tokens/s made a day cost infinity).
const MIN_NUMBER: f64 = 1e-15;

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    /// A number within [min, MAX_NUMBER], excluding min when `strict`.
    fn number(&mut self, path: impl Into<String>, value: f64, min: f64, strict: bool) {
        let ok = value.is_finite()
            && value <= MAX_NUMBER
            && if strict { value > min } else { value >= min };
        if !ok {
            let rule = if strict { ">" } else { ">=" };
            self.fail(
                path,
                format!(
                    "expected a finite number {rule} {min} (at most {MAX_NUMBER:e}), found {value}"
                ),
            );
        } else if value != 0.0 && value.abs() < MIN_NUMBER {
            self.fail(
                path,
                format!("expected 0 or a number of at least {MIN_NUMBER:e}, found {value:e}"),
            );
        }
    }

    fn non_negative(&mut self, path: impl Into<String>, value: f64) {
        self.number(path, value, 0.0, false);
    }

    fn positive(&mut self, path: impl Into<String>, value: f64) {
        self.number(path, value, 0.0, true);
    }

    /// A volume: a number above 0, since a workload with no traffic has
    /// nothing to price (every option would cost $0 and the pick would be noise).
    fn volume(&mut self, path: &str, value: f64, unit: &str) {
        if value == 0.0 {
            self.fail(
                path,
                format!("expected more than 0 {unit} a day, found 0: with no volume there is nothing to price"),
            );
        } else {
            self.positive(path, value);
        }
    }

    fn share(&mut self, path: impl Into<String>, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.fail(
                path,
                format!("expected a share between 0 and 1, found {value}"),
            );
        }
    }

    /// Ids name output folders (`out/<workload>/`): they start with a letter
    /// or digit, so that `.` and `..` cannot lead a report out of `out/`.
    fn id(&mut self, path: &str, value: &str) {
        let ok = value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && value.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
            });
        if !ok {
            self.fail(
                path,
                format!(
                    "expected an id of lowercase letters, digits, '-', '.' or '_', starting with a letter or digit, found `{value}`"
                ),
            );
        }
    }

    /// A value from a fixed list; a typo gets "did you mean" and the list.
    fn one_of(&mut self, path: String, value: &str, allowed: &[&str]) {
        if !allowed.contains(&value) {
            let hint = did_you_mean(value, allowed.iter().copied());
            let hint = if hint.is_empty() {
                hint
            } else {
                format!(" {hint}")
            };
            self.fail(
                path,
                format!(
                    "unknown `{value}`;{hint} expected one of {} ({WHERE_LISTED})",
                    allowed.join(", ")
                ),
            );
        }
    }

    fn matches_stem(&mut self, field: &str, value: &str, stem: &str) {
        if value != stem {
            self.fail(
                field,
                format!("`{value}` must equal the file name `{stem}`"),
            );
        }
    }
}

/// Problems in a vendor profile read from a file with stem `stem`.
pub(crate) fn vendor(v: &Vendor, stem: &str) -> Vec<Problem> {
    let mut c = Checker::default();
    c.id("vendor", &v.vendor);
    c.matches_stem("vendor", &v.vendor, stem);
    if v.sources.is_empty() {
        c.fail("sources", "expected at least one source URL");
    }
    for (i, s) in v.sources.iter().enumerate() {
        if !(s.starts_with("https://") || s.starts_with("http://")) {
            c.fail(
                format!("sources[{i}]"),
                format!("expected a URL starting with https://, found `{s}`"),
            );
        }
    }
    for (i, item) in v.compliance.iter().enumerate() {
        c.one_of(format!("compliance[{i}]"), item, COMPLIANCE);
    }
    for (i, n) in v.compliance_not_offered.iter().enumerate() {
        let p = format!("compliance_not_offered[{i}]");
        c.one_of(format!("{p}.item"), &n.item, COMPLIANCE);
        if v.compliance.contains(&n.item) {
            c.fail(
                format!("{p}.item"),
                format!(
                    "`{}` is also in compliance (attested); a fact is one or the other",
                    n.item
                ),
            );
        }
        if !n.source.starts_with("https://") {
            c.fail(
                format!("{p}.source"),
                format!(
                    "expected a URL starting with https://, found `{}`",
                    n.source
                ),
            );
        }
    }
    for (i, m) in v.modalities.iter().enumerate() {
        c.one_of(format!("modalities[{i}]"), m, MODALITIES);
    }
    serverless(&mut c, v);
    dedicated(&mut c, v);
    predictions(&mut c, v);
    for (i, t) in v.training.iter().enumerate() {
        c.id(&format!("training[{i}].model"), &t.model);
        c.non_negative(
            format!("training[{i}].train_usd_per_mtok"),
            t.train_usd_per_mtok,
        );
    }
    c.problems
}

fn serverless(c: &mut Checker, v: &Vendor) {
    let mut seen = BTreeSet::new();
    for (i, o) in v.serverless.iter().enumerate() {
        let p = |f: &str| format!("serverless[{i}].{f}");
        c.id(&p("model"), &o.model);
        if !seen.insert(o.key()) {
            c.fail(
                p("model"),
                format!(
                    "`{}` is listed twice with the same tier; give one a `tier`",
                    o.model
                ),
            );
        }
        c.non_negative(p("input_usd_per_mtok"), o.input_usd_per_mtok);
        c.non_negative(p("output_usd_per_mtok"), o.output_usd_per_mtok);
        if let Some(r) = o.cached_input_usd_per_mtok {
            c.non_negative(p("cached_input_usd_per_mtok"), r);
        }
        if o.cross_turn_cache && o.cached_input_usd_per_mtok.is_none() {
            c.fail(
                p("cross_turn_cache"),
                "needs cached_input_usd_per_mtok, the rate the history is billed at",
            );
        }
        if let Some(d) = o.batch_discount {
            c.share(p("batch_discount"), d);
        }
        if let Some(t) = o.ttft_ms {
            c.positive(p("ttft_ms"), t);
        }
        if let Some(s) = o.output_tokens_per_s {
            c.positive(p("output_tokens_per_s"), s);
        }
        if o.context_tokens == Some(0) {
            c.fail(p("context_tokens"), "expected a positive number of tokens");
        }
    }
}

/// A commitment's term at least a month, its price non-negative or its
/// discount a share, exactly one of the two, a GPU the vendor sells.
fn commitments(c: &mut Checker, d: &crate::profile::Dedicated) {
    for (i, k) in d.commitments.iter().enumerate() {
        let p = |f: &str| format!("dedicated.commitments[{i}].{f}");
        if k.term_months == 0 {
            c.fail(p("term_months"), "expected a term of at least 1 month");
        }
        match (k.usd_per_gpu_hour, k.discount) {
            (Some(price), None) => c.non_negative(p("usd_per_gpu_hour"), price),
            (None, Some(off)) => c.share(p("discount"), off),
            _ => c.fail(
                p("usd_per_gpu_hour"),
                "give exactly one of `usd_per_gpu_hour` and `discount`",
            ),
        }
        if let Some(gpu) = k.gpu.as_ref().filter(|g| !d.gpus.contains_key(*g)) {
            c.fail(p("gpu"), format!("`{gpu}` is not a key of dedicated.gpus"));
        }
        if !k.source.starts_with("https://") && !k.source.starts_with("http://") {
            c.fail(p("source"), format!("expected a URL, found `{}`", k.source));
        }
    }
}

fn dedicated(c: &mut Checker, v: &Vendor) {
    let Some(d) = &v.dedicated else { return };
    for (field, value) in [
        ("cold_start_s", d.cold_start_s),
        ("idle_timeout_s", d.idle_timeout_s),
    ] {
        match (value, d.scaling) {
            (Some(_), Scaling::AlwaysOn) => c.fail(
                format!("dedicated.{field}"),
                "applies only to scaling: autoscale or scale-to-zero",
            ),
            (Some(x), _) => c.non_negative(format!("dedicated.{field}"), x),
            (None, Scaling::ScaleToZero) => c.fail(
                format!("dedicated.{field}"),
                "required with scaling: scale-to-zero",
            ),
            (None, _) => {}
        }
    }
    if d.min_replicas.is_some() && d.scaling != Scaling::Autoscale {
        c.fail(
            "dedicated.min_replicas",
            "applies only to scaling: autoscale",
        );
    }
    commitments(c, d);
    for (gpu, price) in &d.gpus {
        c.id(&format!("dedicated.gpus.{gpu}"), gpu);
        c.one_of(format!("dedicated.gpus.{gpu}"), gpu, GPUS);
        let units = [
            ("usd_per_hour", price.usd_per_hour),
            ("usd_per_minute", price.usd_per_minute),
            ("usd_per_second", price.usd_per_second),
        ];
        let given: Vec<_> = units
            .iter()
            .filter_map(|(n, v)| v.map(|v| (*n, v)))
            .collect();
        if given.len() != 1 {
            c.fail(
                format!("dedicated.gpus.{gpu}"),
                format!("expected exactly one of usd_per_hour, usd_per_minute, usd_per_second; found {}", given.len()),
            );
        }
        for (unit, value) in given {
            c.non_negative(format!("dedicated.gpus.{gpu}.{unit}"), value);
        }
    }
    let mut seen = BTreeSet::new();
    for (i, dep) in d.deployments.iter().enumerate() {
        let p = |f: &str| format!("dedicated.deployments[{i}].{f}");
        c.id(&p("model"), &dep.model);
        if !d.gpus.contains_key(&dep.gpu) {
            let known: Vec<_> = d.gpus.keys().map(String::as_str).collect();
            let hint = did_you_mean(&dep.gpu, known.iter().copied());
            c.fail(
                p("gpu"),
                format!(
                    "`{}` is not in dedicated.gpus{}{} (has: {})",
                    dep.gpu,
                    if hint.is_empty() { "" } else { "; " },
                    hint,
                    known.join(", ")
                ),
            );
        }
        if !seen.insert(dep.key()) {
            c.fail(
                p("model"),
                "the same model, GPU and GPU count are listed twice",
            );
        }
        if dep.gpus_per_replica == 0 {
            c.fail(p("gpus_per_replica"), "expected at least 1 GPU per replica");
        }
        match (dep.prefill_tokens_per_s, dep.decode_tokens_per_s) {
            (Some(pre), Some(dec)) => {
                c.positive(p("prefill_tokens_per_s"), pre);
                c.positive(p("decode_tokens_per_s"), dec);
            }
            (None, None) => {}
            _ => c.fail(
                p("prefill_tokens_per_s"),
                "give both prefill_tokens_per_s and decode_tokens_per_s (the vendor's figures), or neither (the capacity estimator's)",
            ),
        }
        if let Some(t) = dep.ttft_ms {
            c.positive(p("ttft_ms"), t);
        }
        if let Some(s) = dep.output_tokens_per_s {
            c.positive(p("output_tokens_per_s"), s);
        }
        if dep.concurrency == Some(0) {
            c.fail(
                p("concurrency"),
                "expected at least 1 request in flight per replica",
            );
        }
    }
}

fn predictions(c: &mut Checker, v: &Vendor) {
    for (i, o) in v.predictions.iter().enumerate() {
        let p = |f: &str| format!("predictions[{i}].{f}");
        c.id(&p("model"), &o.model);
        c.one_of(p("modality"), &o.modality, MODALITIES);
        match (
            o.usd_per_prediction,
            o.seconds_per_prediction,
            o.usd_per_second,
        ) {
            (Some(x), None, None) => c.non_negative(p("usd_per_prediction"), x),
            (None, Some(s), Some(r)) => {
                c.positive(p("seconds_per_prediction"), s);
                c.non_negative(p("usd_per_second"), r);
            }
            _ => c.fail(
                format!("predictions[{i}]"),
                "expected either usd_per_prediction, or seconds_per_prediction with usd_per_second",
            ),
        }
    }
}

/// Each substitute an id, neither the first choice nor listed twice.
fn substitutes(c: &mut Checker, w: &Workload) {
    for (i, m) in w.substitutes.iter().enumerate() {
        let path = format!("substitutes[{i}]");
        c.id(&path, m);
        if *m == w.model {
            c.fail(
                path,
                format!("`{m}` is the workload's `model`; list only the models that would also do"),
            );
        } else if w.substitutes[..i].contains(m) {
            c.fail(path, format!("`{m}` is listed twice"));
        }
    }
}

/// Problems in a workload profile read from a file with stem `stem`.
pub(crate) fn workload(w: &Workload, stem: &str) -> Vec<Problem> {
    let mut c = Checker::default();
    c.id("workload", &w.workload);
    c.matches_stem("workload", &w.workload, stem);
    c.id("model", &w.model);
    substitutes(&mut c, w);
    c.one_of("modality".into(), &w.modality, MODALITIES);
    match (&w.requests_per_day, &w.episode) {
        (Some(r), None) => c.volume("requests_per_day", *r, "requests"),
        (None, Some(ep)) => {
            c.volume("episode.episodes_per_day", ep.episodes_per_day, "episodes");
            if ep.turns == 0 {
                c.fail("episode.turns", "expected at least 1 turn");
            }
            c.non_negative("episode.initial_prompt_tokens", ep.initial_prompt_tokens);
            c.non_negative(
                "episode.context_growth_per_turn",
                ep.context_growth_per_turn,
            );
            c.non_negative("episode.generation_tokens", ep.generation_tokens);
            for (field, value) in [
                ("input_tokens", w.input_tokens),
                ("output_tokens", w.output_tokens),
                ("cached_input_share", w.cached_input_share),
                ("batch_share", w.batch_share),
            ] {
                if value != 0.0 {
                    c.fail(
                        field,
                        "does not apply to an episode workload (its shape follows from `episode`)",
                    );
                }
            }
        }
        (Some(_), Some(_)) => c.fail(
            "episode",
            "give either requests_per_day or episode, not both",
        ),
        (None, None) => c.fail(
            "requests_per_day",
            "expected requests_per_day, or an episode",
        ),
    }
    c.non_negative("input_tokens", w.input_tokens);
    c.non_negative("output_tokens", w.output_tokens);
    c.share("cached_input_share", w.cached_input_share);
    c.share("batch_share", w.batch_share);
    c.non_negative("training_tokens_per_day", w.training_tokens_per_day);
    traffic(&mut c, w);
    let r = &w.requirements;
    for (i, item) in r.compliance.iter().enumerate() {
        c.one_of(format!("requirements.compliance[{i}]"), item, COMPLIANCE);
    }
    if let Some(t) = r.max_ttft_ms {
        c.positive("requirements.max_ttft_ms", t);
    }
    if let Some(s) = r.min_output_tokens_per_s {
        c.positive("requirements.min_output_tokens_per_s", s);
    }
    if let Some(s) = r.max_cold_start_share {
        c.share("requirements.max_cold_start_share", s);
    }
    if let Some(b) = w.budget_usd_per_month {
        c.non_negative("budget_usd_per_month", b);
    }
    c.problems
}

fn traffic(c: &mut Checker, w: &Workload) {
    let t = &w.traffic;
    let u = t.target_utilization;
    if !(u > 0.0 && u <= 1.0) {
        c.fail(
            "traffic.target_utilization",
            format!("expected a share above 0 and at most 1, found {u}"),
        );
    } else if u < MIN_NUMBER {
        // Replicas needed = load / target_utilization: a tiny share is an infinite need.
        c.fail(
            "traffic.target_utilization",
            format!("expected a share of at least {MIN_NUMBER:e} and at most 1, found {u:e}"),
        );
    }
    match (t.shape, t.hourly.len()) {
        (Shape::Hourly, 24) => {
            for (h, weight) in t.hourly.iter().enumerate() {
                c.non_negative(format!("traffic.hourly[{h}]"), *weight);
            }
            let sum: f64 = t.hourly.iter().sum();
            if sum.is_nan() || sum <= 0.0 {
                c.fail("traffic.hourly", "expected weights with a positive sum");
            }
        }
        (Shape::Hourly, n) => c.fail(
            "traffic.hourly",
            format!("expected 24 hourly weights, found {n}"),
        ),
        (_, 0) => {}
        (_, _) => c.fail("traffic.hourly", "applies only to shape: hourly"),
    }
}
