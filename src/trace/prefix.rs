//! Mooncake's prefix-block hashes turned into cached tokens: a block seen
//! shortly before is in the prefix cache.

use std::collections::HashMap;

/// Mooncake's prefix block: 512 tokens (FAST25-release/README.md).
pub(crate) const MOONCAKE_BLOCK_TOKENS: u32 = 512;
/// A prefix block counts as cached when it was seen at most this long
/// before (one hour, a generous prefix-cache lifetime).
pub(crate) const PREFIX_WINDOW_S: f64 = 3600.0;

/// Mooncake's prefix blocks seen, with when: a request's cached tokens are
/// its blocks seen within [`PREFIX_WINDOW_S`] before, times 512, at most
/// its input. Pruned of blocks older than the window when it grows past
/// 2²² blocks, so memory stays bounded.
#[derive(Default)]
pub(crate) struct PrefixCache {
    seen: HashMap<u64, f64>,
}

impl PrefixCache {
    pub(crate) fn cached_tokens(&mut self, hashes: &[u64], t: f64, input: u32) -> u32 {
        let mut hits: u32 = 0;
        for h in hashes {
            if let Some(&seen) = self.seen.get(h) {
                if t - seen <= PREFIX_WINDOW_S {
                    hits = hits.saturating_add(1);
                }
            }
            self.seen.insert(*h, t);
        }
        if self.seen.len() > 1 << 22 {
            self.seen.retain(|_, seen| t - *seen <= PREFIX_WINDOW_S);
        }
        hits.saturating_mul(MOONCAKE_BLOCK_TOKENS).min(input)
    }
}
