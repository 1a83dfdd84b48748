//! Running child processes the same way everywhere: from the repository root, with the offline environment that
//! keeps wrangler from phoning home, and with errors that name the command.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// Set for every child: wrangler then connects to loopback only and never asks for a login (../shared/TOOLCHAIN.md).
pub const OFFLINE_ENV: &[(&str, &str)] = &[
    ("WRANGLER_SEND_METRICS", "false"),
    ("WRANGLER_SEND_ERROR_REPORTS", "false"),
    ("WRANGLER_HIDE_BANNER", "true"),
    ("CLOUDFLARE_CF_FETCH_ENABLED", "false"),
    ("NO_UPDATE_NOTIFIER", "1"),
    ("npm_config_update_notifier", "false"),
];

/// A command run from the repository root with [`OFFLINE_ENV`], and with cargo's bin folder first on `PATH` so the
/// tools `cargo install` just put there are found even when the shell's `PATH` lacks it.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(crate::root())
        .envs(OFFLINE_ENV.iter().copied())
        .env("PATH", search_path());
    command
}

/// `$CARGO_HOME/bin` (or `~/.cargo/bin`) followed by the inherited `PATH`.
pub fn search_path() -> OsString {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let dirs = cargo_home
        .map(|home| home.join("bin"))
        .into_iter()
        .chain(std::env::split_paths(&inherited));
    std::env::join_paths(dirs).unwrap_or(inherited)
}

/// Runs to completion with inherited output; an error names the command and its exit status.
pub fn run(command: &mut Command) -> crate::Result<()> {
    let status = command
        .status()
        .map_err(|error| format!("cannot start {}: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs to completion and returns stdout, or `None` when the program is missing or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// `program arg arg …`, for messages.
pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}
