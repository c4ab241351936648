//! Applies the user's prices to the loaded vendors (the resolve stage:
//! load -> **resolve** -> price). Layers are applied in order (user, then
//! project, then `--config`), so a later file's entry for the same target
//! wins; a rate replaces the list price, a discount is taken off the list
//! price as the profile writes it, and a vendor-wide discount leaves the
//! offers and GPUs another entry prices alone. Every replaced rate is marked with where
//! it came from. An entry whose vendor, offer or GPU does not exist is an
//! error at its line, with the closest ids.

use super::{Layer, PriceOverride};
use crate::profile::suggest::did_you_mean;
use crate::profile::{ProfileErrors, Vendor, YourPrice};

/// Applies every layer's prices to `vendors`, or the errors of the entries
/// that name nothing.
pub fn apply(vendors: &mut [Vendor], layers: &[Layer]) -> Result<(), ProfileErrors> {
    let mut errors = Vec::new();
    let mut entries: Vec<(&Layer, &toml::Spanned<PriceOverride>)> = layers
        .iter()
        .flat_map(|l| l.config.price.iter().map(move |e| (l, e)))
        .collect();
    // A price of one offer or GPU is applied before a vendor-wide
    // discount, which then leaves it alone: the more specific entry wins,
    // whatever the order of the files (stable: the layers' order stays
    // within each kind).
    entries.sort_by_key(|(_, e)| is_vendor_wide(e.get_ref()));
    for (i, &(layer, entry)) in entries.iter().enumerate() {
        // A later entry for the same target replaces this one.
        if entries[i + 1..]
            .iter()
            .any(|(_, later)| target(later.get_ref()) == target(entry.get_ref()))
        {
            continue;
        }
        {
            let mark = YourPrice {
                file: layer.shown.clone(),
                line: layer.line(entry),
            };
            if let Err((field, message)) = apply_one(vendors, entry.get_ref(), &mark) {
                errors.push(layer.error(entry, field, message));
            }
        }
    }
    for layer in layers {
        for entry in &layer.config.commitment {
            if let Err((field, message)) = add_commitment(vendors, layer, entry) {
                errors.push(layer.error(entry, field, message));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ProfileErrors(errors))
    }
}

type Miss = (&'static str, String);

/// Adds a negotiated commitment to its vendor's dedicated offer.
fn add_commitment(
    vendors: &mut [Vendor],
    layer: &Layer,
    entry: &toml::Spanned<super::CommitmentEntry>,
) -> Result<(), Miss> {
    let k = entry.get_ref();
    let known: Vec<String> = vendors.iter().map(|v| v.vendor.clone()).collect();
    let Some(v) = vendors.iter_mut().find(|v| v.vendor == k.vendor) else {
        return Err((
            "commitment.vendor",
            format!(
                "no vendor `{}`; {}known vendors: {}",
                k.vendor,
                hint(&k.vendor, known.iter().map(String::as_str)),
                known.join(", ")
            ),
        ));
    };
    let source = format!(
        "your terms, from {} (line {})",
        layer.shown,
        layer.line(entry)
    );
    if let Some(model) = &k.model {
        return add_spend(v, model, k, source);
    }
    let vendor = v.vendor.clone();
    let Some(d) = v.dedicated.as_mut() else {
        return Err((
            "commitment.vendor",
            format!("{vendor} has no dedicated offer to commit to"),
        ));
    };
    if let Some(gpu) = k.gpu.as_ref().filter(|g| !d.gpus.contains_key(*g)) {
        let gpus: Vec<&str> = d.gpus.keys().map(String::as_str).collect();
        return Err((
            "commitment.gpu",
            format!("{vendor} sells no `{gpu}`; its GPUs: {}", gpus.join(", ")),
        ));
    }
    d.commitments.push(crate::profile::CommitmentOffer {
        gpu: k.gpu.clone(),
        term_months: k.term_months,
        usd_per_gpu_hour: k.usd_per_gpu_hour,
        discount: k.discount,
        min_replicas: k.min_replicas.unwrap_or(1),
        // Checked present when the file was parsed (`Layer::parse`).
        overflow: k
            .overflow
            .unwrap_or(crate::profile::CommitmentOverflow::OnDemand),
        source,
    });
    Ok(())
}

/// Adds a negotiated committed spend to the vendor's per-token offer.
fn add_spend(
    v: &mut Vendor,
    model: &str,
    k: &super::CommitmentEntry,
    source: String,
) -> Result<(), Miss> {
    let vendor = v.vendor.clone();
    let offers: Vec<String> = v.serverless.iter().map(|o| o.model.clone()).collect();
    let Some(o) = v
        .serverless
        .iter_mut()
        .find(|o| o.model == model && o.tier == k.tier)
    else {
        return Err((
            "commitment.model",
            format!(
                "{vendor} has no per-token offer of `{model}`{}; {}its per-token offers: {}",
                k.tier.as_ref().map_or(String::new(), |t| format!(" ({t})")),
                hint(model, offers.iter().map(String::as_str)),
                if offers.is_empty() {
                    "none".into()
                } else {
                    offers.join(", ")
                }
            ),
        ));
    };
    o.spend_commitments.push(crate::profile::SpendCommitment {
        term_months: k.term_months,
        // Both checked present when the file was parsed (`Layer::parse`).
        usd_per_month: k.usd_per_month.unwrap_or(0.0),
        discount: k.discount.unwrap_or(0.0),
        source,
    });
    Ok(())
}

/// An entry that names a vendor alone: a discount off every price of it
/// that no other entry states.
fn is_vendor_wide(p: &PriceOverride) -> bool {
    p.model.is_none() && p.gpu.is_none()
}

/// What an entry names: vendor, model, tier, GPU.
fn target(p: &PriceOverride) -> (&str, Option<&str>, Option<&str>, Option<&str>) {
    (
        &p.vendor,
        p.model.as_deref(),
        p.tier.as_deref(),
        p.gpu.as_deref(),
    )
}

fn apply_one(vendors: &mut [Vendor], p: &PriceOverride, mark: &YourPrice) -> Result<(), Miss> {
    let known: Vec<String> = vendors.iter().map(|v| v.vendor.clone()).collect();
    let Some(v) = vendors.iter_mut().find(|v| v.vendor == p.vendor) else {
        return Err((
            "price.vendor",
            format!(
                "no vendor `{}`; {}known vendors: {}",
                p.vendor,
                hint(&p.vendor, known.iter().map(String::as_str)),
                known.join(", ")
            ),
        ));
    };
    match (&p.model, &p.gpu) {
        (Some(model), _) => per_token(v, model, p, mark),
        (None, Some(gpu)) => gpu_rate(v, gpu, p, mark),
        (None, None) => {
            let off = p.discount.unwrap_or(0.0);
            for o in v.serverless.iter_mut().filter(|o| o.your_price.is_none()) {
                discount_offer(o, off, mark);
            }
            let gpus = v.dedicated.iter_mut().flat_map(|d| d.gpus.values_mut());
            for g in gpus.filter(|g| g.your_price.is_none()) {
                discount_gpu(g, off, mark);
            }
            Ok(())
        }
    }
}

fn per_token(v: &mut Vendor, model: &str, p: &PriceOverride, mark: &YourPrice) -> Result<(), Miss> {
    let offers: Vec<String> = v
        .serverless
        .iter()
        .map(|o| match &o.tier {
            Some(t) => format!("{} ({t})", o.model),
            None => o.model.clone(),
        })
        .collect();
    let vendor = v.vendor.clone();
    let Some(o) = v
        .serverless
        .iter_mut()
        .find(|o| o.model == model && o.tier == p.tier)
    else {
        let tier = p.tier.as_ref().map_or(String::new(), |t| format!(" ({t})"));
        return Err((
            "price.model",
            format!(
                "{vendor} has no per-token offer of `{model}`{tier}; {}its per-token offers: {}",
                hint(model, v.serverless.iter().map(|o| o.model.as_str())),
                if offers.is_empty() {
                    "none".into()
                } else {
                    offers.join(", ")
                }
            ),
        ));
    };
    match p.discount {
        Some(off) => discount_offer(o, off, mark),
        None => {
            let input = p.input_usd_per_mtok.unwrap_or(o.input_usd_per_mtok);
            cache_hits_cheaper(p, o, input, (&vendor, model))?;
            o.input_usd_per_mtok = input;
            o.output_usd_per_mtok = p.output_usd_per_mtok.unwrap_or(o.output_usd_per_mtok);
            if p.cached_input_usd_per_mtok.is_some() {
                o.cached_input_usd_per_mtok = p.cached_input_usd_per_mtok;
            }
            o.your_price = Some(mark.clone());
        }
    }
    Ok(())
}

/// A rate in dollars per million tokens: `$0.10/M` (`format::usd`).
fn per_mtok(usd: f64) -> String {
    format!("{}/M", crate::format::usd(usd))
}

/// Refuses a price that would make a cache hit cost more than a miss: an
/// input rate below the listed cached rate with no cached rate of its
/// own, or a cached rate of its own above the input rate.
fn cache_hits_cheaper(
    p: &PriceOverride,
    o: &crate::profile::ServerlessOffer,
    input: f64,
    (vendor, model): (&str, &str),
) -> Result<(), Miss> {
    let offer = match &o.tier {
        Some(t) => format!("`{model}` ({t})"),
        None => format!("`{model}`"),
    };
    match (p.cached_input_usd_per_mtok, o.cached_input_usd_per_mtok) {
        (None, Some(listed)) if input < listed => Err((
            "price.input_usd_per_mtok",
            format!(
                "{} input is below {vendor}'s listed cached-input rate for {offer}, {}, so a cache hit would cost more than a miss; state your `cached_input_usd_per_mtok` too",
                per_mtok(input),
                per_mtok(listed)
            ),
        )),
        (Some(cached), _) if cached > input => Err((
            "price.cached_input_usd_per_mtok",
            format!(
                "{} cached input is above the {} input rate for {offer}, so a cache hit would cost more than a miss",
                per_mtok(cached),
                per_mtok(input)
            ),
        )),
        _ => Ok(()),
    }
}

fn gpu_rate(v: &mut Vendor, gpu: &str, p: &PriceOverride, mark: &YourPrice) -> Result<(), Miss> {
    let vendor = v.vendor.clone();
    let Some(d) = v.dedicated.as_mut() else {
        return Err((
            "price.gpu",
            format!("{vendor} has no dedicated offer, so no GPU rate to replace"),
        ));
    };
    let known: Vec<String> = d.gpus.keys().cloned().collect();
    let Some(g) = d.gpus.get_mut(gpu) else {
        return Err((
            "price.gpu",
            format!(
                "{vendor} sells no `{gpu}`; {}its GPUs: {}",
                hint(gpu, known.iter().map(String::as_str)),
                known.join(", ")
            ),
        ));
    };
    match (p.discount, p.usd_per_gpu_hour) {
        (Some(off), _) => discount_gpu(g, off, mark),
        (None, Some(rate)) => {
            g.usd_per_hour = Some(rate);
            g.usd_per_minute = None;
            g.usd_per_second = None;
            g.your_price = Some(mark.clone());
        }
        (None, None) => {}
    }
    Ok(())
}

fn discount_offer(o: &mut crate::profile::ServerlessOffer, off: f64, mark: &YourPrice) {
    let keep = 1.0 - off;
    o.input_usd_per_mtok *= keep;
    o.output_usd_per_mtok *= keep;
    o.cached_input_usd_per_mtok = o.cached_input_usd_per_mtok.map(|c| c * keep);
    o.your_price = Some(mark.clone());
}

fn discount_gpu(g: &mut crate::profile::GpuPrice, off: f64, mark: &YourPrice) {
    let keep = 1.0 - off;
    g.usd_per_hour = g.usd_per_hour.map(|r| r * keep);
    g.usd_per_minute = g.usd_per_minute.map(|r| r * keep);
    g.usd_per_second = g.usd_per_second.map(|r| r * keep);
    g.your_price = Some(mark.clone());
}

/// "did you mean `x`? " or nothing.
fn hint<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let h = did_you_mean(word, known);
    if h.is_empty() {
        h
    } else {
        format!("{h} ")
    }
}
