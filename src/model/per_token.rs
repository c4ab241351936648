//! Per-token offers: the bill is tokens times the rate, with the cached-input
//! and batch discounts the vendor publishes.

use super::{Demand, Unit};
use crate::profile::ServerlessOffer;

/// $ per unit (request or episode) on a per-token offer, cache and batch included.
pub fn usd_per_unit(offer: &ServerlessOffer, demand: &Demand) -> f64 {
    match demand.unit {
        Unit::Request {
            input,
            cached,
            output,
        } => request_cost(offer, input, cached, output) * batch_factor(offer, demand.batch_share),
        Unit::Episode(ep) => {
            let cached_rate = offer
                .cached_input_usd_per_mtok
                .filter(|_| offer.cross_turn_cache);
            episode_cost(offer, ep.sent, ep.unique, ep.decoded, cached_rate)
        }
    }
}

/// cost/request = ((I−C)·r_in + C·r_cached + O·r_out)/10⁶, with C = 0 when the
/// offer has no cached rate.
pub fn request_cost(offer: &ServerlessOffer, input: f64, cached: f64, output: f64) -> f64 {
    let (uncached, cached_cost) = match offer.cached_input_usd_per_mtok {
        Some(rate) => (input - cached, cached * rate),
        None => (input, 0.0),
    };
    (uncached * offer.input_usd_per_mtok + cached_cost + output * offer.output_usd_per_mtok) / 1e6
}

/// (1 − batch_share · batch_discount); 1 when the offer has no batch tier.
pub fn batch_factor(offer: &ServerlessOffer, batch_share: f64) -> f64 {
    1.0 - batch_share * offer.batch_discount.unwrap_or(0.0)
}

/// Re-prefill: (S·r_in + D·r_out)/10⁶. Cross-turn cache:
/// (U·r_in + (S−U)·r_cached + D·r_out)/10⁶.
fn episode_cost(
    offer: &ServerlessOffer,
    sent: f64,
    unique: f64,
    decoded: f64,
    cached_rate: Option<f64>,
) -> f64 {
    let prompt = match cached_rate {
        Some(rate) => unique * offer.input_usd_per_mtok + (sent - unique) * rate,
        None => sent * offer.input_usd_per_mtok,
    };
    (prompt + decoded * offer.output_usd_per_mtok) / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::episode::EpisodeTokens;

    fn offer(input: f64, output: f64) -> ServerlessOffer {
        ServerlessOffer::new("m", input, output)
    }

    fn request(input: f64, cached: f64, output: f64, batch_share: f64) -> Demand {
        Demand {
            units_per_day: 200_000.0,
            unit: Unit::Request {
                input,
                cached,
                output,
            },
            batch_share,
        }
    }

    #[test]
    fn request_cost_counts_cached_input_at_the_cached_rate() {
        // Fireworks-style llama-3.3-70b: $0.90 in, $0.45 cached, $0.90 out.
        let mut o = offer(0.90, 0.90);
        o.cached_input_usd_per_mtok = Some(0.45);
        // I = 1,200, C = 600, O = 250:
        // (600·0.90 + 600·0.45 + 250·0.90)/10⁶ = (540 + 270 + 225)/10⁶ = 0.001035
        let cost = usd_per_unit(&o, &request(1_200.0, 600.0, 250.0, 0.0));
        assert!((cost - 0.001_035).abs() < 1e-15);
    }

    #[test]
    fn request_cost_ignores_cache_share_without_a_cached_rate() {
        // (1,200·0.88 + 250·0.88)/10⁶ = 1,276/10⁶
        let cost = usd_per_unit(&offer(0.88, 0.88), &request(1_200.0, 600.0, 250.0, 0.0));
        assert!((cost - 0.001_276).abs() < 1e-15);
    }

    #[test]
    fn batch_tier_takes_the_discount_off_the_batch_share() {
        let mut o = offer(1.0, 2.0);
        o.batch_discount = Some(0.5);
        // (1,000·1 + 500·2)/10⁶ = 0.002; × (1 − 0.4·0.5) = × 0.8 = 0.0016
        let cost = usd_per_unit(&o, &request(1_000.0, 0.0, 500.0, 0.4));
        assert!((cost - 0.0016).abs() < 1e-15);
    }

    #[test]
    fn twenty_turn_episode_on_a_re_prefill_vendor() {
        // Tinker-style Kimi K2.6 (128K): $5.15 prefill, $12.81 sample.
        // S = 445,000, D = 10,000:
        // (445,000·5.15 + 10,000·12.81)/10⁶ = (2,291,750 + 128,100)/10⁶ = $2.41985
        let d = Demand {
            units_per_day: 1.0,
            unit: Unit::Episode(EpisodeTokens::new(20.0, 8_000.0, 1_500.0, 500.0)),
            batch_share: 0.0,
        };
        let cost = usd_per_unit(&offer(5.15, 12.81), &d);
        assert!((cost - 2.419_85).abs() < 1e-12, "{cost}");
    }

    #[test]
    fn twenty_turn_episode_with_cross_turn_cache() {
        // $0.95 in, $0.16 cached, $4.00 out; U = 36,500, S − U = 408,500, D = 10,000:
        // (36,500·0.95 + 408,500·0.16 + 10,000·4.00)/10⁶
        // = (34,675 + 65,360 + 40,000)/10⁶ = $0.140035
        let mut o = offer(0.95, 4.00);
        o.cached_input_usd_per_mtok = Some(0.16);
        o.cross_turn_cache = true;
        let d = Demand {
            units_per_day: 1.0,
            unit: Unit::Episode(EpisodeTokens::new(20.0, 8_000.0, 1_500.0, 500.0)),
            batch_share: 0.0,
        };
        assert!((usd_per_unit(&o, &d) - 0.140_035).abs() < 1e-12);
        // Without cross_turn_cache the cached rate does not apply to the history:
        // (445,000·0.95 + 10,000·4)/10⁶ = (422,750 + 40,000)/10⁶ = $0.46275
        o.cross_turn_cache = false;
        assert!((usd_per_unit(&o, &d) - 0.462_75).abs() < 1e-12);
    }
}
