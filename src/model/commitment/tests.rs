//! The planner against hand-worked cases and against a brute-force search
//! over every level, on generated days.

use super::*;

fn day(replicas: [u32; 24], load: [f64; 24], units: [f64; 24], u: f64) -> Day {
    Day {
        replicas,
        load,
        units,
        target_utilization: u,
    }
}

/// 12 hours need 2 replicas on demand, 12 hours 1; on demand $10 a
/// replica-hour, committed $6 (40% off), a 12-month term.
fn half_busy() -> (Terms, Day) {
    let mut replicas = [1; 24];
    replicas[..12].fill(2);
    let terms = Terms {
        term_months: 12,
        usd_per_replica_hour: 6.0,
        min_replicas: 1,
        overflow: Overflow::OnDemand {
            usd_per_replica_hour: 10.0,
        },
    };
    (terms, day(replicas, [0.0; 24], [0.0; 24], 0.8))
}

#[test]
fn the_second_replica_is_not_worth_committing_for_12_hours_a_day() {
    let (terms, day) = half_busy();
    // On demand: 10 · (12·2 + 12·1) = $360 a day.
    assert_eq!(usd_per_day(0, &terms, &day), 360.0);
    // k = 1: 24·6 = 144 committed + 10 · 12 · 1 overflow = $264.
    // k = 2: 24·6·2 = $288: replica 2 saves 120 a day, costs 144.
    assert_eq!(usd_per_day(2, &terms, &day), 288.0);
    let p = plan(&terms, &day);
    assert_eq!(p.replicas, 1);
    assert_eq!(p.usd_per_day, 264.0);
    assert_eq!(p.commitment_usd_per_day, 144.0);
    // m* = F·T/(O − P + F) = 144 · 12 / (360 − 264 + 144) = 7.2 months.
    assert_eq!(break_even_months(&p, &terms, 360.0), Some(7.2));
}

#[test]
fn overflow_per_token_commits_the_replicas_that_beat_its_price() {
    // 100 units an hour, 1.5 busy replica-hours of work, u = 0.75: one
    // committed replica serves 0.75 of 1.5, half the units; $0.10 a unit
    // per token, $3 a committed replica-hour.
    let terms = Terms {
        term_months: 1,
        usd_per_replica_hour: 3.0,
        min_replicas: 1,
        overflow: Overflow::PerToken { usd_per_unit: 0.1 },
    };
    let d = day([2; 24], [1.5; 24], [100.0; 24], 0.75);
    // k = 0: 0.1 · 100 · 24 = $240; k = 1: 72 + 0.1 · 100 · 0.5 · 24 = $192;
    // k = 2: 144 + 0 = $144.
    assert_eq!(usd_per_day(1, &terms, &d), 192.0);
    let p = plan(&terms, &d);
    assert_eq!((p.replicas, p.usd_per_day), (2, 144.0));
}

#[test]
fn nothing_is_committed_when_the_minimum_does_not_pay() {
    // A vendor minimum of 3 replicas for a day that needs 1: 24·3·6 = $432
    // against $240 on demand.
    let terms = Terms {
        term_months: 12,
        usd_per_replica_hour: 6.0,
        min_replicas: 3,
        overflow: Overflow::OnDemand {
            usd_per_replica_hour: 10.0,
        },
    };
    let p = plan(&terms, &day([1; 24], [0.0; 24], [0.0; 24], 0.8));
    assert_eq!((p.replicas, p.usd_per_day), (0, 240.0));
    assert_eq!(break_even_months(&p, &terms, 240.0), None);
}

/// xorshift, so the generated days are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn the_planner_finds_the_brute_force_optimum() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..2000 {
        let u = 0.5 + rng.below(50) as f64 / 100.0;
        let mut load = [0.0; 24];
        let mut replicas = [0; 24];
        let mut units = [0.0; 24];
        for h in 0..24 {
            load[h] = rng.below(800) as f64 / 100.0;
            replicas[h] = (load[h] / u).ceil() as u32;
            units[h] = load[h] * 1000.0;
        }
        let on_demand = 1.0 + rng.below(1000) as f64 / 100.0;
        let overflow = if case % 2 == 0 {
            Overflow::OnDemand {
                usd_per_replica_hour: on_demand,
            }
        } else {
            Overflow::PerToken {
                usd_per_unit: on_demand / 1000.0 * (0.5 + rng.below(100) as f64 / 100.0),
            }
        };
        let terms = Terms {
            term_months: 1 + rng.below(36) as u32,
            usd_per_replica_hour: on_demand * (0.3 + rng.below(70) as f64 / 100.0),
            min_replicas: rng.below(4) as u32,
            overflow,
        };
        let d = day(replicas, load, units, u);
        let levels = std::iter::once(0).chain(terms.min_replicas.max(1)..=most(&terms, &d) + 2);
        let best = levels
            .map(|k| usd_per_day(k, &terms, &d))
            .fold(f64::INFINITY, f64::min);
        let p = plan(&terms, &d);
        assert!(
            (p.usd_per_day - best).abs() <= 1e-9 * best.max(1.0),
            "case {case}: planner {} against brute force {best}",
            p.usd_per_day
        );
    }
}
