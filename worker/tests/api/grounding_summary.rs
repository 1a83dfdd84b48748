//! The model's summary for the agent: written into the handoff package in the background after a handoff on a
//! site with a model (`grounded`, the `openai` provider against the loopback model server), beside the extractive
//! summary; refused when it states a fact the conversation does not hold; and never a delay for the visitor, even
//! when the model hangs.

use std::time::{Duration, Instant};

use baton_shared::handoff::HandoffPackage;
use baton_shared::protocol::{AiSummary, Author, MessagesAppended};

use super::{Chat, kv_get, model_server, say, start_conversation_on};

/// The conversation's package once `ready` holds for it (the model's summary arrives after the reply).
fn package_once(chat: &Chat, ready: impl Fn(&HandoffPackage) -> bool) -> HandoffPackage {
    let key = format!("handoff:{}:{}", chat.site, chat.conversation_id);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let package: Option<HandoffPackage> = kv_get(&key)
            .map(|json| serde_json::from_str(&json).expect("the package is a HandoffPackage"));
        match package {
            Some(package) if ready(&package) => return package,
            last if Instant::now() > deadline => panic!("the package never got there: {last:?}"),
            _ => std::thread::sleep(Duration::from_millis(300)),
        }
    }
}

/// A conversation on `grounded` handed to a person by `text`; the reply is the handoff notice.
fn hand_over(text: &str) -> (Chat, Duration) {
    let chat = start_conversation_on("grounded", &[]);
    let started = Instant::now();
    let answer = say(&chat, "s1", text);
    let took = started.elapsed();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    assert_eq!(
        appended.messages[1].author,
        Author::System,
        "{text}: handed off"
    );
    (chat, took)
}

#[test]
fn the_models_summary_joins_the_package_beside_the_extractive_one() {
    model_server::ensure_started();
    let text =
        "My grinder from order 4411 arrived cracked (summary-kept). Can I talk to a person please?";
    let (chat, _) = hand_over(text);
    let package = package_once(&chat, |package| package.ai_summary.is_some());
    assert_eq!(
        package.ai_summary,
        Some(AiSummary::Written {
            model: "test-model".into(),
            text: model_server::summary_of(text),
        })
    );
    // The extractive summary stays, always shown beside it.
    assert_eq!(
        package.summary,
        "My grinder from order 4411 arrived cracked (summary-kept). Can I talk to a person please?"
    );
    let requests = model_server::summary_requests_with("(summary-kept)");
    assert_eq!(requests.len(), 1, "asked once");
    let request = &requests[0];
    assert_eq!(request.authorization.as_deref(), Some("Bearer test-key"));
    assert!(
        request
            .message("system")
            .starts_with("Site: Grounded Test Roasters\n")
    );
    // The model is shown the conversation, one line per message, the handoff notice included.
    let user = request.message("user");
    assert!(user.starts_with("Conversation:\nBaton: "), "{user}");
    assert!(
        user.contains(&format!("\nVisitor: {text}\nNotice: ")),
        "{user}"
    );
}

#[test]
fn a_models_summary_with_an_invented_fact_is_refused() {
    model_server::ensure_started();
    let (chat, _) = hand_over("The lid of my tin is dented (invent). I want to talk to a person.");
    let package = package_once(&chat, |package| package.ai_summary.is_some());
    let Some(AiSummary::NotUsed { model, why }) = &package.ai_summary else {
        panic!("the invented summary was kept: {:?}", package.ai_summary);
    };
    assert_eq!(model, "test-model");
    assert_eq!(
        why,
        "unusable output: the summary says \"Dublin\", which the conversation does not"
    );
    assert_eq!(
        package.summary,
        "The lid of my tin is dented (invent). I want to talk to a person."
    );
}

#[test]
fn a_hung_model_does_not_delay_the_visitors_reply() {
    model_server::ensure_started();
    let (chat, took) =
        hand_over("My parcel never came (hang) (summary-hang). Can I talk to a person?");
    // The test stack's model timeout is 1.5 s and the stand-in hangs for 4 s: a reply waiting for the summary
    // would take at least 1.5 s.
    assert!(
        took < Duration::from_millis(1_200),
        "the reply took {took:?}"
    );
    let package = package_once(&chat, |package| package.ai_summary.is_some());
    assert_eq!(
        package.ai_summary,
        Some(AiSummary::NotUsed {
            model: "test-model".into(),
            why: "call failed: no answer within 1500 ms".into(),
        })
    );
    assert_eq!(
        model_server::summary_requests_with("(summary-hang)").len(),
        1
    );
}
