//! Reading the worker's vars (`[vars]` in `wrangler.toml`, `--var`) and secrets (`wrangler secret put`) the same way
//! everywhere: a secret first, then a var of that name; blank counts as unset.

use worker::Env;

/// The var or secret `name` as text, when it is set and not blank.
pub fn text(env: &Env, name: &str) -> Option<String> {
    env.secret(name)
        .map(|value| value.to_string())
        .or_else(|_| env.var(name).map(|value| value.to_string()))
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// The name of a site's own secret: `per_site("BATON_TURNSTILE_SECRET", "my-shop")` is
/// `BATON_TURNSTILE_SECRET_MY_SHOP`.
pub fn per_site(prefix: &str, site_id: &str) -> String {
    format!(
        "{prefix}_{}",
        site_id.to_ascii_uppercase().replace('-', "_")
    )
}
