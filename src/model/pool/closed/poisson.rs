//! The Poisson law of the requests in a pool (M/G/∞, mean m = λd): its
//! pmf and cdf walked along increasing counts, and the mean first passage
//! of the count to a level, the time a replica level waits to be started.

/// Up to this mean the Poisson pmf and cdf are walked term by term; above
/// it each level is evaluated directly (the walk would take ~20√m steps).
const WALK_UP_TO: f64 = 30.0;

/// The Poisson(m) pmf and cdf at increasing x: walked forward up to a
/// mean of [`WALK_UP_TO`], evaluated directly above.
#[derive(Debug, Clone)]
pub(super) struct Poisson {
    m: f64,
    x: f64,
    p: f64,
    cdf: f64,
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
        }
    }

    /// (p(x), F(x)); x below the walk's position is computed afresh.
    pub(super) fn at(&mut self, x: f64) -> (f64, f64) {
        if x < 0.0 {
            return (0.0, 0.0);
        }
        if self.m > WALK_UP_TO {
            return direct(self.m, x);
        }
        if x < self.x {
            return Poisson::new(self.m).at(x);
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

/// The mean time, in units of 1/λ, for the count of requests in a pool to
/// first reach x from its stationary law below x. The count is taken as
/// the birth–death walk with that Poisson(m) law (arrivals at λ, each
/// request leaving at 1/d), for which the passage n → n + 1 takes
/// F(n)/(λ·p(n)) on average; from the law below x,
/// λ·E[T_x] = Σ_{n<x} F(n)²/p(n) / F(x − 1). The sum starts 12 sd below
/// the mean (the terms below are below 10⁻³⁰ of it) and is walked forward
/// as x grows.
#[derive(Debug, Clone)]
pub(super) struct Passage {
    m: f64,
    n: f64,
    p: f64,
    cdf: f64,
    sum: f64,
}

impl Passage {
    /// The walk at n = max(0, ⌊m − 12√m⌋), nothing summed.
    pub(super) fn new(m: f64) -> Passage {
        let n = (m - 12.0 * m.sqrt()).floor().max(0.0);
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
        }
    }

    /// λ·E[T_x] for x at or above every x asked before (infinite once the
    /// pmf underflows: x is out of reach).
    pub(super) fn to(&mut self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        while self.n < x {
            if self.p <= 1e-290 {
                return f64::INFINITY;
            }
            self.sum += self.cdf * self.cdf / self.p;
            self.n += 1.0;
            self.p *= self.m / self.n;
            self.cdf = (self.cdf + self.p).min(1.0);
        }
        let below = (self.cdf - self.p).max(f64::MIN_POSITIVE);
        self.sum / below
    }
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
fn erfc(x: f64) -> f64 {
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
