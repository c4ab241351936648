//! The fitted workload as YAML that `infercost validate` accepts: a comment
//! header naming the logs, the period, the request count and how each field
//! was derived, then the fields. Same fit, same bytes (no clock, no map
//! order); text from the log is made visible before it reaches a comment.

use chrono::DateTime;

use super::fit::{Fitted, PerDay};
use super::prefix::{MOONCAKE_BLOCK_TOKENS, PREFIX_WINDOW_S};
use super::shown;
use super::{Log, LogFormat};

/// The profile's own words: its id and model.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    /// Workload id (the file stem).
    pub id: String,
    /// Canonical model id.
    pub model: String,
}

/// Episode structure is written as an `episode` when every request has a
/// session and sessions average at least this many turns.
const EPISODE_MIN_TURNS: f64 = 2.0;

/// The YAML, and the warnings to print.
pub(crate) fn render(log: &Log, fit: &Fitted, names: &Names) -> (String, Vec<String>) {
    let mut warnings = Vec::new();
    let mut y = String::new();
    let line = |y: &mut String, s: String| {
        for part in wrapped(&s) {
            y.push_str(part.trim_end());
            y.push('\n');
        }
    };
    line(
        &mut y,
        "# Fitted by `infercost fit` from a request log. A log cannot tell the".into(),
    );
    line(
        &mut y,
        "# requirements, budget or batch share: add them by hand.".into(),
    );
    for (file, format) in log.files.iter().zip(&log.formats) {
        line(
            &mut y,
            format!("# log: {} ({})", shown(file), format.name()),
        );
    }
    line(
        &mut y,
        format!(
            "# period: {} to {} ({} s); {} requests kept of {} data lines ({} bad)",
            when(log, fit.first_t),
            when(log, fit.last_t),
            num(fit.last_t - fit.first_t),
            fit.requests,
            log.lines,
            log.bad
        ),
    );
    if log.was_unsorted {
        line(
            &mut y,
            "# arrivals out of order in the log were sorted".into(),
        );
    }
    for (model, n) in &log.other_models {
        line(
            &mut y,
            format!("# left out: {n} requests of log model `{model}`"),
        );
    }
    if log.unnamed_left_out > 0 {
        line(
            &mut y,
            format!(
                "# left out: {} requests that name no model",
                log.unnamed_left_out
            ),
        );
    }
    let per_day = match fit.per_day {
        PerDay::WholeDays { days, requests } => {
            format!("{requests} requests in the {days} whole day(s) from the first arrival, over {days}")
        }
        PerDay::Scaled => {
            warnings.push(format!(
                "the log covers {} s, less than a day: requests_per_day is its rate scaled to a day",
                num(fit.last_t - fit.first_t)
            ));
            format!(
                "(requests − 1) gaps over the {} s covered, scaled to 86,400 s: the log covers less than a day",
                num(fit.last_t - fit.first_t)
            )
        }
    };
    line(&mut y, format!("# requests_per_day: {per_day}"));
    for (field, s) in [("input_tokens", fit.input), ("output_tokens", fit.output)] {
        line(
            &mut y,
            format!(
                "# {field}: mean over the requests; p50 {}, p90 {}, p99 {} (nearest rank)",
                num(s.p50),
                num(s.p90),
                num(s.p99)
            ),
        );
    }
    line(
        &mut y,
        format!("# cached_input_share: {}", cached_source(log)),
    );
    let traffic = match fit.hourly {
        Some(_) => {
            "hourly: arrivals in each UTC hour of the whole days counted, as shares".to_string()
        }
        None => {
            let why = if log.absolute_time {
                "the log covers less than a full day"
            } else {
                "the log's times are relative, so its hours of the day are unknown"
            };
            warnings.push(format!("traffic shape: flat, as {why}"));
            format!("flat, as {why}")
        }
    };
    line(&mut y, format!("# traffic: {traffic}"));
    match fit.burst {
        Some(b) => line(&mut y, format!(
            "# burstiness: {} arrivals a minute over {} minute(s); CV of per-minute arrivals {} against Poisson's 1/√mean {} ({}×)",
            num(b.mean), b.minutes, num(b.cv), num(b.poisson_cv), num(b.cv / b.poisson_cv)
        )),
        None => line(&mut y, "# burstiness: not measured (the log covers fewer than 10 whole minutes, or too long a span)".into()),
    }
    let episode = fit
        .episodes
        .filter(|e| e.covered_share >= 1.0 && e.mean_turns >= EPISODE_MIN_TURNS);
    if let Some(e) = fit.episodes {
        line(&mut y, format!(
            "# sessions: {} ({} of requests), {} turns each on average; first prompt {} tokens, growth {} a turn, {} generated a turn{}",
            e.sessions, pct(e.covered_share), num(e.mean_turns), num(e.initial_prompt),
            num(e.growth_per_turn), num(e.generation),
            if episode.is_some() { ": written as an episode" } else { ": kept as requests (not every request has a session, or under 2 turns)" }
        ));
    }
    line(&mut y, format!("workload: {}", names.id));
    line(
        &mut y,
        format!("name: Fitted from {} recorded requests", fit.requests),
    );
    line(&mut y, format!("model: {}", names.model));
    match episode {
        Some(e) => {
            // Turns are whole: episodes a day are the requests a day over
            // the turns written, so that the profile prices the recorded
            // request count (sessions a day, with a mean of 2.5 turns
            // written as 3, priced 20% more requests than were made).
            let turns = e.mean_turns.round().max(1.0);
            let per_day = fit.requests_per_day / turns;
            line(&mut y, "episode:".into());
            line(&mut y, format!("  episodes_per_day: {}", volume(per_day)));
            line(&mut y, format!("  turns: {turns}"));
            line(
                &mut y,
                format!("  initial_prompt_tokens: {}", num(e.initial_prompt)),
            );
            line(
                &mut y,
                format!("  context_growth_per_turn: {}", num(e.growth_per_turn)),
            );
            line(
                &mut y,
                format!("  generation_tokens: {}", num(e.generation)),
            );
        }
        None => {
            line(
                &mut y,
                format!("requests_per_day: {}", volume(fit.requests_per_day)),
            );
            line(&mut y, format!("input_tokens: {}", num(fit.input.mean)));
            line(&mut y, format!("output_tokens: {}", num(fit.output.mean)));
            line(
                &mut y,
                format!("cached_input_share: {}", round(fit.cached_share, 4)),
            );
            line(&mut y, "batch_share: 0".into());
        }
    }
    line(&mut y, "traffic:".into());
    match fit.hourly {
        Some(h) => {
            line(&mut y, "  shape: hourly".into());
            let w: Vec<String> = h.iter().map(|x| round(*x, 4)).collect();
            line(&mut y, format!("  hourly: [{}]", w.join(", ")));
        }
        None => line(&mut y, "  shape: flat".into()),
    }
    (y, warnings)
}

/// Where the cached share came from.
fn cached_source(log: &Log) -> String {
    if log.formats.contains(&LogFormat::Mooncake) {
        format!(
            "Σ cached / Σ input tokens; a request's cached tokens are its prefix blocks ({MOONCAKE_BLOCK_TOKENS} tokens) seen within {} s before, at most its input",
            num(PREFIX_WINDOW_S)
        )
    } else if log.has_cached {
        "Σ cached_tokens / Σ input_tokens".into()
    } else {
        "0: the log has no cached-token field".into()
    }
}

/// A time as ISO 8601 UTC, or seconds from a relative log's origin.
pub(crate) fn when(log: &Log, t: f64) -> String {
    if !log.absolute_time {
        return format!("+{} s", num(t));
    }
    let secs = t.floor();
    let nanos = ((t - secs) * 1e9).round().min(999_999_999.0) as u32;
    DateTime::from_timestamp(secs as i64, nanos).map_or_else(
        || num(t),
        |d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    )
}

/// A volume a day: 2 decimals, or 4 significant digits below 1 (a sparse
/// log's rate is small but never written as 0).
fn volume(x: f64) -> String {
    let decimals = if x > 0.0 && x < 1.0 {
        (3 - x.log10().floor() as i64).clamp(2, 15) as usize
    } else {
        2
    };
    round(x, decimals)
}

/// A figure with at most 2 decimals, trailing zeros dropped.
pub(crate) fn num(x: f64) -> String {
    round(x, 2)
}

/// `x` with at most `decimals` decimals, trailing zeros dropped.
fn round(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

fn pct(x: f64) -> String {
    format!("{}%", round(100.0 * x, 1))
}

/// Widest line of the written profile, in characters.
const WIDTH: usize = 100;

/// A comment line past [`WIDTH`] characters broken at spaces, each
/// continuation indented under the comment's text ("#   "); anything else
/// (a YAML line, a word longer than the width) as it is.
fn wrapped(line: &str) -> Vec<String> {
    let Some(text) = line.strip_prefix("# ") else {
        return vec![line.to_string()];
    };
    let mut out = vec![String::from("#")];
    for word in text.split(' ') {
        let last = out.last_mut().expect("starts with one line");
        let prefix = last.chars().count() + 1;
        if prefix + word.chars().count() > WIDTH && last.len() > 4 {
            out.push(format!("#   {word}"));
        } else {
            last.push(' ');
            last.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod wrap_tests {
    use super::wrapped;

    #[test]
    fn a_long_comment_breaks_at_spaces_under_100_characters() {
        let long = format!("# {}", ["word"; 30].join(" "));
        // 2 + 30 · 4 + 29 spaces = 151 characters: "# " and 19 words make
        // 2 + 19 · 4 + 18 = 96; a 20th would make 101.
        let lines = wrapped(&long);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].chars().count(), 96);
        assert_eq!(lines[1], format!("#   {}", ["word"; 11].join(" ")));
        assert_eq!(wrapped("# short"), vec!["# short".to_string()]);
        assert_eq!(
            wrapped("requests_per_day: 1"),
            vec!["requests_per_day: 1".to_string()]
        );
    }
}
