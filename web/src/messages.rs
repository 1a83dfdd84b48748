//! A conversation's messages as the clients hold them: ordered by sequence number, each once, whatever order and
//! however often the worker's answers, history and socket frames deliver them.

use baton_shared::protocol::Message;

/// Inserts `message` at its place by sequence number; `false` (and nothing changes) when that number is already
/// there.
pub fn insert(messages: &mut Vec<Message>, message: Message) -> bool {
    let position = messages.partition_point(|known| known.seq < message.seq);
    if messages
        .get(position)
        .is_some_and(|known| known.seq == message.seq)
    {
        return false;
    }
    messages.insert(position, message);
    true
}

/// Adds messages by sequence number, each once; returns how many were new.
pub fn merge(messages: &mut Vec<Message>, incoming: Vec<Message>) -> usize {
    let mut added = 0;
    for message in incoming {
        if insert(messages, message) {
            added += 1;
        }
    }
    added
}

/// The newest sequence number held (0 before any), where a socket resumes.
pub fn last_seq(messages: &[Message]) -> u64 {
    messages.last().map_or(0, |message| message.seq)
}
