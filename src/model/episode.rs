//! Multi-turn episodes (agent sessions, RL rollouts): every turn re-sends the
//! whole history, so prompt tokens grow quadratically in the number of turns.

use crate::profile::Episode;

/// The token counts of one episode.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpisodeTokens {
    /// Turns (T).
    pub turns: f64,
    /// Initial prompt (P1).
    pub initial_prompt: f64,
    /// Context added per turn (Δ).
    pub growth: f64,
    /// Tokens decoded per turn (G).
    pub generation: f64,
    /// Prompt tokens sent over the episode: S = T·P1 + Δ·T(T−1)/2.
    pub sent: f64,
    /// Unique prompt tokens: U = P1 + (T−1)·Δ.
    pub unique: f64,
    /// Tokens decoded: D = T·G.
    pub decoded: f64,
    /// The longest prompt, that of the last turn: P1 + (T−1)·Δ.
    pub longest_prompt: f64,
}

impl EpisodeTokens {
    /// S, U and D of an episode profile.
    pub fn of(ep: &Episode) -> EpisodeTokens {
        EpisodeTokens::new(
            f64::from(ep.turns),
            ep.initial_prompt_tokens,
            ep.context_growth_per_turn,
            ep.generation_tokens,
        )
    }

    /// S, U and D from T, P1, Δ and G.
    pub fn new(turns: f64, initial_prompt: f64, growth: f64, generation: f64) -> EpisodeTokens {
        let unique = initial_prompt + (turns - 1.0) * growth;
        EpisodeTokens {
            turns,
            initial_prompt,
            growth,
            generation,
            sent: turns * initial_prompt + growth * turns * (turns - 1.0) / 2.0,
            unique,
            decoded: turns * generation,
            longest_prompt: unique,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_turn_episode_sends_quadratically_many_tokens() {
        // T = 20, P1 = 8,000, Δ = 1,500, G = 500.
        let ep = EpisodeTokens::new(20.0, 8_000.0, 1_500.0, 500.0);
        // S = 20·8,000 + 1,500·20·19/2 = 160,000 + 285,000 = 445,000
        assert_eq!(ep.sent, 445_000.0);
        // U = 8,000 + 19·1,500 = 36,500
        assert_eq!(ep.unique, 36_500.0);
        // D = 20·500 = 10,000
        assert_eq!(ep.decoded, 10_000.0);
    }

    #[test]
    fn one_turn_episode_is_one_request() {
        let ep = EpisodeTokens::new(1.0, 8_000.0, 1_500.0, 500.0);
        assert_eq!((ep.sent, ep.unique, ep.decoded), (8_000.0, 8_000.0, 500.0));
    }
}
