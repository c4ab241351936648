//! infercost: which LLM inference platform to run a workload on, what it
//! costs, and where that answer flips.
//!
//! The pipeline, one module a step:
//! load ([`profile`]) -> resolve ([`resolve`], with [`capacity`]) -> price
//! ([`price`], [`model`]) -> pick ([`pick`]) -> render ([`report`]) ->
//! write (`fs`). [`engine`] runs price and pick on a resolved set and
//! returns the JSON [`contract`]; [`cli`] and `main.rs` wire it to the
//! command line.
//! Beside it, `trace` loads request logs (and fits a workload profile
//! to them) and `replay` prices their recorded requests.

pub mod capacity;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod contract;
mod diff;
pub mod engine;
pub mod format;
mod fs;
mod import;
mod lifecycle;
pub mod model;
pub mod pick;
pub mod price;
pub mod profile;
mod replay;
pub mod report;
pub mod resolve;
mod trace;
mod tradeoffs;
pub mod verdict;
mod whole;
