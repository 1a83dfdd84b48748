//! The local stack: wrangler's dev server (`xtask/serve.mjs`, what `wrangler dev --local` runs) serving the built
//! worker on real workerd, with KV, Durable Object and D1 state persisted in a folder (for Baton's own
//! wrangler.toml, D1's migrations applied before the start; the message benchmark's floor runs another one).
//! Stopped on drop, so an error or Ctrl-C never leaves it running; and should xtask die without stopping it
//! (SIGKILL), wrangler sees its standard input end and stops itself.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::time::{Duration, Instant};

use baton_shared::protocol::paths;
use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;

use crate::process::command;

/// Where wrangler's output goes.
pub enum Logs {
    /// An interactive session (`cargo xtask dev`): output on the terminal, and wrangler's inspector on, so DevTools
    /// can attach. The inspector costs CPU on every subrequest, so nothing measured or tested runs with it.
    Terminal,
    File(&'static str),
    /// Like `File`, but added to what the file holds: for a stack started again on the same state, whose earlier
    /// launch's log must survive (a failure before the restart is read there).
    Appended(&'static str),
    /// Warnings and errors only, to a file: for benchmarks, where wrangler printing a line per request (its node
    /// process formats every request's log) would take CPU from the worker being measured.
    Quiet(&'static str),
}

impl Logs {
    /// The file the stack's output goes to, if any.
    pub fn path(&self) -> Option<&'static str> {
        match self {
            Logs::Terminal => None,
            Logs::File(path) | Logs::Appended(path) | Logs::Quiet(path) => Some(path),
        }
    }
}

pub struct Stack {
    child: Child,
    /// The write end of wrangler's standard input, never written: it closes when xtask exits, however it exits, and
    /// `serve.mjs --stop-on-stdin-close` then stops wrangler and workerd.
    _lifeline: Option<ChildStdin>,
    /// wrangler's proxy in front of workerd, on the port asked for: what tests and browsers use.
    pub base_url: String,
    /// The worker on workerd itself (a port workerd picked), without wrangler's development proxy, which Cloudflare
    /// does not have: what the benchmarks measure too.
    pub direct_url: Option<String>,
}

impl Stack {
    /// Starts the dev server, the ledger's migrations applied to its local D1 first; `vars` override
    /// `wrangler.toml`'s `[vars]`.
    pub fn start(
        port: u16,
        persist_dir: &Path,
        logs: Logs,
        vars: &[(&str, String)],
    ) -> crate::Result<Stack> {
        Stack::launch("wrangler.toml", true, port, persist_dir, logs, vars)
    }

    /// Like [`Stack::start`], with another wrangler configuration than Baton's (`config`, from the repository's
    /// root) and no D1 migrations: the message benchmark's floor (`load/floor.rs`).
    pub fn start_config(
        config: &str,
        port: u16,
        persist_dir: &Path,
        logs: Logs,
        vars: &[(&str, String)],
    ) -> crate::Result<Stack> {
        Stack::launch(config, false, port, persist_dir, logs, vars)
    }

    fn launch(
        config: &str,
        migrations: bool,
        port: u16,
        persist_dir: &Path,
        logs: Logs,
        vars: &[(&str, String)],
    ) -> crate::Result<Stack> {
        let base_url = format!("http://127.0.0.1:{port}");
        if is_healthy(&base_url) {
            return Err(format!(
                "something already answers on {base_url}; stop it first"
            ));
        }
        if migrations {
            crate::seed::migrations(persist_dir)?;
        }
        let ready_file = crate::at(&format!("target/serve-{port}.ready"));
        let _ = std::fs::remove_file(&ready_file);
        let mut wrangler = command("node");
        wrangler
            .arg(crate::at("xtask/serve.mjs"))
            .args(["--config", config])
            .args(["--port", &port.to_string(), "--persist-to"])
            .arg(persist_dir)
            .arg("--ready-file")
            .arg(&ready_file)
            .arg("--stop-on-stdin-close")
            .args(
                vars.iter()
                    .flat_map(|(name, value)| ["--var".to_string(), format!("{name}:{value}")]),
            )
            .stdin(Stdio::piped())
            // Its own process group: the terminal's Ctrl-C reaches xtask, which then stops wrangler in order.
            .process_group(0);
        // A stack on the test clock may also run its Cron Trigger on request, at a time of the test's choosing
        // (`/__scheduled?cron=at:{ms}`, see the worker's `clock.rs`).
        if vars
            .iter()
            .any(|(name, value)| *name == "BATON_TEST_CLOCK" && value == "header")
        {
            wrangler.arg("--test-scheduled");
        }
        match logs {
            Logs::Quiet(_) => {
                wrangler.args(["--log-level", "warn"]);
            }
            Logs::Terminal => {
                wrangler.arg("--inspector");
            }
            Logs::File(_) | Logs::Appended(_) => {}
        }
        if let Some(path) = logs.path() {
            let log = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(matches!(logs, Logs::Appended(_)))
                .truncate(!matches!(logs, Logs::Appended(_)))
                .open(crate::at(path))
                .map_err(|error| format!("cannot create {path}: {error}"))?;
            let log_err = log
                .try_clone()
                .map_err(|error| format!("cannot share {path}: {error}"))?;
            wrangler.stdout(log).stderr(log_err);
        }
        let mut child = wrangler
            .spawn()
            .map_err(|error| format!("cannot start wrangler: {error}"))?;
        let mut stack = Stack {
            _lifeline: child.stdin.take(),
            child,
            base_url,
            direct_url: None,
        };
        stack.wait_until_healthy(Duration::from_secs(60))?;
        stack.direct_url = read_direct_url(&ready_file);
        Ok(stack)
    }

    fn wait_until_healthy(&mut self, timeout: Duration) -> crate::Result<()> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("wrangler dev exited during start-up ({status})"));
            }
            if is_healthy(&self.base_url) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(150));
        }
        Err(format!(
            "the worker did not answer {} within {timeout:?}",
            paths::HEALTH
        ))
    }

    /// wrangler's process id, which is also its process group's (workerd runs in that group).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether wrangler is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGTERM to wrangler's process group (its node processes and workerd), then SIGKILL to whatever of the group
    /// is left after five seconds: no orphaned workerd keeps the port.
    pub fn stop(&mut self) {
        let Ok(raw_pid) = i32::try_from(self.child.id()) else {
            return;
        };
        // The child was started as the leader of its own group, so this reaches wrangler and workerd only.
        let group = Pid::from_raw(raw_pid);
        let _ = signal::killpg(group, Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && self.is_running() {
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = signal::killpg(group, Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The direct address from `serve.mjs`'s ready file, written as the worker first answers (waited for briefly).
/// Removes a stack's state folder, if there is one, so the stack starts from nothing (before it is seeded).
pub fn clear_state(state: &Path) -> crate::Result<()> {
    if state.exists() {
        std::fs::remove_dir_all(state)
            .map_err(|error| format!("cannot clear {}: {error}", state.display()))?;
    }
    Ok(())
}

fn read_direct_url(ready_file: &Path) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Ok(ready) = std::fs::read_to_string(ready_file)
            && ready.ends_with('\n')
        {
            return ready
                .split_whitespace()
                .skip_while(|word| *word != "direct")
                .nth(1)
                .map(str::to_string);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn is_healthy(base_url: &str) -> bool {
    ureq::get(&format!("{base_url}{}", paths::HEALTH))
        .config()
        .timeout_global(Some(Duration::from_secs(2)))
        .build()
        .call()
        .is_ok()
}
