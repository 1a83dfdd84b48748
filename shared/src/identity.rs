//! Signed visitor identity. The site's server signs `{site_id}:{user_id}:{expires}` (expiry in Unix seconds) with the
//! site's identity secret using HMAC-SHA256 and gives the page the token `{expires}.{signature as lowercase hex}`;
//! the page passes it with `Baton('identify', {user_id, token, …})`. The worker checks it with [`verify`]: the
//! signature is compared in constant time; a token signed for another site (even one sharing the secret), an
//! expired one, or one whose expiry lies further ahead than the site's maximum lifetime is refused.

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
    /// Signed with another secret, or for another site, user id or expiry.
    BadSignature,
    /// Valid for longer than the maximum lifetime a token may have.
    TooLong {
        max_lifetime_s: u64,
    },
}

/// The longest a token may be valid for, unless the deployment says otherwise (`BATON_IDENTITY_MAX_LIFETIME_S`).
pub const DEFAULT_MAX_LIFETIME_S: u64 = 24 * 60 * 60;

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
                "the token's signature does not match this site, user id and expiry under the site's secret"
            ),
            TokenProblem::TooLong { max_lifetime_s } => write!(
                f,
                "the token is valid for longer than the maximum of {max_lifetime_s} seconds; sign tokens that expire sooner"
            ),
        }
    }
}

/// The token for `user_id` on `site_id`, valid until `expires_s` (what a site's server computes; Rust sites can
/// call this).
pub fn sign(secret: &[u8], site_id: &str, user_id: &str, expires_s: u64) -> String {
    let signature = mac(secret, site_id, user_id, expires_s)
        .finalize()
        .into_bytes();
    let hex: String = signature.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{expires_s}.{hex}")
}

/// What a token is checked against.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    pub site_id: &'a str,
    pub user_id: &'a str,
    pub now_s: u64,
    pub max_lifetime_s: u64,
}

/// Checks a token for `check.user_id` on `check.site_id` at `check.now_s`.
pub fn verify(secret: &[u8], token: &str, check: Check<'_>) -> Result<(), TokenProblem> {
    let Check {
        site_id,
        user_id,
        now_s,
        max_lifetime_s,
    } = check;
    let (expires, hex) = token.split_once('.').ok_or(TokenProblem::Malformed)?;
    let expires_s: u64 = expires.parse().map_err(|_| TokenProblem::Malformed)?;
    let signature = decode_hex(hex).ok_or(TokenProblem::Malformed)?;
    // The signature first, so an attacker learns nothing about expiry rules from unsigned tokens.
    mac(secret, site_id, user_id, expires_s)
        .verify_slice(&signature)
        .map_err(|_| TokenProblem::BadSignature)?;
    if expires_s <= now_s {
        return Err(TokenProblem::Expired {
            expired_at_s: expires_s,
        });
    }
    if expires_s - now_s > max_lifetime_s {
        return Err(TokenProblem::TooLong { max_lifetime_s });
    }
    Ok(())
}

fn mac(secret: &[u8], site_id: &str, user_id: &str, expires_s: u64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(format!("{site_id}:{user_id}:{expires_s}").as_bytes());
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

    use super::{Check, DEFAULT_MAX_LIFETIME_S, sign, verify};

    const SECRET: &[u8] = b"site-secret";
    const NOW: u64 = 1_795_518_000;

    fn check(user_id: &str) -> Check<'_> {
        Check {
            site_id: "demo",
            user_id,
            now_s: NOW,
            max_lifetime_s: DEFAULT_MAX_LIFETIME_S,
        }
    }

    #[test]
    fn tokens_are_checked_for_site_user_expiry_lifetime_and_secret() {
        let token = sign(SECRET, "demo", "user-42", NOW + 600);
        expect!["1795518600.e1ccc16f88c852e0500da498a4c6f3c5fbf5372b82125a1f8dbab7c6ea740ac7"]
            .assert_eq(&token);
        let long = sign(SECRET, "demo", "user-42", NOW + DEFAULT_MAX_LIFETIME_S + 1);
        let checks = [
            ("valid", verify(SECRET, &token, check("user-42"))),
            ("another user", verify(SECRET, &token, check("user-43"))),
            (
                "another site with the same secret",
                verify(
                    SECRET,
                    &token,
                    Check {
                        site_id: "other",
                        ..check("user-42")
                    },
                ),
            ),
            ("another secret", verify(b"other", &token, check("user-42"))),
            (
                "expired",
                verify(
                    SECRET,
                    &token,
                    Check {
                        now_s: NOW + 600,
                        ..check("user-42")
                    },
                ),
            ),
            (
                "valid for too long",
                verify(SECRET, &long, check("user-42")),
            ),
            (
                "expiry changed",
                verify(
                    SECRET,
                    &token.replacen("1795518600", "1795518700", 1),
                    check("user-42"),
                ),
            ),
            ("malformed", verify(SECRET, "garbage", check("user-42"))),
            ("short", verify(SECRET, "1795518600.abcd", check("user-42"))),
            (
                "not hex",
                verify(
                    SECRET,
                    &format!("1795518600.{}", "zz".repeat(32)),
                    check("user-42"),
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
            another user: the token's signature does not match this site, user id and expiry under the site's secret
            another site with the same secret: the token's signature does not match this site, user id and expiry under the site's secret
            another secret: the token's signature does not match this site, user id and expiry under the site's secret
            expired: the token expired at 1795518600 (Unix seconds)
            valid for too long: the token is valid for longer than the maximum of 86400 seconds; sign tokens that expire sooner
            expiry changed: the token's signature does not match this site, user id and expiry under the site's secret
            malformed: the token is not "{expires}.{hex HMAC-SHA256}"
            short: the token is not "{expires}.{hex HMAC-SHA256}"
            not hex: the token is not "{expires}.{hex HMAC-SHA256}""#]].assert_eq(&shown.join("\n"));
    }
}
