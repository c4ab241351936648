//! The integration tests, one binary (one link instead of ten): each module
//! is what used to be its own file under `tests/`, and `common` holds the
//! helpers they share. Run one module with `cargo test --test it cli::`.

mod common;
mod strategies;

mod attacks;
mod budget;
mod capacity;
mod catalog;
mod cli;
mod cold_start;
mod commitment;
mod config;
mod config_layers;
mod data;
mod diff;
mod fit;
mod fuzz;
mod import;
mod invalid;
mod lifecycle;
mod model;
mod pool_bill;
mod pools;
mod price_sync;
mod properties;
mod quote;
mod readme;
mod report;
mod robustness;
mod schema;
mod serving_engine;
mod simulate;
mod substitutes;
mod terminal;
mod trace;
mod verdicts;
