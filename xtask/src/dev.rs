//! `cargo xtask dev`: install what is missing, build, seed the demo site, and run the worker on local workerd until
//! it is told to stop: Ctrl-C (SIGINT), SIGTERM, SIGHUP, or the process that started it going away. Each of these
//! stops everything it started (wrangler's whole process group, with workerd); `dev_stop.rs` checks that they do.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};

use crate::publish::Published;
use crate::stack::{Logs, Stack};
use crate::{build, seed, tools};

pub const DEV_PORT: u16 = 8787;
/// Local KV and Durable Object state for `dev`, kept between runs (git-ignored).
pub const DEV_STATE: &str = ".dev/state";

/// How `dev` runs. The defaults are what `cargo xtask dev` does; the flags exist so that `cargo xtask test` can run
/// this same code, stopping included, on a spare port and a throwaway state without building again (`dev_stop.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `--port N`: where wrangler's dev server listens.
    pub port: u16,
    /// `--state DIR`: the local KV and Durable Object state, relative to the repository root.
    pub state: String,
    /// `--no-build` turns it off: then nothing is installed or built, and the worker already in `worker/build/`
    /// is served.
    pub build: bool,
    /// `--history`: a week of made-up metrics history for the demo site is written to the local ledger first
    /// (`history.rs`), replacing the history an earlier `--history` wrote, so the dashboard has figures at once.
    pub history: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            port: DEV_PORT,
            state: DEV_STATE.into(),
            build: true,
            history: false,
        }
    }
}

impl Config {
    /// `dev`'s arguments: `[--port N] [--state DIR] [--no-build] [--history]`.
    pub fn parse(args: &[String]) -> crate::Result<Config> {
        let mut config = Config::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--port" => {
                    let port = args.next().ok_or("--port needs a number")?;
                    config.port = port
                        .parse()
                        .map_err(|_| format!("--port {port}: not a port number"))?;
                }
                "--state" => config.state = args.next().ok_or("--state needs a folder")?.clone(),
                "--no-build" => config.build = false,
                "--history" => config.history = true,
                other => return Err(format!("dev: unknown argument \"{other}\"")),
            }
        }
        Ok(config)
    }
}

pub fn run(config: &Config) -> crate::Result<()> {
    if config.build {
        tools::ensure(tools::Need::Build)?;
        build::run()?;
    }
    let state: PathBuf = crate::at(&config.state);
    seed::sites(&state, &seed::site_files("sites")?)?;
    let demo = baton_shared::config::SiteConfig::from_json(
        &std::fs::read_to_string(crate::at("sites/demo.json"))
            .map_err(|error| format!("cannot read sites/demo.json: {error}"))?,
    )
    .map_err(|errors| format!("sites/demo.json: {errors:?}"))?;
    if config.history {
        crate::history::demo_week(&state, &demo)?;
    }
    let operator_token = seed::operator_token()?;
    // From here on a stop request only sets the flag; the loop below notices it and stops wrangler in order. Before
    // here the default actions apply: nothing long-running has been started yet.
    let stopping = stop_requests()?;
    let parent = nix::unistd::getppid();
    // Declared before the stack, so dropped after it: whatever the stack leaves orphaned is reaped once it stopped.
    let _orphans = Orphans::adopt();
    let public_url = format!("http://127.0.0.1:{}", config.port);
    let mut stack = Stack::start(
        config.port,
        &state,
        Logs::Terminal,
        &[
            // The operator token creates the demo agent below; webhook links point at this stack.
            ("BATON_ADMIN_TOKEN", operator_token.clone()),
            ("BATON_PUBLIC_URL", public_url),
        ],
    )?;
    let base = &stack.base_url;
    let token = seed::demo_agent(base, &operator_token, &demo)?;
    // The demo site's file, published through the configuration API when it changed (see `publish.rs`).
    match crate::publish::site_file(base, &token, "sites/demo.json") {
        Ok(Published::Version(version)) => {
            println!("xtask: sites/demo.json published as version {version} of the demo site");
        }
        Ok(Published::DraftKept) => println!(
            "xtask: sites/demo.json differs from the published demo site, but a draft is in progress: not published"
        ),
        Ok(Published::Unchanged) => {}
        Err(message) => eprintln!("xtask: publishing sites/demo.json failed: {message}"),
    }
    println!(
        "\nBaton is running on local workerd (state in {state}/):\n\
         \x20 demo site with the widget   {base}/demo/\n\
         \x20 agent console               {base}/console/#token={token}\n\
         \x20   (signed in as the demo agent, an admin in every team; token in {token_file})\n\
         \x20 API health                  {base}/v1/health\n\
         \x20 embed on any local page     <script src=\"{base}/loader.js\" data-site=\"demo\" async></script>\n\
         Press Ctrl-C to stop.\n",
        state = config.state,
        token_file = seed::AGENT_TOKEN_FILE
    );
    let reason = loop {
        if stopping.load(Ordering::SeqCst) {
            break "asked to stop";
        }
        // Started through `cargo xtask dev`, cargo (through rustup's proxy) execs into xtask, so the parent is the
        // shell; started any other way (a script, an IDE, `cargo run` spawning it), the parent may die without a
        // signal reaching us. Either way there is then nobody left to press Ctrl-C: stop rather than leave workerd
        // holding the port. (Polled rather than PR_SET_PDEATHSIG: the workspace forbids `unsafe`, it also works off
        // Linux, and it covers a parent that died before we looked.)
        if nix::unistd::getppid() != parent {
            break "the process that started xtask is gone";
        }
        if !stack.is_running() {
            return Err("wrangler dev stopped unexpectedly; see its output above".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    println!("\nxtask: {reason}; stopping wrangler");
    stack.stop();
    Ok(())
}

/// xtask as the reaper of its orphaned descendants (Linux's PR_SET_CHILD_SUBREAPER): workerd processes that outlive
/// wrangler's node process by a moment are reparented here rather than to PID 1, and reaped on drop. Where PID 1 does
/// not reap (a container without an init), they would otherwise stay behind as zombies: they hold no port, but
/// `pgrep workerd` still lists them.
struct Orphans;

impl Orphans {
    fn adopt() -> Orphans {
        #[cfg(target_os = "linux")]
        let _ = nix::sys::prctl::set_child_subreaper(true);
        Orphans
    }
}

impl Drop for Orphans {
    fn drop(&mut self) {
        // By now wrangler has been waited for and `dev` runs no other child, so waiting for any child takes nothing
        // from anyone. Stopping sent SIGKILL to the whole group, so what is left dies at once; two seconds at most.
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match waitpid(None, Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::StillAlive) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Ok(WaitStatus::StillAlive) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }
}

/// A flag set by SIGINT, SIGTERM or SIGHUP (ctrlc's `termination` feature adds the last two): an interactive Ctrl-C,
/// `kill`, a process manager or a closed terminal all stop the stack the same way.
fn stop_requests() -> crate::Result<Arc<AtomicBool>> {
    let stopping = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stopping);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|error| format!("cannot handle SIGINT, SIGTERM and SIGHUP: {error}"))?;
    Ok(stopping)
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn dev_arguments_are_read_and_mistakes_named() {
        let parse = |args: &[&str]| {
            Config::parse(&args.iter().map(|arg| arg.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(parse(&[]), Ok(Config::default()));
        assert_eq!(
            parse(&["--no-build", "--port", "8794", "--state", "target/x"]),
            Ok(Config {
                port: 8794,
                state: "target/x".into(),
                build: false,
                history: false,
            })
        );
        assert_eq!(
            parse(&["--history"]),
            Ok(Config {
                history: true,
                ..Config::default()
            })
        );
        assert_eq!(
            parse(&["--port", "eighty"]),
            Err("--port eighty: not a port number".into())
        );
        assert_eq!(
            parse(&["--fast"]),
            Err("dev: unknown argument \"--fast\"".into())
        );
    }
}
