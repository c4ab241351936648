//! The 24-hour traffic model: how a day's load spreads over its hours.

use std::f64::consts::PI;

use crate::profile::{Shape, Traffic};

/// The 24 hourly weights of a traffic shape, summing to 1.
pub fn weights(traffic: &Traffic) -> [f64; 24] {
    match traffic.shape {
        Shape::Flat => [1.0 / 24.0; 24],
        Shape::BusinessHours => business_hours(),
        Shape::Diurnal => normalise(std::array::from_fn(|h| {
            1.0 + 0.5 * (2.0 * PI * (h as f64 - 14.0) / 24.0).cos()
        })),
        Shape::Hourly => normalise(std::array::from_fn(|h| {
            traffic.hourly.get(h).copied().unwrap_or(0.0)
        })),
    }
}

/// 80% spread evenly over 09:00-17:59 (9 hours), 20% over the other 15.
fn business_hours() -> [f64; 24] {
    std::array::from_fn(|h| {
        if (9..18).contains(&h) {
            0.8 / 9.0
        } else {
            0.2 / 15.0
        }
    })
}

/// Scales weights to sum to 1; validation guarantees a positive sum.
fn normalise(raw: [f64; 24]) -> [f64; 24] {
    let sum: f64 = raw.iter().sum();
    if sum > 0.0 {
        raw.map(|w| w / sum)
    } else {
        [1.0 / 24.0; 24]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(shape: Shape) -> Traffic {
        Traffic {
            shape,
            ..Traffic::default()
        }
    }

    #[test]
    fn every_shape_sums_to_one() {
        for s in [Shape::Flat, Shape::BusinessHours, Shape::Diurnal] {
            let sum: f64 = weights(&shape(s)).iter().sum();
            assert!((sum - 1.0).abs() < 1e-12, "{s:?} sums to {sum}");
        }
    }

    #[test]
    fn business_hours_puts_80_percent_in_nine_hours() {
        let w = weights(&shape(Shape::BusinessHours));
        // 0.8 / 9 = 0.0888…, 0.2 / 15 = 0.01333…
        assert!((w[9] - 0.088_888_888_9).abs() < 1e-9);
        assert!((w[17] - 0.088_888_888_9).abs() < 1e-9);
        assert!((w[18] - 0.013_333_333_3).abs() < 1e-9);
        assert!((w[8] - 0.013_333_333_3).abs() < 1e-9);
    }

    #[test]
    fn diurnal_peaks_at_14h_at_three_times_the_trough() {
        let w = weights(&shape(Shape::Diurnal));
        // (1 + 0.5) / 24 = 0.0625 at 14:00; (1 - 0.5) / 24 = 0.020833 at 02:00.
        assert!((w[14] - 0.0625).abs() < 1e-12);
        assert!((w[2] - 0.5 / 24.0).abs() < 1e-12);
    }

    #[test]
    fn hourly_weights_are_normalised() {
        let mut t = shape(Shape::Hourly);
        t.hourly = vec![0.0; 24];
        t.hourly[3] = 3.0;
        t.hourly[4] = 1.0;
        let w = weights(&t);
        assert_eq!(w[3], 0.75);
        assert_eq!(w[4], 0.25);
        assert_eq!(w[5], 0.0);
    }
}
