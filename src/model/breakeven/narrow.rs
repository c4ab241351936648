//! Narrowing the scale-to-zero break-even search: a few prices near the
//! root (Brent's method), and the proof that lets each of them decide the
//! plain bisection's test at many midpoints without pricing them, whatever
//! the rounding. The bisection itself, and so its answer, is in the parent.

/// Bound on the rounding error of one price, relative to the price plus 24
/// replica-hours: about a hundred times the worst case of the 24-hour sum of
/// `dedicated::VolumeSweep::usd_per_day` (each hour's share of time up is
/// within a few units of 2⁻⁵³ of its exact value, the sum adds one per hour).
const ROUNDING: f64 = 1e-14;

/// Volumes priced while narrowing, for the parent's `bisect_break_even`.
#[derive(Debug, Clone)]
pub(super) struct Known {
    /// The per-token $ per unit.
    a: f64,
    /// 24 replica-hours' worth of $, the floor of the rounding error.
    floor: f64,
    /// (units/day, computed $/day) where dedicated was dearer, nearest the root first.
    dearer: Vec<(f64, f64)>,
    /// (units/day, computed $/day) where dedicated was cheaper, nearest the root first.
    cheaper: Vec<(f64, f64)>,
}

impl Known {
    /// No volume priced yet.
    fn new(a: f64, usd_per_replica_hour: f64) -> Known {
        Known {
            a,
            floor: 24.0 * usd_per_replica_hour,
            dearer: Vec::with_capacity(NARROW_STEPS + 2),
            cheaper: Vec::with_capacity(NARROW_STEPS + 2),
        }
    }

    /// Keeps a priced volume, on its side of the root.
    pub(super) fn record(&mut self, r: f64, usd: f64) {
        if usd >= self.a * r {
            self.dearer.push((r, usd));
            self.dearer.sort_by(|x, y| y.0.total_cmp(&x.0));
        } else {
            self.cheaper.push((r, usd));
            self.cheaper.sort_by(|x, y| x.0.total_cmp(&y.0));
        }
    }

    /// Largest error of a computed $/day whose exact value is at most `usd`.
    fn error(&self, usd: f64) -> f64 {
        ROUNDING * (usd.abs() + self.floor)
    }

    /// The bisection's test `dedicated_at(r) < a·r` at `r`, when a priced
    /// volume settles it whatever the rounding; `None` when `r` must be priced.
    ///
    /// Below a priced volume d, the exact cost is at least r·D(d)/d (cost per
    /// unit never rises) and at most D(d) (cost never falls), so its computed
    /// value is at least r·(D̃(d) − e)/d − e(D(d)). Above a priced volume c,
    /// the exact cost is at most r·D(c)/c, so its computed value is at most
    /// that plus its own error.
    pub(super) fn settles(&self, r: f64) -> Option<bool> {
        let per_token = self.a * r;
        let slack = 16.0 * f64::EPSILON * per_token;
        for &(d, usd) in self.dearer.iter().take_while(|(d, _)| r <= *d) {
            let exact_max = usd + self.error(usd);
            let computed_min = r * (usd - self.error(usd)) / d - self.error(exact_max);
            if computed_min > per_token + slack {
                return Some(false);
            }
        }
        for &(c, usd) in self.cheaper.iter().take_while(|(c, _)| r >= *c) {
            let exact_max = r * (usd + self.error(usd)) / c;
            let computed_max = exact_max + self.error(exact_max);
            if computed_max < per_token - slack {
                return Some(true);
            }
        }
        None
    }
}

/// Prices a few volumes near the break-even, between `lo` (dearer) and `hi`
/// (cheaper), by Brent's method (inverse quadratic interpolation and secant
/// steps, each checked against a bisection step) on g = log(dedicated cost /
/// per-token cost) against log(volume). g is smooth near the root, where
/// Brent converges superlinearly; far from it, the checks fall back to
/// bisection. Every volume priced is recorded in the returned [`Known`].
pub(super) fn narrow(
    dedicated_at: &impl Fn(f64) -> f64,
    a: f64,
    usd_per_replica_hour: f64,
    (lo, at_lo): (f64, f64),
    (hi, at_hi): (f64, f64),
) -> Known {
    let mut known = Known::new(a, usd_per_replica_hour);
    // > 0: dedicated dearer; < 0: cheaper.
    let g = |r: f64, usd: f64| (usd / (a * r)).ln();
    let (mut xa, mut xb) = (lo.ln(), hi.ln());
    let (mut ga, mut gb) = (g(lo, at_lo), g(hi, at_hi));
    if !(ga.is_finite() && gb.is_finite() && ga >= 0.0 && gb < 0.0) {
        return known;
    }
    // A first guess, where a replica up all day (24 replica-hours) plus the
    // marginal cost per unit (that at 10¹³ a day) meets the per-token cost:
    // near the root when traffic keeps a replica warm most hours. It cuts
    // the bracket before Brent spends steps on the far, flat stretches.
    let guess = 24.0 * usd_per_replica_hour / (a - at_hi / hi);
    if guess > lo && guess < hi {
        let usd = dedicated_at(guess);
        let gx = g(guess, usd);
        if gx.is_finite() {
            known.record(guess, usd);
            if gx >= 0.0 {
                (xa, ga) = (guess.ln(), gx);
            } else {
                (xb, gb) = (guess.ln(), gx);
            }
        }
    }
    // b is the best estimate, c the other end of the bracket, a the previous b.
    let (mut xc, mut gc) = (xb, gb);
    let (mut step, mut previous_step) = (0.0_f64, 0.0_f64);
    for _ in 0..NARROW_STEPS {
        if (gb > 0.0) == (gc > 0.0) {
            (xc, gc) = (xa, ga);
            step = xb - xa;
            previous_step = step;
        }
        if gc.abs() < gb.abs() {
            (xa, ga) = (xb, gb);
            (xb, gb) = (xc, gc);
            (xc, gc) = (xa, ga);
        }
        let tol = 2.0 * f64::EPSILON * xb.abs() + 0.5 * NARROW_WIDTH;
        let half = 0.5 * (xc - xb);
        if half.abs() <= tol || gb == 0.0 {
            break;
        }
        if previous_step.abs() >= tol && ga.abs() > gb.abs() {
            let s = gb / ga;
            let (mut p, mut q) = if xa == xc {
                (2.0 * half * s, 1.0 - s)
            } else {
                let (q, r) = (ga / gc, gb / gc);
                (
                    s * (2.0 * half * q * (q - r) - (xb - xa) * (r - 1.0)),
                    (q - 1.0) * (r - 1.0) * (s - 1.0),
                )
            };
            if p > 0.0 {
                q = -q;
            }
            p = p.abs();
            let interpolation_ok =
                2.0 * p < (3.0 * half * q - (tol * q).abs()).min((previous_step * q).abs());
            if interpolation_ok {
                previous_step = step;
                step = p / q;
            } else {
                step = half;
                previous_step = step;
            }
        } else {
            step = half;
            previous_step = step;
        }
        (xa, ga) = (xb, gb);
        xb += if step.abs() > tol {
            step
        } else {
            tol.copysign(half)
        };
        let r = xb.exp();
        let usd = dedicated_at(r);
        gb = g(r, usd);
        if !gb.is_finite() {
            return known;
        }
        known.record(r, usd);
    }
    // The estimate may sit too close to the root to settle anything: make
    // sure a priced volume settles each side from half the final width on.
    for side in [-1.0, 1.0] {
        let probe = (xb + side * NARROW_WIDTH).exp();
        if known.settles(probe).is_none() {
            let r = (xb + side * 0.5 * NARROW_WIDTH).exp();
            known.record(r, dedicated_at(r));
        }
    }
    known
}

/// Bracket width, in log(volume), below which the bisection prices the rest:
/// half its own final width.
const NARROW_WIDTH: f64 = 5e-10;

/// Most prices [`narrow`] takes; the bisection alone takes about 37.
const NARROW_STEPS: usize = 40;
