//! The bodies of handoff webhooks, built purely so their escaping is tested here. Visitor text and site text go into
//! Slack's mrkdwn, where `<…>` makes links and mentions (`<!channel>` pings a whole channel) and `&` starts an
//! entity: every such text is escaped (`&amp;`, `&lt;`, `&gt;`, the only escapes Slack defines), and names lose
//! control characters and line breaks, so a visitor can neither ping, nor forge a link, nor start a new formatted
//! line. The only link in a body is Baton's own, to the configured public console URL. How deliveries are retried
//! is decided in [`delivery`].

use serde::Serialize;

use crate::config::{SiteConfig, WebhookFormat};
use crate::handoff::{HandoffPackage, HandoffReason};
use crate::protocol::Lead;

mod delivery;

pub use self::delivery::{
    Delivery, KEPT, RETRY_DELAYS_MS, due, for_handoff, for_lead, forget, next_attempt_ms, prune,
    record, secret_name,
};

/// Text made inert for Slack mrkdwn: `&`, `<` and `>` escaped.
pub fn slack_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A name on one line: control characters (line breaks among them) become spaces, runs of spaces one, and the
/// result is at most 80 characters.
pub fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    words.join(" ").chars().take(80).collect()
}

/// The link to a conversation in the console, under the deployment's public URL (never a request's `Host`).
pub fn console_link(public_url: &str, conversation_id: &str) -> String {
    format!(
        "{}/console/#conversation={conversation_id}",
        public_url.trim_end_matches('/')
    )
}

/// Baton's JSON webhook body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoffWebhook<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub site_id: &'a str,
    pub conversation_id: &'a str,
    pub reason: HandoffReason,
    pub team: Option<&'a str>,
    pub summary: &'a str,
    pub visitor_name: Option<String>,
    pub visitor_email: Option<&'a str>,
    /// Whether the site signed the visitor's identity; name and email are otherwise as the visitor gave them.
    pub visitor_verified: bool,
    pub page_url: Option<&'a str>,
    /// `None` when the deployment has no `BATON_PUBLIC_URL`.
    pub console_url: Option<String>,
}

#[derive(Serialize)]
struct SlackBody {
    text: String,
    blocks: [SlackBlock; 1],
}

#[derive(Serialize)]
struct SlackBlock {
    #[serde(rename = "type")]
    kind: &'static str,
    text: SlackText,
}

#[derive(Serialize)]
struct SlackText {
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
}

/// The body one endpoint receives for a handoff. `public_url` is the deployment's public origin
/// (`BATON_PUBLIC_URL`); without one, the body has no link.
pub fn handoff_body(
    site: &SiteConfig,
    package: &HandoffPackage,
    format: WebhookFormat,
    public_url: Option<&str>,
) -> String {
    let link = public_url.map(|url| console_link(url, &package.conversation_id));
    let name = package
        .visitor_name
        .as_deref()
        .map(one_line)
        .filter(|name| !name.is_empty());
    match format {
        WebhookFormat::Slack => {
            let who = name
                .or_else(|| package.visitor_email.as_deref().map(one_line))
                .unwrap_or_else(|| "A visitor".into());
            let team = package
                .team
                .as_ref()
                .map_or("the team", |(_, name)| name.as_str());
            let verified = if package.verified_user_id.is_some() {
                ""
            } else {
                " (name as given, not verified)"
            };
            let summary: Vec<String> = package
                .summary
                .lines()
                .map(|line| format!(">{}", slack_escape(line)))
                .collect();
            let mut text = format!(
                "{}{verified} on {} needs {}: {}.",
                slack_escape(&who),
                slack_escape(&one_line(&site.name)),
                slack_escape(team),
                package.reason.describe()
            );
            if !summary.is_empty() {
                text.push('\n');
                text.push_str(&summary.join("\n"));
            }
            if let Some(link) = &link {
                text.push_str(&format!("\n<{link}|Open in Baton>"));
            }
            let body = SlackBody {
                text: text.clone(),
                blocks: [SlackBlock {
                    kind: "section",
                    text: SlackText {
                        kind: "mrkdwn",
                        text,
                    },
                }],
            };
            serde_json::to_string(&body).unwrap_or_default()
        }
        WebhookFormat::Json => serde_json::to_string(&HandoffWebhook {
            kind: "handoff",
            site_id: &site.id,
            conversation_id: &package.conversation_id,
            reason: package.reason,
            team: package.team.as_ref().map(|(id, _)| id.as_str()),
            summary: &package.summary,
            visitor_name: name,
            visitor_email: package.visitor_email.as_deref(),
            visitor_verified: package.verified_user_id.is_some(),
            page_url: package.page_url.as_deref(),
            console_url: link,
        })
        .unwrap_or_default(),
    }
}

/// Baton's JSON webhook body for a lead whose form names no team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadWebhook<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub site_id: &'a str,
    pub lead_id: &'a str,
    pub campaign: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<&'a str>,
    pub campaign_name: &'a str,
    /// Each answer as `{"label", "value"}`, in the form's order.
    pub fields: Vec<LeadField<'a>>,
    pub consent: bool,
    pub page_url: Option<&'a str>,
}

/// One answer of a lead form in a webhook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadField<'a> {
    pub label: &'a str,
    pub value: &'a str,
}

/// The body one endpoint receives for a lead (no team, so no conversation and no console link): in Slack, every
/// label and value escaped and on one line each.
pub fn lead_body(site: &SiteConfig, lead: &Lead, format: WebhookFormat) -> String {
    match format {
        WebhookFormat::Slack => {
            let mut text = format!(
                "New lead on {} from \u{201c}{}\u{201d}.",
                slack_escape(&one_line(&site.name)),
                slack_escape(&one_line(&lead.campaign_name))
            );
            for (label, value) in &lead.fields {
                text.push_str(&format!(
                    "\n>*{}:* {}",
                    slack_escape(&one_line(label)),
                    slack_escape(&one_line(value))
                ));
            }
            if let Some(page_url) = &lead.page_url {
                text.push_str(&format!("\nPage: {}", slack_escape(&one_line(page_url))));
            }
            let body = SlackBody {
                text: text.clone(),
                blocks: [SlackBlock {
                    kind: "section",
                    text: SlackText {
                        kind: "mrkdwn",
                        text,
                    },
                }],
            };
            serde_json::to_string(&body).unwrap_or_default()
        }
        WebhookFormat::Json => serde_json::to_string(&LeadWebhook {
            kind: "lead",
            site_id: &site.id,
            lead_id: &lead.lead_id,
            campaign: &lead.campaign.id,
            variant: lead.campaign.variant.as_deref(),
            campaign_name: &lead.campaign_name,
            fields: lead
                .fields
                .iter()
                .map(|(label, value)| LeadField { label, value })
                .collect(),
            consent: lead.consent,
            page_url: lead.page_url.as_deref(),
        })
        .unwrap_or_default(),
    }
}

/// The endpoint as shown to admins: scheme and host, never the path (a Slack webhook's path is its secret).
pub fn endpoint_shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(not a URL)".into();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let more = rest.len() > host.len();
    format!("{scheme}://{host}{}", if more { "/…" } else { "" })
}

#[cfg(test)]
mod tests;
