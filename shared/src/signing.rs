//! Hashes and signatures Baton computes besides visitor identity: the digest under which an agent token is
//! stored (the token itself never is), and the signature on webhook deliveries.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The header carrying a webhook's signature: `t={unix seconds},v1={hex HMAC-SHA256}`.
pub const WEBHOOK_SIGNATURE_HEADER: &str = "X-Baton-Signature";

/// SHA-256 of an agent token, lowercase hex: the key its account is stored under.
pub fn token_digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// The signature header value for a webhook body sent at `timestamp_s`: HMAC-SHA256 over `"{timestamp}.{body}"`,
/// so a receiver can refuse replays older than it accepts.
pub fn webhook_signature(secret: &[u8], timestamp_s: u64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(format!("{timestamp_s}.{body}").as_bytes());
    format!("t={timestamp_s},v1={}", hex(&mac.finalize().into_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn digests_and_signatures_match_reference_values() {
        // `printf abc | sha256sum`
        expect!["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]
            .assert_eq(&token_digest("abc"));
        // python3 -c 'import hmac,hashlib;print(hmac.new(b"key",b"1700000000.{}",hashlib.sha256).hexdigest())'
        expect!["t=1700000000,v1=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"]
            .assert_eq(&webhook_signature(b"key", 1_700_000_000, "{}"));
    }
}
