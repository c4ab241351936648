//! The founder's report (`infercost report`, Markdown, HTML, SVG): golden
//! files for two bundled workloads, byte-determinism, self-contained and
//! escaped HTML, the chart data against the model, and a headless Chromium
//! screenshot that shows the charts rendered.
//!
//! Golden files live in `tests/golden/<workload>/`, except that the
//! support-chat report's are the README's example in
//! `docs/example/support-chat/` (one copy, always current); after a
//! deliberate change, rewrite them with `UPDATE_GOLDEN=1 cargo test --test
//! report` and review the diff.

use crate::common::{self, close, infercost, root, tree};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use infercost::contract::OfferKind;
use infercost::engine::{self, Priced, Settings};
use infercost::profile::{self, ProfileFile, Profiles};
use infercost::report::curves::{self, Style};
use infercost::report::subject::Subject;
use infercost::report::{self, Format};
use infercost::resolve::{resolve, Resolved};
use infercost::verdict::{Flag, Method, PoolCheck};

/// The report date of the golden files and of `docs/example/`.
const AS_OF: &str = "2026-12-01";
/// The two workloads with golden files: a request workload and an episode workload.
const GOLDEN: [&str; 2] = ["support-chat", "agent-rl-rollouts"];

fn bundled() -> Profiles {
    let read = |dir: &str| ProfileFile::read_dir(&root().join(dir)).expect("bundled folder");
    profile::load(&read("vendors"), &read("workloads")).expect("bundled profiles are valid")
}

fn priced<'a>(resolved: &'a Resolved<'a>) -> Priced<'a> {
    engine::price(
        resolved,
        &Settings {
            as_of: Some(NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()),
            max_age_days: 90,
            profiles: "vendors/ and workloads/".into(),
            allow_unverified: false,
        },
    )
}

fn rendered() -> BTreeMap<PathBuf, Vec<u8>> {
    let profiles = bundled();
    report::render(
        &priced(&resolve(&profiles)),
        &profiles,
        &[Format::Json, Format::Md, Format::Html],
    )
}

fn text(files: &BTreeMap<PathBuf, Vec<u8>>, path: &str) -> String {
    let bytes = files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("{path} was not rendered"));
    String::from_utf8(bytes.clone()).unwrap()
}

/// The folder of a workload's golden files: the README's example for
/// support-chat, `tests/golden/<workload>` for the others.
fn golden_dir(workload: &str) -> PathBuf {
    if workload == "support-chat" {
        root().join("docs/example")
    } else {
        root().join("tests/golden")
    }
}

/// Compares `actual` with its golden file, or rewrites it under UPDATE_GOLDEN=1.
fn golden(rel: &Path, actual: &[u8]) {
    let workload = rel
        .iter()
        .next()
        .and_then(|w| w.to_str())
        .unwrap_or_default();
    common::golden(&golden_dir(workload).join(rel), actual);
}

#[test]
fn reports_of_two_bundled_workloads_match_their_golden_files() {
    let files = rendered();
    for w in GOLDEN {
        let ours: Vec<(&PathBuf, &Vec<u8>)> =
            files.iter().filter(|(p, _)| p.starts_with(w)).collect();
        assert!(ours.len() >= 5, "{w}: {ours:?}");
        for (path, bytes) in &ours {
            golden(path, bytes);
        }
        // A golden file that the report no longer writes is stale.
        let dir = golden_dir(w).join(w);
        if !common::updating() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let rel = Path::new(w).join(e.unwrap().file_name());
                assert!(
                    files.contains_key(&rel),
                    "{} is no longer written; delete it",
                    rel.display()
                );
            }
        }
    }
}

#[test]
fn same_inputs_give_the_same_bytes() {
    assert_eq!(rendered(), rendered());
}

#[test]
fn every_workload_report_has_its_sections_in_order() {
    let files = rendered();
    let profiles = bundled();
    for w in &profiles.workloads {
        let md = text(&files, &format!("{}/report.md", w.workload));
        let mut at = 0;
        for section in [
            "## 1. Recommendation",
            "## 2. Workload",
            "## 3. All options",
            "## 4. Charts",
            "## 5. Excluded options",
            "## 6. Method",
            "## 7. Sources",
        ] {
            let found = md[at..]
                .find(section)
                .unwrap_or_else(|| panic!("{}: {section} missing or out of order", w.workload));
            at += found;
        }
    }
}

#[test]
fn no_report_prints_a_non_finite_number() {
    for (path, bytes) in rendered() {
        let text = String::from_utf8(bytes).unwrap();
        for bad in ["NaN", "n/a", "inf\"", "∞"] {
            assert!(!text.contains(bad), "{} contains {bad}", path.display());
        }
    }
}

#[test]
fn html_reports_are_self_contained() {
    let files = rendered();
    for (path, bytes) in &files {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes.clone()).unwrap();
            for bad in [
                "<script", "<link", "<img", "<iframe", " src=", "url(", "@import",
            ] {
                assert!(!html.contains(bad), "{} contains {bad}", path.display());
            }
            assert!(html.contains("<style>"), "{}", path.display());
        }
    }
    for w in GOLDEN {
        let html = text(&files, &format!("{w}/report.html"));
        let svgs = files
            .keys()
            .filter(|p| p.starts_with(w) && p.extension().is_some_and(|e| e == "svg"))
            .count();
        assert_eq!(
            html.matches("<svg").count(),
            svgs,
            "{w}: every chart inline"
        );
    }
}

#[test]
fn index_lists_every_workload_with_pick_and_links_to_html_reports() {
    let files = rendered();
    let md = text(&files, "index.md");
    let html = text(&files, "index.html");
    for w in bundled().workloads {
        assert!(
            md.contains(&format!("]({}/report.md)", w.workload)),
            "{}",
            w.workload
        );
        assert!(html.contains(&format!("href=\"{}/report.html\"", w.workload)));
    }
}

// ---- chart data, straight from the model -------------------------------

fn with_subject(workload: &str, check: impl FnOnce(&Subject)) {
    let profiles = bundled();
    let resolved = resolve(&profiles);
    let priced = priced(&resolved);
    let (result, pricing) = priced.iter().find(|(w, _)| w.workload == workload).unwrap();
    check(&Subject::new(result, pricing));
}

#[test]
fn per_token_offers_are_flat_and_dedicated_cost_falls_as_one_over_utilization() {
    with_subject("batch-enrichment", |s| {
        let c = curves::cost_vs_utilization(s).expect("batch-enrichment has dedicated options");
        for line in &c.series {
            let (first, last) = (line.points[0], line.points[line.points.len() - 1]);
            match line.style {
                Style::PerToken => assert_eq!(first.1, last.1, "{}", line.label),
                Style::Dedicated => assert!(
                    close(first.0 * first.1, last.0 * last.1, 1e-9),
                    "{}: u·cost is constant",
                    line.label
                ),
                // An excluded line (a retired per-token offer, a deployment
                // that breaks a requirement) keeps the shape of its kind.
                _ => assert!(
                    first.1 == last.1 || close(first.0 * first.1, last.0 * last.1, 1e-9),
                    "{}: flat or u·cost constant",
                    line.label
                ),
            }
        }
    });
}

#[test]
fn crossover_markers_sit_on_the_cheapest_per_token_rate() {
    with_subject("agent-rl-rollouts", |s| {
        let c = curves::cost_vs_utilization(s).unwrap();
        let cheapest = s.per_token_for(&s.workload.model).unwrap();
        let rate = cheapest.option.usd_per_mtok.unwrap();
        assert!(!c.markers.is_empty());
        for m in &c.markers {
            assert!(close(m.at.1, rate, 1e-6), "{m:?} against {rate}");
        }
    });
}

#[test]
fn volume_chart_spans_a_hundredth_to_a_hundred_times_today() {
    with_subject("batch-enrichment", |s| {
        let c = curves::cost_vs_volume(s);
        let today = s.demand.units_per_day;
        assert!(close(c.x_range.0, today / 100.0, 1e-12));
        assert!(close(c.x_range.1, today * 100.0, 1e-12));
        // A per-token offer costs in proportion to volume.
        let per_token = c
            .series
            .iter()
            .find(|l| l.style == Style::PerToken)
            .unwrap();
        let (a, b) = (
            per_token.points[0],
            per_token.points[per_token.points.len() - 1],
        );
        assert!(close(b.1 / a.1, b.0 / a.0, 1e-9));
        // The series at today's volume is the table's $/month.
        let p = s.primary().unwrap();
        assert!(close(
            curves::monthly_at_volume(s, &p, today),
            p.option.usd_per_month,
            1e-6
        ));
    });
}

#[test]
fn break_even_markers_are_where_dedicated_meets_per_token() {
    with_subject("agent-rl-rollouts", |s| {
        let c = curves::cost_vs_volume(s);
        let rate = s.per_token_for(&s.workload.model).unwrap();
        assert!(!c.markers.is_empty());
        for m in &c.markers {
            let per_token = curves::monthly_at_volume(s, &rate, m.at.0);
            // Replica steps make the dedicated cost jump; it is at most the per-token cost there.
            assert!(m.at.1 <= per_token * 1.000_001, "{m:?} above {per_token}");
            assert!(m.at.1 >= per_token * 0.5, "{m:?} far below {per_token}");
        }
    });
}

#[test]
fn re_prefill_grows_quadratically_in_turns() {
    with_subject("agent-rl-rollouts", |s| {
        let c = curves::cost_vs_turns(s).expect("an episode workload");
        assert_eq!(c.x_range, (1.0, 40.0));
        let tinker = c
            .series
            .iter()
            .find(|l| l.label == "tinker serverless")
            .unwrap();
        let y: Vec<f64> = tinker.points.iter().map(|p| p.1).collect();
        let second: Vec<f64> = y.windows(3).map(|w| w[2] - 2.0 * w[1] + w[0]).collect();
        assert!(second[0] > 0.0);
        assert!(
            second.iter().all(|d| close(*d, second[0], 1e-6)),
            "{second:?}"
        );
        // The table's $/episode is the curve at today's turns.
        let at_t = tinker.points.iter().find(|p| p.0 == 20.0).unwrap().1;
        let option = s
            .options
            .iter()
            .find(|p| p.option.label() == "tinker serverless")
            .unwrap();
        assert!(close(at_t, option.option.usd_per_unit.unwrap(), 1e-6));
    });
}

#[test]
fn request_workloads_have_no_turns_chart_and_bars_skip_training() {
    with_subject("support-chat", |s| {
        assert!(curves::cost_vs_turns(s).is_none())
    });
    with_subject("agent-rl-rollouts", |s| {
        let bars = curves::cost_by_option(s);
        let serving = s
            .result
            .options
            .iter()
            .filter(|o| o.offer != OfferKind::Training)
            .count();
        assert_eq!(bars.len(), serving);
    });
}

// ---- the real executable -----------------------------------------------

#[test]
fn report_command_writes_markdown_html_json_and_charts_byte_identically() {
    // On one worker thread and on three: the workloads, their options
    // (whose rows share a memo of pool days) and their charts are priced
    // on every core, and rayon collects in order.
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    common::bundled_report_on(AS_OF, &a, Some(1));
    common::bundled_report_on(AS_OF, &b, Some(3));
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta, tb, "a run on one thread and a run on three differ");
    for f in ["index.md", "index.html", "report.json"] {
        assert!(ta.contains_key(Path::new(f)), "{f}");
    }
    for w in bundled().workloads {
        for f in [
            "report.md",
            "report.html",
            "report.json",
            "cost-by-option.svg",
            "cost-vs-volume.svg",
        ] {
            let p = Path::new(&w.workload).join(f);
            assert!(ta.contains_key(&p), "{}", p.display());
        }
    }
    assert!(ta.contains_key(Path::new("agent-rl-rollouts/cost-vs-turns.svg")));
}

#[test]
fn names_from_profiles_show_as_text_not_markup() {
    let attack = "<img src=x onerror=alert(1)>";
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/basic");
    for sub in ["vendors", "workloads"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(fixture.join(sub)).unwrap() {
            let e = e.unwrap();
            let yaml = std::fs::read_to_string(e.path()).unwrap();
            let yaml = yaml
                .lines()
                .map(|l| {
                    if l.starts_with("name:") {
                        format!("name: \"{attack} *bold* | pipe\"")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            std::fs::write(dir.path().join(sub).join(e.file_name()), yaml).unwrap();
        }
    }
    let o = infercost(&["report"], dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let files = tree(&dir.path().join("out"));
    let mut seen = 0;
    // JSON carries the name as data; every human-readable file shows it as text.
    for (path, bytes) in &files {
        if path
            .extension()
            .is_some_and(|e| e == "html" || e == "svg" || e == "md")
        {
            let text = String::from_utf8_lossy(bytes);
            let raw = text.matches("<img").count() - text.matches(r"\<img").count();
            assert_eq!(raw, 0, "{} has a raw <img", path.display());
            // Markdown escapes the `<` that would open a tag with a
            // backslash (no HTML entity in Markdown); HTML and SVG write entities.
            seen += text.matches("&lt;img src=x onerror=alert(1)&gt;").count()
                + text.matches(r"\<img src=x onerror=alert(1)>").count();
        }
    }
    assert!(seen > 0, "the name is shown, as text");
    let html = String::from_utf8_lossy(&files[Path::new("chat/report.html")]).into_owned();
    assert!(
        !html.contains("<em>bold</em>"),
        "Markdown in a name stays text"
    );
}

// ---- headless Chromium ---------------------------------------------------

/// Runs Chromium headless to screenshot `url` at `size`; `None` when it is not installed.
fn screenshot(url: &str, size: (u32, u32), png: &Path) -> Option<()> {
    let profile = tempfile::tempdir().unwrap();
    let child = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={},{}", size.0, size.1))
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("cannot start chromium: {e}"),
    };
    // A watchdog on Chromium, which can hang in a headless session, not a
    // claim about speed: a screenshot takes seconds even on a loaded machine.
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed on {url}: {status}");
            return Some(());
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium hung (600 s) on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Image {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

fn decode(path: &Path) -> Image {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let rgb = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    Image {
        width: info.width,
        height: info.height,
        rgb,
    }
}

impl Image {
    /// Bounding box (x0, y0, x1, y1) and count of pixels within `tolerance`
    /// of `colour` on every channel (anti-aliased thin lines blend with white).
    fn find(&self, colour: [u8; 3], tolerance: u8) -> Option<((u32, u32, u32, u32), usize)> {
        let mut found: Option<(u32, u32, u32, u32)> = None;
        let mut n = 0;
        for (i, p) in self.rgb.iter().enumerate() {
            if p.iter()
                .zip(colour)
                .all(|(&a, b)| a.abs_diff(b) <= tolerance)
            {
                let (x, y) = (i as u32 % self.width, i as u32 / self.width);
                n += 1;
                found = Some(match found {
                    None => (x, y, x, y),
                    Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
                });
            }
        }
        found.map(|b| (b, n))
    }

    fn non_white_share(&self) -> f64 {
        let n = self
            .rgb
            .iter()
            .filter(|p| p.iter().any(|&c| c < 245))
            .count();
        n as f64 / self.rgb.len() as f64
    }

    fn colours(&self) -> usize {
        let mut seen: Vec<[u8; 3]> = self.rgb.clone();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }
}

/// `width="760" height="574"` of an SVG's root.
fn svg_size(svg: &str) -> (u32, u32) {
    let attr = |name: &str| -> u32 {
        let start = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        svg[start..].split('"').next().unwrap().parse().unwrap()
    };
    (attr("width"), attr("height"))
}

#[test]
fn chromium_renders_the_charts_of_the_html_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    common::bundled_report(AS_OF, &out);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&shots).unwrap();

    // Each chart on its own, at the size the SVG declares.
    let dir = out.join("support-chat");
    let mut charts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .collect();
    charts.push(out.join("agent-rl-rollouts/cost-vs-turns.svg"));
    charts.sort();
    for chart in &charts {
        let size = svg_size(&std::fs::read_to_string(chart).unwrap());
        let name = format!(
            "{}-{}.png",
            chart
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            chart.file_stem().unwrap().to_string_lossy()
        );
        let png = shots.join(name);
        let url = format!("file://{}", chart.display());
        if screenshot(&url, size, &png).is_none() {
            crate::common::missing_tool("chromium", "the screenshot test");
            return;
        }
        let img = decode(&png);
        assert_eq!((img.width, img.height), size, "{}", chart.display());
        assert!(img.non_white_share() > 0.03, "{} is blank", chart.display());
        assert!(
            img.colours() > 20,
            "{} has too few colours",
            chart.display()
        );
    }

    // The whole report, on a desktop and on a phone: the charts are inline
    // and scaled to the page.
    let html = format!("file://{}", dir.join("report.html").display());
    let picked = [0x1F, 0x5F, 0xAD]; // the pick's bar
    let first_line = [0x4E, 0x79, 0xA7]; // the first line of each line chart
    for (name, size) in [("desktop", (1000, 14000)), ("phone", (390, 26000))] {
        let png = shots.join(format!("support-chat-report-{name}.png"));
        screenshot(&html, size, &png).unwrap();
        let img = decode(&png);
        assert_eq!((img.width, img.height), size);
        let ((x0, _, x1, _), n) = img.find(picked, 0).expect("the bar chart rendered");
        // 182 on a phone since issue 22 widened the bands (the axis runs to
        // the widest band's top, the bars are shorter); 250+ on a desktop.
        assert!(n > 150, "{name}: only {n} pixels of the pick's bar");
        assert!(x1 < size.0 && x0 > 0, "{name}: the bar chart fits the page");
        let (_, n) = img.find(first_line, 40).expect("the line charts rendered");
        assert!(n > 150, "{name}: only {n} pixels of line-chart ink");
    }
    println!("screenshots in {}", shots.display());
}

// ---- a scale-to-zero pick ----------------------------------------------

fn file(name: &str, text: &str) -> ProfileFile {
    ProfileFile {
        name: name.into(),
        stem: Path::new(name)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
        text: Ok(text.into()),
    }
}

#[test]
fn scale_to_zero_pick_comes_with_a_cold_start_plan() {
    let vendor = "vendor: s2z
name: Scale To Zero Co
segment: gpu-platform
positioning: serverless
as_of: 2026-10-01
sources: [https://example.com/pricing]
modalities: [text]
dedicated:
  billing: per-second
  scaling: scale-to-zero
  cold_start_s: 60
  idle_timeout_s: 120
  gpus:
    h100-80gb: {usd_per_hour: 4.0}
  deployments:
    - model: llama-3.3-70b
      gpu: h100-80gb
      gpus_per_replica: 2
      prefill_tokens_per_s: 12000
      decode_tokens_per_s: 4000
";
    let workload = "workload: sparse
name: Sparse traffic
model: llama-3.3-70b
requests_per_day: 200
input_tokens: 1000
output_tokens: 200
";
    let profiles = profile::load(
        &[file("vendors/s2z.yaml", vendor)],
        &[file("workloads/sparse.yaml", workload)],
    )
    .unwrap();
    let resolved = resolve(&profiles);
    let priced = priced(&resolved);
    let s = Subject::new(&priced.report.workloads[0], &priced.workloads[0]);
    let advice = infercost::report::advice::recommend(&s);
    assert!(
        advice.watch.starts_with("the cold-start share: "),
        "{}",
        advice.watch
    );
    assert_eq!(advice.cold_start.len(), 4, "{:?}", advice.cold_start);
    assert!(advice.cold_start[2].starts_with("The pool: "));
    assert!(advice.cold_start[3].starts_with("First hour when traffic starts from zero replicas"));
    assert!(
        advice.cold_start[0].starts_with("Expected share of requests that wait for a cold start: ")
    );
    // One 2×H100 replica warm all day: 24 h · $8 · 365/12 = $5,840/month in all.
    assert!(
        advice.cold_start[1].contains("($5,840/month in all)"),
        "{}",
        advice.cold_start[1]
    );
    let plan = serde_json::to_value(&priced.report.workloads[0].cold_start_plan).unwrap();
    assert!(crate::cold_start::assert_carried(&advice.cold_start, &plan) >= 10);
    let share = priced.report.workloads[0].options[0]
        .cold_start_share
        .unwrap();
    assert!(
        share > 0.5,
        "rare requests mostly find no warm replica: {share}"
    );
}

/// The picker has no "verified latency first" rule (issue 9 removed its last
/// traces): the runner-up is never cheaper than the primary beyond a tie, at any volume,
/// and always comes from another vendor.
#[test]
fn the_runner_up_never_costs_less_than_the_primary() {
    let base = bundled();
    for factor in [0.01, 0.3, 1.0, 7.0, 100.0] {
        let mut profiles = base.clone();
        for w in &mut profiles.workloads {
            w.requests_per_day = w.requests_per_day.map(|r| r * factor);
            if let Some(ep) = &mut w.episode {
                ep.episodes_per_day *= factor;
            }
        }
        let report = engine::run(&profiles, &Settings::default());
        for w in &report.workloads {
            let (Some(p), Some(r)) = (w.primary(), w.runner_up()) else {
                continue;
            };
            // Within a tie (issue 11), the rule may put the dearer of two
            // tied options first.
            assert!(
                r.usd_per_month >= p.usd_per_month
                    || infercost::pick::ties::tied(r.usd_per_month, p.usd_per_month),
                "{} at ×{factor}",
                w.workload
            );
            assert_ne!(r.vendor, p.vendor, "{} at ×{factor}", w.workload);
            assert!(r.eligible() && p.eligible());
        }
    }
}

/// The legend of an SVG chart: each label with the stroke colour of the
/// swatch drawn just before it.
fn legend_colours(svg: &str) -> BTreeMap<String, String> {
    let mut colours = BTreeMap::new();
    let mut stroke = None;
    for line in svg.lines() {
        if line.starts_with("<polyline") {
            stroke = line
                .split("stroke=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .map(str::to_string);
        } else if !line.starts_with('<') && !line.trim().is_empty() {
            let label = line.trim();
            let legend = [" serverless", " dedicated", " prediction", " options"]
                .iter()
                .any(|k| label.contains(k));
            if let (true, Some(c)) = (legend, stroke.take()) {
                colours.insert(label.to_string(), c);
            }
        }
    }
    colours
}

#[test]
fn an_option_has_one_colour_in_every_chart_of_a_report() {
    let files = rendered();
    for workload in GOLDEN {
        let charts: Vec<BTreeMap<String, String>> = ["cost-vs-utilization", "cost-vs-volume"]
            .iter()
            .map(|c| legend_colours(&text(&files, &format!("{workload}/{c}.svg"))))
            .collect();
        let mut shared = 0;
        for (label, colour) in &charts[0] {
            if let Some(other) = charts[1].get(label) {
                assert_eq!(colour, other, "{workload}: {label}");
                shared += 1;
            }
        }
        assert!(
            shared >= 2,
            "{workload}: only {shared} options in both legends"
        );
    }
}

#[test]
fn charts_draw_at_most_eight_coloured_lines_the_pick_heavier() {
    let files = rendered();
    for workload in GOLDEN {
        for chart in ["cost-vs-utilization", "cost-vs-volume"] {
            let svg = text(&files, &format!("{workload}/{chart}.svg"));
            let legend = legend_colours(&svg);
            let coloured = legend.values().filter(|c| *c != "#C4C4C4").count();
            assert!(
                coloured <= 8,
                "{workload}/{chart}: {coloured} coloured lines"
            );
            let pick = legend
                .keys()
                .find(|l| l.ends_with(" (pick)"))
                .unwrap_or_else(|| panic!("{workload}/{chart}: no pick in the legend"));
            // The swatch just before the pick's legend text is 4 px wide.
            let at = svg.find(pick.as_str()).unwrap();
            let swatch = svg[..at].rfind("<polyline").unwrap();
            assert!(
                svg[swatch..at].contains("stroke-width=\"4\""),
                "{workload}/{chart}"
            );
        }
    }
    // support-chat has more than eight eligible options: the rest are folded.
    let svg = text(&files, "support-chat/cost-vs-volume.svg");
    assert!(svg.contains("other options (see All options)"));
}

#[test]
fn every_money_label_writes_the_digits_it_has_and_no_more() {
    // Issue 24: a log axis over $0.01-$10,000 wrote `$10,000.000` and
    // `$1.000` (every tick with the smallest tick's decimals).
    let files = rendered();
    for workload in GOLDEN {
        for chart in ["cost-by-option", "cost-vs-utilization", "cost-vs-volume"] {
            let svg = text(&files, &format!("{workload}/{chart}.svg"));
            // Tick and bar labels are bare amounts on their own line: `$1,000`, `$0.50`.
            for label in svg.lines().map(str::trim).filter(|l| {
                l.starts_with('$')
                    && l[1..]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            }) {
                let Some((whole, fraction)) = label.split_once('.') else {
                    continue;
                };
                // Cents, or past them only digits that count (`$0.002`).
                assert!(
                    fraction.len() <= 2 || !fraction.ends_with('0'),
                    "{workload}/{chart}: {label}"
                );
                // From $10 up a label is whole dollars.
                assert!(whole.len() <= 2, "{workload}/{chart}: {label}");
            }
        }
    }
}

#[test]
fn every_crossover_of_agent_rl_is_labelled_none_dropped() {
    let files = rendered();
    let svg = text(&files, "agent-rl-rollouts/cost-vs-utilization.svg");
    let labels: Vec<&str> = svg
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.ends_with('%')
                && l[..l.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.')
        })
        .filter(|l| !["20%", "40%", "60%", "80%", "100%"].contains(l))
        .collect();
    with_subject("agent-rl-rollouts", |s| {
        let c = curves::cost_vs_utilization(s).unwrap();
        assert_eq!(labels.len(), c.markers.len(), "{labels:?}");
    });
    // On 2026-12-01 support-chat's model (Llama 3.3 70B) has no live
    // per-token offer left, so no crossover: agent-rl has six (Anyscale's
    // 8×H200, on an unverified placeholder rate, is excluded and unmarked).
    assert!(labels.len() >= 6, "{labels:?}");
}

/// The simulation check of scaled picks (issue 13, issue 21):
/// bursty-prototype's pick, Modal 4×L4 scale-to-zero at 40 requests a
/// day, is checked by 4 days of simulation, 160-odd requests: the check
/// bills 11% more than the closed form, but its own 95% CI is ±12%, and
/// 1,000 days (tests/fixtures/pool_simulated.json) put the closed form
/// within 3%; so the closed form bills it and the flag says it was
/// checked, with the difference. bursty-10k's pick (10,000 requests a
/// day) is within 3% and flagged as checked. A check that re-billed by
/// its noise, or checked without saying so, fails here. (No bundled or
/// test pick is now a real miss the check re-bills: that path has no
/// end-to-end test since closed form v2.)
#[test]
fn a_pick_is_checked_and_a_noisy_check_does_not_rebill_it() {
    use infercost::model::dedicated;
    let profiles = bundled();
    let resolved = resolve(&profiles);
    let priced = priced(&resolved);
    let find = |name: &str| {
        let i = priced
            .report
            .workloads
            .iter()
            .position(|w| w.workload == name)
            .unwrap();
        (&priced.report.workloads[i], &priced.workloads[i])
    };
    let (w, pricing) = find("bursty-prototype");
    let key = w.pick.primary.as_ref().expect("a pick");
    let i = w.options.iter().position(|o| o.is(key)).unwrap();
    let o = &w.options[i];
    let flags = &o.verdict.flags;
    assert!(
        flags.iter().any(|f| matches!(
            f,
            Flag::Pool(PoolCheck {
                billed_by: Method::ClosedForm,
                difference,
                ..
            }) if difference.abs() > 0.03
        )),
        "{flags:?}"
    );
    let (replica, cost) = pricing.costed[i].dedicated.unwrap();
    let closed = dedicated::price(
        &replica,
        &pricing.demand,
        &pricing.weights,
        pricing.workload.traffic.target_utilization,
    );
    let billed = o.billed_replica_hours_per_day.unwrap();
    assert!(
        close(billed, closed.billed_replica_hours, 1e-8),
        "{billed} vs {closed:?}"
    );
    assert!(close(
        cost.usd_per_day,
        billed * replica.usd_per_replica_hour,
        1e-8
    ));
    // The over-budget flag is judged at the bill.
    assert!(
        flags.iter().any(|f| matches!(
            f,
            Flag::OverBudget { usd_per_month, .. } if close(*usd_per_month, o.usd_per_month, 1e-8)
        )),
        "{flags:?}"
    );
    let (w, _) = find("bursty-10k");
    let key = w.pick.primary.as_ref().expect("a pick");
    let o = w.options.iter().find(|o| o.is(key)).unwrap();
    assert!(
        o.verdict.flags.iter().any(|f| matches!(
            f,
            Flag::Pool(PoolCheck {
                billed_by: Method::ClosedForm,
                ..
            })
        )),
        "{:?}",
        o.verdict.flags
    );
}

#[test]
fn markdown_reads_as_written_with_plurals_and_no_html_entities() {
    // Issue 24: `&lt;0.01%`, `$7 -&gt; $8`, "1 cold starts", "about 0.00
    // cold starts a day" and "= 1 replicas" in the bundled report.
    let files = rendered();
    let mut pages = 0;
    for (path, bytes) in &files {
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        pages += 1;
        let md = String::from_utf8_lossy(bytes);
        for wrong in [
            "&lt;",
            "&gt;",
            "&amp;",
            " 1 cold starts",
            "0.00 cold starts",
            " 1 replicas",
        ] {
            assert!(!md.contains(wrong), "{} has {wrong:?}", path.display());
        }
    }
    assert!(pages > 10, "{pages} Markdown pages");
    let md = text(&files, "agent-rl-rollouts/report.md");
    assert!(
        md.contains("the cold-start share: 0.49% of turns are expected to wait about 50 s"),
        "the share reads as written"
    );
    // Fewer than one cold start a day ("about one cold start every 2 days")
    // is held by report::words' unit tests: since the engine-aware step
    // model no bundled pick has so few.
}

#[test]
fn the_index_says_why_without_repeating_the_costs_beside_it() {
    let files = rendered();
    let index = text(&files, "index.md");
    let rows: Vec<&str> = index.lines().filter(|l| l.starts_with("| [")).collect();
    assert_eq!(rows.len(), 10, "{index}");
    for row in rows {
        let cells: Vec<&str> = row.split(" | ").collect();
        let (pick_month, why) = (cells[2], cells[5]);
        assert!(!why.contains(pick_month), "{row}");
        assert!(!why.contains("/month,"), "{row}");
    }
}

/// The Markdown index of a report of the bundled vendors on `workloads`
/// (`extra` arguments after), dated 2026-12-06.
fn bundled_index(workloads: &str, extra: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let mut args = vec![
        "report",
        "--vendors",
        "vendors",
        "--workloads",
        workloads,
        "--out",
        dir,
        "--as-of",
        "2026-12-06",
        "--format",
        "md",
    ];
    args.extend_from_slice(extra);
    let run = crate::common::infercost(&args, &crate::common::root());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(out.path().join("index.md")).unwrap()
}

/// "For one contract" prices each vendor on the options the pick chooses
/// among, so no vendor costs less than the picks it is set against:
/// bursty-prototype's Together row took a substitute's $1.37 against a
/// $135 pick, "More" −$134 (a second read). Its cheapest first-choice
/// option is $4,008, against the $154 pick (since a replica's C is the
/// concurrency its estimate runs at, 2026-12-08).
#[test]
fn one_contract_never_costs_less_than_the_picks() {
    let index = bundled_index("workloads", &["--only", "bursty-prototype"]);
    assert!(
        index.contains("| together | 1 of 1 | $4,008 | $154 | $3,854 |"),
        "{index}"
    );
    assert!(!index.contains("| \\-$"), "{index}");
}

/// Where the first choice has no eligible option and the pick is a
/// substitute's, the vendors are priced on the substitute: a workload of
/// 600,000-token prompts on Llama 3.3 70B (131,072) is picked on Kimi K3,
/// and Fireworks serves it alone at the pick's cost (the first version of
/// the fix above left the table empty; a second read).
#[test]
fn one_contract_prices_a_substitute_pick_on_its_model() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("long.yaml"),
        "workload: long\nname: Long prompts\nmodel: llama-3.3-70b\nsubstitutes: [kimi-k3]\nmodality: text\nrequests_per_day: 1000\ninput_tokens: 600000\noutput_tokens: 300\n",
    )
    .unwrap();
    let index = bundled_index(dir.path().to_str().unwrap(), &[]);
    assert!(
        index.contains("| fireworks | 1 of 1 | $54,887 | $54,887 | $0 |"),
        "{index}"
    );
}
