//! Dedicated capacity from first principles: the performance catalog
//! (`catalog/`: GPU specs, model architectures, measured points), memory
//! fit, a roofline of prefill and decode, efficiencies calibrated on the
//! measured points with their leave-one-out error, and the estimate a
//! dedicated deployment's throughput comes from. Pure: no I/O beyond the
//! catalog built into the binary, no clock.

mod asked;
pub(crate) mod band;
pub mod calibrate;
pub(crate) mod catalog;
#[cfg(test)]
mod crossval;
pub mod estimate;
pub(crate) mod fit;
pub mod kernels;
pub(crate) mod layout;
pub(crate) mod listed;
pub mod load;
pub(crate) mod memory;
pub(crate) mod precomputed;
pub(crate) mod roofline;
pub(crate) mod serving;
pub mod sweeps;
pub(crate) mod transfer;

use std::sync::OnceLock;

use crate::profile::ProfileErrors;

pub use calibrate::{Calibration, ErrorStats, GroupKey};
pub use catalog::{Architecture, Gpu, PerfCatalog, Precision};
pub use estimate::{Band, Basis, Capacity, Query, QueryError, Throughput};
pub use fit::NoFit;
pub use layout::LayoutClass;
pub use serving::{Engine, EngineOrigin, KernelGap};
pub use transfer::{AttentionKind, Transfers};

/// The catalog and its calibration, ready to answer queries.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimator {
    /// The catalog.
    pub catalog: PerfCatalog,
    /// Its calibration.
    pub calibration: Calibration,
}

impl Estimator {
    /// Calibrates a catalog.
    pub fn new(catalog: PerfCatalog) -> Estimator {
        let calibration = calibrate::calibrate(&catalog);
        Estimator {
            catalog,
            calibration,
        }
    }

    /// The estimator of the bundled catalog, once per process: with the
    /// calibration built into the binary when the catalog's text is the
    /// one it was fitted on (`src/capacity/bundled_calibration.yaml`),
    /// else fitted now.
    pub fn bundled() -> Result<&'static Estimator, ProfileErrors> {
        static BUNDLED: OnceLock<Result<Estimator, ProfileErrors>> = OnceLock::new();
        BUNDLED
            .get_or_init(Estimator::load_bundled)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The estimator of the bundled catalog, read now: what
    /// [`Estimator::bundled`] does once per process.
    pub fn load_bundled() -> Result<Estimator, ProfileErrors> {
        let texts = load::read_bundled()?;
        let catalog = load::parse_bundled(&texts)?;
        Ok(match precomputed::for_catalog(&texts) {
            Some(calibration) => Estimator {
                catalog,
                calibration,
            },
            None => Estimator::new(catalog),
        })
    }
}
