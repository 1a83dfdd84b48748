//! The check that `cargo xtask dev` stops everything it started however it is ended: SIGTERM, SIGHUP or SIGINT to
//! xtask, the process that started xtask dying, or xtask itself killed. Each case runs this very binary's `dev`
//! without building (the worker already in `worker/build/`), on a spare port and a throwaway state, waits for the
//! worker to answer, notes every process below xtask (wrangler's node processes and workerd), ends it that way, and
//! then expects, within a few seconds, none of those processes left and the port free.

use std::fmt;
use std::fs::File;
use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use baton_shared::protocol::paths;
use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;

use crate::process::command;

/// Beside `dev`'s 8787, the tests' 8788 and their helpers on 8790 and 8792, so it can run while they do.
const PORT: u16 = 8794;
/// Thrown away at every case.
const STATE: &str = "target/dev-stop-state";
/// How long everything may take to go once xtask is ended: `Stack::stop` waits up to 5 s for wrangler before it
/// kills the group, and an orphaned xtask notices its parent within 200 ms.
const GRACE: Duration = Duration::from_secs(10);

/// How `dev` is ended.
#[derive(Debug, Clone, Copy)]
pub enum Ending {
    /// A signal to xtask itself: Ctrl-C (SIGINT), `kill` or a process manager (SIGTERM), a closed terminal (SIGHUP).
    Signal(Signal),
    /// The process that started xtask is killed (SIGKILL), and xtask is left an orphan.
    ParentKilled,
    /// xtask is killed (SIGKILL) and can do nothing: wrangler stops itself when its standard input ends.
    Killed,
}

/// Every ending, each one counted check of `cargo xtask test`.
pub const ENDINGS: &[Ending] = &[
    Ending::Signal(Signal::SIGTERM),
    Ending::Signal(Signal::SIGHUP),
    Ending::Signal(Signal::SIGINT),
    Ending::ParentKilled,
    Ending::Killed,
];

impl fmt::Display for Ending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ending::Signal(signal) => write!(f, "{signal} to xtask"),
            Ending::ParentKilled => f.write_str("its parent killed"),
            Ending::Killed => f.write_str("xtask killed (SIGKILL)"),
        }
    }
}

/// Runs `dev`, ends it the way `ending` says, and checks that nothing it started is left.
pub fn check(ending: Ending) -> crate::Result<()> {
    if TcpListener::bind(("127.0.0.1", PORT)).is_err() {
        return Err(format!("127.0.0.1:{PORT} is taken before the check starts"));
    }
    let state = crate::at(STATE);
    crate::stack::clear_state(&state)?;
    let log_path = format!("target/dev-stop-{}.log", slug(ending));
    let mut top = spawn(ending, &log_path)?;
    let outcome = end_and_watch(ending, &mut top, &log_path);
    // Whatever happened, leave nothing behind for the steps that follow.
    let _ = top.kill();
    let _ = top.wait();
    outcome
}

fn end_and_watch(ending: Ending, top: &mut Child, log_path: &str) -> crate::Result<()> {
    let top_pid = pid(top.id())?;
    wait_until_healthy(top, log_path)?;
    let started = descendants(top_pid);
    let result = (|| {
        let xtask = match ending {
            Ending::ParentKilled => started
                .iter()
                .find(|process| process.ppid == top_pid && process.name == "xtask")
                .map(|process| process.pid)
                .ok_or("no xtask process under the shell that started it")?,
            Ending::Signal(_) | Ending::Killed => top_pid,
        };
        // Without workerd among them, the processes were not seen and the check below would prove nothing.
        for needed in ["node", "workerd"] {
            if !started.iter().any(|process| process.name == needed) {
                return Err(format!(
                    "no {needed} process found under xtask; saw {}",
                    names(&started)
                ));
            }
        }
        let sent = match ending {
            Ending::Signal(signal) => signal::kill(xtask, signal),
            Ending::ParentKilled => signal::kill(top_pid, Signal::SIGKILL),
            Ending::Killed => signal::kill(xtask, Signal::SIGKILL),
        };
        sent.map_err(|error| format!("cannot send the signal: {error}"))?;
        let deadline = Instant::now() + GRACE;
        loop {
            // Reap our own child so that it does not linger as a zombie.
            let _ = top.try_wait();
            let left: Vec<&Process> = started
                .iter()
                .filter(|process| process.is_alive())
                .collect();
            if left.is_empty() {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "still running {GRACE:?} after {ending}: {}",
                    names(&left.into_iter().cloned().collect::<Vec<_>>())
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if TcpListener::bind(("127.0.0.1", PORT)).is_err() {
            return Err(format!("127.0.0.1:{PORT} is still taken after {ending}"));
        }
        if let Ending::Signal(_) = ending {
            // Asked to stop, xtask stops wrangler in order and reports success.
            match top.wait() {
                Ok(status) if status.success() => {}
                Ok(status) => return Err(format!("xtask dev ended with {status} after {ending}")),
                Err(error) => return Err(format!("cannot wait for xtask: {error}")),
            }
        }
        Ok(())
    })();
    if result.is_err() {
        // Kill what is left and wait for it to go, so that one failure does not fail the cases after it too.
        for process in started.iter().filter(|process| process.is_alive()) {
            let _ = signal::kill(process.pid, Signal::SIGKILL);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && started.iter().any(Process::is_alive) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    result.map_err(|message| format!("{message} (log: {log_path})"))
}

/// This binary's `dev` on [`PORT`] and [`STATE`], with its output in `log_path`; for [`Ending::ParentKilled`], under
/// a shell that waits for it, so that there is a parent to kill.
fn spawn(ending: Ending, log_path: &str) -> crate::Result<Child> {
    let xtask = std::env::current_exe()
        .map_err(|error| format!("cannot find the xtask binary: {error}"))?;
    let log = File::create(crate::at(log_path))
        .map_err(|error| format!("cannot create {log_path}: {error}"))?;
    let log_err = log
        .try_clone()
        .map_err(|error| format!("cannot share {log_path}: {error}"))?;
    let port = PORT.to_string();
    let dev = ["dev", "--no-build", "--port", &port, "--state", STATE];
    let mut child = match ending {
        // The command after it keeps the shell from exec'ing into xtask: it stays, waiting, as xtask's parent.
        Ending::ParentKilled => {
            let mut shell = command("sh");
            shell
                .args(["-c", "\"$0\" \"$@\"; exit $?"])
                .arg(&xtask)
                .args(dev);
            shell
        }
        Ending::Signal(_) | Ending::Killed => {
            let mut direct = command(&xtask.to_string_lossy());
            direct.args(dev);
            direct
        }
    };
    child
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|error| format!("cannot start xtask dev: {error}"))
}

fn wait_until_healthy(top: &mut Child, log_path: &str) -> crate::Result<()> {
    let url = format!("http://127.0.0.1:{PORT}{}", paths::HEALTH);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = top.try_wait() {
            return Err(format!(
                "xtask dev exited during start-up ({status}); see {log_path}"
            ));
        }
        let healthy = ureq::get(&url)
            .config()
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .call()
            .is_ok();
        if healthy {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(150));
    }
    Err(format!(
        "the worker did not answer {url} within 60 s; see {log_path}"
    ))
}

fn slug(ending: Ending) -> String {
    match ending {
        Ending::Signal(signal) => signal.as_str().to_ascii_lowercase(),
        Ending::ParentKilled => "parent-killed".into(),
        Ending::Killed => "sigkill".into(),
    }
}

fn pid(raw: u32) -> crate::Result<Pid> {
    i32::try_from(raw)
        .map(Pid::from_raw)
        .map_err(|_| format!("process id {raw} out of range"))
}

/// A process as `/proc/{pid}/stat` describes it.
#[derive(Debug, Clone)]
struct Process {
    pid: Pid,
    ppid: Pid,
    name: String,
    /// Clock ticks after boot: with the pid, names a process even if its pid is reused later.
    start: u64,
}

impl Process {
    fn read(pid: &str) -> Option<(Process, char)> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // `pid (name) state ppid pgrp …`; the name may hold spaces and parentheses, so split at the last ')'.
        let (head, tail) = stat.rsplit_once(')')?;
        let (pid, name) = head.split_once(" (")?;
        let fields: Vec<&str> = tail.split_whitespace().collect();
        let process = Process {
            pid: Pid::from_raw(pid.trim().parse().ok()?),
            ppid: Pid::from_raw(fields.get(1)?.parse().ok()?),
            name: name.to_string(),
            // Field 22 of stat; `fields` starts at field 3.
            start: fields.get(19)?.parse().ok()?,
        };
        Some((process, fields.first()?.chars().next()?))
    }

    /// Still there and not a zombie (an exited child its parent has not reaped yet).
    fn is_alive(&self) -> bool {
        Process::read(&self.pid.to_string())
            .is_some_and(|(now, state)| now.start == self.start && state != 'Z')
    }
}

/// Every process below `root`, found through the parent links in `/proc`.
fn descendants(root: Pid) -> Vec<Process> {
    let all: Vec<Process> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| Process::read(&entry.file_name().to_string_lossy()))
        .map(|(process, _)| process)
        .collect();
    let mut found: Vec<Process> = Vec::new();
    let mut parents = vec![root];
    while let Some(parent) = parents.pop() {
        for child in all.iter().filter(|process| process.ppid == parent) {
            parents.push(child.pid);
            found.push(child.clone());
        }
    }
    found
}

/// `1234 workerd, 1240 node` for messages.
fn names(processes: &[Process]) -> String {
    let named: Vec<String> = processes
        .iter()
        .map(|process| format!("{} {}", process.pid, process.name))
        .collect();
    if named.is_empty() {
        "nothing".into()
    } else {
        named.join(", ")
    }
}
