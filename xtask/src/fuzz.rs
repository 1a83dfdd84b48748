//! `cargo xtask fuzz [SECONDS]`: every fuzz target of `fuzz/` for a bounded time each (default 30 s), with
//! cargo-fuzz on the machine's nightly toolchain. A crash fails the command and leaves its input in
//! `fuzz/artifacts/`.

use crate::process::{command, output, run};

const TARGETS: &[&str] = &["site_config", "protocol"];
const DEFAULT_SECONDS: u32 = 30;

pub fn run_all(seconds: Option<&str>) -> crate::Result<()> {
    let seconds = match seconds {
        Some(text) => text.parse::<u32>().map_err(|_| {
            format!("cargo xtask fuzz SECONDS: \"{text}\" is not a number of seconds")
        })?,
        None => DEFAULT_SECONDS,
    };
    if output(command("cargo").args(["+nightly", "fuzz", "--version"])).is_none() {
        println!("xtask: installing cargo-fuzz (a few minutes, once)");
        run(command("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    for target in TARGETS {
        println!("\n== fuzzing {target} for {seconds} s");
        run(command("cargo")
            .args(["+nightly", "fuzz", "run", target, "--"])
            .arg(format!("-max_total_time={seconds}"))
            .arg("-rss_limit_mb=4096"))?;
    }
    println!(
        "\nxtask: no crash in {} targets × {seconds} s",
        TARGETS.len()
    );
    Ok(())
}
