//! Signed visitor identity. The site's server signs `{user_id}:{expires}` (expiry in Unix seconds) with the site's
//! identity secret using HMAC-SHA256 and gives the page the token `{expires}.{signature as lowercase hex}`; the
//! page passes it with `Baton('identify', {user_id, token, …})`. The worker checks it with [`verify`]: the signature
//! is compared in constant time, and an expired token is refused even when its signature is right.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why an identity token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenProblem {
    /// Not `{expires}.{64 hex digits}`.
    Malformed,
    Expired {
        expired_at_s: u64,
    },
    /// Signed with another secret, or for another user id or expiry.
    BadSignature,
}

impl std::fmt::Display for TokenProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenProblem::Malformed => {
                write!(f, "the token is not \"{{expires}}.{{hex HMAC-SHA256}}\"")
            }
            TokenProblem::Expired { expired_at_s } => {
                write!(f, "the token expired at {expired_at_s} (Unix seconds)")
            }
            TokenProblem::BadSignature => write!(
                f,
                "the token's signature does not match this user id and expiry under the site's secret"
            ),
        }
    }
}

/// The token for `user_id`, valid until `expires_s` (what a site's server computes; Rust sites can call this).
pub fn sign(secret: &[u8], user_id: &str, expires_s: u64) -> String {
    let signature = mac(secret, user_id, expires_s).finalize().into_bytes();
    let hex: String = signature.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{expires_s}.{hex}")
}

/// Checks a token for `user_id` at `now_s`.
pub fn verify(secret: &[u8], user_id: &str, token: &str, now_s: u64) -> Result<(), TokenProblem> {
    let (expires, hex) = token.split_once('.').ok_or(TokenProblem::Malformed)?;
    let expires_s: u64 = expires.parse().map_err(|_| TokenProblem::Malformed)?;
    let signature = decode_hex(hex).ok_or(TokenProblem::Malformed)?;
    // The signature first, so an attacker learns nothing about expiry rules from unsigned tokens.
    mac(secret, user_id, expires_s)
        .verify_slice(&signature)
        .map_err(|_| TokenProblem::BadSignature)?;
    if expires_s <= now_s {
        return Err(TokenProblem::Expired {
            expired_at_s: expires_s,
        });
    }
    Ok(())
}

fn mac(secret: &[u8], user_id: &str, expires_s: u64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(format!("{user_id}:{expires_s}").as_bytes());
    mac
}

/// 32 bytes from 64 hex digits, or `None`.
fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&hex[at..at + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::{sign, verify};

    const SECRET: &[u8] = b"site-secret";
    const NOW: u64 = 1_795_518_000;

    #[test]
    fn tokens_are_checked_for_user_expiry_and_secret() {
        let token = sign(SECRET, "user-42", NOW + 600);
        expect!["1795518600.00c0afdba1814a793be4e3060078673a084f7022c28e960c7d24197e674be23d"]
            .assert_eq(&token);
        let checks = [
            ("valid", verify(SECRET, "user-42", &token, NOW)),
            ("another user", verify(SECRET, "user-43", &token, NOW)),
            ("another secret", verify(b"other", "user-42", &token, NOW)),
            ("expired", verify(SECRET, "user-42", &token, NOW + 600)),
            (
                "expiry changed",
                verify(
                    SECRET,
                    "user-42",
                    &token.replacen("1795518600", "1895518600", 1),
                    NOW,
                ),
            ),
            ("malformed", verify(SECRET, "user-42", "garbage", NOW)),
            ("short", verify(SECRET, "user-42", "1795518600.abcd", NOW)),
            (
                "not hex",
                verify(
                    SECRET,
                    "user-42",
                    &format!("1795518600.{}", "zz".repeat(32)),
                    NOW,
                ),
            ),
        ];
        let shown: Vec<String> = checks
            .iter()
            .map(|(case, outcome)| match outcome {
                Ok(()) => format!("{case}: ok"),
                Err(problem) => format!("{case}: {problem}"),
            })
            .collect();
        expect![[r#"
            valid: ok
            another user: the token's signature does not match this user id and expiry under the site's secret
            another secret: the token's signature does not match this user id and expiry under the site's secret
            expired: the token expired at 1795518600 (Unix seconds)
            expiry changed: the token's signature does not match this user id and expiry under the site's secret
            malformed: the token is not "{expires}.{hex HMAC-SHA256}"
            short: the token is not "{expires}.{hex HMAC-SHA256}"
            not hex: the token is not "{expires}.{hex HMAC-SHA256}""#]].assert_eq(&shown.join("\n"));
    }
}
