//! Two idle windows (a scale-to-zero pool whose last replica stays longer
//! than the replicas above it, Fireworks' scale-to-zero and scale-down
//! windows): replica 1 is the renewal cycle of the longer window, the
//! levels above keep the shorter one, and the day is checked against the
//! simulation of the same rules.

use super::tests::lone_replica;
use super::*;
use crate::model::pool::sim;

/// A lone replica keeps the last replica's window: λ = 0.001/s, τ = 60 s
/// above, τ₁ = 600 s, c = 10 s, d = 16·10⁻⁶ s: e^(λT₁) = e^(0.600000016)
/// = 1.8221188, λc = 0.01, up = 1 − 1/1.8321188 = 1 − 0.5458161 =
/// 0.4541839, starts 3600·0.001/1.8321188 = 1.96494 an hour. With one
/// window of 60 s: e^(0.060000016) = 1.0618366, + 0.01 = 1.0718366, up =
/// 1 − 0.9329781 = 0.0670219.
#[test]
fn a_lone_replica_keeps_the_last_replicas_window() {
    let pool = |last: f64| Pool {
        last_idle_timeout_s: last,
        ..lone_replica()
    };
    let two = hour(&pool(600.0), 0.001);
    assert!((two.replicas - 0.454_183_9).abs() < 1e-6, "{two:?}");
    assert!((two.starts - 1.964_94).abs() < 1e-4, "{two:?}");
    let one = hour(&pool(60.0), 0.001);
    assert!((one.replicas - 0.067_021_9).abs() < 1e-6, "{one:?}");
    // A last window below the others' is no second window.
    assert_eq!(hour(&pool(10.0), 0.001), one);
}

/// A lone replica whose cold start is not billed: the renewal cycle of
/// `closed::tests::a_lone_replica_is_the_renewal_cycle` (λ = 0.01/s, τ =
/// 60 s, c = 10 s: up 0.4797405, 18.729 starts an hour) bills its up-time
/// less c a start: 0.4797405 − 18.729 · 10/3600 = 0.4797405 − 0.0520250 =
/// 0.4277155 replica-hours an hour; the replicas up are the same.
#[test]
fn an_unbilled_cold_start_leaves_c_a_start_off_the_bill() {
    let pool = |billed: bool| Pool {
        cold_start_billed: billed,
        ..lone_replica()
    };
    let (on, off) = (hour(&pool(true), 0.01), hour(&pool(false), 0.01));
    assert!((on.billed - 0.479_740_5).abs() < 1e-6, "{on:?}");
    assert!((off.billed - 0.427_715_5).abs() < 1e-6, "{off:?}");
    assert_eq!((on.replicas, on.starts), (off.replicas, off.starts));
}

/// The replicas a quiet hour leaves: after a busy hour, a scale-to-zero
/// pool's replica 1 lingers for τ₁ into the quiet hours, the replicas
/// above it for τ only. Busy hours 9-17 at 20 replicas' worth of work,
/// none else; C = 8, s = 1 s (d = 8 s), u = 0.7, c = 60 s. The day with
/// τ = 600 s above and τ₁ = 3,600 s for the last lies between one window
/// of 600 s for all (it keeps replica 1 up to 50 minutes more after
/// 17:00) and one window of 3,600 s for all (it keeps every burst
/// replica 50 minutes less), and within 3% of the simulation.
#[test]
fn two_windows_bill_between_their_one_window_days_and_near_the_simulation() {
    let arrivals: [f64; 24] =
        std::array::from_fn(|h| if (9..18).contains(&h) { 20.0 } else { 0.0 });
    let pool = |above: f64, last: f64| Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 8,
        seconds_per_request: 1.0,
        target_utilization: 0.7,
        cold_start_s: 60.0,
        idle_timeout_s: above,
        last_idle_timeout_s: last,
        billing_increment_s: 1.0,
        cold_start_billed: true,
    };
    let bill = |above, last| day(&pool(above, last), &arrivals).billed_replica_hours;
    let (short, two, long) = (
        bill(600.0, 600.0),
        bill(600.0, 3600.0),
        bill(3600.0, 3600.0),
    );
    assert!(short < two && two < long, "{short} {two} {long}");
    // Replica 1 stays about 3,000 s longer after 17:00: ~0.8 replica-hours.
    assert!((two - short - 0.83).abs() < 0.1, "{short} {two}");
    let run = sim::Run { days: 4, seed: 3 };
    let simulated = sim::simulate(&pool(600.0, 3600.0), &arrivals, run).mean;
    let rel = two / simulated.billed_replica_hours - 1.0;
    assert!(rel.abs() < 0.03, "{two} against {simulated:?}");
}

/// The closed form against the simulation of the Fireworks shape (τ =
/// 600 s above, τ₁ = 3,600 s for the last replica, c = 180 s, scale to
/// zero, billed once ready) on days with quiet hours: bursty and
/// business-hours days, C = 8 and 64, the busiest hour 0.5, 3 and 20
/// replicas' worth of work (s = 1 s, u = 0.7): 12 cases, 2 simulated days
/// each. Measured 2026-12-07: every case within 1.9%, median 0.8% (with
/// the cold start billed, as examples/onset_grid.rs runs them: within
/// 2.2%, median 0.8%). Asserted with room for the seed: every case within
/// 4%.
#[test]
fn the_fireworks_windows_are_billed_near_the_simulation() {
    let bursty: [f64; 24] = {
        let w = [
            0., 0., 0., 0., 0., 0., 0., 0., 1., 3., 6., 2., 1., 1., 4., 5., 3., 1., 1., 1., 1., 0.,
            0., 0.,
        ];
        w.map(|x| x / 30.0)
    };
    let business: [f64; 24] = std::array::from_fn(|h| {
        if (9..18).contains(&h) {
            0.8 / 9.0
        } else {
            0.2 / 15.0
        }
    });
    let mut report = String::new();
    let mut worst: f64 = 0.0;
    for (name, weights) in [("bursty", bursty), ("business", business)] {
        let busiest = weights.iter().copied().fold(0.0, f64::max);
        for slots in [8u32, 64] {
            for load in [0.5, 3.0, 20.0] {
                let pool = Pool {
                    policy: Policy::Scaled { min_replicas: 0 },
                    slots,
                    seconds_per_request: 1.0,
                    target_utilization: 0.7,
                    cold_start_s: 180.0,
                    idle_timeout_s: 600.0,
                    last_idle_timeout_s: 3600.0,
                    billing_increment_s: 1.0,
                    cold_start_billed: false,
                };
                let arrivals = weights.map(|w| load / busiest * w);
                let run = sim::Run { days: 2, seed: 11 };
                let simulated = sim::simulate(&pool, &arrivals, run).mean;
                let closed = day(&pool, &arrivals);
                let rel = closed.billed_replica_hours / simulated.billed_replica_hours - 1.0;
                report += &format!("\n{name} C {slots} load {load}: {:+.2}%", 100.0 * rel);
                worst = worst.max(rel.abs());
            }
        }
    }
    assert!(worst <= 0.04, "worst {worst}:{report}");
}

/// Where the load with headroom is the bill (a flat day, C = 64, s =
/// 20 s: holds of 1,280 s, 30 replicas' worth of work, L/u = 42.9
/// replicas), an unbilled cold start still comes off it: the floor holds
/// replicas up or starting, so it is taken before the cold starts are.
/// Taken after them (as first written), the unbilled day billed exactly
/// the billed day's 1,028.57 replica-hours, 5.0% over its simulation.
/// Measured 2026-12-07 (3 days, seed 11): 997.94 against 979.28
/// simulated, +1.9%; asserted within 4%, and below the billed day.
#[test]
fn an_unbilled_cold_start_comes_off_a_bill_at_its_floor() {
    let pool = |billed: bool| Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 64,
        seconds_per_request: 20.0,
        target_utilization: 0.7,
        cold_start_s: 180.0,
        idle_timeout_s: 600.0,
        last_idle_timeout_s: 3600.0,
        billing_increment_s: 1.0,
        cold_start_billed: billed,
    };
    let arrivals = [30.0 / 20.0; 24];
    let on = day(&pool(true), &arrivals).billed_replica_hours;
    let off = day(&pool(false), &arrivals).billed_replica_hours;
    assert!((on - 24.0 * 30.0 / 0.7).abs() < 1e-6, "{on}");
    assert!(off < on - 10.0, "{off} against {on}");
    let run = sim::Run { days: 3, seed: 11 };
    let simulated = sim::simulate(&pool(false), &arrivals, run)
        .mean
        .billed_replica_hours;
    assert!(
        (off / simulated - 1.0).abs() < 0.04,
        "{off} against {simulated}"
    );
}

/// A pool that keeps a replica up for good (min_replicas 1) never goes to
/// zero: the last replica's window changes nothing, bit for bit, in the
/// closed form and in the simulation.
#[test]
fn a_pool_with_a_minimum_ignores_the_last_replicas_window() {
    let pool = |last: f64| Pool {
        policy: Policy::Scaled { min_replicas: 1 },
        slots: 8,
        seconds_per_request: 1.0,
        target_utilization: 0.7,
        cold_start_s: 60.0,
        idle_timeout_s: 600.0,
        last_idle_timeout_s: last,
        billing_increment_s: 1.0,
        cold_start_billed: true,
    };
    let arrivals: [f64; 24] =
        std::array::from_fn(|h| if (9..18).contains(&h) { 20.0 } else { 0.5 });
    assert_eq!(day(&pool(600.0), &arrivals), day(&pool(3600.0), &arrivals));
    let run = sim::Run { days: 1, seed: 5 };
    assert_eq!(
        sim::simulate(&pool(600.0), &arrivals, run).mean,
        sim::simulate(&pool(3600.0), &arrivals, run).mean
    );
}
