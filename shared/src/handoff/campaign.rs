//! Campaigns that reach a person without a chat first: a `handoff` campaign's click starts a conversation handed
//! to its team at once, and a lead form's submission is checked here ([`check_lead`]) before it becomes a
//! conversation handed to the form's team, or a lead sent to the site's webhooks.

use super::Handoff;
use crate::campaign::{Action, Campaign, CampaignStatus};
use crate::config::{PreChatForm, SiteConfig};
use crate::protocol::{
    CampaignRef, CreateConversation, FieldError, FieldValue, SubmitForm, SubmitLead,
    check_visitor_id, field_error,
};
use crate::vocab::{FieldKind, HandoffReason, Intent};

/// A handoff a campaign asks for, and the topic agents see (the campaign's name).
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignHandoff {
    pub handoff: Handoff,
    pub topic: String,
}

/// A lead form's submission that passed every check: the campaign it came from, its answers, and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidatedLead {
    pub campaign: CampaignRef,
    /// The campaign's name, for agents and webhooks.
    pub campaign_name: String,
    pub fields: Vec<FieldValue>,
    /// Each answer with its field's label, in the form's order.
    pub labelled_fields: Vec<(String, String)>,
    /// The answers to the form's name and email fields, when it has them.
    pub name: Option<String>,
    pub email: Option<String>,
    pub consent: bool,
    /// The handoff to the form's team; `None`: the lead is only recorded and sent to the site's webhooks.
    pub handoff: Option<CampaignHandoff>,
    pub thanks: String,
    pub page_url: Option<String>,
    pub timezone: Option<String>,
    /// The browser's anonymous visitor id.
    pub visitor: String,
}

/// The action a visitor of `variant` gets: the variant's own when it has one, else the campaign's.
pub fn action_of<'a>(campaign: &'a Campaign, variant: Option<&str>) -> &'a Action {
    variant
        .and_then(|id| campaign.variants.iter().find(|known| known.id == id))
        .and_then(|known| known.action.as_ref())
        .unwrap_or(&campaign.action)
}

/// The campaign a reference names, any status; problems under `path` (`campaign`, `campaign.variant`).
fn find<'a>(
    config: &'a SiteConfig,
    id: &str,
    variant: Option<&str>,
    path: &str,
    variant_path: &str,
) -> Result<&'a Campaign, Vec<FieldError>> {
    let Some(campaign) = config.campaigns.iter().find(|campaign| campaign.id == id) else {
        return Err(vec![field_error(
            path,
            format!("site \"{}\" has no campaign \"{id}\"", config.id),
        )]);
    };
    if let Some(variant) = variant
        && !campaign.variants.iter().any(|known| known.id == variant)
    {
        return Err(vec![field_error(
            variant_path,
            format!("campaign \"{id}\" has no variant \"{variant}\""),
        )]);
    }
    Ok(campaign)
}

/// The handoff a team's campaign asks for: `reason`, to `team` (by id), about the campaign.
fn handoff_to(
    config: &SiteConfig,
    campaign: &Campaign,
    team_id: &str,
    reason: HandoffReason,
) -> CampaignHandoff {
    let team = config.teams.iter().position(|team| team.id == team_id);
    let intent = team
        .and_then(|team| config.teams[team].intents.first().copied())
        .unwrap_or(Intent::General);
    CampaignHandoff {
        handoff: Handoff {
            reason,
            team,
            intent,
        },
        topic: campaign.name.clone(),
    }
}

/// The campaign a new conversation names (`CreateConversation.campaign`): an unknown campaign or variant is refused
/// (`campaign`, `campaign.variant`); a live campaign whose action is `handoff` asks for a handoff at once. A campaign
/// that is no longer live is still recorded with the conversation (the widget's copy of the configuration may be a
/// minute old), but hands nothing over.
pub fn opening_campaign(
    config: &SiteConfig,
    campaign_ref: Option<&CampaignRef>,
) -> Result<Option<CampaignHandoff>, Vec<FieldError>> {
    let Some(campaign_ref) = campaign_ref else {
        return Ok(None);
    };
    let campaign = find(
        config,
        &campaign_ref.id,
        campaign_ref.variant.as_deref(),
        "campaign",
        "campaign.variant",
    )?;
    if campaign.status != CampaignStatus::Live {
        return Ok(None);
    }
    Ok(match action_of(campaign, campaign_ref.variant.as_deref()) {
        Action::Handoff { team } => {
            Some(handoff_to(config, campaign, team, HandoffReason::Campaign))
        }
        _ => None,
    })
}

/// Every problem of a lead form's submission: the campaign must exist (`campaign`), be live and have a lead form
/// (the variant's action overrides the campaign's), the variant must exist (`variant`), the visitor id be
/// well-formed (`visitor`), and the answers pass the pre-chat form's rules against the lead form's fields, `required`
/// ones required and consent ticked when the form asks for it (`fields[N].value`, `fields`, `consent`).
pub fn check_lead(
    config: &SiteConfig,
    lead: &SubmitLead,
) -> Result<ValidatedLead, Vec<FieldError>> {
    let mut errors = CreateConversation {
        page_url: lead.page_url.clone(),
        timezone: lead.timezone.clone(),
        turnstile_token: lead.turnstile_token.clone(),
        ..CreateConversation::default()
    }
    .validate();
    check_visitor_id(&mut errors, "visitor", &lead.visitor);
    let campaign = match find(
        config,
        &lead.campaign,
        lead.variant.as_deref(),
        "campaign",
        "variant",
    ) {
        Ok(campaign) => campaign,
        Err(found) => {
            errors.extend(found);
            return Err(errors);
        }
    };
    if campaign.status != CampaignStatus::Live {
        errors.push(field_error(
            "campaign",
            format!("campaign \"{}\" is not live", campaign.id),
        ));
        return Err(errors);
    }
    let Action::LeadForm {
        fields,
        consent,
        team,
        thanks,
    } = action_of(campaign, lead.variant.as_deref())
    else {
        errors.push(field_error(
            "campaign",
            format!("campaign \"{}\" has no lead form", campaign.id),
        ));
        return Err(errors);
    };
    let form = PreChatForm {
        fields: fields.clone(),
        consent: consent.clone(),
        ..PreChatForm::default()
    };
    let required: Vec<&str> = fields
        .iter()
        .filter(|field| field.required)
        .map(|field| field.id.as_str())
        .collect();
    let answers = SubmitForm {
        fields: lead.fields.clone(),
        consent: lead.consent,
    };
    errors.extend(answers.check(&form, &required));
    if !errors.is_empty() {
        return Err(errors);
    }
    // In the form's order, trimmed, as the conversation keeps pre-chat answers.
    let answered: Vec<FieldValue> = fields
        .iter()
        .filter_map(|field| {
            lead.fields
                .iter()
                .find(|answer| answer.id == field.id)
                .map(|answer| FieldValue {
                    id: field.id.clone(),
                    value: answer.value.trim().to_string(),
                })
        })
        .collect();
    let of_kind = |kind: FieldKind| {
        fields
            .iter()
            .filter(|field| field.kind == kind)
            .find_map(|field| answered.iter().find(|answer| answer.id == field.id))
            .map(|answer| answer.value.clone())
    };
    let (name, email) = (of_kind(FieldKind::Name), of_kind(FieldKind::Email));
    let labelled_fields = answered
        .iter()
        .filter_map(|answer| {
            fields
                .iter()
                .find(|field| field.id == answer.id)
                .map(|field| (field.label.clone(), answer.value.clone()))
        })
        .collect();
    Ok(ValidatedLead {
        campaign: CampaignRef {
            id: campaign.id.clone(),
            variant: lead.variant.clone(),
        },
        campaign_name: campaign.name.clone(),
        fields: answered,
        labelled_fields,
        name,
        email,
        consent: lead.consent,
        handoff: team
            .as_deref()
            .map(|team| handoff_to(config, campaign, team, HandoffReason::LeadForm)),
        thanks: thanks.clone(),
        page_url: lead.page_url.clone(),
        timezone: lead.timezone.clone(),
        visitor: lead.visitor.clone(),
    })
}

impl ValidatedLead {
    /// The line the lead's conversation opens with, on the visitor's side, so its transcript says what happened:
    /// "Sent the form “Pricing help”:" and each answer on its own line.
    pub fn transcript_line(&self) -> String {
        let mut line = format!("Sent the form \u{201c}{}\u{201d}:", self.campaign_name);
        for (label, value) in &self.labelled_fields {
            line.push_str(&format!("\n{label}: {value}"));
        }
        line
    }
}

#[cfg(test)]
mod tests;
