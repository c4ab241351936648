//! Replay's pool figures (every request of 10 s here; sizes that differ
//! are `sim::own`'s tests) against a hand-traced timeline, its always-on
//! sizing by hand, and a property: Poisson arrivals drawn from a profile's
//! rates and replayed bill what the profile's simulation bills.

use super::{busiest_hour_replicas, opening_waits, Bill};
use crate::model::pool::sim::{self, rng::poisson_times};
use crate::model::pool::{Policy, Pool};

fn scale_to_zero() -> Pool {
    Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 1,
        seconds_per_request: 10.0,
        target_utilization: 1.0,
        cold_start_s: 5.0,
        idle_timeout_s: 20.0,
        last_idle_timeout_s: 20.0,
        billing_increment_s: 60.0,
        cold_start_billed: true,
    }
}

#[test]
fn a_recorded_scale_to_zero_timeline_bills_as_traced_by_hand() {
    // C = 1, d = 10 s, cold start 5 s, idle timeout 20 s, billed by the
    // minute; arrivals 0, 3 and 100 s, horizon 200 s.
    // 0: nothing up; 1 in system > 1·1·0 → A starts (billed from 0), ready
    //    at 5; the request waits for it.
    // 3: 2 in system > 1·1·1 → B starts (from 3), ready at 8; queued.
    // 5: A serves the first (to 15). 8: B serves the second (to 18).
    // 35: A's timeout (idle since 15): up 0..35 = 35 s → billed 60 s.
    // 38: B's (idle since 18): up 3..38 = 35 s → billed 60 s.
    // 100: nothing up → C starts, ready 105, serves to 115, stops at 135:
    //    35 s → billed 60 s.
    // Billed 180 s = 0.05 replica-hours; 3 cold starts; all 3 requests
    // waited 5 s for one; busy 3 · 10 s = 30 s.
    let r = sim::simulate_recorded_each(&scale_to_zero(), &[0.0, 3.0, 100.0], |_| 10.0, 200.0);
    assert_eq!(r.mean.billed_replica_hours * 3600.0, 180.0);
    assert_eq!(r.mean.busy_replica_hours * 3600.0, 30.0);
    assert_eq!(r.mean.cold_starts, 3.0);
    assert_eq!(r.mean.cold_start_wait_share, 1.0);
    assert_eq!(r.requests, 3);
}

#[test]
fn a_replica_up_at_the_horizon_is_billed_to_it() {
    // Arrivals 0 and 50 s, horizon 60 s: A starts at 0 (ready 5, serves to
    // 15) and stops at 35 (20 s idle): one minute billed. At 50 B starts
    // (ready 55, serving to 65) and is up at 60: billed 50..60 = 10 s,
    // rounded up to a minute. 120 s in all, 2 cold starts. The same pool
    // to a horizon of 40 s: only A, up 0..35 → 60 s, one request.
    let pool = scale_to_zero();
    let r = sim::simulate_recorded_each(&pool, &[0.0, 50.0], |_| 10.0, 60.0);
    assert_eq!(r.mean.billed_replica_hours * 3600.0, 120.0);
    assert_eq!(r.mean.cold_starts, 2.0);
    let r = sim::simulate_recorded_each(&pool, &[0.0, 50.0], |_| 10.0, 40.0);
    assert_eq!(
        (r.mean.billed_replica_hours * 3600.0, r.requests),
        (60.0, 1)
    );
}

#[test]
fn always_on_replicas_follow_the_recorded_busiest_hour() {
    // 3 arrivals in hour 0, 5 in hour 1 (times from the first arrival);
    // s = 1,800 s each, target 0.5: the busiest hour holds 5 · 1,800 =
    // 9,000 replica-seconds, 9,000 / (3,600 · 0.5) = 5 replicas.
    let times = [0.0, 10.0, 20.0, 3600.0, 3700.0, 3800.0, 3900.0, 4000.0];
    assert_eq!(busiest_hour_replicas(&times, &|_| 1800.0, 0.5), 5);
    // Each its own size: hour 0 holds 3 · 4,000 = 12,000 s, hour 1
    // 5 · 100 = 500 s: 12,000 / 1,800 = 6.67 → 7 replicas.
    let own = |i: usize| if i < 3 { 4000.0 } else { 100.0 };
    assert_eq!(busiest_hour_replicas(&times, &own, 0.5), 7);
    // A recording of 100 s is one window of 100 s: 3 · 10 s / (100 · 0.8)
    // = 0.375 → 1 replica; never 0.
    assert_eq!(
        busiest_hour_replicas(&[0.0, 50.0, 100.0], &|_| 10.0, 0.8),
        1
    );
    assert_eq!(busiest_hour_replicas(&[0.0, 100.0], &|_| 0.0, 0.8), 1);
}

#[test]
fn replaying_poisson_arrivals_of_a_profile_bills_its_simulated_day() {
    // An autoscaled pool (min 1, C = 4, s = 2 s, 300 s scale-down, billed
    // by the second) at 0.8 arrivals a second all day: the profile's
    // simulation over 16 days gives a mean and its 95% interval; 16 days
    // of Poisson arrivals drawn apart (another seed) and replayed as one
    // recording must bill a day within that interval.
    let pool = Pool {
        policy: Policy::Scaled { min_replicas: 1 },
        slots: 4,
        seconds_per_request: 2.0,
        target_utilization: 0.8,
        cold_start_s: 30.0,
        idle_timeout_s: 300.0,
        last_idle_timeout_s: 300.0,
        billing_increment_s: 1.0,
        cold_start_billed: true,
    };
    let rate = 0.8;
    let profile = sim::simulate(&pool, &[rate; 24], sim::Run { days: 16, seed: 7 });
    let times = poisson_times(rate, 16.0 * 86_400.0, 1234);
    // Replay's own path: each request its own time, here the profile's s.
    let replayed = sim::simulate_recorded_each(&pool, &times, |_| 2.0, 16.0 * 86_400.0);
    let per_day = replayed.mean.billed_replica_hours / 16.0;
    let [low, high] = profile.billed_ci95;
    assert!(
        (low..=high).contains(&per_day),
        "replayed {per_day} per day, simulated {} [{low}, {high}]",
        profile.mean.billed_replica_hours
    );
    // The interval is not trivially wide: under 2% of the mean each side.
    assert!(high - low < 0.04 * profile.mean.billed_replica_hours);
}

#[test]
fn a_replay_serves_every_request_before_it_stops_billing() {
    // The pool of the first test; arrivals 0 and 3 s, horizon 13 s (the
    // last arrival plus its own 10 s). Traced by hand:
    // 0: A starts (billed from 0), ready 5. 3: B starts, ready 8.
    // 5: A serves the first (to 15). 8: B serves the second (to 18).
    // Cut at the horizon, 13 − 5 + 13 − 8 = 13 s of the 20 busy seconds
    // are counted. Served to the end and wound down: A idles from 15 and
    // stops at 35 (up 35 s, a minute billed), B from 18 to 38 (35 s, a
    // minute): 120 s, all 20 busy seconds.
    let pool = scale_to_zero();
    let cut = sim::simulate_recorded_each(&pool, &[0.0, 3.0], |_| 10.0, 13.0);
    assert_eq!(cut.mean.busy_replica_hours * 3600.0, 13.0);
    let served = sim::simulate_recorded_served(&pool, &[0.0, 3.0], |_| 10.0, 13.0);
    assert_eq!(served.mean.billed_replica_hours * 3600.0, 120.0);
    assert_eq!(served.mean.busy_replica_hours * 3600.0, 20.0);
    assert_eq!(served.mean.cold_starts, 2.0);
}

#[test]
fn a_cold_start_longer_than_the_recording_is_billed_once_it_serves() {
    // A pool whose 180 s cold start is not billed (billing from ready),
    // by the second, 20 s idle timeout; three requests of 2 s at 0, 10
    // and 20 s, horizon 22 s. 0: A starts, ready at 180 (billed from
    // 180). 10: 2 in system > 1 · 1 → B starts (ready 190). 20: 3 > 2 → C
    // starts (ready 200). 180: A serves the first (to 182), the second
    // (to 184), the third (to 186), then idles to 206: 26 s. B is ready at
    // 190 with nothing to do and stops at 210: 20 s; C 200..220: 20 s.
    // Cut at 22 s nothing is served and nothing billed ($0, the defect a
    // second read found); served and wound down, 66 s, 6 busy.
    let pool = Pool {
        cold_start_s: 180.0,
        cold_start_billed: false,
        billing_increment_s: 1.0,
        ..scale_to_zero()
    };
    let times = [0.0, 10.0, 20.0];
    let cut = sim::simulate_recorded_each(&pool, &times, |_| 2.0, 22.0);
    assert_eq!(cut.mean.billed_replica_hours, 0.0);
    let served = sim::simulate_recorded_served(&pool, &times, |_| 2.0, 22.0);
    assert_eq!(served.mean.busy_replica_hours * 3600.0, 6.0);
    assert_eq!(served.mean.billed_replica_hours * 3600.0, 66.0);
    assert_eq!(served.requests, 3);
}

#[test]
fn the_opening_cold_start_is_billed_but_not_judged() {
    // The timeline above with a fourth arrival at 4.9 s: A starts at 0
    // (ready at 5), so the requests at 0, 3 and 4.9 s find no ready
    // replica and wait for the cold start the recording opens with; 100 s
    // waits for C's, a cold start the recording itself shows. 4 of 4
    // waited (share 1), 3 of them in the opening: the allowance judges
    // (4 − 3) / (4 − 3) = 1 of the one request after it.
    let pool = scale_to_zero();
    let times = [0.0, 3.0, 4.9, 100.0];
    let r = sim::simulate_recorded_each(&pool, &times, |_| 10.0, 200.0);
    assert_eq!(r.mean.cold_start_wait_share, 1.0);
    assert_eq!(opening_waits(&pool, &times), 3);
    let bill = |share: f64, opening: u64, requests: u64| Bill {
        cold_start_wait_share: Some(share),
        opening_waits: Some(opening),
        simulated_requests: requests,
        ..Bill::default()
    };
    assert_eq!(bill(1.0, 3, 4).judged_cold_start_share(), Some(1.0));
    // The Azure slice's Modal B200: 147 of 300 waited (0.49), all in the
    // opening 50 s: 0 of the 153 after it.
    assert_eq!(bill(0.49, 147, 300).judged_cold_start_share(), Some(0.0));
    // 2 waits in 10 requests, 1 in the opening: 1 of 9 = 11.1%.
    let judged = bill(0.2, 1, 10).judged_cold_start_share().unwrap();
    assert!((judged - 1.0 / 9.0).abs() < 1e-12, "{judged}");
    // Every request in the opening: nothing left to judge.
    assert_eq!(bill(1.0, 4, 4).judged_cold_start_share(), None);
    // A pool that keeps a replica up, or whose replicas start at once,
    // has no opening.
    let kept = Pool {
        policy: Policy::Scaled { min_replicas: 1 },
        ..pool
    };
    assert_eq!(opening_waits(&kept, &times), 0);
    let instant = Pool {
        cold_start_s: 0.0,
        ..pool
    };
    assert_eq!(opening_waits(&instant, &times), 0);
    // A request at the very instant the replica is ready does not wait.
    assert_eq!(opening_waits(&pool, &[0.0, 5.0]), 1);
}
