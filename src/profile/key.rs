//! What names an offer within a vendor's profile: its model, and for a
//! deployment its GPU and GPUs per replica, for a second price tier its
//! tier. One type, built from the profile types, so that every place that
//! matches offers (validation's duplicate check, the diff's list items, the
//! resolve stage's deployments, the price importer's edits) matches them
//! the same way. Part of the load stage (load -> resolve -> price -> pick
//! -> render -> write).

use std::fmt;

use serde::Serialize;

use super::{Deployment, PredictionOffer, ServerlessOffer, TrainingOffer};

/// The identity of one offer among a vendor's offers of its kind: two
/// offers of one kind with the same key are the same offer (validation
/// refuses the second), and a list reordered keeps every key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct OfferKey {
    /// Canonical model id.
    pub model: String,
    /// GPU id (deployments).
    pub gpu: Option<String>,
    /// GPUs in one replica (deployments).
    pub gpus_per_replica: Option<u32>,
    /// Price tier (per-token and training offers that list several).
    pub tier: Option<String>,
}

impl OfferKey {
    /// The key of a per-token or training offer: model and tier.
    pub fn tiered(model: &str, tier: Option<&str>) -> OfferKey {
        OfferKey {
            model: model.to_string(),
            gpu: None,
            gpus_per_replica: None,
            tier: tier.map(str::to_string),
        }
    }

    /// The key of a deployment: model, GPU and GPUs per replica.
    pub fn deployment(model: &str, gpu: &str, gpus_per_replica: u32) -> OfferKey {
        OfferKey {
            model: model.to_string(),
            gpu: Some(gpu.to_string()),
            gpus_per_replica: Some(gpus_per_replica),
            tier: None,
        }
    }
}

/// `model`, `model/2×gpu`, `model/tier`: how the diff names a list item.
impl fmt::Display for OfferKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.model)?;
        match (&self.gpu, self.gpus_per_replica) {
            (Some(gpu), Some(n)) => write!(f, "/{n}×{gpu}")?,
            (Some(gpu), None) => write!(f, "/{gpu}")?,
            (None, _) => {}
        }
        match &self.tier {
            Some(tier) => write!(f, "/{tier}"),
            None => Ok(()),
        }
    }
}

impl ServerlessOffer {
    /// Its key: model and tier.
    pub fn key(&self) -> OfferKey {
        OfferKey::tiered(&self.model, self.tier.as_deref())
    }
}

impl TrainingOffer {
    /// Its key: model and tier.
    pub fn key(&self) -> OfferKey {
        OfferKey::tiered(&self.model, self.tier.as_deref())
    }
}

impl PredictionOffer {
    /// Its key: the model.
    pub fn key(&self) -> OfferKey {
        OfferKey::tiered(&self.model, None)
    }
}

impl Deployment {
    /// Its key: model, GPU and GPUs per replica.
    pub fn key(&self) -> OfferKey {
        OfferKey::deployment(&self.model, &self.gpu, self.gpus_per_replica)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_as_the_diff_names_list_items() {
        assert_eq!(
            OfferKey::deployment("llama-3.3-70b", "h100-80gb", 2).to_string(),
            "llama-3.3-70b/2×h100-80gb"
        );
        assert_eq!(
            OfferKey::tiered("kimi-k2.6", Some("priority")).to_string(),
            "kimi-k2.6/priority"
        );
        assert_eq!(OfferKey::tiered("flux", None).to_string(), "flux");
    }

    #[test]
    fn two_sizes_of_one_model_on_one_gpu_are_two_keys() {
        let one = OfferKey::deployment("m", "h100-80gb", 1);
        let two = OfferKey::deployment("m", "h100-80gb", 2);
        assert_ne!(one, two);
        assert_ne!(one.to_string(), two.to_string());
    }
}
