//! The `infercost` binary: parse the command line, run it, print the result
//! or the error once, and exit with its status (0 ok, 1 failure, 2 invalid
//! input).

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = infercost::cli::Cli::parse();
    match infercost::cli::run(cli) {
        Ok(out) => {
            eprint!("{}", out.stderr);
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`infercost compare x | head`) is not an error worth a panic.
            let _ = stdout.write_all(out.stdout.as_bytes());
            ExitCode::from(out.exit_code as u8)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
