//! The widget's side of the visitor routes: what it asks for in the wire encoding (`Accept:
//! application/vnd.baton.wire`: a conversation, a message's answer, the history, a socket ticket) and its socket's
//! events as binary frames (`?encoding=wire`), each the same as what a JSON client gets.

use std::time::Duration;

use baton_shared::protocol::live::{LiveCommand, LiveEvent};
use baton_shared::protocol::ticket::{RequestTicket, SocketTicket};
use baton_shared::protocol::{
    ConversationCreated, CreateConversation, MessagesAppended, PostMessage, paths, wire,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::live::{Live, Socket, messages, ticket, visitor_socket};
use super::{BytesAnswer, Chat, request, request_bytes, start_conversation};

const ORIGIN: (&str, &str) = ("Origin", "http://localhost:3000");
const WIRE: (&str, &str) = ("Accept", wire::MEDIA_TYPE);
const JSON_BODY: (&str, &str) = ("Content-Type", "application/json");

fn json<T: Serialize>(body: &T) -> String {
    serde_json::to_string(body).expect("protocol types serialise")
}

/// A wire answer with `status`, decoded.
fn wire_answer<T: DeserializeOwned>(answer: &BytesAnswer, status: u16) -> T {
    let body = String::from_utf8_lossy(&answer.body);
    assert_eq!(answer.status, status, "{body}");
    assert_eq!(answer.header("Content-Type"), wire::MEDIA_TYPE, "{body}");
    let vary = answer.header("Vary");
    assert!(vary.split(", ").any(|name| name == "Accept"), "{vary}");
    wire::from_bytes(&answer.body).expect("the wire answer decodes")
}

#[test]
fn the_widgets_visitor_routes_and_socket_speak_the_wire_encoding() {
    let create = CreateConversation {
        page_url: Some("http://localhost:3000/pricing".into()),
        timezone: Some("Europe/Paris".into()),
        ..Default::default()
    };
    let created: ConversationCreated = wire_answer(
        &request_bytes(
            "POST",
            &paths::conversations("demo"),
            &[ORIGIN, WIRE, JSON_BODY],
            Some(&json(&create)),
        ),
        201,
    );
    assert!(!created.messages.is_empty(), "the greeting comes with it");
    let chat = Chat {
        site: "demo",
        created,
    };
    let bearer = format!("Bearer {}", chat.visitor_token);
    let as_widget = [ORIGIN, WIRE, JSON_BODY, ("Authorization", bearer.as_str())];

    // Its socket in the wire encoding, with a ticket asked for in it, and a JSON socket beside it.
    let asked = RequestTicket {
        conversation_id: Some(chat.conversation_id.clone()),
        inbox: false,
    };
    let wire_ticket: SocketTicket = wire_answer(
        &request_bytes(
            "POST",
            &paths::socket_tickets("demo"),
            &as_widget,
            Some(&json(&asked)),
        ),
        201,
    );
    let mut wire_socket: Live = Socket::open(&format!(
        "{}?ticket={}&since=0&encoding=wire",
        paths::live("demo", &chat.conversation_id),
        wire_ticket.ticket
    ));
    let mut json_socket = visitor_socket(&chat, 0);
    let greeting = LiveEvent::Messages {
        messages: chat.messages.clone(),
    };
    let within = Duration::from_secs(5);
    assert_eq!(wire_socket.next_within(within), Some(greeting.clone()));
    assert_eq!(json_socket.next_within(within), Some(greeting));

    // A message: its answer in the wire encoding, and the same event on both sockets.
    let post = PostMessage {
        client_message_id: "m1".into(),
        text: "Do you ship to Canada?".into(),
        ..Default::default()
    };
    let appended: MessagesAppended = wire_answer(
        &request_bytes(
            "POST",
            &paths::messages("demo", &chat.conversation_id),
            &as_widget,
            Some(&json(&post)),
        ),
        200,
    );
    assert!(appended.messages.len() >= 2, "{appended:?}");
    assert_eq!(appended.messages[0].text, "Do you ship to Canada?");
    let on_wire = wire_socket.until(messages);
    assert_eq!(on_wire, json_socket.until(messages));
    assert!(appended.messages.starts_with(&on_wire), "{on_wire:?}");

    // The history, as the widget reloads it: what a JSON client gets.
    let history = format!("{}?since=0", paths::messages("demo", &chat.conversation_id));
    let from_wire: MessagesAppended = wire_answer(
        &request_bytes("GET", &history, &[ORIGIN, WIRE, as_widget[3]], None),
        200,
    );
    let from_json: MessagesAppended =
        request("GET", &history, &[ORIGIN, as_widget[3]], None).json();
    assert_eq!(from_wire, from_json);
    assert!(from_wire.messages.ends_with(&appended.messages));

    // A command the visitor may not send is refused in the socket's own encoding.
    wire_socket.send(&LiveCommand::Send {
        client_message_id: "m2".into(),
        text: "Hello from the socket".into(),
    });
    let refused = wire_socket.until(|event| match event {
        LiveEvent::Refused { message } => Some(message.clone()),
        _ => None,
    });
    assert!(refused.contains("POST …/messages"), "{refused}");
    assert_eq!(wire_socket.text_frames, 0, "every event binary");
    assert!(wire_socket.binary_frames >= 3);
    assert_eq!(json_socket.binary_frames, 0, "every event JSON text");
}

#[test]
fn a_socket_in_an_unknown_encoding_or_an_agents_in_wire_is_refused_with_the_parameter_named() {
    let chat = start_conversation();
    let visitor_ticket = ticket(
        chat.site,
        &chat.visitor_token,
        &RequestTicket {
            conversation_id: Some(chat.conversation_id.clone()),
            inbox: false,
        },
    );
    let live = paths::live(chat.site, &chat.conversation_id);
    let upgrade = [("Upgrade", "websocket")];
    let answer = request(
        "GET",
        &format!("{live}?ticket={}&encoding=xml", visitor_ticket.ticket),
        &upgrade,
        None,
    );
    let (status, body) = (answer.status, answer.body);
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains(r#"encoding: must be \"json\" or \"wire\", got \"xml\""#),
        "{body}"
    );
    let agent_live = paths::agent_conversation(chat.site, &chat.conversation_id, Some("live"));
    let answer = request(
        "GET",
        &format!("{agent_live}?ticket=unused&encoding=wire"),
        &upgrade,
        None,
    );
    let (status, body) = (answer.status, answer.body);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("JSON only"), "{body}");
    // The refusals spent no ticket: it still opens the socket, in JSON when asked so.
    let mut socket: Live = Socket::open(&format!(
        "{live}?ticket={}&encoding=json",
        visitor_ticket.ticket
    ));
    assert!(socket.next_within(Duration::from_secs(5)).is_some());
    assert_eq!((socket.text_frames, socket.binary_frames), (1, 0));
}
