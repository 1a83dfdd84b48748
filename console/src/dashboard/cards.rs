//! The headline cards: each a figure, a line of context, its definition on hover and keyboard focus, and a click
//! that lists the conversations behind it.

use baton_shared::protocol::metrics::{Figure, MetricsReport};
use leptos::prelude::*;

use super::format::{self, NONE};
use super::{Page, definitions, with_report};

/// One card as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Its test id's `data-card`.
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    /// The raw number behind `value` (empty when there is none), for tests and tools.
    pub raw: String,
    pub detail: String,
    pub definition: &'static str,
    pub figure: Figure,
}

/// The cards of a report, in reading order.
pub fn cards(report: &MetricsReport) -> Vec<Card> {
    let conversations = report.conversations;
    let handoffs = &report.handoffs;
    let replies = &report.first_human_reply_ms;
    let csat = &report.csat;
    let rate = |rate: f64, of: u64| {
        if of == 0 {
            String::new()
        } else {
            rate.to_string()
        }
    };
    let ms = |ms: Option<u64>| ms.map(|ms| ms.to_string()).unwrap_or_default();
    let not_handed_off = conversations.saturating_sub(handoffs.count);
    vec![
        Card {
            key: "conversations",
            label: "Conversations",
            value: format::count(conversations),
            raw: conversations.to_string(),
            detail: format!("{} to {}", report.from, report.to),
            definition: definitions::CONVERSATIONS,
            figure: Figure::Conversations,
        },
        Card {
            key: "ai_resolution_rate",
            label: "AI resolution rate",
            value: format::percent(report.ai_resolved.rate, conversations),
            raw: rate(report.ai_resolved.rate, conversations),
            detail: format!(
                "{} resolved by Baton alone",
                format::count(report.ai_resolved.count)
            ),
            definition: definitions::AI_RESOLVED,
            figure: Figure::AiResolved,
        },
        Card {
            key: "handoff_rate",
            label: "Handoff rate",
            value: format::percent(handoffs.rate, conversations),
            raw: rate(handoffs.rate, conversations),
            detail: format!("{} handed to a person", format::count(handoffs.count)),
            definition: definitions::HANDOFFS,
            figure: Figure::Handoffs,
        },
        Card {
            key: "first_human_reply",
            label: "Time to first human reply",
            value: format::duration(replies.median),
            raw: ms(replies.median),
            detail: format!(
                "median · p90 {} · {} replied",
                format::duration(replies.p90),
                format::count(replies.count)
            ),
            definition: definitions::FIRST_HUMAN_REPLY,
            figure: Figure::Handoffs,
        },
        Card {
            key: "first_human_reply_business",
            label: "First reply, business hours",
            value: format::duration(replies.business_hours_median),
            raw: ms(replies.business_hours_median),
            detail: format!(
                "median · p90 {}",
                format::duration(replies.business_hours_p90)
            ),
            definition: definitions::FIRST_HUMAN_REPLY_BUSINESS,
            figure: Figure::Handoffs,
        },
        Card {
            key: "missed",
            label: "Missed chats",
            value: format::count(report.missed.count),
            raw: report.missed.count.to_string(),
            detail: format!(
                "{} of handoffs",
                format::percent(report.missed.rate, handoffs.count)
            ),
            definition: definitions::MISSED,
            figure: Figure::Missed,
        },
        Card {
            key: "conversion_after_handoff",
            label: "Conversion after handoff",
            value: format::percent(report.conversions_after_handoff.rate, handoffs.count),
            raw: rate(report.conversions_after_handoff.rate, handoffs.count),
            detail: format!(
                "{} converted · value {} · vs {} without handoff",
                format::count(report.conversions_after_handoff.count),
                format::value(report.conversions_after_handoff.value),
                format::percent(report.conversions_without_handoff.rate, not_handed_off)
            ),
            definition: definitions::CONVERSIONS_AFTER_HANDOFF,
            figure: Figure::ConversionsAfterHandoff,
        },
        Card {
            key: "csat",
            label: "CSAT",
            value: format::rating(csat.mean),
            raw: csat.mean.map(|mean| mean.to_string()).unwrap_or_default(),
            detail: format!(
                "{} · {} responded · AI only {} · with a person {}",
                format::counted(csat.responses, "rating", "ratings"),
                // A rating is asked for once an agent closed the conversation: none without handoffs.
                format::percent(csat.response_rate, handoffs.count),
                format::rating(csat.ai_only.mean),
                format::rating(csat.with_person.mean)
            ),
            definition: definitions::CSAT,
            figure: Figure::Csat,
        },
        Card {
            key: "repeat_contact",
            label: "Repeat contact",
            value: format::percent(report.repeat_contact.rate, conversations),
            raw: rate(report.repeat_contact.rate, conversations),
            detail: format!(
                "{} came back within 7 days",
                format::count(report.repeat_contact.count)
            ),
            definition: definitions::REPEAT_CONTACT,
            figure: Figure::RepeatContact,
        },
    ]
}

#[component]
pub fn Cards(page: Page) -> impl IntoView {
    let cards = move || with_report(&page, cards).unwrap_or_default();
    view! {
        <section class="cards" aria-label="Headline figures">
            {move || cards().into_iter().map(|card| {
                let tip = format!("definition-{}", card.key);
                let figure = card.figure;
                let missing = card.value == NONE;
                // The definition sits beside the button, not in it, so that it describes the button without
                // becoming part of its name.
                view! {
                    <div class="card" data-testid="dashboard-card" data-card=card.key data-value=card.raw
                        data-figure=figure.name()>
                        <button type="button" aria-describedby=tip.clone() on:click=move |_| page.drill(figure, None)>
                            <span class="card-label">{card.label}</span>
                            <span class="card-value" class:missing=missing data-testid="dashboard-card-value">{card.value}</span>
                            <span class="card-detail" data-testid="dashboard-card-detail">{card.detail}</span>
                        </button>
                        <span class="tip" role="tooltip" id=tip data-testid="dashboard-definition">{card.definition}</span>
                    </div>
                }
            }).collect_view()}
        </section>
    }
}
