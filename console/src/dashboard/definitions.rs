//! What each figure of the reports means, written once: every card's and chart's definition on hover and focus
//! comes from here, in the words of README's "Metrics" definitions.

use baton_shared::protocol::metrics::Figure;

pub const CONVERSATIONS: &str = "Conversations started in the range (days in the site's time zone) with at least \
     one visitor message.";

pub const AI_RESOLVED: &str = "Conversations with no handoff and no agent reply, where the visitor neither asked \
     again within 24 h nor left on a fallback or a clarifying question; a conversation handed off never counts. \
     Rate: of all conversations.";

pub const HANDOFFS: &str =
    "Conversations handed to a person, of all conversations; by reason, team and intent.";

pub const FIRST_HUMAN_REPLY: &str = "From the handoff (or the team's next opening, for a handoff after hours) to \
     the first agent message: median and 90th percentile. Time Baton's AI spent answering never counts.";

pub const FIRST_HUMAN_REPLY_BUSINESS: &str = "The same time to first human reply, counting only the team's \
     business hours.";

pub const MISSED: &str = "Handed-off conversations with no agent reply within the site's target \
     (handoff.missed_after_seconds) or before the visitor left, of handed-off conversations.";

pub const CONVERSIONS_AFTER_HANDOFF: &str = "Handed-off conversations closed as converted, or followed by a site \
     goal within the conversion window after the handoff; rate of handed-off conversations, and the goals' value. \
     Beside it, the same for conversations never handed off (a goal within the window after the start).";

pub const CSAT: &str = "The mean of the 1-to-5 ratings visitors gave after an agent closed the conversation; \
     response rate: rated conversations of those offered a rating.";

pub const REPEAT_CONTACT: &str = "Conversations whose visitor (the same browser id or email) started another \
     conversation within 7 days after this one ended, of all conversations.";

pub const SERIES: &str = "Conversations, handoffs and AI-resolved conversations per day or week (weeks start on \
     Monday).";

pub const BY_REASON: &str = "Handed-off conversations by why they went to a person.";

pub const BY_TEAM: &str = "Handed-off conversations by the team they went to.";

pub const INTENTS: &str = "Handed-off conversations by the intent Baton read in them.";

pub const HEATMAP: &str =
    "Conversations by the weekday and hour they started, in the site's time zone.";

pub const CAMPAIGNS: &str = "Per campaign and variant: distinct visitors shown it (views), clicks, dismissals, \
     leads, conversations, handoffs and goals. Goal rate: visitors who reached the goal, of views; compare with \
     the holdout (visitors never shown it) for the uplift.";

pub const TEAMS: &str = "Each team's handed-off conversations, missed chats, time to first human reply and \
     ratings over the same range.";

pub const PAGES: &str = "The pages conversations started on, most first.";

pub const UNANSWERED: &str = "Visitors' questions Baton fell back on or asked to clarify, most asked first: \
     candidates for new FAQ entries.";

/// The definition of a figure whose conversations can be listed.
pub fn of(figure: Figure) -> &'static str {
    match figure {
        Figure::Conversations => CONVERSATIONS,
        Figure::AiResolved => AI_RESOLVED,
        Figure::Handoffs => HANDOFFS,
        Figure::Missed => MISSED,
        Figure::ConversionsAfterHandoff => CONVERSIONS_AFTER_HANDOFF,
        Figure::Csat => CSAT,
        Figure::RepeatContact => REPEAT_CONTACT,
    }
}

/// A figure's name as a heading ("AI-resolved").
pub fn title(figure: Figure) -> &'static str {
    match figure {
        Figure::Conversations => "Conversations",
        Figure::AiResolved => "AI-resolved",
        Figure::Handoffs => "Handoffs",
        Figure::Missed => "Missed chats",
        Figure::ConversionsAfterHandoff => "Conversions after handoff",
        Figure::Csat => "Rated conversations",
        Figure::RepeatContact => "Repeat contacts",
    }
}
