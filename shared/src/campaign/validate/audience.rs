//! Validation of an `audience` tree: its size, and each condition's values.

use super::super::model::Audience;
use super::{Errors, Site};

/// The deepest an audience tree may nest (`all` in `any` in `not` …), the top level being 1.
const MAX_DEPTH: usize = 8;
/// The most nodes (groups and conditions) in one audience.
const MAX_NODES: usize = 50;

impl Errors {
    pub(super) fn check_audience(&mut self, path: &str, tree: &Audience, site: &Site) {
        let (depth, nodes) = size(tree);
        if depth > MAX_DEPTH {
            self.push(
                path,
                format!("nests {depth} levels deep; at most {MAX_DEPTH}"),
            );
        }
        if nodes > MAX_NODES {
            self.push(
                path,
                format!("has {nodes} groups and conditions; at most {MAX_NODES}"),
            );
        }
        self.check_node(path, tree, site);
    }

    fn check_node(&mut self, path: &str, node: &Audience, site: &Site) {
        match node {
            Audience::All(list) | Audience::Any(list) => {
                let group = if matches!(node, Audience::All(_)) {
                    "all"
                } else {
                    "any"
                };
                for (index, child) in list.iter().enumerate() {
                    self.check_node(&format!("{path}.{group}[{index}]"), child, site);
                }
            }
            Audience::Not(child) => self.check_node(&format!("{path}.not"), child, site),
            Audience::Referrer(rule) => {
                self.check_rule_value(&format!("{path}.referrer"), &rule.value)
            }
            Audience::UtmSource(rule) => {
                self.check_rule_value(&format!("{path}.utm_source"), &rule.value)
            }
            Audience::UtmMedium(rule) => {
                self.check_rule_value(&format!("{path}.utm_medium"), &rule.value)
            }
            Audience::UtmCampaign(rule) => {
                self.check_rule_value(&format!("{path}.utm_campaign"), &rule.value)
            }
            Audience::Language(language) => {
                let valid = (2..=3).contains(&language.len())
                    && language.bytes().all(|b| b.is_ascii_lowercase());
                if !valid {
                    self.push(
                        format!("{path}.language"),
                        format!(
                            "\"{language}\" must be a language's primary subtag, 2-3 lowercase letters such as fr"
                        ),
                    );
                }
            }
            Audience::Country(country) => {
                let valid = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
                if !valid {
                    self.push(
                        format!("{path}.country"),
                        format!(
                            "\"{country}\" must be an ISO 3166 code, 2 uppercase letters such as FR"
                        ),
                    );
                }
            }
            Audience::Attribute(rule) => {
                let name = &rule.name;
                let valid = !name.is_empty()
                    && name.len() <= 40
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !valid {
                    self.push(
                        format!("{path}.attribute.name"),
                        format!("\"{name}\" must be 1-40 letters, digits, '_' or '-', as identify accepts"),
                    );
                }
                self.check_rule_value(&format!("{path}.attribute"), &rule.value);
            }
            Audience::Campaign(rule) => {
                if !site.campaigns.contains(&rule.id.as_str()) {
                    self.push(
                        format!("{path}.campaign.id"),
                        format!("\"{}\" is not a campaign of the site", rule.id),
                    );
                }
                if let Some(days) = rule.within_days {
                    self.check_range(
                        &format!("{path}.campaign.within_days"),
                        days,
                        1..=3_650,
                        "days",
                    );
                }
            }
            Audience::Visitor(_)
            | Audience::Visits { .. }
            | Audience::Device(_)
            | Audience::Identified(_) => {}
        }
    }

    /// A string rule's value in an audience may be empty (`referrer` `equals` "" is "no referrer"), not longer than
    /// a URL may be.
    fn check_rule_value(&mut self, path: &str, value: &str) {
        let chars = value.chars().count();
        if chars > 2_048 {
            self.push(
                format!("{path}.value"),
                format!("must be at most 2048 characters (got {chars})"),
            );
        }
    }
}

/// The tree's depth (a lone condition is 1) and its number of nodes.
fn size(node: &Audience) -> (usize, usize) {
    match node {
        Audience::All(list) | Audience::Any(list) => {
            list.iter()
                .map(size)
                .fold((1, 1), |(depth, nodes), (child_depth, child_nodes)| {
                    (depth.max(child_depth + 1), nodes + child_nodes)
                })
        }
        Audience::Not(child) => {
            let (depth, nodes) = size(child);
            (depth + 1, nodes + 1)
        }
        _ => (1, 1),
    }
}
