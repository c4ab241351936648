//! Where a replica pool's policy figures come from (issue 21): stated in the
//! vendor profile, or the documented default (0 s cold start, 300 s
//! scale-down delay). Part of the pricing stage's replica
//! ([`super::Replica`]); the report's Method says which figures are defaults.

/// Whether the profile stated a pool figure or left it to its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureOrigin {
    /// The vendor profile states it.
    Stated,
    /// Absent from the profile: the documented default.
    Default,
}

impl FigureOrigin {
    pub(super) fn of(field: Option<f64>) -> FigureOrigin {
        match field {
            Some(_) => FigureOrigin::Stated,
            None => FigureOrigin::Default,
        }
    }
}

/// Where a replica's pool policy figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyOrigins {
    /// Of `cold_start_s`.
    pub cold_start: FigureOrigin,
    /// Of `idle_timeout_s` (autoscale: the scale-down delay).
    pub idle_timeout: FigureOrigin,
}

impl PolicyOrigins {
    /// Both figures stated (a replica built by hand, in tests and sweeps).
    pub const STATED: PolicyOrigins = PolicyOrigins {
        cold_start: FigureOrigin::Stated,
        idle_timeout: FigureOrigin::Stated,
    };
}
