//! The engine's record of one priced option: what the closed form priced
//! (the costed offer), its verdict (exclusions and flags, typed), and, when
//! the pick's simulation check re-billed it, the replica-hours the
//! simulation bills. Part of the engine (price -> **pick**): the record is
//! kept through the pick and the checks; the contract row
//! ([`PricedOption`]) is a projection of it, computed in one place
//! ([`Record::row`]) whenever the record changes, so a re-billed option's
//! cost, band, crossover and break-even all come from the same bill.

use crate::contract::{OfferKind, PricedOption, StaleVendor};
use crate::format::sig9;
use crate::model::breakeven::{break_even_volume_with, crossover_utilization};
use crate::model::dedicated::{self, PoolDays, Replica};
use crate::model::{usd_per_month, usd_per_mtok, Demand};
use crate::pick;
use crate::price::{Costed, Offer};
use crate::profile::{Scaling, Workload};
use crate::resolve::ThroughputBand;
use crate::verdict::{Flag, Method, PoolCheck, ThroughputOrigin, Verdict};

/// What every option of one workload is priced against.
pub(crate) struct Context<'w> {
    /// The workload profile.
    pub workload: &'w Workload,
    /// Its demand.
    pub demand: &'w Demand,
    /// Its 24 hourly traffic weights.
    pub weights: &'w [f64; 24],
    /// For each acceptable model, $ per unit of the per-token offer its
    /// dedicated options' crossover and break-even are measured against
    /// (`pick::substitutes::comparator`).
    pub per_token: Vec<(String, f64)>,
    /// The scaled pools' days priced so far for this workload (the
    /// break-even searches price the same days again and again).
    pub pool_days: PoolDays,
}

/// One option as the engine keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Record<'a> {
    /// The offer as the closed form priced it.
    pub costed: Costed<'a>,
    /// Why it is excluded and what warns.
    pub verdict: Verdict,
    /// The commitment plan billed instead of the on-demand replicas, on a
    /// committed option (`engine/commit.rs`).
    pub committed: Option<super::commit::Committed>,
    /// The pick check's simulated day and the method that bills the
    /// option after it (the simulation where the closed form was off
    /// beyond its bound; the cold-start plan shows the simulated share
    /// beside the closed form's otherwise).
    pub checked: Option<(SimulatedBill, Method)>,
}

/// A scaled pool's day as the simulation bills it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SimulatedBill {
    /// Replica-hours billed a day.
    pub replica_hours: f64,
    /// Share of requests that wait for a cold start.
    pub cold_start_share: f64,
}

/// An autoscale or scale-to-zero option, billed by its pool model.
fn is_scaled_pool(costed: &Costed<'_>) -> bool {
    costed
        .dedicated
        .as_ref()
        .is_some_and(|(_, cost)| cost.pool.is_some())
}

impl<'a> Record<'a> {
    /// A record of a costed offer: the judge's verdict with the stale-price
    /// and throughput-origin flags added.
    pub(super) fn new(
        costed: Costed<'a>,
        mut verdict: Verdict,
        stale: Option<&StaleVendor>,
    ) -> Self {
        verdict.flags.extend(stale.map(StaleVendor::flag));
        verdict.flags.extend(origin(&costed).map(Flag::Throughput));
        verdict.flags.extend(your_price(&costed));
        if is_scaled_pool(&costed) {
            verdict.flags.push(Flag::PoolClosedForm);
            verdict.flags.extend(outside_checked_range(&costed));
        }
        Record {
            costed,
            verdict,
            committed: None,
            checked: None,
        }
    }

    /// Records the pick's simulation check: its flag and, where the
    /// simulation bills the option, its `simulated` day, the over-budget
    /// flag judged again at the cost it gives, and (with a TTFT
    /// requirement) the cold-start exclusion judged again at its share.
    pub(super) fn check(&mut self, check: PoolCheck, simulated: SimulatedBill, ctx: &Context<'_>) {
        self.verdict.flags.retain(|f| *f != Flag::PoolClosedForm);
        self.verdict.flags.push(Flag::Pool(check));
        self.checked = Some((simulated, check.billed_by));
        if check.billed_by == Method::Simulation {
            let billed = self.billed(ctx.demand);
            let budget = ctx.workload.budget_usd_per_month;
            self.verdict
                .set_over_budget(pick::over_budget(billed.usd_per_day, budget));
            if ctx.workload.requirements.max_ttft_ms.is_some() {
                let allowance = pick::cold_start_allowance(ctx.workload);
                self.verdict
                    .set_cold_starts(pick::cold_starts(&billed, allowance));
            }
        }
    }

    /// What the pool simulation bills, when the pick's check re-billed the
    /// option.
    pub(super) fn simulated(&self) -> Option<SimulatedBill> {
        self.checked
            .filter(|(_, billed_by)| *billed_by == Method::Simulation)
            .map(|(bill, _)| bill)
    }

    /// The method that bills the option.
    pub(super) fn billed_by(&self) -> Method {
        self.checked
            .map_or(Method::ClosedForm, |(_, billed_by)| billed_by)
    }

    /// The billed replica-hours over the closed form's: 1 unless the
    /// simulation bills the option. Every figure that is a bill (cost,
    /// band, break-even) is the closed form's times this.
    pub(super) fn correction(&self) -> f64 {
        match (self.simulated(), &self.costed.dedicated) {
            (Some(simulated), Some((_, cost))) if cost.billed_replica_hours > 0.0 => {
                simulated.replica_hours / cost.billed_replica_hours
            }
            _ => 1.0,
        }
    }

    /// The offer as billed: [`Record::on_demand`], or for a committed
    /// option the plan's cost, without the on-demand replicas' day.
    pub(super) fn billed(&self, demand: &Demand) -> Costed<'a> {
        let mut c = self.on_demand(demand);
        if let Some(k) = &self.committed {
            let r = demand.units_per_day;
            c.usd_per_day = k.usd_per_day;
            c.usd_per_unit = (r > 0.0).then(|| k.usd_per_day / r);
            c.dedicated = None;
        }
        c
    }

    /// The offer as billed on demand: the closed form's, or with the
    /// simulation's replica-hours (and the cost, utilization and $ per
    /// unit they give) and cold-start share.
    fn on_demand(&self, demand: &Demand) -> Costed<'a> {
        let mut c = self.costed;
        let (Some(simulated), Some((replica, cost))) = (self.simulated(), c.dedicated.as_mut())
        else {
            return c;
        };
        let hours = simulated.replica_hours;
        cost.billed_replica_hours = hours;
        cost.cold_start_share = simulated.cold_start_share;
        cost.usd_per_day = hours * replica.usd_per_replica_hour;
        cost.utilization = cost.busy_replica_hours / hours;
        c.usd_per_day = cost.usd_per_day;
        let r = demand.units_per_day;
        c.usd_per_unit = (r > 0.0).then(|| c.usd_per_day / r);
        c
    }

    /// The contract row: every figure computed from this record.
    pub(super) fn row(&self, ctx: &Context<'_>) -> PricedOption {
        match &self.committed {
            Some(k) => super::commit::row(self.on_demand_row(ctx), k, ctx),
            None => self.on_demand_row(ctx),
        }
    }

    /// The row of the offer billed on demand.
    fn on_demand_row(&self, ctx: &Context<'_>) -> PricedOption {
        let c = self.on_demand(ctx.demand);
        let dedicated = c.offer.dedicated();
        let serving = c.offer.kind() != OfferKind::Training;
        let mut o = PricedOption {
            vendor: c.vendor.vendor.clone(),
            offer: c.offer.kind(),
            model: c.offer.model().to_string(),
            substitute: c.offer.model() != ctx.workload.model,
            gpu: dedicated.map(|(_, dep)| dep.gpu.to_string()),
            tier: c.offer.tier().map(str::to_string),
            gpus_per_replica: dedicated.map(|(_, dep)| dep.gpus_per_replica),
            verdict: self.verdict.clone(),
            usd_per_day: sig9(c.usd_per_day),
            usd_per_month: sig9(usd_per_month(c.usd_per_day)),
            usd_per_mtok: usd_per_mtok(c.usd_per_day, ctx.demand.tokens_per_day())
                .filter(|_| serving)
                .map(sig9),
            usd_per_unit: c.usd_per_unit.map(sig9),
            utilization: None,
            crossover_utilization: None,
            break_even_units_per_day: None,
            replicas_peak: None,
            billed_replica_hours_per_day: None,
            cold_start_share: None,
            billing: dedicated.map(|(d, _)| d.billing),
            scaling: dedicated.map(|(d, _)| d.scaling),
            throughput: origin(&c),
            usd_per_month_low: None,
            usd_per_month_high: None,
            crossover_utilization_low: None,
            crossover_utilization_high: None,
            break_even_units_per_day_low: None,
            break_even_units_per_day_high: None,
            streams_per_replica: dedicated.and_then(|(_, dep)| dep.per_stream?.streams),
            output_tokens_per_s_per_stream: dedicated
                .and_then(|(_, dep)| dep.per_stream)
                .map(|p| sig9(p.tokens_per_s)),
            engine: dedicated.and_then(|(_, dep)| dep.engine.engine().map(|e| e.id())),
            commitment: super::commit::plan(&c, ctx),
        };
        let Some((replica, cost)) = &c.dedicated else {
            return o;
        };
        if let Some((_, dep)) = dedicated {
            self.band(&mut o, replica, &dep.throughput, ctx);
        }
        o.utilization = Some(sig9(cost.utilization));
        o.replicas_peak = Some(cost.replicas_peak);
        o.billed_replica_hours_per_day = Some(sig9(cost.billed_replica_hours));
        o.cold_start_share =
            (replica.scaling != Scaling::AlwaysOn).then(|| sig9(cost.cold_start_share));
        if let Some(a) = ctx.per_token_for(c.offer.model()) {
            o.crossover_utilization = crossover_utilization(replica, ctx.demand, a).map(sig9);
            o.break_even_units_per_day = self.break_even(replica, ctx, a);
        }
        o
    }

    /// The cost, crossover and break-even at both ends of the throughput
    /// band: the replica re-priced with its prefill and decode rates scaled
    /// by the band (higher throughput, lower figures), billed as this
    /// record is ([`Record::correction`]).
    fn band(
        &self,
        o: &mut PricedOption,
        replica: &Replica,
        origin: &ThroughputBand,
        ctx: &Context<'_>,
    ) {
        let at = |share: f64| Replica {
            prefill_tokens_per_s: replica.prefill_tokens_per_s * share,
            decode_tokens_per_s: replica.decode_tokens_per_s * share,
            ..*replica
        };
        let (fast, slow) = (at(origin.high), at(origin.low));
        let u = ctx.workload.traffic.target_utilization;
        let k = self.correction();
        let month = |r: &Replica| {
            let day = dedicated::price(r, ctx.demand, ctx.weights, u).usd_per_day;
            sig9(usd_per_month(day * k))
        };
        o.usd_per_month_low = Some(month(&fast));
        o.usd_per_month_high = Some(month(&slow));
        if let Some(a) = ctx.per_token_for(self.costed.offer.model()) {
            o.crossover_utilization_low = crossover_utilization(&fast, ctx.demand, a).map(sig9);
            o.crossover_utilization_high = crossover_utilization(&slow, ctx.demand, a).map(sig9);
            o.break_even_units_per_day_low = self.break_even(&fast, ctx, a);
            o.break_even_units_per_day_high = self.break_even(&slow, ctx, a);
        }
    }

    /// The smallest volume at which `replica`, billed as this record is,
    /// beats the per-token offer at `a` $ a unit. A re-billed option's
    /// replica-hour is priced at the correction times its price: the
    /// simulation's measured difference is taken to hold at other volumes.
    /// (The crossover utilization needs no correction: it is a threshold
    /// on the utilization, which the bill already corrects.)
    fn break_even(&self, replica: &Replica, ctx: &Context<'_>, a: f64) -> Option<f64> {
        let billed = Replica {
            usd_per_replica_hour: replica.usd_per_replica_hour * self.correction(),
            ..*replica
        };
        let u = ctx.workload.traffic.target_utilization;
        let shape = (ctx.demand, ctx.weights, u);
        break_even_volume_with(&billed, shape, a, Some(&ctx.pool_days)).map(sig9)
    }
}

/// The flag of a scaled pool whose idle timeout (either window) is
/// outside the range its closed form is checked on.
fn outside_checked_range(c: &Costed) -> Option<Flag> {
    let (replica, _) = c.dedicated.as_ref()?;
    let (low, high) = crate::model::pool::CHECKED_IDLE_TIMEOUT_S;
    [replica.idle_timeout_s, replica.last_idle_timeout_s]
        .into_iter()
        .find(|t| !(low..=high).contains(t))
        .map(|idle_timeout_s| Flag::PoolOutsideCheckedRange { idle_timeout_s })
}

/// The flag of a rate the user's config replaced.
fn your_price(c: &Costed) -> Option<Flag> {
    let mark = match c.offer {
        Offer::Serverless(o) => o.your_price.as_ref(),
        Offer::Dedicated(d, dep) => d.gpus.get(dep.gpu)?.your_price.as_ref(),
        Offer::Prediction(_) | Offer::Training(_) => None,
    }?;
    Some(Flag::YourPrice {
        file: mark.file.clone(),
        line: mark.line,
    })
}

/// Where a dedicated offer's throughput comes from (`None` otherwise).
fn origin(c: &Costed) -> Option<ThroughputOrigin> {
    let (_, dep) = c.offer.dedicated()?;
    c.dedicated?;
    Some(ThroughputOrigin::of(&dep.throughput))
}

impl Context<'_> {
    /// $ per unit of the per-token offer a dedicated option of `model` is
    /// measured against.
    pub(super) fn per_token_for(&self, model: &str) -> Option<f64> {
        self.per_token
            .iter()
            .find(|(m, _)| m == model)
            .map(|(_, usd)| *usd)
    }
}

impl pick::substitutes::Candidate for Record<'_> {
    fn model(&self) -> &str {
        self.costed.offer.model()
    }
    fn kind(&self) -> OfferKind {
        self.costed.offer.kind()
    }
    fn eligible(&self) -> bool {
        self.verdict.eligible()
    }
    fn cost(&self) -> f64 {
        self.costed.usd_per_unit.unwrap_or(f64::INFINITY)
    }
}

/// For each acceptable model of the workload, $ per unit of the per-token
/// offer its dedicated options are measured against.
pub(crate) fn per_token_comparators(workload: &Workload, records: &[Record]) -> Vec<(String, f64)> {
    workload
        .models()
        .filter_map(|m| {
            let i = pick::substitutes::comparator(workload, records, m)?;
            Some((m.to_string(), records[i].costed.usd_per_unit?))
        })
        .collect()
}
