//! Which team a campaign speaks for, and the shape of ids: shared by validation and the evaluator.

use super::model::Campaign;

/// The campaign's team, for `staffing`: `content.from` when it is a team id. A team id is a slug; validation makes
/// sure a slug-shaped `from` names a team of the site, so a person's name ("Anna") never passes for one.
pub fn team(campaign: &Campaign) -> Option<&str> {
    campaign
        .content
        .from
        .as_deref()
        .filter(|from| is_slug(from))
}

/// Lowercase letters, digits and `-`, 1 to 64 of them: the shape of every id in a site's configuration.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
