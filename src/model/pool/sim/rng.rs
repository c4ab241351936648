//! The simulator's own random numbers: SplitMix64 to seed, xoshiro256++
//! to draw (Blackman & Vigna, <https://prng.di.unimi.it/>). No dependency,
//! the same stream on every platform.

/// One SplitMix64 step: advances `state` and returns a well-mixed word.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256++: 256 bits of state, period 2^256 − 1.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// The stream of one day: SplitMix64 over the seed, then the day index
    /// mixed in, expanded into the four state words (never all zero, since
    /// SplitMix64 is a bijection of its successive states).
    pub(crate) fn for_day(seed: u64, day: u64) -> Rng {
        let mut sm = seed;
        let mixed = splitmix64(&mut sm) ^ day.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut sm = mixed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// The next 64 random bits.
    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on (0, 1]: 53 random bits, never 0 (so its log is finite).
    #[inline]
    pub(crate) fn unit_open0(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Exponential with mean 1 (inverse transform: −ln U, U in (0, 1]).
    #[inline]
    pub(crate) fn exp1(&mut self) -> f64 {
        -self.unit_open0().ln()
    }
}

/// Poisson arrival times at `rate` a second from 0 to `seconds`, drawn
/// from day 0 of `seed`: the tests' recordings.
#[cfg(test)]
pub(crate) fn poisson_times(rate: f64, seconds: f64, seed: u64) -> Vec<f64> {
    let mut rng = Rng::for_day(seed, 0);
    let mut t = rng.exp1() / rate;
    let mut out = Vec::new();
    while t < seconds {
        out.push(t);
        t += rng.exp1() / rate;
    }
    out
}
