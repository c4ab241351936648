//! Writes a synthetic set of workload profiles for scale measurements:
//!
//! ```sh
//! cargo run --release --example gen_workloads -- 1000 /tmp/w1000
//! infercost report --vendors vendors --workloads /tmp/w1000 --format json --out /tmp/out
//! ```
//!
//! The workloads are the bundled ones, cloned, renamed and with their volume
//! scaled (see `generate.rs`). Not part of the user-facing tool.

mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (args.first().and_then(|n| n.parse().ok()), args.get(1)) else {
        eprintln!("usage: gen_workloads N DIR");
        return ExitCode::from(2);
    };
    let bundled: Vec<(String, String)> = infercost::profile::embedded::workloads()
        .into_iter()
        .filter_map(|f| f.text.ok().map(|t| (f.stem, t)))
        .collect();
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (stem, text) in generate::workloads(&bundled, n) {
        let path = dir.join(format!("{stem}.yaml"));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!("wrote {n} workloads into {}", dir.display());
    ExitCode::SUCCESS
}
