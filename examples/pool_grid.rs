//! The pool closed form against the simulation on a grid of flat days: `cargo run --release --example pool_grid [DAYS]` (set ALL=1 for one line per case).
use infercost::model::pool::{closed, sim, Policy, Pool};
fn main() {
    let days: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(4);
    let mut worst: f64 = 0.0;
    let mut n = 0;
    let mut over = 0;
    for &min in &[0u32, 1] {
        for &slots in &[1u32, 16] {
            for &s in &[0.05f64, 0.5] {
                for &inc in &[1.0f64, 60.0] {
                    for &tau in &[60.0f64, 900.0] {
                        for &c in &[5.0f64, 120.0] {
                            for &lambda in &[1e-4f64, 1e-3, 1e-2, 0.1, 1.0, 10.0] {
                                let pool = Pool {
                                    policy: Policy::Scaled { min_replicas: min },
                                    slots,
                                    seconds_per_request: s,
                                    target_utilization: 0.8,
                                    cold_start_s: c,
                                    idle_timeout_s: tau,
                                    last_idle_timeout_s: tau,
                                    billing_increment_s: inc,
                                    cold_start_billed: true,
                                };
                                let arr = [lambda; 24];
                                let cf = closed::day(&pool, &arr);
                                let sm = sim::simulate(
                                    &pool,
                                    &arr,
                                    sim::Run {
                                        days: days.max(
                                            (400_000.0 / (lambda * 86_400.0)).ceil().min(20_000.0)
                                                as u32,
                                        ),
                                        seed: 7,
                                    },
                                );
                                let rel =
                                    cf.billed_replica_hours / sm.mean.billed_replica_hours - 1.0;
                                n += 1;
                                if rel.abs() > 0.03 {
                                    over += 1;
                                }
                                worst = worst.max(rel.abs());
                                if std::env::var_os("ALL").is_some() {
                                    println!("ROW min={min} C={slots} s={s} inc={inc} tau={tau} c={c} lam={lambda} rel={:.4} sim={:.3} cf={:.3}", rel, sm.mean.billed_replica_hours, cf.billed_replica_hours);
                                } else if rel.abs() > 0.03 {
                                    println!("min={min} C={slots} s={s} inc={inc} tau={tau} c={c} lam={lambda}: sim {:.3} [{:.3},{:.3}] closed {:.3} rel {:+.1}% peak sim {:.1} cf {:.1} starts sim {:.0} cf {:.0}",
              sm.mean.billed_replica_hours, sm.billed_ci95[0], sm.billed_ci95[1], cf.billed_replica_hours, rel*100.0, sm.mean.peak_replicas, cf.peak_replicas, sm.mean.cold_starts, cf.cold_starts);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    println!("{over}/{n} over 3%, worst {:.1}%", worst * 100.0);
}
