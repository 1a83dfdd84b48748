//! The tally of `cargo xtask test`: each check passes or fails as a whole, each test command adds the counts its
//! output reports (cargo test, wasm-bindgen-test, node's runner), and the end names each failed test, with the first
//! line of its error where the runner prints one, then says `N passed, N failed`: CI shows only the output's tail.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::process::describe;

#[derive(Default)]
pub struct Tally {
    passed: usize,
    failed: usize,
    failures: Vec<String>,
}

impl Tally {
    /// A check that passes or fails as a whole (fmt, clippy, a build).
    pub fn check(&mut self, name: &str, outcome: crate::Result<()>) {
        match outcome {
            Ok(()) => self.passed += 1,
            Err(message) => {
                self.failed += 1;
                self.failures.push(format!("{name}: {message}"));
            }
        }
    }

    /// A test command whose output reports counts (cargo test, wasm-bindgen-test, node --test).
    pub fn tests(&mut self, name: &str, command: &mut Command) {
        println!("\n== {name}: {}", describe(command));
        let (success, counts) = run_counting(command);
        self.passed += counts.passed;
        self.failed += counts.failed;
        if !success || counts.failed > 0 {
            if counts.failed == 0 {
                // It failed before reporting any test (a compile error, a crash): count the step itself.
                self.failed += 1;
            }
            self.failures
                .push(format!("{name}: {} failed", describe(command)));
            self.failures
                .extend(counts.failed_tests.iter().map(|test| format!("  {test}")));
        } else if counts.passed == 0 {
            self.failed += 1;
            self.failures.push(format!("{name}: ran no tests"));
        }
    }

    /// Prints the failures and `N passed, N failed`; an error when anything failed.
    pub fn report(&self) -> crate::Result<()> {
        println!();
        for failure in &self.failures {
            println!("FAILED {failure}");
        }
        println!("{} passed, {} failed", self.passed, self.failed);
        if self.failed == 0 {
            Ok(())
        } else {
            Err(format!("{} failed", self.failed))
        }
    }
}

#[derive(Default)]
struct Counts {
    passed: usize,
    failed: usize,
    /// The failed tests, in the order the runner reported them.
    failed_tests: Vec<FailedTest>,
    /// The failed test whose error line comes next, and whether that line is indented (node's runner prints it
    /// under the test's name, indented; cargo's the line after `thread '…' panicked at …`).
    awaiting_error: Option<(usize, bool)>,
}

/// A failed test's name, and the first line of its error when the runner printed one.
struct FailedTest {
    name: String,
    error: Option<String>,
}

impl std::fmt::Display for FailedTest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.error {
            Some(error) => write!(f, "{}: {error}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// Runs a test command, echoing its output, and adds up the pass/fail counts it reports.
fn run_counting(command: &mut Command) -> (bool, Counts) {
    let mut counts = Counts::default();
    let Ok(mut child) = command.stdout(Stdio::piped()).spawn() else {
        return (false, counts);
    };
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            count_line(&line, &mut counts);
        }
    }
    let success = child.wait().is_ok_and(|status| status.success());
    (success, counts)
}

/// Reads `test result: ok. 3 passed; 0 failed; …` (cargo, wasm-bindgen-test) and `ℹ pass 3` / `ℹ fail 0` (node).
fn count_line(line: &str, counts: &mut Counts) {
    let number_before = |text: &str, word: &str| -> usize {
        text.split(';')
            .find_map(|part| {
                part.trim()
                    .strip_suffix(word)?
                    .split_whitespace()
                    .last()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    };
    note_failed_test(line, counts);
    if let Some(result) = line.strip_prefix("test result: ") {
        counts.passed += number_before(result, "passed");
        counts.failed += number_before(result, "failed");
    } else if let Some(passed) = line.strip_prefix("ℹ pass ") {
        counts.passed += passed.trim().parse().unwrap_or(0);
    } else if let Some(failed) = line.strip_prefix("ℹ fail ") {
        counts.failed += failed.trim().parse().unwrap_or(0);
    }
}

/// Keeps the names of failed tests: cargo's `test a::b ... FAILED`, wasm-bindgen-test's `test a::b ... FAIL`, and
/// node's `✖ name (12ms)` (printed twice: where it ran and again under `✖ failing tests:`, kept once), with the
/// error's first line: node's indented under the name, cargo's after `thread 'a::b' panicked at …`.
fn note_failed_test(line: &str, counts: &mut Counts) {
    let trimmed = line.trim();
    if let Some((index, indented)) = counts.awaiting_error
        && !trimmed.is_empty()
    {
        counts.awaiting_error = None;
        if !indented || line.starts_with(' ') {
            counts.failed_tests[index].error = Some(trimmed.chars().take(300).collect());
            return;
        }
    }
    if let Some(thread) = trimmed.strip_prefix("thread '")
        && let Some((name, rest)) = thread.split_once('\'')
        && rest.contains(" panicked at ")
    {
        counts.awaiting_error = counts
            .failed_tests
            .iter()
            .position(|known| known.name == name)
            .map(|index| (index, false));
        return;
    }
    let name = if let Some(test) = trimmed.strip_prefix("test ") {
        test.strip_suffix(" ... FAILED")
            .or_else(|| test.strip_suffix(" ... FAIL"))
    } else if let Some(test) = trimmed.strip_prefix("✖ ") {
        (test != "failing tests:").then(|| test.rsplit_once(" (").map_or(test, |(name, _)| name))
    } else {
        None
    };
    let Some(name) = name else { return };
    counts.awaiting_error = None;
    if !counts.failed_tests.iter().any(|known| known.name == name) {
        counts.failed_tests.push(FailedTest {
            name: name.to_string(),
            error: None,
        });
        if trimmed.starts_with('✖') {
            counts.awaiting_error = Some((counts.failed_tests.len() - 1, true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Counts, count_line};

    #[test]
    fn counts_are_read_from_every_runner() {
        let mut counts = Counts::default();
        for line in [
            "test result: ok. 14 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s",
            "test result: FAILED. 2 passed; 1 failed; 0 ignored",
            "ℹ pass 4",
            "ℹ fail 1",
            "unrelated 9 passed",
        ] {
            count_line(line, &mut counts);
        }
        assert_eq!((counts.passed, counts.failed), (20, 2));
    }

    #[test]
    fn failed_tests_are_named_once_with_their_error() {
        let mut counts = Counts::default();
        let output = "\
test ledger::kept ... ok
test ledger::lost ... FAILED
test widget::renders ... FAIL

---- ledger::lost stdout ----
D1 read failed, trying again (1): SELECT 1

thread 'ledger::lost' (27537) panicked at worker/tests/api/ledger.rs:94:9:
the ledger never had: SELECT 1
stack backtrace:
✔ a passing test (12.5ms)
✖ the narrow layout fits a phone (926.1ms)
  AssertionError [ERR_ASSERTION]: the page is 825px wider than the screen
      at TestContext.<anonymous> (file:///tests/dashboard.test.mjs:278:10)
✖ a banner shows (10012ms)
  page.waitForResponse: Timeout 30000ms exceeded while waiting for event \"response\"
      at TestContext.<anonymous> (/work/main/tests/chat.test.mjs:150:26) {
    name: 'TimeoutError',
✖ failing tests:

test at tests/dashboard.test.mjs:254:1
✖ the narrow layout fits a phone (926.1ms)
  AssertionError [ERR_ASSERTION]: the page is 825px wider than the screen
✖ it crashed (3ms)
ℹ fail 4";
        for line in output.lines() {
            count_line(line, &mut counts);
        }
        expect_test::expect![[r#"
            [
                "ledger::lost: the ledger never had: SELECT 1",
                "widget::renders",
                "the narrow layout fits a phone: AssertionError [ERR_ASSERTION]: the page is 825px wider than the screen",
                "a banner shows: page.waitForResponse: Timeout 30000ms exceeded while waiting for event \"response\"",
                "it crashed",
            ]
        "#]]
        .assert_debug_eq(
            &counts
                .failed_tests
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        );
    }
}
