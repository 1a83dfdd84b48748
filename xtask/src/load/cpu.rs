//! The CPU time the stack's workerd processes spend, read from `/proc`: under load the worker's workerd is one busy
//! thread, so its CPU time per message is what bounds throughput on this machine, and it varies far less from run
//! to run than messages per second (which also count every other process waiting for a core).

use std::collections::BTreeMap;
use std::time::Duration;

/// Linux reports process times in clock ticks of 1/100 s (`USER_HZ`, fixed by the kernel's ABI).
const TICKS_PER_SECOND: u64 = 100;

/// The CPU time (user and system) of every `workerd` process in the process group `group`, by process id; empty
/// where there is no `/proc`.
pub fn workerd_times(group: u32) -> BTreeMap<u32, Duration> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return BTreeMap::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (comm, time) = parse_stat(&stat, group)?;
            (comm == "workerd").then_some((pid, time))
        })
        .collect()
}

/// A process's name and CPU time from its `/proc/{pid}/stat` line, when it is in the process group `group`.
fn parse_stat(stat: &str, group: u32) -> Option<(&str, Duration)> {
    // The name is between the first "(" and the last ")" (it may hold spaces and parentheses itself).
    let comm = stat.get(stat.find('(')? + 1..stat.rfind(')')?)?;
    // After the name: state (field 3), ppid, pgrp (5), …, utime (14), stime (15).
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    if fields.get(2)?.parse::<u32>().ok()? != group {
        return None;
    }
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some((
        comm,
        Duration::from_millis(ticks * 1_000 / TICKS_PER_SECOND),
    ))
}

/// Each process's CPU time between `before` and `after` divided among `messages`, in milliseconds, the busiest
/// first ("4.41 ms, 1.40 ms").
pub fn per_message(
    before: &BTreeMap<u32, Duration>,
    after: &BTreeMap<u32, Duration>,
    messages: usize,
) -> String {
    let mut spent: Vec<Duration> = after
        .iter()
        .map(|(pid, time)| time.saturating_sub(before.get(pid).copied().unwrap_or_default()))
        .collect();
    if spent.is_empty() {
        return "not measured (no /proc)".into();
    }
    spent.sort_by(|a, b| b.cmp(a));
    spent
        .iter()
        .map(|time| format!("{:.2} ms", time.as_secs_f64() * 1_000.0 / messages as f64))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_name_group_and_time_of_a_stat_line() {
        let stat =
            "4242 (workerd) S 4200 4100 4100 0 -1 4194560 1 0 0 0 1234 56 0 0 20 0 9 0 1 2 3";
        assert_eq!(
            parse_stat(stat, 4100),
            Some(("workerd", Duration::from_millis(12_900)))
        );
        assert_eq!(parse_stat(stat, 4200), None);
        let odd = "7 (a (b) c) R 1 4100 4100 0 -1 0 0 0 0 0 100 0";
        assert_eq!(
            parse_stat(odd, 4100),
            Some(("a (b) c", Duration::from_secs(1)))
        );
    }

    #[test]
    fn divides_each_process_time_among_the_messages_busiest_first() {
        let before = BTreeMap::from([(1, Duration::from_secs(10)), (2, Duration::from_secs(5))]);
        let after = BTreeMap::from([(1, Duration::from_secs(12)), (2, Duration::from_secs(9))]);
        assert_eq!(per_message(&before, &after, 1_000), "4.00 ms, 2.00 ms");
        assert_eq!(
            per_message(&BTreeMap::new(), &BTreeMap::new(), 1_000),
            "not measured (no /proc)"
        );
    }
}
