//! Pool simulator benchmarks (`cargo bench --bench pool`): simulated
//! requests per second on one core (a one-thread rayon pool). Issue 13
//! asks for at least 10 million.

use divan::counter::ItemsCount;
use divan::{black_box, Bencher};
use infercost::model::pool::sim::{simulate, Run};
use infercost::model::pool::{Policy, Pool};

fn main() {
    divan::main();
}

/// A scaled pool of C = 16 with 80% target utilization, 30 s cold starts,
/// a 300 s idle timeout and per-second billing.
fn batching(seconds_per_request: f64) -> Pool {
    Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 16,
        seconds_per_request,
        target_utilization: 0.8,
        cold_start_s: 30.0,
        idle_timeout_s: 300.0,
        last_idle_timeout_s: 300.0,
        billing_increment_s: 1.0,
        cold_start_billed: true,
    }
}

/// Runs `days` days on one thread; items = requests simulated.
fn run(bencher: Bencher, pool: Pool, rate: f64, days: u32) {
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool");
    let arrivals = [rate; 24];
    let settings = Run { days, seed: 7 };
    let requests = one.install(|| simulate(&pool, &arrivals, settings).requests);
    bencher
        .counter(ItemsCount::new(requests))
        .bench(|| one.install(|| simulate(black_box(&pool), black_box(&arrivals), settings)));
}

/// 200,000 requests a day, flat (2.31/s), s = 0.05 s: about 1 replica busy.
#[divan::bench(sample_count = 20)]
fn support_chat_like(bencher: Bencher) {
    run(bencher, batching(0.05), 200_000.0 / 86_400.0, 10);
}

/// 50 requests/s, s = 0.1 s: 5 replicas busy, about 7 up.
#[divan::bench(sample_count = 20)]
fn busy_pool(bencher: Bencher) {
    run(bencher, batching(0.1), 50.0, 2);
}

/// One replica of one slot that scales to zero: 0.01 requests/s, s = 1 s,
/// 10 s cold starts, 60 s timeout, per-minute billing.
#[divan::bench(sample_count = 20)]
fn scale_to_zero(bencher: Bencher) {
    let pool = Pool {
        policy: Policy::Scaled { min_replicas: 0 },
        slots: 1,
        seconds_per_request: 1.0,
        target_utilization: 1.0,
        cold_start_s: 10.0,
        idle_timeout_s: 60.0,
        last_idle_timeout_s: 60.0,
        billing_increment_s: 60.0,
        cold_start_billed: true,
    };
    run(bencher, pool, 0.01, 100);
}

/// A fixed pool of 8 replicas of 4 slots at 75% load (M/D/32).
#[divan::bench(sample_count = 20)]
fn fixed_pool(bencher: Bencher) {
    let pool = Pool {
        policy: Policy::Fixed(8),
        slots: 4,
        seconds_per_request: 0.25,
        target_utilization: 1.0,
        cold_start_s: 0.0,
        idle_timeout_s: 0.0,
        last_idle_timeout_s: 0.0,
        billing_increment_s: 3600.0,
        cold_start_billed: true,
    };
    run(bencher, pool, 24.0, 2);
}
