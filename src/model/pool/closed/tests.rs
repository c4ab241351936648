//! The closed form's own tests: results known exactly, properties, and
//! the grid against the simulation.

use super::*;
use crate::model::pool::sim;

/// A scale-to-zero replica that never needs a second one (16 slots,
/// target 10⁶, d = 16·10⁻⁶ s), c = 10 s, one 60 s window, billed from its
/// start, not rounded (also `window_tests`' base pool).
pub(super) fn lone_replica() -> Pool {
    Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 16,
        seconds_per_request: 1e-6,
        target_utilization: 1e6,
        cold_start_s: 10.0,
        idle_timeout_s: 60.0,
        last_idle_timeout_s: 60.0,
        billing_increment_s: 0.0,
        cold_start_billed: true,
    }
}

/// A lone replica with a negligible service time is the renewal cycle:
/// λ = 0.01/s, τ = 60 s, c = 10 s, d = 16·10⁻⁶ s: e^(λT) = e^(0.6000002)
/// = 1.8221191, λc = 0.1, up = 1 − 1/1.9221191 = 0.4797405; starts
/// 3600·0.01/1.9221191 = 18.729 an hour.
#[test]
fn a_lone_replica_is_the_renewal_cycle() {
    let h = hour(&lone_replica(), 0.01);
    assert!((h.replicas - 0.479_740_5).abs() < 1e-6, "{h:?}");
    assert!((h.starts - 18.729).abs() < 1e-3, "{h:?}");
}

proptest::proptest! {
    /// Every hour of every pool is a finite figure, at least the load
    /// with headroom: a NaN would hide behind the floor's `max` (it did,
    /// once, where νE overflowed).
    #[test]
    fn every_hour_is_finite_and_at_least_its_load(
        min_replicas in 0u32..3,
        slots in 1u32..64,
        s in 1e-3..10.0f64,
        u in 0.05..1.0f64,
        c in 0.0..600.0f64,
        tau in 0.0..3600.0f64,
        inc in proptest::sample::select(vec![0.0, 1.0, 60.0, 3600.0]),
        log_lambda in -6.0..4.0f64,
    ) {
        let pool = Pool {
            policy: Policy::Scaled { min_replicas },
            slots,
            seconds_per_request: s,
            target_utilization: u,
            cold_start_s: c,
            idle_timeout_s: tau,
            last_idle_timeout_s: tau,
            billing_increment_s: inc,
            cold_start_billed: true,
        };
        let lambda = 10f64.powf(log_lambda);
        let h = hour(&pool, lambda);
        proptest::prop_assert!(h.replicas.is_finite() && h.starts.is_finite() && h.waiting.is_finite(), "{h:?}");
        proptest::prop_assert!(h.billed.is_finite() && h.billed >= lambda * s / u * (1.0 - 1e-12), "{h:?}");
    }
}

/// The hour where νE overflowed (batch-enrichment's Modal B200 pool at
/// 100 times its volume): level 24 of the pool has ν = λ = 264.8/s and
/// returns of 11.6/s, e^(rτ) ≈ 10³⁰², so νE is infinite and the level
/// is up; the hour bills about its load, 264.8·0.1077/0.95 = 30.02
/// replicas, and a few lingering ones, not NaN.
#[test]
fn an_overflowing_level_is_up_not_nan() {
    let pool = Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 16,
        seconds_per_request: 0.107_706_956,
        target_utilization: 0.95,
        cold_start_s: 50.0,
        idle_timeout_s: 60.0,
        last_idle_timeout_s: 60.0,
        billing_increment_s: 1.0,
        cold_start_billed: true,
    };
    let h = hour(&pool, 264.765_416_7);
    assert!(h.replicas.is_finite(), "{h:?}");
    assert!(h.billed > 30.0 && h.billed < 40.0, "{h:?}");
}

/// The closed form against the simulation on flat days of a 16-slot
/// pool (an LLM engine): scale-to-zero and autoscale, 0.01–1 request a
/// second, cold starts of 5 and 120 s, 60 and 900 s timeouts, service
/// of 0.05 and 0.5 replica-seconds, per-second and per-minute billing:
/// 96 cases, each simulated for at least 100,000 requests (the CI of
/// the billed hours is then ±1% or less). Measured on 2026-12-02 (and
/// over the wider grid of `examples/pool_grid.rs`, 192 cases of C = 16
/// up to 10/s): 94 of 96 within 3%, the worst +3.5% (λ = 1/s,
/// s = 0.5, τ = 60 s, c = 5 s: short up-periods of replica 2); with
/// closed form v2 (2026-12-07) all 160 C = 16 cases of a 480-case grid
/// (docs/design.md) are within 3%. Asserted: at least 90 of 96 within the
/// issue's 3%, every one within 5%.
#[test]
fn the_closed_form_is_within_3_percent_of_the_simulation_on_a_grid() {
    let mut errors = Vec::new();
    for min_replicas in [0, 1] {
        for tau in [60.0, 900.0] {
            for inc in [1.0, 60.0] {
                for c in [5.0, 120.0] {
                    for s in [0.05, 0.5] {
                        for lambda in [0.01_f64, 0.1, 1.0] {
                            let pool = Pool {
                                policy: Policy::Scaled { min_replicas },
                                slots: 16,
                                seconds_per_request: s,
                                target_utilization: 0.8,
                                cold_start_s: c,
                                idle_timeout_s: tau,
                                last_idle_timeout_s: tau,
                                billing_increment_s: inc,
                                cold_start_billed: true,
                            };
                            let arrivals = [lambda; 24];
                            let days = (1e5 / (lambda * 86_400.0)).ceil().max(2.0) as u32;
                            let simulated =
                                sim::simulate(&pool, &arrivals, sim::Run { days, seed: 11 });
                            let closed = day(&pool, &arrivals);
                            let rel = closed.billed_replica_hours
                                / simulated.mean.billed_replica_hours
                                - 1.0;
                            errors.push((
                                rel,
                                format!(
                                    "min {min_replicas} τ {tau} inc {inc} c {c} s {s} λ {lambda}"
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    let within = errors.iter().filter(|(rel, _)| rel.abs() <= 0.03).count();
    assert!(
        within >= 90,
        "{within} of {} within 3%: {errors:?}",
        errors.len()
    );
    for (rel, case) in &errors {
        assert!(rel.abs() <= 0.05, "{case}: {rel:+.3} (all: {errors:?})");
    }
}

/// Holds much longer than the idle timeout (regulated-health's Modal
/// A100 pools: d = 141–219 s against τ = 60 s, a 50 s cold start): a
/// level is kept while the gaps between the requests it is given are
/// shorter than τ + d, not τ, because each request holds it d seconds
/// however soon N falls back below its full level. Flat days of a 16-slot
/// pool, each simulated for at least 300,000 requests: before (gaps
/// against τ) the closed form billed −7.2% and −5.9% at d = 140 s, −8.5%
/// and −3.2% at d = 220 s (λ = 0.5 and 1.48/s; 1,000,000 requests, seed
/// 7); measured now within 0.7% (docs/design.md, "Replica pools", v3).
/// Asserted: 3%. The same pools' starts and cold-start shares: v3 counted
/// one start an up-period, 35% to 51% of the simulated starts (share off
/// by up to 1.28 points); with the restarts inside an up-period (a level
/// that stops after τ with nobody given to it is started again by the
/// next arrival above its trigger; v4) the starts are +2% to +14% of the
/// simulation's and the shares within 0.66 points. Asserted: starts
/// within 15%, shares within 0.75 points.
#[test]
fn long_holds_keep_their_levels_for_the_idle_timeout_plus_the_hold() {
    for d in [140.0, 220.0] {
        for lambda in [0.5_f64, 1.48] {
            let pool = Pool {
                seconds_per_request: d / 16.0,
                cold_start_s: 50.0,
                idle_timeout_s: 60.0,
                last_idle_timeout_s: 60.0,
                billing_increment_s: 1.0,
                cold_start_billed: true,
                ..scale_to_zero()
            };
            let arrivals = [lambda; 24];
            let days = (3e5 / (lambda * 86_400.0)).ceil() as u32;
            let simulated = sim::simulate(&pool, &arrivals, sim::Run { days, seed: 5 });
            let closed = day(&pool, &arrivals);
            let rel = closed.billed_replica_hours / simulated.mean.billed_replica_hours - 1.0;
            assert!(
                rel.abs() <= 0.03,
                "d {d} λ {lambda}: {rel:+.4} {closed:?} {simulated:?}"
            );
            let starts = closed.cold_starts / simulated.mean.cold_starts - 1.0;
            let share = closed.cold_start_wait_share - simulated.mean.cold_start_wait_share;
            assert!(
                starts.abs() <= 0.15 && share.abs() <= 0.0075,
                "d {d} λ {lambda}: starts {starts:+.4}, share {share:+.5}"
            );
        }
    }
}

/// A level up at an hour's start that the hour never starts again stops
/// after its idle timeout, exponentially on average: with 1/E = 1/3600 s,
/// p(t) = e^(−t/3600), so the hour's mean is 1 − e^(−1) = 0.6321206 and it
/// ends at e^(−1) = 0.3678794, with no start.
#[test]
fn a_level_carried_into_a_quiet_hour_decays_at_its_stop_rate() {
    let idle = carry::Rate {
        start: 0.0,
        stop: 1.0 / 3600.0,
        round_up_s: 0.0,
        waiting_per_start: 0.0,
        storm: 0.0,
        restart: 0.0,
        waiting_per_restart: 0.0,
    };
    let (mean, starts, end) = carry::Step::of(&idle).hour(1.0);
    assert!((mean - 0.632_120_6).abs() < 1e-7, "{mean}");
    assert!((end - 0.367_879_4).abs() < 1e-7, "{end}");
    assert_eq!(starts, 0.0);
}

/// A flat day carried from hour to hour is the stationary hour 24 times:
/// every level starts the hour where it ends it.
#[test]
fn a_flat_day_carried_is_the_stationary_hour_24_times() {
    for lambda in [0.003, 0.05, 0.4, 2.0] {
        let mut pool = scale_to_zero();
        pool.cold_start_s = 0.0;
        let carried = billed_replica_hours(&pool, &[lambda; 24]);
        let stationary = 24.0 * hour(&pool, lambda).billed;
        assert!(
            (carried / stationary - 1.0).abs() < 1e-9,
            "λ {lambda}: {carried} against {stationary}"
        );
    }
}

/// A scale-to-zero pool of one-hour idle windows after quiet hours (the
/// Fireworks pools of bursty-10k): the replica kept into the first quiet
/// hour is billed (the stationary hours bill none of it), and the storm
/// of a 180 s cold start at the onset starts a second replica.
#[test]
fn an_onset_after_quiet_hours_carries_the_idle_window_and_the_storm() {
    let pool = Pool {
        seconds_per_request: 0.12,
        cold_start_s: 180.0,
        idle_timeout_s: 3600.0,
        last_idle_timeout_s: 3600.0,
        billing_increment_s: 1.0,
        cold_start_billed: true,
        ..scale_to_zero()
    };
    let mut arrivals = [0.0; 24];
    for a in &mut arrivals[8..21] {
        *a = 0.1;
    }
    let stationary: f64 = arrivals.iter().map(|&l| hour(&pool, l).billed).sum();
    let carried = day(&pool, &arrivals);
    // 13 busy hours, about one more kept by the timeout, and the storm's
    // second replica (1 + Poisson(18) requests by the end of the cold
    // start: above x₂ = 12 with probability 0.93) for about its c + τ.
    assert!((stationary - 13.0).abs() < 0.05, "{stationary}");
    assert!(
        carried.billed_replica_hours > stationary + 1.5,
        "{carried:?}"
    );
    assert!(
        carried.cold_starts > 1.5 && carried.cold_starts < 2.5,
        "{carried:?}"
    );
    let simulated = sim::simulate(&pool, &arrivals, sim::Run { days: 200, seed: 3 });
    let rel = carried.billed_replica_hours / simulated.mean.billed_replica_hours - 1.0;
    assert!(rel.abs() < 0.03, "{rel:+.4}: {carried:?} {simulated:?}");
}

fn scale_to_zero() -> Pool {
    Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 16,
        seconds_per_request: 0.2,
        target_utilization: 0.8,
        cold_start_s: 30.0,
        idle_timeout_s: 300.0,
        last_idle_timeout_s: 300.0,
        billing_increment_s: 0.0,
        cold_start_billed: true,
    }
}

/// A level's restarts within its up-period (v4), by hand: r = 1/600 s,
/// F(L) = 1, c = 50 s, τ = 60 s, d = 120 s (T = 180 s, rT = 0.3), ν =
/// 0.01/s. E = 50 + 600·(e^0.3 − 1) = 259.915 s; one stretch (first gap
/// τ, then T) 50 + 600·(1 − e^(−0.1))·e^0.3 = 127.074 s; restarts
/// 1/127.074 − 1/259.915 = 0.0040220 a second while up; up = 2.59915/
/// 3.59915 = 0.722157, so 3600·0.722157·0.0040220 = 10.456 restarts an
/// hour beside 3600·0.01/3.59915 = 10.002 starts from down.
#[test]
fn a_level_restarts_within_its_up_period_at_one_over_a_stretch() {
    let l = level::kept_by_excursions(
        0.01,
        1.0 / 600.0,
        1.0,
        50.0,
        (60.0, 120.0),
        level::Bill {
            increment_s: 1.0,
            unbilled_s: 0.0,
        },
    );
    assert!((l.up - 0.722_157).abs() < 1e-6, "{}", l.up);
    assert!((l.starts - 10.002).abs() < 1e-3, "{}", l.starts);
    assert!((l.restarts - 10.456).abs() < 1e-3, "{}", l.restarts);
}

/// The count a restart is made at: N's law between the trigger and the
/// full level, less the restarting arrival. m = 2, x = 1, L = 3: p(2) =
/// 2e^(−2), p(3) = (4/3)e^(−2), so E[N | 1 < N ≤ 3] = (2·2 + 3·4/3)/
/// (2 + 4/3) = 2.4, and 1.4 before the arrival.
#[test]
fn a_restart_is_made_at_the_mean_count_between_trigger_and_full_level() {
    let (p_full, at_most_full) = Poisson::new(2.0).at(3.0);
    let from = queue::restart_from(&mut Poisson::new(2.0), 2.0, 1.0, p_full, at_most_full);
    assert!((from - 1.4).abs() < 1e-12, "{from}");
}

/// regulated-health's Fireworks 1×H200 at 09:00 (λ = 1.4815/s, C = 16,
/// d = 16·0.8602 = 13.763 s, u·C = 12.8, c = 180 s) with one replica up:
/// it serves 16/13.763 = 1.1625/s, the queue grows 0.3190/s from 16 in
/// the pool, and a level starts at 16 > 12.8 (0 s), 25.6 (30.1 s), 38.4
/// (70.2 s), 51.2 (110.4 s) and 64 (150.5 s); at 180 s the first is ready,
/// 2·1.1625 > λ, before 76.8 (190.6 s): five levels. Two replicas up serve
/// the hour: none.
#[test]
fn an_overloaded_onset_starts_a_level_each_u_c_its_queue_gains() {
    let onset = onset::Onset {
        lambda: 40_000.0 / 27_000.0,
        slots: 16.0,
        hold_s: 16.0 * 0.860_204,
        per_replica: 12.8,
        cold_start_s: 180.0,
    };
    // Five levels, and the overload lasts until the first is ready.
    let walk = onset.started(1.0);
    assert_eq!(
        (walk.levels, walk.seconds, walk.overflow_s),
        (5.0, 180.0, 180.0)
    );
    assert_eq!(onset.started(2.0), onset::Walk::NONE);
    // A shorter cold start: ready at 100 s, before the 4th start (110.4 s).
    let quick = onset::Onset {
        cold_start_s: 100.0,
        ..onset
    };
    let walk = quick.started(1.0);
    assert_eq!((walk.levels, walk.seconds), (3.0, 100.0));
}

/// An onset that crosses more than 256 triggers walks in batches, so its
/// cost is bounded whatever λ: λ = 1,000/s on one-slot replicas (d = 1 s,
/// u·C = 0.7) with c = 300 s crosses λ(c + d)/(u·C) = 430,000 triggers,
/// so ⌈430,000/256⌉ = 1,680 levels an event. From one replica ready, the
/// queue holds n(t) = 1 + 999·t; event k (from 0) starts when n reaches
/// 0.7·(1 + 1,680·k): event 254 at 298,704.7 ≤ n(300) = 299,701, event 255
/// at 299,880.7 > it. At 300 s the first batch is ready (1,681 replicas
/// serve more than λ): 255 events, 428,400 levels, an overload of 300 s
/// (the fluid walk's n(300)/0.7 − 1 = 428,143: the batch rounds up by
/// 0.06%). The walk before batches stopped at 256 levels.
#[test]
fn a_huge_onset_is_walked_in_batches() {
    let onset = onset::Onset {
        lambda: 1_000.0,
        slots: 1.0,
        hold_s: 1.0,
        per_replica: 0.7,
        cold_start_s: 300.0,
    };
    let walk = onset.started(1.0);
    assert_eq!((walk.levels, walk.seconds), (428_400.0, 300.0));
}

/// The waits of an onset from the requests the hour before left in the
/// pool: C = 16, d = 16 s (a replica serves 1/s), u·C = 12.8, c = 180 s,
/// λ = 1.5/s, one replica ready and 3.2 in flight (0.2/s before). Those in
/// flight are served, so the pool grows at 1.5 − n/16: to the first
/// trigger 12.8 at (12.8 − 3.2)/1.3 = 7.385 s (a start), then at 0.7/s
/// to 16, every slot taken, at 7.385 + 3.2/0.7 = 11.956 s; from there at
/// 0.5/s, a start each 25.6 s of 12.8 gained (31.156, 56.756, …,
/// 184.756 s: 8 in all) until the first is ready at 187.385 s and two
/// replicas serve more than λ. The slots are all taken 187.385 − 11.956 =
/// 175.43 s. From full slots, the walk the bill uses: 8 levels (0, 19.2,
/// …, 172.8 s), all 180 s taken.
#[test]
fn an_onsets_waits_start_when_its_slots_fill() {
    let onset = onset::Onset {
        lambda: 1.5,
        slots: 16.0,
        hold_s: 16.0,
        per_replica: 12.8,
        cold_start_s: 180.0,
    };
    let from = onset.walk_from(1.0, 3.2);
    assert_eq!(from.levels, 8.0);
    assert!(
        (from.seconds - (9.6 / 1.3 + 180.0)).abs() < 1e-9,
        "{from:?}"
    );
    let filled = 9.6 / 1.3 + 3.2 / 0.7;
    assert!(
        (from.overflow_s - (from.seconds - filled)).abs() < 1e-9,
        "{from:?}"
    );
    assert!((onset.waiting_s(1.0, 3.2) - 175.43).abs() < 0.01);
    let full = onset.started(1.0);
    assert_eq!(
        (full.levels, full.seconds, full.overflow_s),
        (8.0, 180.0, 180.0)
    );
}

/// With no idle timeout the restarts' stretch shrinks to the cold start
/// (1 ms here), and 1/stretch restarts a second while up counted 6.9
/// million starts an hour for 41,652 arrivals (λ = 11.57/s), billing
/// 29,835 replica-hours a day at a peak of 5 replicas. Every start is made
/// by an arrival: the hour keeps λ·3600 = 41,652 of them, and the day
/// 24 × 41,652 = 999,648. What the cap leaves is still far from the
/// simulation (about +62% on this pool, which is why such an option is
/// flagged outside the checked range), but within 2× of it, where it was
/// 193×.
#[test]
fn an_hour_never_starts_more_replicas_than_it_has_arrivals() {
    let pool = Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 16,
        seconds_per_request: 0.156,
        target_utilization: 0.8,
        cold_start_s: 0.001,
        idle_timeout_s: 0.0,
        last_idle_timeout_s: 0.0,
        billing_increment_s: 1.0,
        cold_start_billed: true,
    };
    let lambda = 11.57;
    let h = hour(&pool, lambda);
    assert!((h.starts - lambda * 3600.0).abs() < 1e-6, "{h:?}");
    let arrivals: Arrivals = [lambda; 24];
    let closed = day(&pool, &arrivals);
    assert!((closed.cold_starts - 999_648.0).abs() < 1e-3, "{closed:?}");
    let simulated = sim::simulate(&pool, &arrivals, sim::Run { days: 1, seed: 3 });
    let ratio = closed.billed_replica_hours / simulated.mean.billed_replica_hours;
    assert!((1.0..2.0).contains(&ratio), "{ratio}");
}
