//! Mooncake's prefix-block hashes turned into cached tokens: a block seen
//! shortly before is in the prefix cache.

use std::collections::HashMap;

/// Mooncake's prefix block: 512 tokens (FAST25-release/README.md).
pub(crate) const MOONCAKE_BLOCK_TOKENS: u32 = 512;
/// A prefix block counts as cached when it was seen at most this long
/// before (one hour, a generous prefix-cache lifetime).
pub(crate) const PREFIX_WINDOW_S: f64 = 3600.0;
/// Most blocks the cache holds: 2²² blocks of 512 tokens, 2.1 billion
/// tokens, more KV cache than any replica keeps (Mooncake's conversation
/// trace sees about 0.25 million blocks an hour).
const MOST_BLOCKS: usize = 1 << 22;

/// Mooncake's prefix blocks seen, with when: a request's cached tokens are
/// its blocks seen within [`PREFIX_WINDOW_S`] before, times 512, at most
/// its input. Past [`MOST_BLOCKS`] it forgets the blocks older than the
/// window, then, if still above half of it, the oldest down to half, so
/// memory stays bounded and each line costs O(1) amortized (until
/// 2026-12-08 a log of more than 2²² blocks within an hour rescanned all
/// of them on every line: 2,000 lines took 15.6 s).
pub(crate) struct PrefixCache {
    seen: HashMap<u64, f64>,
    most: usize,
}

impl Default for PrefixCache {
    fn default() -> PrefixCache {
        PrefixCache::holding(MOST_BLOCKS)
    }
}

impl PrefixCache {
    fn holding(most: usize) -> PrefixCache {
        PrefixCache {
            seen: HashMap::new(),
            most: most.max(2),
        }
    }

    pub(crate) fn cached_tokens(&mut self, hashes: &[u64], t: f64, input: u32) -> u32 {
        let mut hits: u32 = 0;
        for h in hashes {
            if let Some(&seen) = self.seen.get(h) {
                if t - seen <= PREFIX_WINDOW_S {
                    hits = hits.saturating_add(1);
                }
            }
            self.seen.insert(*h, t);
            if self.seen.len() > self.most {
                self.forget(t);
            }
        }
        hits.saturating_mul(MOONCAKE_BLOCK_TOKENS).min(input)
    }

    /// Forgets the blocks older than the window at `t`, then the oldest
    /// down to half of [`PrefixCache::most`].
    fn forget(&mut self, t: f64) {
        self.seen.retain(|_, seen| t - *seen <= PREFIX_WINDOW_S);
        let keep = self.most / 2;
        if self.seen.len() <= keep {
            return;
        }
        // Exactly the `drop` oldest, ties broken by the hash: with a cut on
        // time alone, blocks sharing one timestamp went all at once,
        // the ones just added included (a second read).
        let mut blocks: Vec<(f64, u64)> = self.seen.iter().map(|(&h, &t)| (t, h)).collect();
        let drop = blocks.len() - keep;
        let oldest = |a: &(f64, u64), b: &(f64, u64)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        blocks.select_nth_unstable_by(drop - 1, oldest);
        for (_, h) in &blocks[..drop] {
            self.seen.remove(h);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block seen again within the hour is cached; after the hour, not.
    /// Two blocks, the first seen at 0 s: at 100 s one hit (512 tokens),
    /// at 4,000 s none of the first request's (both refreshed at 100 s:
    /// 3,900 s before, past the window).
    #[test]
    fn a_block_seen_within_the_hour_is_cached() {
        let mut c = PrefixCache::default();
        assert_eq!(c.cached_tokens(&[1, 2], 0.0, 2000), 0);
        assert_eq!(c.cached_tokens(&[1, 3], 100.0, 2000), 512);
        assert_eq!(c.cached_tokens(&[1, 2], 4000.0, 2000), 0);
    }

    /// Past its size the cache forgets the oldest blocks first and never
    /// holds more than it may. Holding 8: blocks 0 to 8 seen at 0 to 8 s;
    /// the ninth makes 9 > 8, so it forgets the oldest down to 4 (5, 6, 7,
    /// 8 kept; 9 then added): block 8 is a hit, block 0 a miss, all within
    /// the hour.
    #[test]
    fn a_full_cache_forgets_the_oldest_blocks_first() {
        let mut c = PrefixCache::holding(8);
        for b in 0..=8u64 {
            c.cached_tokens(&[b], b as f64, 512);
            assert!(c.seen.len() <= 8);
        }
        c.cached_tokens(&[9], 9.0, 512);
        assert!(c.seen.len() <= 8, "{}", c.seen.len());
        assert_eq!(c.cached_tokens(&[8], 10.0, 512), 512);
        assert_eq!(c.cached_tokens(&[0], 11.0, 512), 0);
    }

    /// Blocks that share one timestamp are forgotten by their hash, never
    /// all at once: holding 8, blocks 0 to 8 all seen at 0 s keep exactly
    /// 4 (those of the largest hashes, 5 to 8), so block 8 is still a hit.
    #[test]
    fn blocks_of_one_instant_are_forgotten_one_by_one() {
        let mut c = PrefixCache::holding(8);
        c.cached_tokens(&(0..=8).collect::<Vec<u64>>(), 0.0, 512 * 9);
        assert_eq!(c.seen.len(), 4);
        assert_eq!(c.cached_tokens(&[8], 1.0, 512), 512);
        assert_eq!(c.cached_tokens(&[0], 2.0, 512), 0);
    }
}
