//! The context panel beside a conversation: everything the handoff package says (and whether the site verified who
//! the visitor is), so the visitor never repeats themself; the model's summary, when the site has a model, beside
//! Baton's extractive one.

use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::agent::InboxItem;
use leptos::prelude::*;

use crate::state;

/// Everything the handoff package says, so the visitor never repeats themself.
#[component]
pub fn Context(
    package: RwSignal<Option<HandoffPackage>>,
    item: Memo<Option<InboxItem>>,
) -> impl IntoView {
    view! {
        <aside class="context" data-testid="console-context" aria-label="Visitor context">
            {move || package.get().map(|package| {
                let row = |label: &'static str, value: Option<String>| view! {
                    <dt>{label}</dt><dd>{value.unwrap_or_else(|| "—".into())}</dd>
                };
                // Only a user id the site signed is proof of who the visitor is; name and email are as given.
                let verified = package.verified_user_id.is_some();
                let identity = match &package.verified_user_id {
                    Some(user_id) => format!("Verified user id: {user_id}"),
                    None => "Not verified: the site did not sign this visitor's identity".into(),
                };
                view! {
                    <dl>
                        <dt>"Identity"</dt>
                        <dd data-testid="console-identity" data-verified=verified.to_string()>{identity}</dd>
                        {row("Name, given by the visitor (not verified)", package.visitor_name.clone())}
                        {row("Email, given by the visitor (not verified)", package.visitor_email.clone())}
                        {row("Page", package.page_url.clone())}
                        {row("Referrer", package.referrer.clone())}
                        <dt>"Summary"</dt>
                        <dd data-testid="console-summary">{package.summary.clone()}</dd>
                        // The model's summary, once it has arrived and passed its check: beside Baton's own.
                        {package.ai_summary.as_ref().and_then(|summary| {
                            let text = summary.text()?.to_string();
                            let label = format!("AI summary ({})", summary.model());
                            Some(view! {
                                <dt data-testid="console-ai-summary-label">{label}</dt>
                                <dd data-testid="console-ai-summary">{text}</dd>
                            })
                        })}
                        {row("Intent", Some(format!("{} ({:.0} %)", state::intent_label(package.intent), package.intent_confidence * 100.0)))}
                        {row("Topic", package.topic.clone())}
                        // The campaign that started it, by name (its id when the site no longer has it), with its
                        // variant.
                        {package.campaign.as_ref().map(|campaign| {
                            let name = package.campaign_name.clone().unwrap_or_else(|| campaign.id.clone());
                            let shown = match &campaign.variant {
                                Some(variant) => format!("{name} (variant {variant})"),
                                None => name,
                            };
                            view! { <dt>"Campaign"</dt><dd data-testid="console-campaign">{shown}</dd> }
                        })}
                        {row("Handoff reason", Some(package.reason.label().to_string()))}
                        {row("Team", package.team.as_ref().map(|(_, name)| name.clone()))}
                        {row("Visitor's local time", package.visitor_local_time.clone())}
                        {row("Missed", item.get().map(|item| if item.missed { "yes: offer to follow up by email".into() } else { "no".into() }))}
                    </dl>
                    <h3>"Form fields"</h3>
                    <ul>{package.fields.iter().map(|(label, value)| view! { <li>{label.clone()}": "{value.clone()}</li> }).collect_view()}</ul>
                    {(!package.attributes.is_empty()).then(|| view! {
                        <h3>"From the site"</h3>
                        <ul data-testid="console-attributes">{package.attributes.iter().map(|(name, value)| view! { <li>{name.clone()}": "{value.clone()}</li> }).collect_view()}</ul>
                    })}
                    <h3>"Already answered by Baton"</h3>
                    <ul>{package.previous_answers.iter().map(|answer| view! { <li>{answer.clone()}</li> }).collect_view()}</ul>
                }
            })}
        </aside>
    }
}
