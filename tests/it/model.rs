//! The cost model against hand-worked numbers. Each test writes out the
//! arithmetic of DESIGN's formulas (docs/design.md) so a reviewer can redo it.

use crate::common::assert_close;

/// Equal to nine significant digits.
fn close9(actual: f64, expected: f64) {
    assert_close(actual, expected, 1e-9);
}

use infercost::model::breakeven::{break_even_volume, crossover_utilization};
use infercost::model::dedicated::{self, Replica};
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
        idle_timeout_s: 60.0,
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
fn autoscale_follows_business_hours() {
    // R = 1,000,000: B = 88.8276. Office hours: L = B·0.8/9 = 7.8958 → /0.8 = 9.87 → 10 replicas.
    // Other hours: L = B·0.2/15 = 1.1844 → /0.8 = 1.48 → 2 replicas.
    // Billed = 9·10 + 15·2 = 120 replica-hours; $/day = 120 · 7.98 = $957.60; utilization 88.83/120 = 74%.
    let c = dedicated::price(
        &h100_pair(Scaling::Autoscale),
        &requests(1_000_000.0, 1_000.0, 1_000.0),
        &shape(Shape::BusinessHours),
        0.8,
    );
    close9(c.billed_replica_hours, 120.0);
    close9(c.usd_per_day, 957.6);
    close9(c.utilization, 0.740_229_957_253_017_2);
    assert_eq!(c.replicas_peak, 10);
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
    // R = 240 flat: λ = 240/24/3600 = 0.0027778/s; τ = 60 s; billed cold start c = 20 + 1/2 (per-second rounding).
    // e^(λτ) + λc = e^0.16667 + 0.056944 = 1.181360 + 0.056944 = 1.238305.
    // up = 1 − 1/1.238305 = 0.192444 of each hour; billed 24 · 0.192444 = 4.61867 replica-hours.
    // $/day = 4.61867 · 7.98 = $36.857. Cold starts k = 3600·λ/1.238305 = 8.0756 an hour.
    // Waiting share = k·(1 + λ·20)/(3600·λ) = (1 + 0.055556)/1.238305 = 85.2%.
    let c = dedicated::price(
        &h100_pair(Scaling::ScaleToZero),
        &requests(240.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    close9(c.billed_replica_hours, 4.618_666_026_931_337);
    close9(c.usd_per_day, 36.856_954_894_912_07);
    close9(c.cold_starts_per_day, 193.813_339_730_686_6);
    close9(c.cold_start_share, 0.852_419_781_222_927_3);
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
    // Per-minute billing adds half a minute to each warm period: c = 20 + 30 = 50 s.
    // e^(0.16667) + 0.0027778·50 = 1.181360 + 0.138889 = 1.320249; up = 1 − 1/1.320249 = 0.242566.
    let mut r = h100_pair(Scaling::ScaleToZero);
    r.billing = Billing::PerMinute;
    let c = dedicated::price(
        &r,
        &requests(240.0, 1_000.0, 1_000.0),
        &shape(Shape::Flat),
        0.8,
    );
    let cycle = (240.0_f64 / 86_400.0 * 60.0).exp() + 240.0 / 86_400.0 * 50.0;
    close9(c.billed_replica_hours, 24.0 * (1.0 - 1.0 / cycle));
    assert!((c.billed_replica_hours - 24.0 * 0.242_566).abs() < 1e-4);
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
