//! Own service times against a hand-traced timeline, and against the
//! equal-service simulator when every request is the same size.

use super::super::{rng::poisson_times, simulate_recorded};
use super::*;
use crate::model::pool::Policy;

/// C = 2, target 1 (a replica starts when more than 2 · up requests are in
/// flight or waiting), 5 s cold start, 10 s idle timeout, billed by the
/// second, scaled to zero.
fn two_slots() -> Pool {
    Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 2,
        seconds_per_request: 0.0,
        target_utilization: 1.0,
        cold_start_s: 5.0,
        idle_timeout_s: 10.0,
        last_idle_timeout_s: 10.0,
        billing_increment_s: 1.0,
        cold_start_billed: true,
    }
}

#[test]
fn requests_of_different_sizes_follow_the_hand_traced_timeline() {
    // Requests (arrival, own s; a slot is held 2·s): a (0, 20 → 40 s),
    // b (1, 2 → 4 s), c (2, 5 → 10 s), d (30, 1 → 2 s), e (80, 10 → 20 s);
    // horizon 100 s.
    //  0  a: nothing ready, queued; 1 in system > 2·0 → A starts (billed
    //        from 0, ready at 5); a waits for a cold start.
    //  1  b: queued; 2 > 2·1? no. Waits for A's cold start.
    //  2  c: queued; 3 > 2 → B starts (from 2, ready at 7).
    //  5  A ready: takes a (waited 5, done 45) and b (waited 4, done 9).
    //  7  B ready: takes c (waited 5, done 17).
    //  9  b done on A before a, which started with it (out of start order).
    // 17  c done: B idle, timeout at 27.
    // 27  B stops: up 2..27 = 25 s.
    // 30  d: A has a free slot (a in flight): d on A, done 32 (waited 0).
    // 45  a done: A idle, timeout at 55.   55  A stops: up 0..55 = 55 s.
    // 80  e: nothing up → C starts (ready 85); e waits 5, done 105.
    // 100 horizon: C up 80..100 = 20 s; e in flight, busy to 100 only:
    //     10 − (105 − 100)/2 = 7.5 s.
    // Billed 25 + 55 + 20 = 100 s; busy 20 + 2 + 5 + 1 + 7.5 = 35.5 s;
    // 3 cold starts; 4 of 5 requests waited for one; peak 2 replicas.
    // Waits 5, 4, 5, 0, 5: p99 is 5 s as its bucket's midpoint, 5 =
    // 4 · 1.25 → 4 · (1 + 32.5/128) = 5.015625.
    let times = [0.0, 1.0, 2.0, 30.0, 80.0];
    let own = [20.0, 2.0, 5.0, 1.0, 10.0];
    let r = simulate_recorded_each(&two_slots(), &times, |i| own[i], 100.0);
    assert_eq!(r.mean.billed_replica_hours * 3600.0, 100.0);
    assert!((r.mean.busy_replica_hours * 3600.0 - 35.5).abs() < 1e-9);
    assert_eq!(r.mean.cold_starts, 3.0);
    assert_eq!(r.mean.cold_start_wait_share, 0.8);
    assert_eq!(r.mean.peak_replicas, 2.0);
    assert_eq!(r.requests, 5);
    assert_eq!(r.waited_share, 0.8);
    assert_eq!(r.wait_p99_s, 5.015625);
    // The mean size (32/5 = 6.4 s, a 12.8 s hold) bills another day: b
    // no longer frees A's slot at 9, the replicas idle at other times.
    let mean = simulate_recorded(
        &Pool {
            seconds_per_request: 6.4,
            ..two_slots()
        },
        &times,
        100.0,
    );
    assert_ne!(mean.mean.billed_replica_hours * 3600.0, 100.0);
}

#[test]
fn unsorted_arrivals_are_served_in_time_order() {
    // The timeline above given backwards: the same day.
    let times = [80.0, 30.0, 2.0, 1.0, 0.0];
    let own = [10.0, 1.0, 5.0, 2.0, 20.0];
    let r = simulate_recorded_each(&two_slots(), &times, |i| own[i], 100.0);
    assert_eq!(r.mean.billed_replica_hours * 3600.0, 100.0);
    assert_eq!(r.mean.cold_starts, 3.0);
    // An arrival at or past the horizon, or not finite, is dropped; a size
    // that is not a number serves in no time.
    let r = simulate_recorded_each(
        &two_slots(),
        &[0.0, f64::NAN, 100.0],
        |i| [1.0, 1.0, f64::NAN][i],
        100.0,
    );
    assert_eq!(r.requests, 1);
}

#[test]
fn equal_sizes_bill_what_the_equal_service_simulator_bills() {
    // Six hours of Poisson arrivals at 0.5/s on three pools: scaled to
    // zero, autoscaled from 1 replica with queueing (C = 4, s = 3 s: 1.5
    // replicas busy on average), and 3 always-on replicas billed by the
    // minute. Every request of size s: the day is the same event for
    // event, so bills, cold starts and waits are equal exactly; busy
    // time is summed in another order (within 1e-9).
    let times = poisson_times(0.5, 6.0 * 3600.0, 11);
    let scaled = |min_replicas| Pool {
        policy: Policy::Scaled { min_replicas },
        slots: 4,
        seconds_per_request: 3.0,
        target_utilization: 0.7,
        cold_start_s: 20.0,
        idle_timeout_s: 60.0,
        last_idle_timeout_s: 60.0,
        billing_increment_s: 60.0,
        cold_start_billed: true,
    };
    let pools = [
        scaled(0),
        scaled(1),
        Pool {
            policy: Policy::Fixed(3),
            ..scaled(0)
        },
    ];
    for pool in pools {
        let each = simulate_recorded_each(&pool, &times, |_| 3.0, 6.0 * 3600.0);
        let equal = simulate_recorded(&pool, &times, 6.0 * 3600.0);
        let (a, b) = (each.mean, equal.mean);
        assert_eq!(a.billed_replica_hours, b.billed_replica_hours, "{pool:?}");
        assert_eq!(a.cold_starts, b.cold_starts, "{pool:?}");
        assert_eq!(a.cold_start_wait_share, b.cold_start_wait_share);
        assert_eq!(a.peak_replicas, b.peak_replicas);
        assert_eq!(
            (each.wait_p99_s, each.waited_share),
            (equal.wait_p99_s, equal.waited_share)
        );
        assert!((a.busy_replica_hours / b.busy_replica_hours - 1.0).abs() < 1e-9);
        assert_eq!(each.requests, equal.requests);
    }
    // Not a trivial day: the autoscaled pool started replicas and queued.
    let busy = simulate_recorded_each(&pools[1], &times, |_| 3.0, 6.0 * 3600.0);
    assert!(busy.mean.cold_starts > 0.0 && busy.waited_share > 0.0);
}

#[test]
fn the_last_replica_up_keeps_its_longer_window_in_both_event_loops() {
    // C = 1, target 1, s = 10 s (a 10 s hold), 5 s cold start, 60 s
    // window above the last replica, 600 s for the last one (540 s of
    // lingering), billed by the second, horizon 2,000 s.
    //   0  a: nothing up → R1 starts (ready 5, a done 15).
    //   1  b: 2 in system > 1 · 1 → R2 starts (ready 6, b done 16).
    //  75  R1's 60 s fall (idle since 15) with 2 up: R1 stops, 0..75 = 75 s.
    //  76  R2's 60 s fall (idle since 16), the last up: it lingers to
    //      76 + 540 = 616.
    // 300  c: R2 takes it (done 310), which ends its lingering.
    // 370  R2's 60 s fall again, the last up: lingers to 910; stops at
    //      910, 1..910 = 909 s.
    // Billed 75 + 909 = 984 s, 2 cold starts. One window of 60 s bills
    // 75 + 75 + (c's own R3: 300..375) 75 = 225 s and 3 cold starts; one
    // window of 600 s bills R1 0..615 and R2 1..910, 1,524 s.
    let pool = |above: f64, last: f64| Pool {
        slots: 1,
        seconds_per_request: 10.0,
        idle_timeout_s: above,
        last_idle_timeout_s: last,
        ..two_slots()
    };
    let times = [0.0, 1.0, 300.0];
    for (above, last, billed_s, starts) in [
        (60.0, 600.0, 984.0, 2.0),
        (60.0, 60.0, 225.0, 3.0),
        (600.0, 600.0, 1524.0, 2.0),
    ] {
        let equal = simulate_recorded(&pool(above, last), &times, 2000.0);
        let own = simulate_recorded_each(&pool(above, last), &times, |_| 10.0, 2000.0);
        for r in [equal, own] {
            let got = r.mean.billed_replica_hours * 3600.0;
            assert!((got - billed_s).abs() < 1e-9, "{above} {last}: {got} s");
            assert_eq!(r.mean.cold_starts, starts, "{above} {last}");
        }
    }
    // A window of the last replica below the others' is no second window.
    let r = simulate_recorded(&pool(60.0, 10.0), &times, 2000.0);
    assert!((r.mean.billed_replica_hours * 3600.0 - 225.0).abs() < 1e-9);
}

#[test]
fn an_unbilled_cold_start_is_left_off_each_starts_bill_in_both_event_loops() {
    // The timeline of the two-window test above (60 s above, 600 s for
    // the last replica), billed from each replica's ready moment instead of
    // its start: R1 from 5 to 75 = 70 s, R2 from 6 to 910 = 904 s: 974 s,
    // the 984 s billed from the starts less the two 5 s cold starts.
    let pool = Pool {
        slots: 1,
        seconds_per_request: 10.0,
        idle_timeout_s: 60.0,
        last_idle_timeout_s: 600.0,
        cold_start_billed: false,
        ..two_slots()
    };
    let times = [0.0, 1.0, 300.0];
    let equal = simulate_recorded(&pool, &times, 2000.0);
    let own = simulate_recorded_each(&pool, &times, |_| 10.0, 2000.0);
    for r in [equal, own] {
        let got = r.mean.billed_replica_hours * 3600.0;
        assert!((got - 974.0).abs() < 1e-9, "{got} s");
        assert_eq!(r.mean.cold_starts, 2.0);
    }
    // A replica still starting at the horizon bills nothing: 0.5 s of a
    // 5 s cold start.
    let equal = simulate_recorded(&pool, &[0.0], 0.5);
    let own = simulate_recorded_each(&pool, &[0.0], |_| 10.0, 0.5);
    for r in [equal, own] {
        assert_eq!(r.mean.billed_replica_hours, 0.0);
    }
}
