//! With the `bundle` feature the profiles are built into the binary, which
//! must then be rebuilt when they change; without it they are read at run
//! time, and editing one rebuilds nothing.

fn main() {
    if std::env::var_os("CARGO_FEATURE_BUNDLE").is_some() {
        println!("cargo:rerun-if-changed=vendors");
        println!("cargo:rerun-if-changed=workloads");
        println!("cargo:rerun-if-changed=catalog");
    } else {
        println!("cargo:rerun-if-changed=build.rs");
    }
}
