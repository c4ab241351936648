//! Where a dedicated option starts to beat the cheapest eligible per-token
//! offer ([`Crossover`]), as data, and its words: the one place a crossover
//! becomes a table cell or a clause of a sentence (the pick's reason, the
//! index, the advice). A crossover above 100% utilization is never reached
//! on the central throughput estimate; its band (the same option at the two
//! ends of the throughput estimate) may still reach below 100%, so "never"
//! is said of the central estimate only then.

use crate::format::percent;

/// A dedicated option's crossover utilization (a share of billed replica
/// time), on the central throughput estimate and at the ends of its band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Crossover {
    /// On the central throughput estimate.
    pub(crate) at: f64,
    /// At the two ends of the throughput band (higher throughput gives the
    /// lower figure); `None` when the throughput is the vendor's or measured.
    pub(crate) band: Option<(f64, f64)>,
}

impl Crossover {
    /// Above 100%: no utilization makes the option cheaper than per-token
    /// pricing on the central estimate.
    fn never(&self) -> bool {
        self.at > 1.0
    }

    /// The band as written (`86%–236%`); `None` without one or when its
    /// two ends read alike.
    fn band_words(&self) -> Option<String> {
        let (lo, hi) = self.band?;
        (percent(lo) != percent(hi)).then(|| format!("{}–{}", percent(lo), percent(hi)))
    }

    /// The figure and its band: `21% (15%–30%)`, `21%`.
    fn figure(&self) -> String {
        match self.band_words() {
            Some(band) => format!("{} ({band})", percent(self.at)),
            None => percent(self.at),
        }
    }

    /// A never-reached crossover in brackets after the claim:
    /// `(crossover 161%; 86%–236% across the throughput band)`.
    pub(crate) fn never_detail(&self) -> String {
        match self.band_words() {
            Some(band) => format!(
                "(crossover {}; {band} across the throughput band)",
                percent(self.at)
            ),
            None => format!("(crossover {})", percent(self.at)),
        }
    }

    /// " on the central estimate" when the band's low end is at or below
    /// 100% (its high-throughput end does cross), else nothing.
    pub(crate) fn hedge(&self) -> &'static str {
        match self.band {
            Some((lo, _)) if lo <= 1.0 => " on the central estimate",
            _ => "",
        }
    }

    /// The claim of a crossover above 100%, with its figure and band:
    /// `per-token pricing is cheaper at any utilization on the central
    /// estimate (crossover 161%; 86%–236% across the throughput band)`;
    /// `None` at or below 100%.
    pub(crate) fn never_words(&self) -> Option<String> {
        self.never().then(|| {
            format!(
                "per-token pricing is cheaper at any utilization{} {}",
                self.hedge(),
                self.never_detail()
            )
        })
    }

    /// Where an option running at utilization `u` sits against its
    /// crossover: `runs at 50% utilization, above its 21% (15%–30%)
    /// crossover`, or past 100% `runs at 32% utilization; per-token pricing
    /// is cheaper at any utilization …`.
    pub(crate) fn runs_at(&self, u: f64) -> String {
        match self.never_words() {
            Some(never) => format!("runs at {} utilization; {never}", percent(u)),
            None => {
                let side = if u >= self.at { "above" } else { "below" };
                format!(
                    "runs at {} utilization, {side} its {} crossover",
                    percent(u),
                    self.figure()
                )
            }
        }
    }
}

/// The table cell: `21% (15%–30%)`; past 100% `never (161%; 86%–236%)`.
impl std::fmt::Display for Crossover {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.never() {
            return f.write_str(&self.figure());
        }
        match self.band_words() {
            Some(band) => write!(f, "never ({}; {band})", percent(self.at)),
            None => write!(f, "never ({})", percent(self.at)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Crossover;

    fn crossover(at: f64, band: Option<(f64, f64)>) -> Crossover {
        Crossover { at, band }
    }

    #[test]
    fn a_crossover_below_a_hundred_percent_keeps_its_figure_and_band() {
        let c = crossover(0.21, Some((0.15, 0.30)));
        assert_eq!(c.to_string(), "21% (15%–30%)");
        assert_eq!(
            c.runs_at(0.5),
            "runs at 50% utilization, above its 21% (15%–30%) crossover"
        );
        assert_eq!(
            c.runs_at(0.1),
            "runs at 10% utilization, below its 21% (15%–30%) crossover"
        );
        assert_eq!(c.never_words(), None);
    }

    #[test]
    fn a_band_reaching_past_a_hundred_percent_does_not_make_a_reachable_crossover_never() {
        let c = crossover(0.28, Some((0.028, 1.15)));
        assert_eq!(c.to_string(), "28% (2.8%–115%)");
        assert_eq!(c.never_words(), None);
    }

    #[test]
    fn a_crossover_whose_whole_band_is_above_a_hundred_percent_is_never_without_a_hedge() {
        let c = crossover(2.42, Some((1.29, 3.56)));
        assert_eq!(c.to_string(), "never (242%; 129%–356%)");
        assert_eq!(
            c.runs_at(0.14),
            "runs at 14% utilization; per-token pricing is cheaper at any utilization (crossover 242%; 129%–356% across the throughput band)"
        );
        assert_eq!(c.hedge(), "");
    }

    #[test]
    fn a_crossover_above_a_hundred_percent_whose_band_reaches_below_is_never_on_the_central_estimate(
    ) {
        let c = crossover(1.61, Some((0.86, 2.36)));
        assert_eq!(c.to_string(), "never (161%; 86%–236%)");
        assert_eq!(
            c.runs_at(0.32),
            "runs at 32% utilization; per-token pricing is cheaper at any utilization on the central estimate (crossover 161%; 86%–236% across the throughput band)"
        );
        assert_eq!(c.hedge(), " on the central estimate");
    }

    #[test]
    fn a_crossover_above_a_hundred_percent_without_a_band_is_never_with_its_figure() {
        let c = crossover(2.08, None);
        assert_eq!(c.to_string(), "never (208%)");
        assert_eq!(c.hedge(), "");
        assert_eq!(
            c.never_words().as_deref(),
            Some("per-token pricing is cheaper at any utilization (crossover 208%)")
        );
    }

    #[test]
    fn a_band_whose_ends_read_alike_is_left_out() {
        assert_eq!(crossover(0.2, Some((0.2, 0.2))).to_string(), "20%");
        assert_eq!(crossover(1.5, Some((1.5, 1.5))).to_string(), "never (150%)");
    }
}
