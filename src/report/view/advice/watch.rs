//! The Recommendation's "Watch once live": the one figure of the pick to
//! watch once it runs (its per-token rate, price per prediction,
//! cold-start share or replica utilization), and what moving it does.

use crate::format::{count, percent, usd};
use crate::model::dedicated::Replica;
use crate::price::Offer;
use crate::profile::Scaling;
use crate::report::subject::{PricedOffer, Subject};

/// The one figure to watch once the pick `p` runs; `r` is the runner-up.
pub(super) fn watch(s: &Subject, p: &PricedOffer, r: Option<&PricedOffer>) -> String {
    let rise = r
        .filter(|r| r.option.usd_per_month > p.option.usd_per_month && p.option.usd_per_month > 0.0)
        .map(|r| {
            format!(
                "; a rise of {} hands the pick to the runner-up",
                percent(r.option.usd_per_month / p.option.usd_per_month - 1.0)
            )
        })
        .unwrap_or_default();
    match p.offer {
        Offer::Serverless(o) => {
            let cached = o
                .cached_input_usd_per_mtok
                .map(|c| format!(", {} cached input", usd(c)))
                .unwrap_or_default();
            format!(
                "the per-token rate: {} input{cached}, {} output per million tokens{rise}.",
                usd(o.input_usd_per_mtok),
                usd(o.output_usd_per_mtok)
            )
        }
        Offer::Prediction(o) => format!(
            "the price per prediction: {}{rise}.",
            usd(o.usd_per_prediction())
        ),
        Offer::Dedicated(d, dep) if d.scaling == Scaling::ScaleToZero => {
            let replica = Replica::of(d, dep);
            let share = p.option.cold_start_share.unwrap_or(0.0);
            format!(
                "the cold-start share: {} of {}s are expected to wait about {} s for a replica to start.",
                percent(share),
                s.result.unit.arrival_word(),
                count(replica.cold_start_s)
            )
        }
        Offer::Dedicated(..) => dedicated_watch(p),
        Offer::Training(_) => String::new(),
    }
}

/// What the pick's replicas are watched for once live, when nothing else
/// is: utilization, against the crossover where there is one.
fn dedicated_watch(p: &PricedOffer) -> String {
    match (p.option.utilization, p.option.crossover()) {
            (Some(u), Some(c)) => match c.never_words() {
                Some(never) => format!(
                    "utilization of the replicas: {} today; {never}; a dedicated deployment is paid whether busy or idle, so check it before adding replicas.",
                    percent(u)
                ),
                None => format!(
                    "utilization of the replicas: {} today against a {c} crossover; if it falls below the crossover, move to per-token pricing, and check it before adding replicas.",
                    percent(u)
                ),
            },
            (Some(u), None) => format!(
                "utilization of the replicas: {} today; a dedicated deployment is paid whether busy or idle, so check it before adding replicas.",
                percent(u)
            ),
            _ => "utilization of the replicas.".into(),
    }
}
