//! Where the message benchmark's stack keeps its state.

use std::path::{Path, PathBuf};

/// Where the stack keeps its state when the machine has no memory-backed folder.
const BENCH_STATE: &str = "target/bench-state";
/// The memory-backed folder the stack keeps its state in where there is one (Linux's `/dev/shm`). Every Durable
/// Object write and D1 query is a SQLite commit in workerd's local storage; on this machine's virtual disk their
/// `fsync`s cost a third of the throughput, and more on days the disk is slow (378 against 610 messages/s through
/// the proxy, back to back): the disk, not Baton and not Cloudflare's storage. The state is thrown away after.
const MEMORY_STATE: &str = "/dev/shm";

/// The stack's state folder: in memory where the machine has a memory-backed folder ([`MEMORY_STATE`]).
pub fn state_dir() -> PathBuf {
    let memory = Path::new(MEMORY_STATE);
    if memory.is_dir() {
        memory.join("baton-bench-state")
    } else {
        crate::at(BENCH_STATE)
    }
}
