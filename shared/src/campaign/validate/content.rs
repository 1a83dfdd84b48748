//! Validation of what a campaign says and does: `content`, `action` and the A/B `variants`.

use super::super::model::{Action, Content, Variant};
use super::super::team::is_slug;
use super::{Errors, Site};

/// The most fields a lead form asks for.
const MAX_LEAD_FIELDS: usize = 8;

impl Errors {
    pub(super) fn check_content(&mut self, path: &str, content: &Content, site: &Site) {
        if let Some(from) = &content.from {
            // A slug is a team id (the evaluator reads it so for `staffing`); anything else is a person's name.
            if is_slug(from) {
                if !site.teams.contains(&from.as_str()) {
                    self.push(
                        format!("{path}.from"),
                        format!(
                            "{}; a person's name starts with a capital letter",
                            site.no_such_team(from)
                        ),
                    );
                }
            } else {
                self.check_text(&format!("{path}.from"), from, 80);
            }
        }
        if let Some(title) = &content.title {
            self.check_text(&format!("{path}.title"), title, 120);
        }
        self.check_text(&format!("{path}.text"), &content.text, 1_000);
        if let Some(button) = &content.button {
            self.check_text(&format!("{path}.button"), button, 40);
        }
    }

    pub(super) fn check_action(&mut self, path: &str, action: &Action, site: &Site) {
        match action {
            Action::OpenChat { message, send } => match message {
                Some(message) => self.check_text(&format!("{path}.message"), message, 1_000),
                None if *send => self.push(
                    format!("{path}.send"),
                    "needs a message to send; add `message` or remove `send`",
                ),
                None => {}
            },
            Action::Handoff { team } => self.check_team(&format!("{path}.team"), team, site),
            Action::LeadForm {
                fields,
                consent,
                team,
                thanks,
            } => {
                if fields.is_empty() || fields.len() > MAX_LEAD_FIELDS {
                    self.push(
                        format!("{path}.fields"),
                        format!(
                            "must list between 1 and {MAX_LEAD_FIELDS} fields (got {})",
                            fields.len()
                        ),
                    );
                }
                let ids: Vec<&str> = fields.iter().map(|field| field.id.as_str()).collect();
                for (index, field) in fields.iter().enumerate() {
                    let field_path = format!("{path}.fields[{index}]");
                    self.check_id(&field_path, &ids, index);
                    self.check_text(&format!("{field_path}.label"), &field.label, 80);
                }
                if let Some(consent) = consent {
                    self.check_text(&format!("{path}.consent"), consent, 500);
                }
                if let Some(team) = team {
                    self.check_team(&format!("{path}.team"), team, site);
                }
                self.check_text(&format!("{path}.thanks"), thanks, 500);
            }
            Action::Link { url } => {
                let loopback = ["http://localhost", "http://127.0.0.1"].iter().any(|host| {
                    url.strip_prefix(host).is_some_and(|rest| {
                        rest.is_empty() || rest.starts_with([':', '/', '?', '#'])
                    })
                });
                let https = url.len() > "https://".len() && url.starts_with("https://");
                if !(https || loopback) || url.len() > 2_048 {
                    self.push(
                        format!("{path}.url"),
                        format!(
                            "\"{url}\" must be an https:// URL of at most 2048 characters \
                             (http:// only on localhost or 127.0.0.1)"
                        ),
                    );
                }
            }
        }
    }

    pub(super) fn check_variants(&mut self, campaign: &str, variants: &[Variant], site: &Site) {
        let ids: Vec<&str> = variants.iter().map(|variant| variant.id.as_str()).collect();
        for (index, variant) in variants.iter().enumerate() {
            let path = format!("{campaign}.variants[{index}]");
            self.check_id(&path, &ids, index);
            if variant.weight == 0 {
                self.push(format!("{path}.weight"), "must be at least 1");
            }
            self.check_content(&format!("{path}.content"), &variant.content, site);
            if let Some(action) = &variant.action {
                self.check_action(&format!("{path}.action"), action, site);
            }
        }
    }

    fn check_team(&mut self, path: &str, team: &str, site: &Site) {
        if !site.teams.contains(&team) {
            self.push(path, site.no_such_team(team));
        }
    }
}
