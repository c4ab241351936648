//! Tests of the carried day's cuts: the levels set down, the late warm-up
//! against the whole-day warm-up.

use super::*;
use crate::model::pool::Arrivals;

/// Levels past the hour's rates under 10⁻¹⁸ are set down; a level
/// with rates is left as it is however small; the live count ends one
/// past the last share above 0.
#[test]
fn levels_all_but_stopped_drop_out() {
    let mut up = [1.0, 0.5, 3e-19, 2e-18, 1e-20, 0.0];
    assert_eq!(live_levels(&mut up, 1), 4);
    assert_eq!(up, [1.0, 0.5, 0.0, 2e-18, 0.0, 0.0]);
    let mut up = [1e-20, 0.0, 5e-19];
    assert_eq!(live_levels(&mut up, 1), 1);
    assert_eq!(up, [1e-20, 0.0, 0.0]);
    assert_eq!(live_levels(&mut [0.0; 3], 0), 0);
}

fn pool(min_replicas: u32, idle_timeout_s: f64) -> Pool {
    Pool {
        policy: Policy::Scaled { min_replicas },
        slots: 8,
        seconds_per_request: 0.5,
        target_utilization: 0.8,
        cold_start_s: 120.0,
        idle_timeout_s,
        last_idle_timeout_s: idle_timeout_s,
        billing_increment_s: 60.0,
        cold_start_billed: true,
    }
}

/// The warm-up that starts late ends where the whole day's warm-up
/// ends: the days agree to 10⁻¹² of their bill, starts and waits, for
/// business hours (quiet from 17:00: 300 s idle timeouts forget the
/// day by 20:00), scale-to-zero and a floor of 2. An idle timeout of an
/// hour forgets too slowly, and its warm-up is the whole day; so is a
/// day whose onsets follow each other too closely to forget between
/// them (a second read's case: 30 requests a second every other hour,
/// τ = 1,800 s, c = 300 s, s = 1 s, u = 0.7; the warm-up started at
/// 01:00 before onsets were counted, and billed 5,048.58 replica-hours
/// against the whole warm-up's 5,135.92, −1.7%).
#[test]
fn a_late_warm_up_carries_the_day_the_whole_warm_up_carries() {
    let business: Arrivals = std::array::from_fn(|h| if (9..17).contains(&h) { 40.0 } else { 0.0 });
    let alternating: Arrivals = std::array::from_fn(|h| if h % 2 == 0 { 30.0 } else { 0.0 });
    let every_other = |min_replicas| Pool {
        seconds_per_request: 1.0,
        target_utilization: 0.7,
        cold_start_s: 300.0,
        ..pool(min_replicas, 1800.0)
    };
    // A second read's other case: one-slot bursts at 01, 05, 12, 17
    // and 21 h (scale-to-zero: the warm-up started at 02:00 billed
    // +2.0%; with a floor of 2 no onset walks, and it starts there).
    let bursts: Arrivals = std::array::from_fn(|h| match h {
        1 => 0.127,
        5 => 0.076,
        12 => 0.104,
        17 => 0.081,
        21 => 0.161,
        _ => 0.0,
    });
    let one_slot = |min_replicas| Pool {
        slots: 1,
        seconds_per_request: 0.1,
        target_utilization: 0.5,
        cold_start_s: 300.0,
        ..pool(min_replicas, 1800.0)
    };
    type Case = (Arrivals, fn(u32) -> Pool, std::ops::Range<usize>);
    let cases: [Case; 4] = [
        (business, |m| pool(m, 300.0), 17..24),
        (business, |m| pool(m, 3600.0), 0..1),
        (alternating, every_other, 0..1),
        (bursts, one_slot, 0..3),
    ];
    for (arrivals, pool_of, starts_at) in cases {
        for min_replicas in [0, 2] {
            let pool = pool_of(min_replicas);
            let tau = pool.idle_timeout_s;
            let tables: Vec<Table> = arrivals
                .iter()
                .map(|&l| super::super::table(&pool, l, true))
                .collect();
            let hours: [&Table; 24] = std::array::from_fn(|h| &tables[h]);
            let unreached = Step::of(&Rate::unreached(tau));
            let from = warm_up_from(&hours, [&unreached, &unreached], f64::from(min_replicas));
            assert!(
                starts_at.contains(&from),
                "τ {tau}: the warm-up starts at {from}"
            );
            let (quick, whole) = (
                carried(&hours, &pool, true, false),
                carried(&hours, &pool, true, true),
            );
            for (a, b) in [
                (quick.billed, whole.billed),
                (quick.starts, whole.starts),
                (quick.waiting, whole.waiting),
            ] {
                assert!(
                    (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                    "τ {tau}, min {min_replicas}: {a} against {b}"
                );
            }
        }
    }
}
