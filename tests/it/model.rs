//! The cost model against hand-worked numbers. Each test writes out the
//! arithmetic of DESIGN's formulas (docs/design.md) so a reviewer can redo it.

use crate::common::assert_close;

/// Equal to nine significant digits.
fn close9(actual: f64, expected: f64) {
    assert_close(actual, expected, 1e-9);
}

use infercost::model::breakeven::{break_even_volume, crossover_utilization};
use infercost::model::dedicated::{self, PolicyOrigins, Replica};
use infercost::model::episode::EpisodeTokens;
use infercost::model::{per_token, traffic, usd_per_month, Demand, Unit};
use infercost::profile::{Billing, Scaling, ServerlessOffer, Shape, Traffic};

/// Llama 3.3 70B on 2×H100 (TRT-LLM: 12,200 prefill, 4,205 decode tok/s) at $3.99/GPU-hour.
fn h100_pair(scaling: Scaling) -> Replica {
    Replica {
        scaling,
        billing: Billing::PerSecond,
        min_replicas: 1,
        cold_start_s: 20.0,
        // Autoscale: the default scale-down delay, 300 s.
        idle_timeout_s: if scaling == Scaling::Autoscale {
            300.0
        } else {
            60.0
        },
        last_idle_timeout_s: 60.0,
        cold_start_billed: true,
        origins: PolicyOrigins::STATED,
        slots: 16,
        usd_per_replica_hour: 2.0 * 3.99,
        prefill_tokens_per_s: 12_200.0,
        decode_tokens_per_s: 4_205.0,
    }
}

fn requests(per_day: f64, input: f64, output: f64) -> Demand {
    Demand {
        units_per_day: per_day,
        unit: Unit::Request {
            input,
            cached: 0.0,
            output,
        },
        batch_share: 0.0,
    }
}

fn api(input: f64, output: f64) -> ServerlessOffer {
    ServerlessOffer::new("llama-3.3-70b", input, output)
}

fn shape(shape: Shape) -> [f64; 24] {
    traffic::weights(&Traffic {
        shape,
        ..Traffic::default()
    })
}

/// s = 1,000/12,200 + 1,000/4,205 = 0.0819672 + 0.2378121 = 0.3197793 replica-seconds.
const S: f64 = 0.319_779_341_533_303_45;

#[test]
fn replica_seconds_per_request_count_prefill_and_decode() {
    close9(
        h100_pair(Scaling::AlwaysOn).seconds_per_unit(&requests(1.0, 1_000.0, 1_000.0).unit),
        S,
    );
}

#[test]
fn dedicated_h100_beats_a_per_token_api_above_40_percent_utilization() {
    // Dedicated at full load: s/3600 · $7.98 = 0.3197793/3600 · 7.98 = $0.00070884 a request.
    // Per-token at $0.88/$0.88: (1,000·0.88 + 1,000·0.88)/10⁶ = $0.00176 a request.
    // u* = 0.00070884 / 0.00176 = 0.40275.
    let replica = h100_pair(Scaling::AlwaysOn);
    let demand = requests(100_000.0, 1_000.0, 1_000.0);
    let per_token = per_token::usd_per_unit(&api(0.88, 0.88), &demand);
    close9(per_token, 0.001_76);
    close9(
        replica.usd_per_unit_at_full_load(&demand.unit),
        0.000_708_844_207_065_489_4,
    );
    close9(
        crossover_utilization(&replica, &demand, per_token).unwrap(),
        0.402_752_390_378_118_94,
    );
}

#[test]
fn always_on_pays_for_the_peak_all_day() {
    // R = 100,000 flat: B = 100,000 · 0.3197793 / 3600 = 8.88276 busy replica-hours.
    // L_h = B/24 = 0.3701; n_h = ceil(0.3701/0.8) = 1 → 24 replica-hours, $/day = 24 · 7.98 = $191.52.
    let c = dedicated::price(
        &h100_pair(Scaling::AlwaysOn),
        &requests(100_000.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    close9(c.busy_replica_hours, 8.882_759_487_036_207);
    close9(c.billed_replica_hours, 24.0);
    close9(c.usd_per_day, 191.52);
    close9(c.utilization, 0.370_114_978_626_508_6);
    assert_eq!(c.replicas_peak, 1);
    // $/month = $/day · 365/12 = 191.52 · 30.41667 = $5,825.40
    close9(usd_per_month(c.usd_per_day), 5_825.4);
}

#[test]
fn autoscale_bills_whole_replicas_and_their_lingering() {
    // R = 135,000 flat: λ = 1.5625/s; s = 1000/12200 + 1000/4205 = 0.3197793 s;
    // C = 16 slots hold a request d = 16·s = 5.116469 s, so N ~ Poisson(m = λd = 7.994484).
    // Replica 1 is always up (min_replicas 1). Replica 2 starts at the first
    // arrival that finds N ≥ x = ⌊0.8·16⌋ = 12 (while replica 1 is up, share 1).
    // Its trigger is z = (x + 1 − m)/√m = 5.005516/2.827452 = 1.770328 sd above
    // the mean, so the start rate blends (closed form v2) the walk's first
    // passage, λ·E[T_12] = Σ_{n<12} F(n)²/p(n) / F(11) = 30.7188, ν_walk =
    // λ/31.7188 = 0.049261/s, with Alm's λ·p(12)·(13 − m)/13 = 0.028874/s,
    // geometric at w = (z − 1)/2 = 0.385164: ν = 0.049261^0.614836 ·
    // 0.028874^0.385164 = 0.040100/s. It takes requests only when N > L = 16
    // (F(16) = 0.99630681), and N comes back above 16 at the first passage to
    // 17 from N ≤ 16: λ·E[T_17] = Σ_{n≤16} F(n)²/p(n) / F(16) = 466.90,
    // r = λ/466.90 = 0.0033465/s; it stops after a gap of T = τ + d =
    // 305.116469 s between the requests it is given (τ = 300 s, the default
    // scale-down delay, counted from its last completion; closed form v3):
    // kept = (e^(rT) − 1)/(r·F(16)) = 532.73 s, E = c + kept = 552.73 s;
    // up = νE/(1 + νE) = 0.956831, starts 3600·ν/(1 + νE) = 6.232005 an
    // hour, each rounded up (per second) by e^(−rT)·(⌈c + τ⌉ − (c + τ)) +
    // (1 − e^(−rT))·½ = 0.3199 s (c + τ = 320 s is whole). Within its
    // up-period it restarts (closed form v4) at 1/stretch − 1/E, one
    // stretch c + (1 − e^(−rτ))·e^(rT)/(r·F(16)) = 547.546 s: 1.71147·10⁻⁵
    // a second while up, 3600·0.956831·1.71147·10⁻⁵ = 0.058953 an hour,
    // rounded up as the starts.
    // Replica 3 (x = 25, z = 6.37: Alm's rate, 8.7379·10⁻⁷/s, thinned by
    // replica 2's 0.956831; L = 32, rT = 3.5·10⁻⁸, so kept = T/F(32)):
    // up 0.00027175, 0.0030090 starts an hour, rounded up by ~0 s;
    // stretch c + τ/F(32) = 320 s against E = 325.116 s: 0.0000481
    // restarts an hour.
    // A flat day is carried as its stationary hour 24 times.
    // Billed a day = 24·(1 + 0.956831 + 0.00027175 + (6.232005 +
    // 0.058953)·0.3199/3600) = 46.983872; starts 24·(6.232005 + 0.058953
    // + 0.0030090 + 0.0000481) = 151.0564.
    // (Recomputed independently in Python from the formulas of
    // docs/design.md, "Replica pools".)
    let c = dedicated::price(
        &h100_pair(Scaling::Autoscale),
        &requests(135_000.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    assert_close(c.billed_replica_hours, 46.983_872_284, 1e-8);
    assert_close(c.cold_starts_per_day, 151.056_377_469, 1e-8);
    close9(c.usd_per_day, c.billed_replica_hours * 7.98);
    // Whole replicas: more than the 2 · 0.6246 / 0.8 the hours' load needs,
    // less than 2 all day.
    assert!(c.billed_replica_hours > 24.0 * 1.9 && c.billed_replica_hours < 48.0);
    assert_eq!(c.replicas_peak, 2);
}

#[test]
fn autoscale_never_drops_below_min_replicas() {
    // 10 requests a day need a sliver of one replica; min_replicas 2 bills 2 · 24 = 48 replica-hours.
    let mut r = h100_pair(Scaling::Autoscale);
    r.min_replicas = 2;
    let c = dedicated::price(
        &r,
        &requests(10.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    close9(c.billed_replica_hours, 48.0);
}

#[test]
fn scale_to_zero_bills_warm_time_and_cold_starts() {
    // R = 240 flat: λ = 240/24/3600 = 0.0027778/s; a request holds its slot
    // d = 16·0.3197793 = 5.116469 s, so the idle timer runs T = τ + d = 65.116469 s
    // after the last arrival; cold start c = 20 s.
    // Renewal cycle: e^(λT) + λc = e^0.1808791 + 0.0555556 = 1.198270 + 0.055556 = 1.253826;
    // up = 1 − 1/1.253826 = 0.202441 of each hour; starts 3600·λ/1.253826 = 7.97559 an hour.
    // Each up-period is rounded up to the second: the shortest, c + T = 85.116469 s,
    // happens with probability e^(−λT) = 0.834536 and is rounded up by 0.883531 s;
    // any other by ½ s on average: 0.834536·0.883531 + 0.165464·0.5 = 0.82007 s.
    // Billed = 24·(0.202441 + 7.97559·0.82007/3600) = 24·0.2042579 = 4.902189 replica-hours;
    // $/day = 4.902189 · 7.98 = $39.119. Cold starts 24·7.97559 = 191.414.
    // Waiting share = starts·(1 + λc)/(3600·λ) = 7.97559·1.0555556/10 = 84.19%.
    let c = dedicated::price(
        &h100_pair(Scaling::ScaleToZero),
        &requests(240.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    assert_close(c.billed_replica_hours, 4.902_189_109, 1e-8);
    assert_close(c.usd_per_day, 4.902_189_109 * 7.98, 1e-8);
    assert_close(c.cold_starts_per_day, 191.414_145_087, 1e-8);
    assert_close(c.cold_start_share, 0.841_867_768, 1e-8);
}

#[test]
fn scale_to_zero_costs_nothing_without_traffic() {
    let c = dedicated::price(
        &h100_pair(Scaling::ScaleToZero),
        &requests(0.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    assert_eq!(
        (c.usd_per_day, c.cold_start_share, c.utilization),
        (0.0, 0.0, 0.0)
    );
}

#[test]
fn per_minute_billing_rounds_each_warm_period() {
    // As above, billed per minute: the shortest up-period, 85.116469 s, bills
    // 120 s (34.883531 s more), with probability 0.834536; any other half a
    // minute more on average: 0.834536·34.883531 + 0.165464·30 = 34.07548 s a start.
    // Billed = 24·(0.202441 + 7.97559·34.07548/3600) = 24·0.2779333 = 6.670399:
    // the rounding outside the renewal cycle (the warm time is the same as per
    // second), not half a minute added to the cold start inside it.
    let mut r = h100_pair(Scaling::ScaleToZero);
    r.billing = Billing::PerMinute;
    let c = dedicated::price(
        &r,
        &requests(240.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    assert_close(c.billed_replica_hours, 6.670_399_244, 1e-8);
    assert_close(c.cold_starts_per_day, 191.414_145_087, 1e-8);
}

#[test]
fn break_even_volume_of_an_always_on_replica() {
    // Always-on costs at least 24 · $7.98 = $191.52 a day; per-token costs $0.00176 a request.
    // 191.52 / 0.00176 = 108,818.18 requests/day, where one replica still suffices
    // (B/24/0.8 = 108,818 · 0.3197793/3600/24/0.8 = 0.503 → 1 replica): the break-even volume.
    let v = break_even_volume(
        &h100_pair(Scaling::AlwaysOn),
        &requests(100_000.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
        0.001_76,
    );
    close9(v.unwrap(), 108_818.181_818_181_82);
}

#[test]
fn break_even_is_never_when_dedicated_costs_more_at_full_load() {
    // Against $0.10/$0.10 a request costs $0.0002, below the $0.00070884 of a fully busy replica.
    let v = break_even_volume(
        &h100_pair(Scaling::Autoscale),
        &requests(100_000.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
        0.000_2,
    );
    assert_eq!(v, None);
}

#[test]
fn break_even_of_scale_to_zero_is_where_costs_meet() {
    let replica = h100_pair(Scaling::ScaleToZero);
    let demand = requests(100_000.0, 1_000.0, 1_000.0);
    let w = shape(Shape::Flat);
    let v = break_even_volume(&replica, &demand, &w, 0.8, 0.001_76).unwrap();
    let cost_at = |r: f64| dedicated::price(&replica, &demand.at_volume(r), &w, 0.8).usd_per_day;
    assert!(cost_at(v * 1.001) < 0.001_76 * v * 1.001);
    assert!(cost_at(v * 0.999) >= 0.001_76 * v * 0.999);
}

#[test]
fn twenty_turn_episode_re_prefill_vendor_against_a_dedicated_replica() {
    // T = 20, P1 = 8,000, Δ = 1,500, G = 500: S = 445,000, U = 36,500, D = 10,000.
    let ep = EpisodeTokens::new(20.0, 8_000.0, 1_500.0, 500.0);
    let demand = Demand {
        units_per_day: 5_000.0,
        unit: Unit::Episode(ep),
        batch_share: 0.0,
    };
    // Re-prefill per-token (Tinker Kimi K2.6 128K, $5.15 / $12.81):
    // (445,000 · 5.15 + 10,000 · 12.81)/10⁶ = $2.41985 an episode; 5,000 a day = $12,099.25.
    let mut tinker = api(5.15, 12.81);
    tinker.model = "kimi-k2.6".into();
    let per_episode = per_token::usd_per_unit(&tinker, &demand);
    close9(per_episode, 2.419_85);
    // Dedicated Kimi K2.6 on 8×B300 at $15/GPU-hour = $120/replica-hour, 30,000 / 1,500 tok/s.
    // Session affinity: U/30,000 + D/1,500 = 1.21667 + 6.66667 = 7.88333 replica-seconds an episode.
    let replica = Replica {
        scaling: Scaling::AlwaysOn,
        billing: Billing::PerSecond,
        min_replicas: 1,
        cold_start_s: 0.0,
        idle_timeout_s: 0.0,
        last_idle_timeout_s: 0.0,
        cold_start_billed: true,
        origins: PolicyOrigins::STATED,
        slots: 16,
        usd_per_replica_hour: 8.0 * 15.0,
        prefill_tokens_per_s: 30_000.0,
        decode_tokens_per_s: 1_500.0,
    };
    close9(
        replica.seconds_per_unit(&demand.unit),
        7.883_333_333_333_334,
    );
    // At full load: 7.88333/3600 · 120 = $0.26278 an episode; crossover 0.26278/2.41985 = 10.9%.
    close9(
        replica.usd_per_unit_at_full_load(&demand.unit),
        0.262_777_777_777_777_8,
    );
    close9(
        crossover_utilization(&replica, &demand, per_episode).unwrap(),
        0.108_592_589_531_490_72,
    );
    // 5,000 episodes flat: B = 5,000 · 7.88333/3600 = 10.949 replica-hours; L_h/0.8 = 0.570 → 1 replica
    // always on: 24 · $120 = $2,880 a day against $12,099.25 re-prefilled.
    let c = dedicated::price(&replica, &demand, &shape(Shape::Flat), 0.8);
    close9(c.usd_per_day, 2_880.0);
    close9(demand.units_per_day * per_episode, 12_099.25);
}
