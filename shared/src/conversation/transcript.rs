//! The ordered transcript of a conversation and the rules for adding to it: sequence numbers only grow, and a
//! visitor message retried with the same client message id is answered from the transcript, never stored twice.

use crate::protocol::{AnswerSource, Author, Choice, ConversationEvent, HandoffNotice, Message};

/// The messages of one conversation, in order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Transcript {
    pub messages: Vec<Message>,
}

/// Why a conversation takes no more messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    Messages { max: usize },
    Bytes { max: usize },
}

impl std::fmt::Display for Full {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Full::Messages { max } => write!(
                f,
                "this conversation has reached its limit of {max} messages; start a new one"
            ),
            Full::Bytes { max } => write!(
                f,
                "this conversation has reached its limit of {max} bytes of text; start a new one"
            ),
        }
    }
}

impl Transcript {
    /// Whether one more message fits under the caps (`max_messages` messages, `max_bytes` bytes of text).
    pub fn has_room(&self, max_messages: usize, max_bytes: usize) -> Result<(), Full> {
        if self.messages.len() >= max_messages {
            return Err(Full::Messages { max: max_messages });
        }
        let bytes: usize = self.messages.iter().map(|message| message.text.len()).sum();
        if bytes >= max_bytes {
            return Err(Full::Bytes { max: max_bytes });
        }
        Ok(())
    }

    /// The sequence number the next message gets.
    pub fn next_seq(&self) -> u64 {
        self.messages.last().map_or(1, |message| message.seq + 1)
    }

    /// Appends a message written by Baton (greeting, FAQ answer, fallback).
    pub fn push_ai(&mut self, text: String, answer: Option<AnswerSource>, now_ms: u64) -> &Message {
        self.push_reply(Author::Ai, text, answer, Vec::new(), now_ms)
    }

    /// Appends a reply that is not the visitor's: Baton's answers (with the choices they offer to tap, if any), or
    /// system notices such as a handoff.
    pub fn push_reply(
        &mut self,
        author: Author,
        text: String,
        answer: Option<AnswerSource>,
        choices: Vec<Choice>,
        now_ms: u64,
    ) -> &Message {
        let message = self.next(author, text, now_ms);
        self.push(Message {
            answer,
            choices,
            ..message
        })
    }

    /// Appends a system notice, such as a handoff's or a thank-you for details given.
    pub fn push_system(
        &mut self,
        text: String,
        handoff: Option<HandoffNotice>,
        now_ms: u64,
    ) -> &Message {
        let message = self.next(Author::System, text, now_ms);
        self.push(Message { handoff, ..message })
    }

    /// Appends a visitor message.
    pub fn push_visitor(
        &mut self,
        client_message_id: String,
        text: String,
        now_ms: u64,
    ) -> &Message {
        self.push_visitor_choice(client_message_id, text, None, now_ms)
    }

    /// Appends a visitor message that may have tapped an offered choice (`choice`: the FAQ entry's id).
    pub fn push_visitor_choice(
        &mut self,
        client_message_id: String,
        text: String,
        choice: Option<String>,
        now_ms: u64,
    ) -> &Message {
        let message = self.next(Author::Visitor, text, now_ms);
        self.push(Message {
            client_message_id: Some(client_message_id),
            choice,
            ..message
        })
    }

    /// Appends a system message about the people in the conversation (joined, transferred, missed, closed).
    pub fn push_event(
        &mut self,
        text: String,
        event: ConversationEvent,
        author_name: Option<String>,
        now_ms: u64,
    ) -> &Message {
        let message = self.next(Author::System, text, now_ms);
        self.push(Message {
            author_name,
            event: Some(event),
            ..message
        })
    }

    /// Appends an agent's message; the client id makes the agent's retries idempotent too.
    pub fn push_agent(
        &mut self,
        agent_name: &str,
        client_message_id: String,
        text: String,
        now_ms: u64,
    ) -> &Message {
        let message = self.next(Author::Agent, text, now_ms);
        self.push(Message {
            author_name: Some(agent_name.to_string()),
            client_message_id: Some(client_message_id),
            ..message
        })
    }

    /// The stored message with this client id from this author, when there is one (a retried send).
    pub fn find_client_message(&self, author: Author, client_message_id: &str) -> Option<&Message> {
        self.messages.iter().find(|message| {
            message.author == author
                && message.client_message_id.as_deref() == Some(client_message_id)
        })
    }

    /// When a visitor message with this client id is already stored: it and the replies that followed it, up to the
    /// next visitor message. This is what a retry of that message is answered with.
    pub fn replay(&self, client_message_id: &str) -> Option<Vec<Message>> {
        let start = self.messages.iter().position(|message| {
            message.author == Author::Visitor
                && message.client_message_id.as_deref() == Some(client_message_id)
        })?;
        let replies = self.messages[start + 1..]
            .iter()
            .take_while(|message| message.author != Author::Visitor);
        Some(
            std::iter::once(&self.messages[start])
                .chain(replies)
                .cloned()
                .collect(),
        )
    }

    /// The messages from sequence number `seq` on.
    pub fn since(&self, seq: u64) -> &[Message] {
        let start = self.messages.partition_point(|message| message.seq < seq);
        &self.messages[start..]
    }

    /// The next message by `author`, with nothing but its text and time set.
    fn next(&self, author: Author, text: String, now_ms: u64) -> Message {
        Message {
            seq: self.next_seq(),
            author,
            author_name: None,
            text,
            sent_at_ms: now_ms,
            client_message_id: None,
            answer: None,
            choices: Vec::new(),
            choice: None,
            handoff: None,
            event: None,
        }
    }

    fn push(&mut self, message: Message) -> &Message {
        self.messages.push(message);
        // A message was pushed on the line above, so `last` is always present.
        let last = self.messages.len() - 1;
        &self.messages[last]
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    #[test]
    fn sequence_numbers_grow_and_retries_replay() {
        let mut transcript = Transcript::default();
        transcript.push_ai("Hi!".into(), None, 10);
        transcript.push_visitor("c1".into(), "Open?".into(), 20);
        transcript.push_ai("9 to 5.".into(), None, 21);
        transcript.push_visitor("c2".into(), "Thanks".into(), 30);
        let seqs: Vec<u64> = transcript.messages.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4]);

        let texts = |messages: Vec<Message>| -> Vec<String> {
            messages.into_iter().map(|m| m.text).collect()
        };
        expect![[r#"["Open?", "9 to 5."]"#]].assert_eq(&format!(
            "{:?}",
            texts(transcript.replay("c1").expect("stored"))
        ));
        expect![[r#"["Thanks"]"#]].assert_eq(&format!(
            "{:?}",
            texts(transcript.replay("c2").expect("stored"))
        ));
        assert_eq!(transcript.replay("c3"), None);
        assert_eq!(transcript.since(3).len(), 2);
        assert_eq!(transcript.since(9).len(), 0);
    }

    #[test]
    fn a_conversation_is_full_at_either_cap() {
        let mut transcript = Transcript::default();
        transcript.push_visitor("c1".into(), "12345".into(), 1);
        transcript.push_ai("67890".into(), None, 2);
        let checks: Vec<String> = [(3, 100), (2, 100), (3, 10), (3, 11)]
            .iter()
            .map(
                |(messages, bytes)| match transcript.has_room(*messages, *bytes) {
                    Ok(()) => format!("{messages} messages, {bytes} bytes: room"),
                    Err(full) => format!("{messages} messages, {bytes} bytes: {full}"),
                },
            )
            .collect();
        expect![[r#"
            3 messages, 100 bytes: room
            2 messages, 100 bytes: this conversation has reached its limit of 2 messages; start a new one
            3 messages, 10 bytes: this conversation has reached its limit of 10 bytes of text; start a new one
            3 messages, 11 bytes: room"#]].assert_eq(&checks.join("\n"));
    }
}
