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

/// Writes a whole number with thousands separators.
fn group_thousands(whole: f64) -> String {
    let digits = format!("{:.0}", whole.abs());
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
    format!("{x:.8e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn sig9_removes_float_noise() {
        assert_eq!(sig9(0.1 + 0.2), 0.3);
        assert_eq!(sig9(1234.5678912345), 1234.56789);
    }
}
