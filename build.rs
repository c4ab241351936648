//! Rebuilds the binary when the bundled profiles change, since they are
//! embedded in it.

fn main() {
    println!("cargo:rerun-if-changed=vendors");
    println!("cargo:rerun-if-changed=workloads");
}
