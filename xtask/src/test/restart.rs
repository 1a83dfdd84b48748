//! The API tests that need workerd restarted under them, run after the others (`cargo xtask test api`).

use super::{RESTARTED_LOG, api_tests, launch_test_stack, step};
use crate::stack::{Logs, Stack};
use crate::tally::Tally;

/// The tests that need the stack restarted under them: they run alone, one after the other, and when one writes the
/// request file, workerd is stopped and started again on the same persisted state (with the `NAME=VALUE` lines of
/// the request as extra vars, e.g. `BATON_LEDGER=hold`); then it is told through the done file. Each restarted
/// stack's log is added to [`RESTARTED_LOG`]: the first stack's log, with the earlier tests' failures, stays.
pub fn restart_test(tally: &mut Tally, stack: Stack) {
    let request = crate::at("target/restart-request");
    let done = crate::at("target/restart-done");
    let _ = std::fs::remove_file(&request);
    let _ = std::fs::remove_file(&done);
    let mut tests = api_tests(&stack.base_url);
    tests
        .args([
            "--",
            "--ignored",
            "--exact",
            "--test-threads=1",
            "live::a_restart_of_workerd_mid_conversation_loses_nothing",
            "ledger::the_outbox_survives_a_restart_and_a_resent_event_is_stored_once",
        ])
        .env("BATON_RESTART_REQUEST", &request)
        .env("BATON_RESTART_DONE", &done);
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let finished = std::sync::Arc::clone(&finished);
        std::thread::spawn(move || -> Option<String> {
            let mut stack = stack;
            while !finished.load(std::sync::atomic::Ordering::SeqCst) {
                if request.exists() {
                    let asked = std::fs::read_to_string(&request).unwrap_or_default();
                    let _ = std::fs::remove_file(&request);
                    let vars: Vec<(String, String)> = asked
                        .lines()
                        .filter_map(|line| line.split_once('='))
                        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
                        .collect();
                    step(&format!(
                        "restarting workerd mid-conversation, on the same persisted state{}",
                        if vars.is_empty() {
                            String::new()
                        } else {
                            format!(" with {vars:?}")
                        }
                    ));
                    stack.stop();
                    match launch_test_stack(&vars, Logs::Appended(RESTARTED_LOG)) {
                        Ok(restarted) => stack = restarted,
                        Err(message) => return Some(message),
                    }
                    let _ = std::fs::write(&done, "done");
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            drop(stack);
            None
        })
    };
    tally.tests("workerd restarted mid-conversation", &mut tests);
    finished.store(true, std::sync::atomic::Ordering::SeqCst);
    if let Ok(Some(message)) = watcher.join() {
        tally.check("restarting the local workerd stack", Err(message));
    }
}
