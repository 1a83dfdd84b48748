//! What each figure of the reports means, written once: every card's and chart's definition on hover and focus
//! comes from here, in the words of README's "Reports" (a test keeps the two the same).

use baton_shared::protocol::metrics::Figure;

pub const CONVERSATIONS: &str = "Conversations started in the range (days in the site's time zone) with at least \
     one visitor message.";

pub const AI_RESOLVED: &str = "Conversations with no handoff and no agent reply whose last answer was an answer \
     (not a fallback or a clarifying question), and whose visitor did not start another conversation within 24 h \
     of their last message; a conversation handed off never counts. Rate: of all conversations.";

pub const HANDOFFS: &str =
    "Conversations handed to a person. Rate: of all conversations; by reason, team and intent.";

pub const FIRST_HUMAN_REPLY: &str = "From the handoff (or the team's next opening, for a handoff after hours) to \
     the first agent message: median and 90th percentile. Time Baton's AI spent answering never counts.";

pub const FIRST_HUMAN_REPLY_BUSINESS: &str = "The same time to first human reply, counting only the team's \
     business hours.";

pub const MISSED: &str = "Handed-off conversations whose first agent reply came after the team's promised reply \
     time (its reply_minutes; the site's handoff.missed_after_seconds without a team), counted from the handoff or \
     the next opening, or that closed or passed that time with no reply. Rate: of handed-off conversations.";

pub const CONVERSIONS_AFTER_HANDOFF: &str = "Handed-off conversations closed as converted, or credited with a site \
     goal within the conversion window after the handoff (a goal counts once, for the visitor's latest \
     conversation). Rate: of handed-off conversations; value: the goals' values. Beside it, the same for \
     conversations never handed off (a goal within the window after the start).";

pub const CSAT: &str = "The mean of the 1-to-5 ratings visitors gave after an agent closed the conversation, also \
     apart for conversations no person took part in (AI only) and those an agent replied in. Response rate: rated \
     conversations of those offered a rating.";

pub const REPEAT_CONTACT: &str = "Conversations whose visitor (the same browser id or email) started another \
     conversation within 7 days after this one ended (its close, or its last event). Rate: of all conversations.";

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
