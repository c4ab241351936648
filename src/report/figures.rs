//! The charts of one workload report: which ones apply, their titles and
//! captions, and their SVG text (written beside the report and inlined in
//! its HTML).

use super::charts;
use super::curves;
use super::subject::Subject;
use super::view::ChartView;
use crate::format::count;

/// A chart: how the report refers to it, and its SVG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Figure {
    /// File name, title and caption.
    pub view: ChartView,
    /// The SVG document.
    pub svg: String,
}

/// A chart titled `<workload name>: <heading>`.
fn figure(
    s: &Subject,
    file: &str,
    heading: &str,
    caption: String,
    draw: impl FnOnce(&str) -> String,
) -> Figure {
    let title = format!("{}: {heading}", s.result.name);
    let svg = draw(&title);
    Figure {
        view: ChartView {
            file: file.to_string(),
            heading: capitalise(heading),
            title,
            caption,
        },
        svg,
    }
}

/// Every chart that applies to the workload, in report order.
pub(crate) fn figures(s: &Subject) -> Vec<Figure> {
    let unit = s.unit_word();
    let mut out = vec![figure(
        s,
        "cost-by-option.svg",
        "$ per month by option",
        "Every serving option at this workload's volume, cheapest first. Dark: the pick and the runner-up; light: other eligible options; grey: excluded (see Excluded options).".into(),
        |title| charts::cost_by_option(title, &curves::cost_by_option(s)),
    )];
    if let Some(c) = curves::cost_vs_utilization(s) {
        out.push(figure(
            s,
            "cost-vs-utilization.svg",
            "$ per million tokens against utilization",
            "A dedicated replica's cost per token falls as it gets busier (solid lines, 1/utilization); a per-token offer costs the same at any utilization (dashed). A dot marks where a dedicated option crosses the cheapest eligible per-token offer: to the right of the dot, dedicated is cheaper.".into(),
            |title| charts::cost_vs_utilization(title, &c),
        ));
    }
    let volume = curves::cost_vs_volume(s);
    out.push(figure(
        s,
        "cost-vs-volume.svg",
        &format!("$ per month against {unit}s per day"),
        format!(
            "Each option's monthly cost from 1/100 to 100 times today's {} {unit}s a day, both axes logarithmic, the traffic shape unchanged. Per-token lines rise in proportion to volume; an always-on deployment's cost steps up a replica at a time, an autoscaled or scale-to-zero pool's rises smoothly from its floor (whole replicas, with the time the ones started for a burst stay up). A dot marks a dedicated option's break-even volume against the cheapest eligible per-token offer.",
            count(s.demand.units_per_day)
        ),
        |title| charts::cost_vs_volume(title, &volume),
    ));
    if let Some(c) = curves::cost_vs_turns(s) {
        out.push(figure(
            s,
            "cost-vs-turns.svg",
            "$ per episode against turns",
            "Cost of one episode as the number of turns grows, from 1 to twice today's, at today's episodes a day. Re-prefill (every turn re-sends the whole history) grows quadratically; a cross-turn cache bills the history at the cached rate, still re-sent every turn, so it grows quadratically at a lower rate; a dedicated replica keeps the history in its KV cache and costs what it is billed, flat while a replica has room and then growing linearly. Dots mark today's number of turns.".into(),
            |title| charts::cost_vs_turns(title, &c),
        ));
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
