//! The cost model: pure functions from a workload's demand and an offer's
//! prices to dollars. No I/O, no clock; one file per billing kind. Every
//! formula here is written out, with the workload's numbers, in the report's
//! Method section (`docs/design.md`, "The cost model").

pub mod breakeven;
pub(crate) mod commitment;
pub mod dedicated;
pub mod episode;
pub mod per_token;
pub mod pool;
pub mod traffic;

use crate::profile::Workload;

/// Days in one month: 365/12.
pub const DAYS_PER_MONTH: f64 = 365.0 / 12.0;

/// $/month from $/day.
pub fn usd_per_month(usd_per_day: f64) -> f64 {
    usd_per_day * DAYS_PER_MONTH
}

/// What one unit of work (a request or an episode) asks of a model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Unit {
    /// One request: I input tokens, C of them cached, O output tokens.
    Request {
        /// Mean input tokens (I).
        input: f64,
        /// Mean cached input tokens (C = I · cached_input_share).
        cached: f64,
        /// Mean output tokens (O).
        output: f64,
    },
    /// One multi-turn episode.
    Episode(episode::EpisodeTokens),
}

/// A workload's demand, reduced to what the formulas need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Demand {
    /// Units (requests or episodes) a day: R.
    pub units_per_day: f64,
    /// The shape of one unit.
    pub unit: Unit,
    /// Share of requests that can use a batch tier.
    pub batch_share: f64,
}

impl Demand {
    /// The demand of a workload.
    pub fn of(workload: &Workload) -> Demand {
        match &workload.episode {
            Some(ep) => Demand {
                units_per_day: ep.episodes_per_day,
                unit: Unit::Episode(episode::EpisodeTokens::of(ep)),
                batch_share: 0.0,
            },
            None => Demand {
                units_per_day: workload.requests_per_day.unwrap_or(0.0),
                unit: Unit::Request {
                    input: workload.input_tokens,
                    cached: workload.input_tokens * workload.cached_input_share,
                    output: workload.output_tokens,
                },
                batch_share: workload.batch_share,
            },
        }
    }

    /// The same demand at another volume.
    pub fn at_volume(self, units_per_day: f64) -> Demand {
        Demand {
            units_per_day,
            ..self
        }
    }

    /// The same episodes with `turns` turns, the rest of each episode
    /// unchanged; a request demand is returned as it is.
    pub fn at_turns(self, turns: f64) -> Demand {
        match self.unit {
            Unit::Episode(ep) => Demand {
                unit: Unit::Episode(episode::EpisodeTokens::new(
                    turns,
                    ep.initial_prompt,
                    ep.growth,
                    ep.generation,
                )),
                ..self
            },
            Unit::Request { .. } => self,
        }
    }

    /// Arrivals at a replica per unit: 1 for a request, T for an episode (every turn arrives).
    pub fn arrivals_per_unit(&self) -> f64 {
        match self.unit {
            Unit::Request { .. } => 1.0,
            Unit::Episode(ep) => ep.turns,
        }
    }

    /// λ_h, arrivals per second in each hour of a day spread by `weights`:
    /// what the dedicated pricing, the pool's closed form and its
    /// simulation all read, by the same operations (so the same bits).
    pub fn hourly_arrivals(&self, weights: &[f64; 24]) -> [f64; 24] {
        let arrivals_per_day = self.units_per_day * self.arrivals_per_unit();
        weights.map(|w| arrivals_per_day * w / 3600.0)
    }

    /// Tokens sent plus tokens generated per unit: the denominator of effective $/M tokens.
    pub fn tokens_per_unit(&self) -> f64 {
        match self.unit {
            Unit::Request { input, output, .. } => input + output,
            Unit::Episode(ep) => ep.sent + ep.decoded,
        }
    }

    /// Tokens sent plus generated per day.
    pub fn tokens_per_day(&self) -> f64 {
        self.units_per_day * self.tokens_per_unit()
    }

    /// Longest prompt plus output of one call: what an offer's context must hold.
    pub fn context_needed(&self) -> f64 {
        match self.unit {
            Unit::Request { input, output, .. } => input + output,
            Unit::Episode(ep) => ep.longest_prompt + ep.generation,
        }
    }
}

/// Effective $/M tokens: $/day over the tokens sent and generated a day; `None`
/// when the workload moves no tokens (images, audio).
pub fn usd_per_mtok(usd_per_day: f64, tokens_per_day: f64) -> Option<f64> {
    (tokens_per_day > 0.0).then(|| usd_per_day / tokens_per_day * 1e6)
}
