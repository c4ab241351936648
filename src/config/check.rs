//! The rules of a config file that need no profile (part of load): each
//! `[[price]]` entry names one target with figures that fit it, each
//! `[[commitment]]` a term of at least a month and a price or discount in
//! range, `[defaults]` a staleness limit of at least 0 days; every error at
//! its entry's line.

use toml::Spanned;

use super::{CommitmentEntry, Layer, PriceOverride};
use crate::profile::Diagnostic;

impl Layer {
    /// A staleness limit of at least 0 days.
    pub(super) fn check_defaults(&self) -> Option<Diagnostic> {
        let days = self.config.defaults.as_ref()?.max_age_days.as_ref()?;
        (*days.get_ref() < 0).then(|| {
            self.error(
                days,
                "defaults.max_age_days",
                format!(
                    "expected a number of days, at least 0, found {}",
                    days.get_ref()
                ),
            )
        })
    }

    /// A commitment's term at least a month, exactly one of a price (at
    /// least 0) and a discount (a share).
    pub(super) fn check_commitment(&self, entry: &Spanned<CommitmentEntry>) -> Vec<Diagnostic> {
        let k = entry.get_ref();
        let mut out = Vec::new();
        if k.term_months == 0 {
            out.push(self.error(
                entry,
                "commitment.term_months",
                "expected a term of at least 1 month".into(),
            ));
        }
        if k.model.is_some() {
            out.extend(self.check_spend(entry));
            return out;
        }
        if k.tier.is_some() || k.usd_per_month.is_some() {
            out.push(self.error(
                entry,
                "commitment",
                "`tier` and `usd_per_month` belong to a committed spend, which names the per-token offer's `model`".into(),
            ));
        }
        if k.overflow.is_none() {
            out.push(self.error(
                entry,
                "commitment.overflow",
                "committed replicas need `overflow`: \"on-demand\" or \"per-token\"".into(),
            ));
        }
        match (k.usd_per_gpu_hour, k.discount) {
            (Some(p), None) if !price_ok(p) => out.push(self.error(
                entry,
                "commitment.usd_per_gpu_hour",
                format!("expected a price of at least 0, found {p}"),
            )),
            (None, Some(d)) if !share_ok(d) => out.push(self.error(
                entry,
                "commitment.discount",
                format!("expected a share of the on-demand rate in [0, 1], found {d}"),
            )),
            (Some(_), None) | (None, Some(_)) => {}
            _ => out.push(self.error(
                entry,
                "commitment",
                "give exactly one of `usd_per_gpu_hour` and `discount`".into(),
            )),
        }
        out
    }

    /// A committed spend: a monthly amount (at least 0) and a discount (a
    /// share), and nothing of committed replicas.
    fn check_spend(&self, entry: &Spanned<CommitmentEntry>) -> Vec<Diagnostic> {
        let k = entry.get_ref();
        let mut out = Vec::new();
        if k.gpu.is_some()
            || k.usd_per_gpu_hour.is_some()
            || k.min_replicas.is_some()
            || k.overflow.is_some()
        {
            out.push(self.error(
                entry,
                "commitment",
                "a committed spend on a per-token offer (`model`) takes `usd_per_month` and `discount`, not `gpu`, `usd_per_gpu_hour`, `min_replicas` or `overflow`".into(),
            ));
        }
        match k.usd_per_month {
            Some(p) if !price_ok(p) => out.push(self.error(
                entry,
                "commitment.usd_per_month",
                format!("expected a price of at least 0, found {p}"),
            )),
            Some(_) => {}
            None => out.push(self.error(
                entry,
                "commitment.usd_per_month",
                "a committed spend needs `usd_per_month`, the $ owed each month".into(),
            )),
        }
        match k.discount {
            Some(d) if !share_ok(d) => out.push(self.error(
                entry,
                "commitment.discount",
                format!("expected a share of the per-token rates in [0, 1], found {d}"),
            )),
            Some(_) => {}
            None => out.push(self.error(
                entry,
                "commitment.discount",
                "a committed spend needs `discount`, the share off the per-token rates".into(),
            )),
        }
        out
    }

    /// The rules of one entry that need no profile: one target, figures
    /// that fit it, numbers finite and non-negative, a discount below 1.
    pub(super) fn check(&self, entry: &Spanned<PriceOverride>) -> Vec<Diagnostic> {
        let p = entry.get_ref();
        let mut out = Vec::new();
        let mut fail = |field: &str, message: String| out.push(self.error(entry, field, message));
        let rates = [
            ("input_usd_per_mtok", p.input_usd_per_mtok),
            ("output_usd_per_mtok", p.output_usd_per_mtok),
            ("cached_input_usd_per_mtok", p.cached_input_usd_per_mtok),
            ("usd_per_gpu_hour", p.usd_per_gpu_hour),
        ];
        for (field, v) in rates {
            if let Some(v) = v.filter(|v| !(v.is_finite() && (0.0..=1e15).contains(v))) {
                fail(
                    &format!("price.{field}"),
                    format!("expected a price of at least 0, found {v}"),
                );
            }
        }
        if let Some(d) = p
            .discount
            .filter(|d| !(d.is_finite() && (0.0..1.0).contains(d)))
        {
            fail(
                "price.discount",
                format!(
                    "expected a share of the list price in [0, 1) (0.2 takes 20% off), found {d}"
                ),
            );
        }
        let token_rates = p.input_usd_per_mtok.is_some()
            || p.output_usd_per_mtok.is_some()
            || p.cached_input_usd_per_mtok.is_some();
        let figures = usize::from(token_rates)
            + usize::from(p.usd_per_gpu_hour.is_some())
            + usize::from(p.discount.is_some());
        match (&p.model, &p.gpu) {
            (Some(_), Some(_)) => fail(
                "price",
                "name either `model` (a per-token offer) or `gpu` (a GPU rate), not both".into(),
            ),
            (None, None) if p.tier.is_some() => {
                fail("price.tier", "a `tier` needs the offer's `model`".into())
            }
            (None, None) if p.discount.is_none() || figures != 1 => fail(
                "price",
                "without `model` or `gpu`, give only a `discount` (off every price of the vendor)".into(),
            ),
            (Some(_), None) if p.usd_per_gpu_hour.is_some() || figures != 1 => fail(
                "price",
                "for a per-token offer give `input_usd_per_mtok` and `output_usd_per_mtok` (and optionally `cached_input_usd_per_mtok`), or a `discount`".into(),
            ),
            (Some(_), None)
                if token_rates
                    && (p.input_usd_per_mtok.is_none() || p.output_usd_per_mtok.is_none()) =>
            {
                fail(
                    "price",
                    "a negotiated per-token price needs both `input_usd_per_mtok` and `output_usd_per_mtok`".into(),
                )
            }
            (None, Some(_)) if token_rates || figures != 1 || p.tier.is_some() => fail(
                "price",
                "for a GPU give `usd_per_gpu_hour` or a `discount`".into(),
            ),
            _ => {}
        }
        out
    }
}

/// A price: finite, at least 0, at most 10^15.
fn price_ok(p: f64) -> bool {
    p.is_finite() && (0.0..=1e15).contains(&p)
}

/// A share: finite, in [0, 1].
fn share_ok(d: f64) -> bool {
    d.is_finite() && (0.0..=1.0).contains(&d)
}
