//! Reading the performance catalog: the bundled `catalog/` (built into the
//! binary with the `bundle` feature, else read at run time from the source
//! tree, like the bundled profiles) parsed with positions like every profile, checked for meaning
//! (positive figures, known ids, `same_as` resolved), every problem
//! collected before giving up.

use super::catalog::{
    Architecture, ArchitectureFile, BenchmarkFile, GpuFile, MeasuredSeries, PerfCatalog,
    RawArchitecture,
};
use super::kernels::KernelTables;
use super::sweeps::SweepFile;
use crate::profile::parse::parse;
use crate::profile::validate::Problem;
use crate::profile::{Diagnostic, ProfileErrors};

/// The text of one bundled catalog file (empty when it cannot be read:
/// the parser then says the file is empty).
fn text(name: &str) -> String {
    crate::profile::embedded::text("catalog", name).unwrap_or_default()
}

/// The files of a catalog: name as shown in errors, and text.
pub struct CatalogText<'a> {
    /// `gpus.yaml`.
    pub gpus: (&'a str, &'a str),
    /// `architectures.yaml`.
    pub architectures: (&'a str, &'a str),
    /// `benchmarks.yaml`: the points the estimator is calibrated on.
    pub benchmarks: (&'a str, &'a str),
    /// `holdout.yaml`: points in the same format that are never fitted.
    /// The three files of measurements beside the calibration are read
    /// only when given: estimating never reads them, and they are twice
    /// the size of the rest.
    pub holdout: Option<(&'a str, &'a str)>,
    /// `batch_sweeps.yaml`.
    pub sweeps: Option<(&'a str, &'a str)>,
    /// `kernels.yaml`.
    pub kernels: Option<(&'a str, &'a str)>,
}

/// The texts of the three bundled files the estimator is fitted on, each
/// read once; every one that cannot be read named (a binary built without
/// the `bundle` feature whose source tree has moved reads none of them, and
/// a report without them would silently have no dedicated option).
pub(crate) fn read_bundled() -> Result<[String; 3], ProfileErrors> {
    read(FITTED)
}

/// The bundled catalog files `names`, or a diagnostic for each that cannot
/// be read.
fn read<const N: usize>(names: [&str; N]) -> Result<[String; N], ProfileErrors> {
    let read = names.map(|name| {
        crate::profile::embedded::text("catalog", name)
            .map_err(|e| Diagnostic::file(&format!("(built in) catalog/{name}"), e))
    });
    let unreadable: Vec<Diagnostic> = read.iter().filter_map(|r| r.clone().err()).collect();
    if unreadable.is_empty() {
        Ok(read.map(Result::unwrap_or_default))
    } else {
        Err(ProfileErrors(unreadable))
    }
}

/// The catalog files the calibration is fitted on.
const FITTED: [&str; 3] = ["gpus.yaml", "architectures.yaml", "benchmarks.yaml"];

/// The texts of the three bundled catalog files the calibration is fitted
/// on: gpus, architectures, benchmarks (their fingerprint keys the
/// calibration built into the binary).
pub(crate) fn bundled_texts() -> [String; 3] {
    FITTED.map(text)
}

/// The whole bundled catalog, with the measurements never fitted
/// (held-out series, batch sweeps, kernel tables) that check the estimator.
pub fn bundled() -> Result<PerfCatalog, ProfileErrors> {
    let [g, a, b] = bundled_texts();
    let [h, s, k] = ["holdout.yaml", "batch_sweeps.yaml", "kernels.yaml"].map(text);
    parse_catalog(&CatalogText {
        holdout: Some(("(built in) catalog/holdout.yaml", &h)),
        sweeps: Some(("(built in) catalog/batch_sweeps.yaml", &s)),
        kernels: Some(("(built in) catalog/kernels.yaml", &k)),
        ..fitted_files(&g, &a, &b)
    })
}

/// The bundled catalog an estimate needs, from the texts of its fitted
/// files ([`bundled_texts`]): no held-out series, sweeps or kernel tables.
pub(crate) fn parse_bundled([g, a, b]: &[String; 3]) -> Result<PerfCatalog, ProfileErrors> {
    parse_catalog(&fitted_files(g, a, b))
}

/// The bundled fitted files by name, none of the others.
fn fitted_files<'a>(g: &'a str, a: &'a str, b: &'a str) -> CatalogText<'a> {
    CatalogText {
        gpus: ("(built in) catalog/gpus.yaml", g),
        architectures: ("(built in) catalog/architectures.yaml", a),
        benchmarks: ("(built in) catalog/benchmarks.yaml", b),
        holdout: None,
        sweeps: None,
        kernels: None,
    }
}

/// An optional file parsed with `check` (`None` when not given); problems
/// go to `errors`.
fn parse_given<T: serde::de::DeserializeOwned + serde::Serialize>(
    file: Option<(&str, &str)>,
    check: impl Fn(&T) -> Vec<Problem>,
    errors: &mut Vec<Diagnostic>,
) -> Result<Option<T>, ()> {
    file.map(|(name, body)| parse(name, body, check).map_err(|e| errors.extend(e)))
        .transpose()
}

/// Parses and checks the files; all problems of all files together.
pub fn parse_catalog(text: &CatalogText<'_>) -> Result<PerfCatalog, ProfileErrors> {
    let mut errors: Vec<Diagnostic> = Vec::new();
    let gpus = parse(text.gpus.0, text.gpus.1, check_gpus).map_err(|e| errors.extend(e));
    let archs = parse(text.architectures.0, text.architectures.1, check_archs)
        .map_err(|e| errors.extend(e));
    let no_check = |_: &BenchmarkFile| Vec::new();
    let benches =
        parse(text.benchmarks.0, text.benchmarks.1, no_check).map_err(|e| errors.extend(e));
    let holdout = parse_given(text.holdout, no_check, &mut errors);
    let sweeps = parse_given(text.sweeps, |_: &SweepFile| Vec::new(), &mut errors);
    let kernels = parse_given(text.kernels, |_: &KernelTables| Vec::new(), &mut errors);
    let (Ok(gpus), Ok(archs), Ok(benches), Ok(holdout), Ok(sweeps), Ok(kernels)) =
        (gpus, archs, benches, holdout, sweeps, kernels)
    else {
        return Err(ProfileErrors(errors));
    };
    let catalog = PerfCatalog {
        gpus: gpus.gpus,
        architectures: resolve(&archs.architectures),
        series: benches.series,
        holdout: holdout.map_or_else(Vec::new, |f| f.series),
        sweeps: sweeps.map_or_else(Vec::new, |f| f.sweeps),
        kernels: kernels.unwrap_or_default(),
    };
    // These files refer to the first two: checked once all parsed.
    let c = &catalog;
    let checked = [
        (Some(text.benchmarks), check_series(c, &c.series, &[])),
        (text.holdout, check_series(c, &c.holdout, &c.series)),
        (text.sweeps, super::sweeps::check(c, &c.sweeps)),
        (text.kernels, super::kernels::check(c, &c.kernels)),
    ];
    for (file, problems) in checked {
        let Some((file, body)) = file else {
            continue;
        };
        errors.extend(problems.into_iter().map(|p| {
            let pos = crate::profile::parse::position(body, &p.path);
            Diagnostic::at(file, body, pos, &p.path, p.message)
        }));
    }
    if errors.is_empty() {
        Ok(catalog)
    } else {
        Err(ProfileErrors(errors))
    }
}

pub(super) fn problem(path: String, message: impl Into<String>) -> Problem {
    Problem {
        path,
        message: message.into(),
    }
}

pub(super) fn positive(out: &mut Vec<Problem>, path: String, value: f64) {
    if !(value.is_finite() && value > 0.0) {
        out.push(problem(
            path,
            format!("expected a number > 0, found {value}"),
        ));
    }
}

fn check_gpus(file: &GpuFile) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, g) in file.gpus.iter().enumerate() {
        let at = |f: &str| format!("gpus[{i}].{f}");
        if file.gpus[..i].iter().any(|h| h.id == g.id) {
            out.push(problem(at("id"), format!("duplicate GPU id `{}`", g.id)));
        }
        positive(&mut out, at("hbm_gb"), g.hbm_gb);
        positive(&mut out, at("hbm_tb_per_s"), g.hbm_tb_per_s);
        positive(&mut out, at("bf16_tflops"), g.bf16_tflops);
        positive(
            &mut out,
            at("interconnect_gb_per_s"),
            g.interconnect_gb_per_s,
        );
        for (name, v) in [("fp8_tflops", g.fp8_tflops), ("fp4_tflops", g.fp4_tflops)] {
            if let Some(v) = v {
                positive(&mut out, at(name), v);
            }
        }
        if !(1..=64).contains(&g.max_gpus_per_node) {
            out.push(problem(at("max_gpus_per_node"), "expected 1 to 64"));
        }
        check_grade(&mut out, at("grade"), &g.grade);
    }
    out
}

pub(super) fn check_grade(out: &mut Vec<Problem>, path: String, grade: &str) {
    if !matches!(grade, "A" | "B" | "C") {
        out.push(problem(
            path,
            format!("expected A, B or C, found `{grade}`"),
        ));
    }
}

fn check_archs(file: &ArchitectureFile) -> Vec<Problem> {
    let mut out = Vec::new();
    let all = &file.architectures;
    for (i, a) in all.iter().enumerate() {
        let at = |f: &str| format!("architectures[{i}].{f}");
        if all[..i].iter().any(|b| b.id == a.id) {
            out.push(problem(at("id"), format!("duplicate model id `{}`", a.id)));
        }
        check_grade(&mut out, at("grade"), &a.grade);
        if let Some(base) = &a.same_as {
            match all.iter().find(|b| &b.id == base) {
                Some(b) if b.same_as.is_none() => {}
                Some(_) => out.push(problem(at("same_as"), "may not point at another `same_as`")),
                None => out.push(problem(at("same_as"), format!("no architecture `{base}`"))),
            }
            continue;
        }
        for (name, v) in required(a) {
            match v {
                None => out.push(problem(
                    at(name),
                    format!("missing `{name}` (or give `same_as`)"),
                )),
                Some(v) => positive(&mut out, at(name), v),
            }
        }
        if let (Some(t), Some(act)) = (a.total_params_b, a.active_params_b) {
            if act > t {
                out.push(problem(at("active_params_b"), "exceeds total_params_b"));
            }
        }
        match (a.experts, a.experts_per_token) {
            (Some(e), Some(k)) if k == 0 || k >= e => out.push(problem(
                at("experts_per_token"),
                "expected 1 to experts - 1",
            )),
            (Some(_), None) | (None, Some(_)) => out.push(problem(
                at("experts"),
                "give both `experts` and `experts_per_token`, or neither",
            )),
            _ => {}
        }
        if a.precisions.as_ref().is_none_or(Vec::is_empty) {
            out.push(problem(at("precisions"), "expected at least one precision"));
        }
    }
    out
}

fn required(a: &RawArchitecture) -> [(&'static str, Option<f64>); 8] {
    let f = |v: Option<u32>| v.map(f64::from);
    [
        ("layers", f(a.layers)),
        ("hidden_size", f(a.hidden_size)),
        ("attention_heads", f(a.attention_heads)),
        ("kv_heads", f(a.kv_heads)),
        ("head_dim", f(a.head_dim)),
        ("total_params_b", a.total_params_b),
        ("active_params_b", a.active_params_b),
        ("max_context_tokens", f(a.max_context_tokens)),
    ]
}

/// Resolves `same_as` (checked to exist and be one level deep).
fn resolve(raw: &[RawArchitecture]) -> Vec<Architecture> {
    raw.iter()
        .filter_map(|a| {
            let base = match &a.same_as {
                Some(id) => raw.iter().find(|b| &b.id == id)?,
                None => a,
            };
            let layers = base.layers?;
            Some(Architecture {
                id: a.id.clone(),
                name: a.name.clone(),
                hf_id: a.hf_id.clone(),
                aliases: a.aliases.clone(),
                layers,
                hidden_size: base.hidden_size?,
                attention_heads: base.attention_heads?,
                kv_heads: base.kv_heads?,
                head_dim: base.head_dim?,
                kv_latent_dim: base.kv_latent_dim,
                full_attention_layers: base.full_attention_layers.unwrap_or(layers),
                total_params_b: base.total_params_b?,
                active_params_b: base.active_params_b?,
                experts: base.experts.zip(base.experts_per_token),
                max_context_tokens: base.max_context_tokens?,
                precisions: a.precisions.clone().or(base.precisions.clone())?,
                w4a16: a.w4a16.or(base.w4a16).unwrap_or(false),
                source: a.source.clone(),
            })
        })
        .collect()
}

/// A series file's problems; `others` are the series of another file whose
/// ids this file's may not repeat (the held-out points beside the fitted).
fn check_series(
    catalog: &PerfCatalog,
    series: &[MeasuredSeries],
    others: &[MeasuredSeries],
) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let at = |f: &str| format!("series[{i}].{f}");
        if series[..i].iter().chain(others).any(|t| t.id == s.id) {
            out.push(problem(at("id"), format!("duplicate series id `{}`", s.id)));
        }
        check_setup(&mut out, catalog, &at, (&s.model, &s.gpu, s.gpus));
        check_dated(&mut out, &at, &s.date, &s.grade);
        if s.points.is_empty() {
            out.push(problem(at("points"), "expected at least one point"));
        }
        for (j, p) in s.points.iter().enumerate() {
            let pt = |f: &str| format!("series[{i}].points[{j}].{f}");
            positive(&mut out, pt("input_tokens"), p.input_tokens);
            positive(&mut out, pt("output_tokens"), p.output_tokens);
            positive(&mut out, pt("output_tokens_per_s"), p.output_tokens_per_s);
            for (name, v) in [
                ("ttft_ms", p.ttft_ms),
                ("tpot_ms", p.tpot_ms),
                ("input_tokens_per_s", p.input_tokens_per_s),
            ] {
                if let Some(v) = v {
                    positive(&mut out, pt(name), v);
                }
            }
            if p.concurrency == Some(0) {
                out.push(problem(pt("concurrency"), "expected at least 1"));
            }
            if p.requests == Some(0) {
                out.push(problem(pt("requests"), "expected at least 1"));
            }
            if let Some(c) = p.cached_input_tokens {
                if !(0.0..p.input_tokens).contains(&c) {
                    out.push(problem(
                        pt("cached_input_tokens"),
                        format!(
                            "expected at least 0 and below input_tokens ({}), found {c}",
                            p.input_tokens
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// A measured setup's model and GPU are in the catalog, and the GPU count
/// fits one node.
pub(super) fn check_setup(
    out: &mut Vec<Problem>,
    catalog: &PerfCatalog,
    at: &dyn Fn(&str) -> String,
    (model, gpu, gpus): (&str, &str, u32),
) {
    if catalog.architecture(model).is_none() {
        out.push(problem(
            at("model"),
            format!("no architecture `{model}` in architectures.yaml"),
        ));
    }
    match catalog.gpu(gpu) {
        None => out.push(problem(at("gpu"), format!("no GPU `{gpu}` in gpus.yaml"))),
        Some(g) if gpus == 0 || gpus > g.max_gpus_per_node => out.push(problem(
            at("gpus"),
            format!("expected 1 to {}", g.max_gpus_per_node),
        )),
        Some(_) => {}
    }
}

/// A measurement's publication date and grade.
pub(super) fn check_dated(
    out: &mut Vec<Problem>,
    at: &dyn Fn(&str) -> String,
    date: &str,
    grade: &str,
) {
    if !valid_date(date) {
        out.push(problem(
            at("date"),
            format!("expected YYYY-MM or YYYY-MM-DD, found `{date}`"),
        ));
    }
    check_grade(out, at("grade"), grade);
}

fn valid_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y, m] => digits(y, 4) && digits(m, 2),
        [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
