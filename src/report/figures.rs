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
            utilization_caption(&c),
            |title| charts::cost_vs_utilization(title, &c),
        ));
    }
    let volume = curves::cost_vs_volume(s);
    out.push(figure(
        s,
        "cost-vs-volume.svg",
        &format!("$ per month against {unit}s per day"),
        format!(
            "Each option's monthly cost from 1/100 to 100 times today's {} {unit}s a day, both axes logarithmic, the traffic shape unchanged. Per-token lines rise in proportion to volume; an always-on deployment's cost steps up a replica at a time, an autoscaled or scale-to-zero pool's rises smoothly from its floor (whole replicas, with the time the ones started for a burst stay up).{}",
            count(s.demand.units_per_day),
            if volume.markers.is_empty() {
                ""
            } else {
                " A dot marks a dedicated option's break-even volume against the cheapest eligible per-token offer."
            }
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

/// The utilization chart's caption, describing only what is drawn: the
/// dashed per-token lines and the crossover dots are said only when the
/// chart has them.
fn utilization_caption(c: &curves::LineChart) -> String {
    let mut words =
        "A dedicated replica's cost per token falls as it gets busier (solid lines, 1/utilization)"
            .to_string();
    let flat = c.series.iter().any(|l| l.style == curves::Style::PerToken);
    if !flat {
        words.push_str(". No per-token offer is eligible, so no crossover is marked.");
        return words;
    }
    words.push_str("; a per-token offer costs the same at any utilization (dashed).");
    if c.markers.is_empty() {
        words.push_str(" No dedicated option crosses the cheapest eligible per-token offer between 2% and 100% utilization.");
    } else {
        words.push_str(" A dot marks where a dedicated option crosses the cheapest eligible per-token offer: to the right of the dot, dedicated is cheaper.");
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::curves::{LineChart, Marker, Series, Style, Tick};

    fn chart(styles: &[Style], dots: usize) -> LineChart {
        let line = |style: &Style| Series {
            label: "x".into(),
            points: vec![(0.1, 1.0), (1.0, 0.1)],
            style: *style,
            colour: 0,
            picked: false,
            folded: false,
        };
        LineChart {
            x_range: (0.02, 1.0),
            y_range: (0.1, 1.0),
            x_log: false,
            y_log: true,
            x_label: String::new(),
            y_label: String::new(),
            x_ticks: Tick::Percent,
            y_ticks: Tick::Usd,
            series: styles.iter().map(line).collect(),
            markers: (0..dots)
                .map(|_| Marker {
                    at: (0.5, 0.5),
                    text: "50%".into(),
                    series: 0,
                })
                .collect(),
            today: None,
        }
    }

    #[test]
    fn without_a_per_token_line_the_caption_names_no_dashes_or_dots() {
        let words = utilization_caption(&chart(&[Style::Dedicated, Style::Excluded], 0));
        assert!(
            !words.contains("dashed") && !words.contains("dot"),
            "{words}"
        );
        assert!(words.contains("No per-token offer is eligible"), "{words}");
    }

    #[test]
    fn dashes_and_dots_are_said_when_drawn() {
        let words = utilization_caption(&chart(&[Style::Dedicated, Style::PerToken], 1));
        assert!(
            words.contains("(dashed)") && words.contains("A dot marks"),
            "{words}"
        );
        let words = utilization_caption(&chart(&[Style::Dedicated, Style::PerToken], 0));
        assert!(
            words.contains("(dashed)") && !words.contains("A dot"),
            "{words}"
        );
    }
}
