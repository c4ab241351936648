//! The root finder of the scaled pools' break-even search (price ->
//! **break-even**): Brent's method on log(volume), between a volume where
//! dedicated is priced dearer and one where it is priced cheaper than the
//! per-token offer. Every volume it narrows to is priced; none is decided
//! from a neighbour.

/// Relative width, in volume, of the bracket a search ends with: the
/// volume returned is within this share of a crossing. Words show a
/// break-even to 3 significant figures; the JSON carries the number to 9,
/// of which the first 6 are the search's.
pub(crate) const RESOLUTION: f64 = 1e-9;

/// Most volumes one narrowing prices: bisection alone takes about 36 from
/// 10⁻⁶ to 10¹³ a day; Brent's steps fall back to bisection when
/// interpolation does not narrow, so this bound is never the one that stops
/// a search of a finite cost.
const MOST_STEPS: usize = 100;

/// A priced volume: x = ln(volume), and the sign of `f` is "dearer" (> 0)
/// or "cheaper" (< 0), its size ln(dedicated / per-token), which is what
/// the interpolation uses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Priced {
    x: f64,
    volume: f64,
    f: f64,
}

impl Priced {
    /// Prices `volume`: dedicated's $ a day there against `a` $ a unit.
    /// "Cheaper" is decided by the same comparison the search's callers
    /// make (`usd < a·volume`); a NaN cost is "not cheaper".
    pub(crate) fn at(volume: f64, dedicated_at: &impl Fn(f64) -> f64, a: f64) -> Priced {
        let usd = dedicated_at(volume);
        let per_token = a * volume;
        let cheaper = usd < per_token;
        // ln of the ratio, kept finite and of the sign "cheaper" says.
        let ratio = (usd / per_token).ln();
        let f = if cheaper {
            ratio.clamp(-700.0, -f64::MIN_POSITIVE)
        } else if ratio.is_nan() {
            700.0
        } else {
            ratio.clamp(f64::MIN_POSITIVE, 700.0)
        };
        Priced {
            x: volume.ln(),
            volume,
            f,
        }
    }

    /// Dedicated is cheaper here.
    pub(crate) fn cheaper(&self) -> bool {
        self.f < 0.0
    }
}

/// Narrows `[dearer, cheaper]` (either order in volume) to a relative width
/// of [`RESOLUTION`] around a crossing, and returns its two ends, the
/// dearer first: priced volumes where dedicated is not cheaper and is, at
/// most `RESOLUTION` apart. Brent's method (inverse quadratic interpolation and secant steps,
/// bisection where they do not narrow) on ln(dedicated / per-token) against
/// ln(volume): near-linear in both at low and high volume, so it takes
/// about a dozen prices where bisection takes 36.
pub(crate) fn narrow(
    dearer: Priced,
    cheaper: Priced,
    dedicated_at: impl Fn(f64) -> f64,
    a: f64,
) -> (f64, f64) {
    // Half the final width in ln(volume): the bracket [best, other] ends at
    // most 2·tol wide, a relative RESOLUTION in volume.
    let tol = 0.5 * RESOLUTION.ln_1p();
    let (mut before, mut best) = (dearer, cheaper);
    let mut other = before;
    for _ in 0..MOST_STEPS {
        let last_step = best.x - before.x;
        if other.f.abs() < best.f.abs() {
            (before, best, other) = (best, other, best);
        }
        let half = 0.5 * (other.x - best.x);
        if half.abs() <= tol {
            break;
        }
        let mut step = half;
        if last_step.abs() >= tol && before.f.abs() > best.f.abs() {
            let (p, q) = interpolate(before, best, other, half);
            if p < 1.5 * half * q - 0.5 * (tol * q).abs() && p < (0.5 * last_step * q).abs() {
                step = p / q;
            }
        }
        if step.abs() < tol {
            step = tol.copysign(step);
        }
        before = best;
        best = Priced::at((best.x + step).exp(), &dedicated_at, a);
        if best.cheaper() == other.cheaper() {
            other = before;
        }
    }
    if best.cheaper() {
        (other.volume, best.volume)
    } else {
        (best.volume, other.volume)
    }
}

/// Brent's interpolated step from `best` as p/q (p ≥ 0, the sign moved to
/// q): the secant through `before` and `best` when `other` is `before`,
/// else inverse quadratic interpolation through all three.
fn interpolate(before: Priced, best: Priced, other: Priced, half: f64) -> (f64, f64) {
    let s = best.f / before.f;
    let (p, q) = if before.x == other.x {
        (2.0 * half * s, 1.0 - s)
    } else {
        let q = before.f / other.f;
        let r = best.f / other.f;
        (
            s * (2.0 * half * q * (q - r) - (best.x - before.x) * (r - 1.0)),
            (q - 1.0) * (r - 1.0) * (s - 1.0),
        )
    };
    if p > 0.0 {
        (p, -q)
    } else {
        (-p, q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A day that costs a fixed $240 plus $0.001 a unit, against $0.003 a
    /// unit per token: dedicated is cheaper above 240 / (0.003 − 0.001) =
    /// 120,000 a day. The search lands within RESOLUTION above it, on a
    /// cheaper volume, in far fewer prices than bisection's 36.
    #[test]
    fn a_fixed_cost_and_a_rate_cross_at_their_quotient() {
        let prices = Cell::new(0);
        let dedicated_at = |r: f64| {
            prices.set(prices.get() + 1);
            240.0 + 0.001 * r
        };
        let a = 0.003;
        let lo = Priced::at(1e-6, &dedicated_at, a);
        let hi = Priced::at(1e13, &dedicated_at, a);
        let (below, r) = narrow(lo, hi, dedicated_at, a);
        assert!(below < 120_000.0 && r >= 120_000.0, "{below} {r}");
        assert!(r / below - 1.0 <= RESOLUTION * (1.0 + 1e-9), "{below} {r}");
        assert!(prices.get() <= 16, "{} prices", prices.get());
    }

    /// A cost with a step (a replica billed by the whole hour): bisection's
    /// fallback still closes on the step, from whichever side.
    #[test]
    fn a_step_is_found_where_the_sign_changes() {
        let dedicated_at = |r: f64| if r < 5_000.0 { 1e9 } else { 1.0 };
        let lo = Priced::at(1e-6, &dedicated_at, 1.0);
        let hi = Priced::at(1e13, &dedicated_at, 1.0);
        let (below, r) = narrow(lo, hi, dedicated_at, 1.0);
        assert!(below < 5_000.0 && r >= 5_000.0, "{below} {r}");
        assert!(r / below - 1.0 <= RESOLUTION * (1.0 + 1e-9), "{below} {r}");
    }

    /// A NaN cost is "not cheaper", never a crossing.
    #[test]
    fn a_nan_cost_is_not_cheaper() {
        let p = Priced::at(10.0, &|_| f64::NAN, 1.0);
        assert!(!p.cheaper());
    }
}
