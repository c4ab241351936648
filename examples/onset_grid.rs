//! The pool closed form against the simulation on days with onsets (quiet
//! hours, then busy ones): `cargo run --release --example onset_grid [DAYS]`
//! (ALL=1 for one line per case).
use infercost::model::pool::{closed, sim, Policy, Pool};

/// Hourly weights of the bundled bursty day and of business hours.
fn shapes() -> [(&'static str, [f64; 24]); 2] {
    let bursty = [
        0., 0., 0., 0., 0., 0., 0., 0., 1., 3., 6., 2., 1., 1., 4., 5., 3., 1., 1., 1., 1., 0., 0.,
        0.,
    ];
    let business: [f64; 24] = std::array::from_fn(|h| {
        if (9..18).contains(&h) {
            0.8 / 9.0
        } else {
            0.2 / 15.0
        }
    });
    let sum: f64 = bursty.iter().sum();
    [("bursty", bursty.map(|w| w / sum)), ("business", business)]
}

fn main() {
    let days: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2);
    let (mut n, mut over, mut worst, mut abs_sum) = (0, 0, 0.0f64, 0.0);
    for (name, w) in shapes() {
        for &min in &[0u32, 1] {
            for &slots in &[1u32, 16] {
                for &c in &[30.0f64, 120.0, 300.0] {
                    // One idle window, and Fireworks' two (600 s above, 3,600 s for the last replica).
                    for &(tau, last) in &[(300.0f64, 300.0f64), (900.0, 900.0), (600.0, 3600.0)] {
                        // Replicas' worth of work at the busiest hour: 0.5 to 100.
                        for &peak_load in &[0.5f64, 3.0, 20.0, 100.0] {
                            let s = 1.0;
                            let busiest = w.iter().copied().fold(0.0, f64::max);
                            let per_day = peak_load / s / (busiest / 3600.0);
                            let arr = w.map(|x| per_day * x / 3600.0);
                            let pool = Pool {
                                policy: Policy::Scaled { min_replicas: min },
                                slots,
                                seconds_per_request: s,
                                target_utilization: 0.7,
                                cold_start_s: c,
                                idle_timeout_s: tau,
                                last_idle_timeout_s: last,
                                billing_increment_s: 1.0,
                                cold_start_billed: true,
                            };
                            let cf = closed::day(&pool, &arr);
                            let sm = sim::simulate(&pool, &arr, sim::Run { days, seed: 11 });
                            let rel = cf.billed_replica_hours / sm.mean.billed_replica_hours - 1.0;
                            n += 1;
                            abs_sum += rel.abs();
                            if rel.abs() > 0.03 {
                                over += 1;
                            }
                            worst = worst.max(rel.abs());
                            if std::env::var_os("ALL").is_some() || rel.abs() > 0.03 {
                                println!(
                                    "{name:8} min={min} C={slots:2} c={c:3} tau={tau:3}/{last:4} load={peak_load:5}: sim {:8.2} cf {:8.2} {:+6.1}% starts {:6.0}/{:6.0} share {:.4}/{:.4} peak {:.0}/{:.0}",
                                    sm.mean.billed_replica_hours, cf.billed_replica_hours, rel * 100.0,
                                    sm.mean.cold_starts, cf.cold_starts,
                                    sm.mean.cold_start_wait_share, cf.cold_start_wait_share,
                                    sm.mean.peak_replicas, cf.peak_replicas
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    println!(
        "{over}/{n} over 3%, worst {:.1}%, mean |error| {:.1}%",
        worst * 100.0,
        abs_sum / n as f64 * 100.0
    );
}
