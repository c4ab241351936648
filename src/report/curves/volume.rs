//! The data of the volume chart: each option's $/month from 1/100 to 100
//! times today's volume on log axes, with the break-even volumes marked; and
//! the cost of an option under another demand, which the turns chart uses
//! too.

use super::series::{log_range, mark, sampled};
use super::{log_space, LineChart, Tick, SAMPLES};
use crate::format::count;
use crate::model::{usd_per_month, Demand};
use crate::price;
use crate::report::subject::{PricedOffer, Subject};

/// $/month against volume, from 1/100 to 100 times the workload's, on log
/// axes; each dedicated option's break-even volume is marked.
pub fn cost_vs_volume(s: &Subject) -> LineChart {
    let today = s.demand.units_per_day;
    // A workload of zero volume still gets a readable chart around one unit a day.
    let centre = if today > 0.0 && today.is_finite() {
        today
    } else {
        1.0
    };
    let (x0, x1) = (centre / 100.0, centre * 100.0);
    let volumes = log_space(x0, x1, SAMPLES);
    // Log axes: only positive costs can be drawn.
    let series = sampled(
        s,
        &volumes,
        |p, r| monthly_at_volume(s, p, r),
        |y| y.is_finite() && y > 0.0,
    );
    let (series, markers) = mark(s, series, |p| {
        let r = p
            .option
            .break_even_units_per_day
            .filter(|r| (x0..=x1).contains(r))?;
        let y = monthly_at_volume(s, p, r);
        (y > 0.0).then(|| (r, y, count(r)))
    });
    LineChart {
        x_range: (x0, x1),
        y_range: log_range(&series),
        x_log: true,
        y_log: true,
        x_label: format!("{}s per day", s.unit_word()),
        y_label: "$ per month".into(),
        x_ticks: Tick::Count,
        y_ticks: Tick::Usd,
        series,
        markers,
        today: Some((centre, format!("today: {}", count(today)))),
    }
}

/// $/month of an option at another volume, the rest of the workload unchanged.
pub fn monthly_at_volume(s: &Subject, p: &PricedOffer, units_per_day: f64) -> f64 {
    let demand = s.demand.at_volume(units_per_day);
    usd_per_month(cost_under(s, p, &demand).0)
}

/// An option's $ a day and $ a unit under another demand (volume or turns
/// changed), by the engine's own dispatch (`price::usd_per_day_and_unit`).
pub(super) fn cost_under(s: &Subject, p: &PricedOffer, demand: &Demand) -> (f64, Option<f64>) {
    price::usd_per_day_and_unit(p.vendor, p.offer, s.workload, demand, &s.weights)
}
