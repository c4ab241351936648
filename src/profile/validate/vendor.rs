//! The checks of a vendor profile (load stage): prices, serverless and
//! dedicated offers, commitments and predictions, each problem at its
//! field path ([`super::Checker`]).

use std::collections::BTreeSet;

use super::{did_you_mean, Checker, Problem, COMPLIANCE, GPUS, MODALITIES};
use crate::format::count;
use crate::profile::{Scaling, Vendor};

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

/// The last replica's window: scale-to-zero only, at least the window of
/// the replicas above it.
fn last_replica_window(c: &mut Checker, d: &crate::profile::Dedicated) {
    let Some(last) = d.last_replica_idle_timeout_s else {
        return;
    };
    let field = "dedicated.last_replica_idle_timeout_s";
    if d.scaling != Scaling::ScaleToZero {
        c.fail(field, "applies only to scaling: scale-to-zero");
        return;
    }
    c.non_negative(field, last);
    if let Some(above) = d.idle_timeout_s.filter(|&above| last < above) {
        c.fail(
            field,
            format!(
                "expected at least idle_timeout_s ({above} s): it is the last replica's longer window; with one window for every replica, leave it out"
            ),
        );
    }
}

/// Longest cold start a profile may state, seconds: a day. The pool model
/// prices a day whose hours repeat; a replica that takes longer than that
/// to start never serves in it (the simulation bills it nothing, the
/// closed form its floor), so a longer figure is a typo, not a platform.
const MOST_COLD_START_S: f64 = 86_400.0;

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
            (Some(x), _) if field == "cold_start_s" && x > MOST_COLD_START_S => c.fail(
                format!("dedicated.{field}"),
                format!(
                    "expected at most {} s (a day), found {}: a replica that takes longer than a day to start serves nothing",
                    count(MOST_COLD_START_S),
                    count(x)
                ),
            ),
            (Some(x), _) => c.non_negative(format!("dedicated.{field}"), x),
            (None, Scaling::ScaleToZero) => c.fail(
                format!("dedicated.{field}"),
                "required with scaling: scale-to-zero",
            ),
            (None, _) => {}
        }
    }
    last_replica_window(c, d);
    if d.cold_start_billed.is_some() && d.scaling == Scaling::AlwaysOn {
        c.fail(
            "dedicated.cold_start_billed",
            "applies only to scaling: autoscale or scale-to-zero",
        );
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
