//! Fitting a workload profile to a request log: volume, token sizes and
//! their percentiles, the cached share, the 24-hour shape, burstiness and
//! episode structure, each with how it was derived (typed; the words are
//! [`super::yaml`]'s). Pure: the requests in, the figures out.

use super::{Log, Request, NO_SESSION};

/// Seconds in a day.
const DAY_S: f64 = 86_400.0;
/// Most minutes counted for burstiness (about 4 years).
const MAX_MINUTES: f64 = 2e6;
/// Fewest whole minutes burstiness is measured on (a CV of fewer counts
/// says nothing).
const MIN_MINUTES: f64 = 10.0;

/// How requests per day were derived.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum PerDay {
    /// Requests in the first `days` whole days from the first arrival, over `days`.
    WholeDays {
        /// Whole days counted.
        days: u32,
        /// Requests in them.
        requests: u64,
    },
    /// A log shorter than a day: (requests − 1) gaps over the span, scaled to a day.
    Scaled,
}

/// Mean and percentiles of a token count.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Spread {
    /// Mean.
    pub mean: f64,
    /// Median (nearest rank).
    pub p50: f64,
    /// 90th percentile (nearest rank).
    pub p90: f64,
    /// 99th percentile (nearest rank).
    pub p99: f64,
}

/// Per-minute arrivals against a Poisson process of the same mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Burst {
    /// Whole minutes counted from the first arrival.
    pub minutes: u64,
    /// Mean arrivals a minute.
    pub mean: f64,
    /// Coefficient of variation of the per-minute counts (population sd / mean).
    pub cv: f64,
    /// Poisson's CV at that mean: 1/√mean.
    pub poisson_cv: f64,
}

/// Multi-turn structure from session ids.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Episodes {
    /// Sessions seen.
    pub sessions: u64,
    /// Share of requests with a session id.
    pub covered_share: f64,
    /// Mean turns (requests) per session.
    pub mean_turns: f64,
    /// Mean input tokens of a session's first request.
    pub initial_prompt: f64,
    /// Mean growth of the input per turn: (last − first input)/(turns − 1)
    /// over sessions of 2 turns or more, floored at 0.
    pub growth_per_turn: f64,
    /// Mean output tokens per request.
    pub generation: f64,
}

/// What a log comes to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fitted {
    /// Requests in the log.
    pub requests: u64,
    /// First arrival.
    pub first_t: f64,
    /// Last arrival.
    pub last_t: f64,
    /// Requests a day.
    pub requests_per_day: f64,
    /// How.
    pub per_day: PerDay,
    /// Input tokens.
    pub input: Spread,
    /// Output tokens.
    pub output: Spread,
    /// Σ cached / Σ input.
    pub cached_share: f64,
    /// Arrivals per UTC hour of the day over the whole days, as shares;
    /// `None` when the log covers less than a day or its times are relative.
    pub hourly: Option<[f64; 24]>,
    /// `None` when the log covers fewer than 10 whole minutes, or too many to count.
    pub burst: Option<Burst>,
    /// `None` without session ids.
    pub episodes: Option<Episodes>,
}

/// Fits a log (its requests sorted, at least one). An error when the
/// arrivals tell no rate (one arrival, or all at one instant).
pub(crate) fn fit(log: &Log) -> Result<Fitted, String> {
    let r = &log.requests;
    let (Some(first), Some(last)) = (r.first(), r.last()) else {
        return Err("no request to fit".into());
    };
    let span = last.t - first.t;
    if span <= 0.0 {
        return Err(format!(
            "{} request(s), all at one instant: no rate can be told; give a longer log",
            r.len()
        ));
    }
    let (requests_per_day, per_day, hourly) = volume(log, first.t, span);
    if requests_per_day < 1e-9 {
        return Err(format!(
            "{} request(s) over {span:.0} s: under 10⁻⁹ a day, no volume to price; check the timestamps",
            r.len()
        ));
    }
    let sum_in: f64 = r.iter().map(|q| f64::from(q.input)).sum();
    let sum_cached: f64 = r.iter().map(|q| f64::from(q.cached)).sum();
    Ok(Fitted {
        requests: r.len() as u64,
        first_t: first.t,
        last_t: last.t,
        requests_per_day,
        per_day,
        input: spread(r.iter().map(|q| q.input)),
        output: spread(r.iter().map(|q| q.output)),
        cached_share: if sum_in > 0.0 {
            sum_cached / sum_in
        } else {
            0.0
        },
        hourly,
        burst: burst(r, first.t, span),
        episodes: episodes(log),
    })
}

/// Requests a day, how, and the hourly shares over the whole days.
fn volume(log: &Log, first: f64, span: f64) -> (f64, PerDay, Option<[f64; 24]>) {
    let r = &log.requests;
    if span < DAY_S {
        let per_day = (r.len() as f64 - 1.0) * DAY_S / span;
        return (per_day, PerDay::Scaled, None);
    }
    let days = (span / DAY_S).floor().min(f64::from(u32::MAX));
    let end = first + days * DAY_S;
    let mut hours = [0u64; 24];
    let mut requests = 0u64;
    for q in r.iter().take_while(|q| q.t < end) {
        requests += 1;
        hours[hour_of_day(q.t)] += 1;
    }
    let shares = hours.map(|h| h as f64 / requests.max(1) as f64);
    (
        requests as f64 / days,
        PerDay::WholeDays {
            days: days as u32,
            requests,
        },
        log.absolute_time.then_some(shares),
    )
}

/// The UTC hour of a Unix time.
fn hour_of_day(t: f64) -> usize {
    ((t.rem_euclid(DAY_S) / 3600.0) as usize).min(23)
}

/// Mean and nearest-rank percentiles.
fn spread(values: impl Iterator<Item = u32>) -> Spread {
    let mut v: Vec<u32> = values.collect();
    if v.is_empty() {
        return Spread::default();
    }
    v.sort_unstable();
    let n = v.len();
    let rank = |q: f64| f64::from(v[((q * n as f64).ceil() as usize).clamp(1, n) - 1]);
    Spread {
        mean: v.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64,
        p50: rank(0.5),
        p90: rank(0.9),
        p99: rank(0.99),
    }
}

/// Per-minute counts over the whole minutes from the first arrival (a
/// partial last minute left out, as it would read as a lull).
fn burst(r: &[Request], first: f64, span: f64) -> Option<Burst> {
    let minutes = (span / 60.0).floor();
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        return None;
    }
    let mut counts = vec![0u64; minutes as usize];
    let end = first + 60.0 * minutes;
    for q in r.iter().take_while(|q| q.t < end) {
        let m = (((q.t - first) / 60.0) as usize).min(counts.len() - 1);
        counts[m] += 1;
    }
    let n = counts.len() as f64;
    let mean = counts.iter().sum::<u64>() as f64 / n;
    if mean <= 0.0 {
        return None;
    }
    let var = counts
        .iter()
        .map(|&c| (c as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    Some(Burst {
        minutes: counts.len() as u64,
        mean,
        cv: var.sqrt() / mean,
        poisson_cv: 1.0 / mean.sqrt(),
    })
}

/// Sessions' turns, first prompts and growth, in arrival order.
fn episodes(log: &Log) -> Option<Episodes> {
    if log.sessions.is_empty() {
        return None;
    }
    // Per session: (turns, first input, last input).
    let mut per: Vec<(u64, f64, f64)> = vec![(0, 0.0, 0.0); log.sessions.len()];
    let mut covered = 0u64;
    for q in log.requests.iter().filter(|q| q.session != NO_SESSION) {
        covered += 1;
        let s = &mut per[q.session as usize];
        if s.0 == 0 {
            s.1 = f64::from(q.input);
        }
        s.0 += 1;
        s.2 = f64::from(q.input);
    }
    let n = per.len() as f64;
    let multi: Vec<f64> = per
        .iter()
        .filter(|s| s.0 >= 2)
        .map(|s| ((s.2 - s.1) / (s.0 as f64 - 1.0)).max(0.0))
        .collect();
    let with_session: Vec<u32> = log
        .requests
        .iter()
        .filter(|q| q.session != NO_SESSION)
        .map(|q| q.output)
        .collect();
    Some(Episodes {
        sessions: per.len() as u64,
        covered_share: covered as f64 / log.requests.len() as f64,
        mean_turns: covered as f64 / n,
        initial_prompt: per.iter().map(|s| s.1).sum::<f64>() / n,
        growth_per_turn: if multi.is_empty() {
            0.0
        } else {
            multi.iter().sum::<f64>() / multi.len() as f64
        },
        generation: spread(with_session.into_iter()).mean,
    })
}
