//! How numbers are written for people: one rule for money, one for shares,
//! one for counts, used by every report and table so they always agree.

/// Money: `$1,234` from $100 up, `$12.34` from $1, two significant digits
/// below (`$0.42`, `$0.0042`). Negative amounts keep their sign.
pub fn usd(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let a = x.abs();
    let body = if a >= 100.0 {
        group_thousands(a.round())
    } else if a >= 1.0 {
        format!("{a:.2}")
    } else if a == 0.0 {
        "0".to_string()
    } else {
        let decimals = (1 - a.log10().floor() as i32).clamp(2, 12) as usize;
        format!("{a:.decimals$}")
    };
    format!("{sign}${body}")
}

/// Money with a fixed number of decimals, thousands grouped: `$1,000`,
/// `$0.50` (so that every tick of one chart axis reads alike).
pub fn usd_decimals(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let text = format!("{:.decimals$}", x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let grouped = whole
        .parse::<f64>()
        .map_or_else(|_| whole.to_string(), group_thousands);
    if fraction.is_empty() {
        format!("{sign}${grouped}")
    } else {
        format!("{sign}${grouped}.{fraction}")
    }
}

/// The decimals that show every one of `values` as money in one format:
/// none when all are at least $1, else as many as the smallest needs.
pub fn money_decimals(values: &[f64]) -> usize {
    let smallest = values
        .iter()
        .map(|v| v.abs())
        .filter(|v| *v > 0.0 && v.is_finite())
        .fold(f64::INFINITY, f64::min);
    if !smallest.is_finite() || smallest >= 1.0 {
        0
    } else {
        (1 - smallest.log10().floor() as i32).clamp(2, 12) as usize
    }
}

/// A share as a percentage: `42%`, `4.2%`, `0.42%`, `<0.01%`.
pub fn percent(share: f64) -> String {
    if !share.is_finite() {
        return "n/a".to_string();
    }
    let p = share * 100.0;
    if p == 0.0 {
        "0%".to_string()
    } else if p.abs() >= 9.95 {
        // 9.95 and up round to two digits without a decimal, so no "10.0%".
        format!("{}%", group_thousands(p.round()))
    } else if p.abs() >= 0.995 {
        format!("{p:.1}%")
    } else if p.abs() >= 0.005 {
        format!("{p:.2}%")
    } else {
        "<0.01%".to_string()
    }
}

/// A count: `12,345`, `12.5`, `0.42`.
pub fn count(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    if x.abs() >= 100.0 {
        group_thousands(x.round())
    } else if x.abs() >= 10.0 || x == x.round() {
        format!("{}", (x * 10.0).round() / 10.0)
    } else {
        format!("{x:.2}")
    }
}

/// A count of things with its noun: `1 workload`, `2 workloads`, `1,024 files`.
pub fn plural(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", group_thousands(n as f64))
}

/// Writes a whole number with thousands separators.
fn group_thousands(whole: f64) -> String {
    // An integer below 2⁶⁴ prints the digits of `{:.0}` without the slow
    // exact float formatting.
    let digits = if whole.abs() < 1.8e19 && whole.fract() == 0.0 {
        (whole.abs() as u64).to_string()
    } else {
        format!("{:.0}", whole.abs())
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// Rounds to 9 significant digits, so that the JSON contract carries no
/// floating-point noise (`0.30000000000000004`) into reviewed diffs.
pub fn sig9(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    sig9_by_arithmetic(x).unwrap_or_else(|| sig9_by_text(x))
}

/// The definition: print 9 significant digits, read the number back.
fn sig9_by_text(x: f64) -> f64 {
    format!("{x:.8e}").parse().unwrap_or(x)
}

/// Powers of ten that an f64 holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// [`sig9_by_text`] without the text, ten times faster (the engine rounds
/// every number of the contract), where it gives the same bits: scale |x| by
/// an exact power of ten 10^-k into [10⁸, 10⁹) (one rounding, so within
/// 2⁻²⁴ of the exact quotient), round to an integer q, and return q·10^k (one
/// correctly rounded operation on exact operands: the double nearest the
/// 9-digit decimal, which is what parsing the text gives). At the ends of
/// [10⁸, 10⁹) either choice of k gives the same q·10^k. `None`, for the text
/// route, where the scaled value is within 10⁻⁶ of a tie, so that rounding
/// could tip the digits, and outside the magnitudes where 10^k is exact.
fn sig9_by_arithmetic(x: f64) -> Option<f64> {
    let a = x.abs();
    if !(1e-13..1e30).contains(&a) {
        return None;
    }
    let power = |k: i32| EXACT_POWERS_OF_TEN.get(k.unsigned_abs() as usize).copied();
    let scale = |k: i32| power(k).map(|p| if k >= 0 { a / p } else { a * p });
    // floor(log10 a), exact or one short, from the binary exponent
    // (78913 / 2¹⁸ is log10 2 to 8 digits); no libm call on the hot path.
    let binary_exponent = ((a.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let mut k = ((binary_exponent * 78_913) >> 18) - 8;
    let mut y = scale(k)?;
    if y >= 1e9 {
        k += 1;
        y = scale(k)?;
    }
    if !(1e8..1e9).contains(&y) {
        return None;
    }
    // y < 2³⁰: the integer part and the fraction are exact.
    let whole = y as u64;
    let fraction = y - whole as f64;
    if (fraction - 0.5).abs() < 1e-6 {
        return None;
    }
    let q = (whole + u64::from(fraction > 0.5)) as f64;
    let p = power(k)?;
    let r = if k >= 0 { q * p } else { q / p };
    Some(r.copysign(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_money_format_for_a_set_of_ticks() {
        assert_eq!(money_decimals(&[10.0, 100.0, 1000.0]), 0);
        assert_eq!(usd_decimals(1000.0, 0), "$1,000");
        assert_eq!(money_decimals(&[0.1, 1.0, 10.0]), 2);
        assert_eq!(usd_decimals(10.0, 2), "$10.00");
        assert_eq!(money_decimals(&[0.001, 0.01]), 4);
        assert_eq!(usd_decimals(0.001, 4), "$0.0010");
    }

    #[test]
    fn money_reads_as_people_write_it() {
        assert_eq!(usd(1234.4), "$1,234");
        assert_eq!(usd(1_234_567.0), "$1,234,567");
        assert_eq!(usd(100.0), "$100");
        assert_eq!(usd(12.345), "$12.35");
        assert_eq!(usd(0.42), "$0.42");
        assert_eq!(usd(0.0042), "$0.0042");
        assert_eq!(usd(0.00123), "$0.0012");
        assert_eq!(usd(0.0), "$0");
        assert_eq!(usd(-1500.0), "-$1,500");
        assert_eq!(usd(f64::NAN), "n/a");
    }

    #[test]
    fn percentages_keep_two_significant_digits() {
        assert_eq!(percent(0.423), "42%");
        assert_eq!(percent(0.0423), "4.2%");
        assert_eq!(percent(0.00423), "0.42%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(12.5), "1,250%");
        assert_eq!(percent(0.000001), "<0.01%");
        assert_eq!(percent(0.099_999), "10%");
        assert_eq!(percent(0.009_999), "1.0%");
    }

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(200_000.0), "200,000");
        assert_eq!(count(40.0), "40");
        assert_eq!(count(2.5), "2.50");
        assert_eq!(count(3.0), "3");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

        /// The fast route gives the bits of the definition, on any finite number.
        #[test]
        fn sig9_by_arithmetic_is_sig9_by_text(bits in proptest::prelude::any::<u64>()) {
            let x = f64::from_bits(bits);
            if let Some(fast) = sig9_by_arithmetic(x) {
                proptest::prop_assert_eq!(fast.to_bits(), sig9_by_text(x).to_bits(), "{:e}", x);
            }
        }

        /// The same over the contract's magnitudes, and on numbers with few digits.
        #[test]
        fn sig9_by_arithmetic_is_sig9_by_text_on_money(e in -12.0..29.0f64, digits in 0u32..12) {
            let x = 10f64.powf(e);
            let few = (x * 10f64.powi(digits as i32)).round() / 10f64.powi(digits as i32);
            let power = 10f64.powi(e as i32);
            for x in [x, -x, few, x * (1.0 + f64::EPSILON), power, power * (1.0 - f64::EPSILON), power * (1.0 + f64::EPSILON)] {
                if let Some(fast) = sig9_by_arithmetic(x) {
                    proptest::prop_assert_eq!(fast.to_bits(), sig9_by_text(x).to_bits(), "{:e}", x);
                }
            }
        }
    }

    #[test]
    fn thousands_are_grouped_the_same_above_two_to_the_64() {
        assert_eq!(group_thousands(1.8e19), "18,000,000,000,000,000,000");
        assert_eq!(group_thousands(1.7e19), "17,000,000,000,000,000,000");
        assert_eq!(group_thousands(-1234.0), "-1,234");
        assert_eq!(group_thousands(0.0), "0");
    }

    #[test]
    fn sig9_removes_float_noise() {
        assert_eq!(sig9(0.1 + 0.2), 0.3);
        assert_eq!(sig9(1234.5678912345), 1234.56789);
    }
}
