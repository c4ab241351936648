//! The Poisson law of the requests in a pool (M/G/∞, mean m = λd): its
//! pmf and cdf walked along increasing counts, and the mean first passage
//! of the count to a level, the time a replica level waits to be started.

/// Up to this mean the Poisson pmf and cdf are walked term by term from 0;
/// above it the walk starts where it is first asked, evaluated directly.
const WALK_UP_TO: f64 = 30.0;
/// A step forward longer than this is evaluated directly, not walked: a
/// direct evaluation ([`direct`]: three logarithms, two exponentials, a
/// cube root) costs about as much as twenty steps. At 512 the walks were
/// a quarter of the bundled report's instructions; at 64 they are 5.4%
/// fewer in all, and no figure of the report moves by more than 3·10⁻⁶
/// of itself (2026-12-07; 16 moved a cold-start share by 1.4·10⁻³).
const LONGEST_WALK: f64 = 64.0;

/// The Poisson(m) pmf and cdf at increasing x: walked forward from 0 up to
/// a mean of [`WALK_UP_TO`]; above it, evaluated directly ([`direct`]) at
/// the first x asked, after a step back or a step of more than
/// [`LONGEST_WALK`], and walked forward from there (p(x + 1) =
/// p(x)·m/(x + 1), F adds it).
#[derive(Debug, Clone)]
pub(super) struct Poisson {
    m: f64,
    x: f64,
    p: f64,
    cdf: f64,
    /// Whether (x, p, cdf) holds a point yet (above [`WALK_UP_TO`]).
    placed: bool,
}

impl Poisson {
    /// The walk at x = 0: p = F = e^(−m).
    pub(super) fn new(m: f64) -> Poisson {
        let p = (-m).exp();
        Poisson {
            m,
            x: 0.0,
            p,
            cdf: p,
            placed: m <= WALK_UP_TO,
        }
    }

    /// (p(x), F(x)); x below the walk's position is computed afresh.
    pub(super) fn at(&mut self, x: f64) -> (f64, f64) {
        if x < 0.0 {
            return (0.0, 0.0);
        }
        if x < self.x || (self.m > WALK_UP_TO && (!self.placed || x - self.x > LONGEST_WALK)) {
            if self.m <= WALK_UP_TO {
                return Poisson::new(self.m).at(x);
            }
            (self.p, self.cdf) = direct(self.m, x);
            (self.x, self.placed) = (x, true);
        }
        while self.x < x {
            self.x += 1.0;
            self.p *= self.m / self.x;
            self.cdf += self.p;
            if self.p < 1e-30 && self.x > self.m {
                (self.p, self.cdf, self.x) = (0.0, 1.0, x);
            }
        }
        (self.p, self.cdf.min(1.0))
    }
}

/// Above this standard deviation of N the passage sum is taken in strides
/// of sd/16 counts ([`Passage::to`]), not count by count: a walk costs
/// ~12 sd steps an hour, the strides 190 direct evaluations.
const STRIDE_ABOVE_SD: f64 = 512.0;

/// The mean time, in units of 1/λ, for the count of requests in a pool to
/// first reach x from its stationary law below x. The count is taken as
/// the birth–death walk with that Poisson(m) law (arrivals at λ, each
/// request leaving at 1/d), for which the passage n → n + 1 takes
/// F(n)/(λ·p(n)) on average; from the law below x,
/// λ·E[T_x] = Σ_{n<x} F(n)²/p(n) / F(x − 1). The sum starts 5 sd below
/// the mean (the terms below add less than 10⁻⁸ of it) and is walked
/// forward as x grows.
#[derive(Debug, Clone)]
pub(super) struct Passage {
    m: f64,
    n: f64,
    p: f64,
    cdf: f64,
    sum: f64,
    /// Counts per stride: 1 (walked) up to [`STRIDE_ABOVE_SD`], sd/16 above.
    stride: f64,
}

impl Passage {
    /// The walk at n = max(0, ⌊m − 5√m⌋), nothing summed.
    pub(super) fn new(m: f64) -> Passage {
        let sd = m.sqrt();
        let n = (m - 5.0 * sd).floor().max(0.0);
        let (p, cdf) = if n == 0.0 {
            let p = (-m).exp();
            (p, p)
        } else {
            direct(m, n)
        };
        Passage {
            m,
            n,
            p,
            cdf,
            sum: 0.0,
            stride: if sd > STRIDE_ABOVE_SD {
                (sd / 16.0).floor()
            } else {
                1.0
            },
        }
    }

    /// λ·E[T_x] for x at or above every x asked before (infinite once the
    /// pmf underflows: x is out of reach).
    pub(super) fn to(&mut self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        if self.stride > 1.0 {
            self.stride_to(x);
        } else {
            self.walk_to(x);
        }
        if self.p <= 1e-290 {
            return f64::INFINITY;
        }
        let below = (self.cdf - self.p).max(f64::MIN_POSITIVE);
        self.sum / below
    }

    /// Count by count: p(n + 1) = p(n)·m/(n + 1), F adds it.
    fn walk_to(&mut self, x: f64) {
        // 1/p is carried by multiplication, so no division waits on p.
        let inv_m = 1.0 / self.m;
        let mut inv_p = 1.0 / self.p;
        while self.n < x && self.p > 1e-290 {
            self.sum += self.cdf * self.cdf * inv_p;
            self.n += 1.0;
            self.p *= self.m / self.n;
            inv_p *= self.n * inv_m;
            self.cdf = (self.cdf + self.p).min(1.0);
        }
    }

    /// In strides: p and F evaluated directly at each stride's end, the
    /// terms F²/p inside it taken as geometric between its two ends (ln of
    /// a term bends by about 1/sd² a count, so a stride of sd/16 counts
    /// is off by about 10⁻³ of itself).
    fn stride_to(&mut self, x: f64) {
        while self.n < x && self.p > 1e-290 {
            let next = (self.n + self.stride).min(x);
            let (p, cdf) = direct(self.m, next);
            let from = self.cdf * self.cdf / self.p;
            let to = cdf * cdf / p.max(f64::MIN_POSITIVE);
            self.sum += geometric(from, to, next - self.n);
            (self.n, self.p, self.cdf) = (next, p, cdf);
        }
    }
}

/// Σ_{j<k} a·r^j with r = (b/a)^(1/k): k terms from a towards b.
fn geometric(a: f64, b: f64, k: f64) -> f64 {
    let log_ratio = (b / a).ln() / k;
    if !log_ratio.is_finite() {
        return a * k;
    }
    if log_ratio.abs() < 1e-12 {
        return a * k;
    }
    a * (b / a - 1.0) / log_ratio.exp_m1()
}

/// The Poisson(m) pmf at x exactly (ln x! by Stirling), and its cdf by the
/// Wilson–Hilferty cube root of the equivalent χ² tail: P(N ≤ x) =
/// P(χ²₂₍ₓ₊₁₎ > 2m), relative error a few parts in 10³ in the tails, for
/// m above [`WALK_UP_TO`].
pub(super) fn direct(m: f64, x: f64) -> (f64, f64) {
    let p = (-m + x * m.ln() - ln_factorial(x)).exp();
    let k = 2.0 * (x + 1.0);
    let spread = (2.0 / (9.0 * k)).sqrt();
    let z = ((2.0 * m / k).cbrt() - (1.0 - 2.0 / (9.0 * k))) / spread;
    (p, 0.5 * erfc(z / std::f64::consts::SQRT_2))
}

/// ln x!: summed below 20, else Stirling's series (error below 10⁻¹³).
fn ln_factorial(x: f64) -> f64 {
    if x < 20.0 {
        return (2..=x as u32).map(|i| f64::from(i).ln()).sum();
    }
    let inv = 1.0 / x;
    x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln() + inv / 12.0
        - inv * inv * inv / 360.0
}

/// The complementary error function, to 1.2·10⁻⁷ relative (Numerical
/// Recipes' Chebyshev fit, `erfcc`).
pub(super) fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}
