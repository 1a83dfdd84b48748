//! How long a socket waits before connecting again: growing delays, back to the first once it is connected.

/// Delays before reconnecting, growing up to the last, which repeats.
pub const RECONNECT_MS: [u64; 5] = [500, 1_000, 2_000, 5_000, 10_000];

/// Failed attempts since the socket was last connected, and the delay that follows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backoff {
    failures: usize,
}

impl Backoff {
    /// The delay before the next attempt, counting this failure.
    pub fn next_delay_ms(&mut self) -> u64 {
        let delay = RECONNECT_MS[self.failures.min(RECONNECT_MS.len() - 1)];
        self.failures += 1;
        delay
    }

    /// Connected: the next failure waits the shortest delay again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}
