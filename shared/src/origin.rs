//! Which web origins may embed a site's widget and call its API.
//!
//! A pattern is an exact origin (`https://shop.example`, `https://shop.example:8443`) or an origin with any port
//! (`http://localhost:*`), so a site owner can try the script tag from any local page.

/// A parsed entry of `allowed_origins`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    host: String,
    port: PortRule,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PortRule {
    /// No port written: the scheme's default port.
    Default,
    Exact(u16),
    Any,
}

impl OriginPattern {
    /// Parses `scheme://host[:port|:*]`, explaining what is wrong otherwise.
    pub fn parse(pattern: &str) -> Result<OriginPattern, String> {
        // Prefixes, not a search for "://": this runs on every request with an `Origin`.
        let (scheme, rest) = ["https", "http"]
            .into_iter()
            .find_map(|scheme| Some((scheme, pattern.strip_prefix(scheme)?.strip_prefix("://")?)))
            .ok_or_else(|| format!("\"{pattern}\" must start with http:// or https://"))?;
        if rest.contains('/') || rest.contains('?') || rest.contains('#') {
            return Err(format!(
                "\"{pattern}\" must be an origin only (scheme, host and port), without a path"
            ));
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, "*")) => (host, PortRule::Any),
            Some((host, port)) => {
                let port = port
                    .parse::<u16>()
                    .map_err(|_| format!("\"{pattern}\" has an invalid port \"{port}\""))?;
                (host, PortRule::Exact(port))
            }
            None => (rest, PortRule::Default),
        };
        if host.is_empty()
            || !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            return Err(format!("\"{pattern}\" has an invalid host \"{host}\""));
        }
        Ok(OriginPattern {
            scheme: scheme.to_string(),
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// Whether an `Origin` header value (as browsers send it, parsed) matches this pattern (a value with a `*`
    /// port is no origin).
    fn matches(&self, origin: &OriginPattern) -> bool {
        if origin.scheme != self.scheme || origin.host != self.host {
            return false;
        }
        let default_port = if self.scheme == "https" { 443 } else { 80 };
        let port = match origin.port {
            PortRule::Default => default_port,
            PortRule::Exact(port) => port,
            PortRule::Any => return false,
        };
        match self.port {
            PortRule::Any => true,
            PortRule::Default => port == default_port,
            PortRule::Exact(allowed) => port == allowed,
        }
    }
}

/// Whether `origin` matches any of the site's `allowed_origins`; invalid patterns match nothing. The origin is
/// parsed once (this runs on every request with an `Origin`).
pub fn is_allowed(allowed_origins: &[String], origin: &str) -> bool {
    let Ok(origin) = OriginPattern::parse(origin) else {
        return false;
    };
    allowed_origins
        .iter()
        .filter_map(|pattern| OriginPattern::parse(pattern).ok())
        .any(|pattern| pattern.matches(&origin))
}

#[cfg(test)]
mod tests;
