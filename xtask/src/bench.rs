//! `cargo xtask bench`: the benchmarks, with the figures the product tracks printed at the end.

use std::process::Stdio;

use crate::process::{command, describe};

pub fn run() -> crate::Result<()> {
    let mut bench = command("cargo");
    bench.args(["bench", "-p", "baton-shared", "--bench", "matching"]);
    println!("xtask: {}", describe(&bench));
    let output = bench
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run cargo bench: {error}"))?;
    let printed = String::from_utf8_lossy(&output.stdout);
    print!("{printed}");
    if !output.status.success() {
        return Err(format!("{} failed ({})", describe(&bench), output.status));
    }
    println!("\nbenchmark figures (500-entry FAQ, native):");
    for line in printed
        .lines()
        .filter_map(|line| line.strip_prefix("baton-bench "))
    {
        println!("  {line}");
    }
    Ok(())
}
