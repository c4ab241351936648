//! A fixed histogram of queueing waits: memory does not grow with traffic.
//!
//! Zero waits have their own count. A positive wait w = 2^e · (1 + f),
//! 0 ≤ f < 1, falls in bucket (e, ⌊128 f⌋): 128 linear buckets per octave,
//! read straight from the bits of the f64 (no logarithm). A bucket spans
//! [lo, lo · (1 + 1/(128 + k))) for its k-th sub-bucket, so its width is at
//! most 1/128 = 0.78% of its lower edge, and a quantile reported as the
//! bucket's midpoint is within 1/256 = 0.39% of the true wait. Waits run
//! from 2^-40 s (≈ 0.9 ps) to 2^20 s (≈ 12 days); shorter ones count in the
//! first bucket, longer ones (none: a day is 86,400 s) in the last.

/// Smallest octave kept: 2^-40 s.
const E_MIN: i64 = -40;
/// Octaves kept: 2^-40 s to 2^20 s.
const OCTAVES: i64 = 60;
/// Linear buckets per octave (the top 7 bits of the mantissa).
const PER_OCTAVE: i64 = 128;
/// Buckets in all.
const BUCKETS: usize = (OCTAVES * PER_OCTAVE) as usize;

/// Counts of waits: zero, and positive by bucket.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Waits {
    zero: u64,
    buckets: Vec<u64>,
}

impl Waits {
    /// An empty histogram (one allocation of 7,680 counters, 60 KB).
    pub(crate) fn new() -> Waits {
        Waits {
            zero: 0,
            buckets: vec![0; BUCKETS],
        }
    }

    /// Counts one wait in seconds (≤ 0 or NaN counts as no wait).
    #[inline]
    pub(crate) fn record(&mut self, wait_s: f64) {
        if wait_s > 0.0 {
            self.buckets[bucket(wait_s)] += 1;
        } else {
            self.zero += 1;
        }
    }

    /// Waits recorded.
    pub(crate) fn count(&self) -> u64 {
        self.zero + self.buckets.iter().sum::<u64>()
    }

    /// Waits that were zero.
    pub(crate) fn zeros(&self) -> u64 {
        self.zero
    }

    /// Adds another histogram's counts to this one.
    pub(crate) fn merge(&mut self, other: &Waits) {
        self.zero += other.zero;
        for (a, b) in self.buckets.iter_mut().zip(&other.buckets) {
            *a += b;
        }
    }

    /// The p-quantile (0 < p ≤ 1) by nearest rank: the ⌈p·n⌉-th smallest
    /// wait, as its bucket's midpoint (0 when it is a zero wait, and when
    /// nothing was recorded).
    pub(crate) fn quantile(&self, p: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return 0.0;
        }
        let rank = ((p.clamp(0.0, 1.0) * n as f64).ceil() as u64).clamp(1, n);
        if rank <= self.zero {
            return 0.0;
        }
        let mut seen = self.zero;
        for (i, &c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return midpoint(i);
            }
        }
        midpoint(BUCKETS - 1)
    }
}

/// The bucket of a positive wait.
#[inline]
fn bucket(w: f64) -> usize {
    let bits = w.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let k = ((bits >> 45) & 0x7f) as i64;
    ((e - E_MIN) * PER_OCTAVE + k).clamp(0, BUCKETS as i64 - 1) as usize
}

/// The midpoint of bucket `i`: 2^e · (1 + (k + ½)/128).
fn midpoint(i: usize) -> f64 {
    let e = i as i64 / PER_OCTAVE + E_MIN;
    let k = (i as i64 % PER_OCTAVE) as f64;
    (e as f64).exp2() * (1.0 + (k + 0.5) / PER_OCTAVE as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantile_is_within_0_39_percent_of_the_wait() {
        // 1.0 s is the lower edge of bucket (0, 0): midpoint 1 + 0.5/128 =
        // 1.00390625 s, 0.39% above. 1.5 s: bucket (0, 64), midpoint
        // 1 + 64.5/128 = 1.50390625. 3e-6 s = 2^-19 · 1.5729: bucket k = 73,
        // midpoint 2^-19 · (1 + 73.5/128) = 1.9073e-6 · 1.5742 = 3.00258e-6.
        for (w, mid) in [(1.0, 1.00390625), (1.5, 1.50390625), (3e-6, 3.00258e-6)] {
            let mut h = Waits::new();
            h.record(w);
            let q = h.quantile(0.5);
            assert!((q / mid - 1.0).abs() < 1e-5, "{w}: {q} vs {mid}");
            assert!((q / w - 1.0).abs() <= 1.0 / 256.0, "{w}: {q}");
        }
    }

    #[test]
    fn quantiles_by_nearest_rank_with_zeros_included() {
        // 60 zeros and 40 waits of 2 s: ranks 1-60 are 0, ranks 61-100 are
        // 2 s (bucket midpoint 2 · (1 + 0.5/128) = 2.0078125). p50 → rank
        // 50 → 0; p60 → rank 60 → 0; p61 → rank 61 → 2.0078; p99 → 2.0078.
        let mut h = Waits::new();
        (0..60).for_each(|_| h.record(0.0));
        (0..40).for_each(|_| h.record(2.0));
        assert_eq!(h.count(), 100);
        assert_eq!(h.zeros(), 60);
        assert_eq!(h.quantile(0.5), 0.0);
        assert_eq!(h.quantile(0.6), 0.0);
        assert_eq!(h.quantile(0.61), 2.0078125);
        assert_eq!(h.quantile(0.99), 2.0078125);
        assert_eq!(Waits::new().quantile(0.99), 0.0);
    }
}
