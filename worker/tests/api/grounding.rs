//! AI answering through the worker: the `openai` provider against the loopback model server, its failures
//! falling back to the extractive answer, `workers-ai` failing locally the same way, and `none` on the demo site.

use baton_shared::config::SiteConfig;
use baton_shared::faq::FaqIndex;
use baton_shared::grounding::{self, Knowledge, PASSAGES_FOR_MODEL};
use baton_shared::handoff::{HandoffPackage, HandoffReason};
use baton_shared::protocol::{Author, Message, MessagesAppended};

use super::{demo_site, kv_get, model_server, say, start_conversation, start_conversation_on};

fn grounded_site() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../tests/sites/grounded.json"))
        .expect("the grounded test site is valid")
}

/// The reply to one visitor message on `site`.
fn reply_on(site: &'static str, question: &str) -> Message {
    let chat = start_conversation_on(site, &[]);
    let answer = say(&chat, "g1", question);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    appended.messages[1].clone()
}

/// What Baton itself extracts from the site's knowledge for the question: text and sources.
fn extract(site: &SiteConfig, question: &str) -> (String, Vec<String>) {
    let answer = grounding::extractive(&Knowledge::for_site(site), question)
        .expect("the question matches the site's knowledge");
    (answer.text, answer.sources)
}

#[test]
fn a_model_answers_from_the_retrieved_passages_and_only_them() {
    model_server::ensure_started();
    let question = "Does the café app work with Square tills?";
    let reply = reply_on("grounded", question);
    assert_eq!(reply.author, Author::Ai);
    assert_eq!(reply.text, "From the model, citing kb:0.0.");
    let source = reply.answer.expect("an AI answer has its provenance");
    assert_eq!(source.sources, ["kb:0.0"]);
    assert_eq!(source.confidence, 0.92);

    let request = model_server::request_for(question).expect("the worker asked the model");
    assert_eq!(request.authorization.as_deref(), Some("Bearer test-key"));
    assert_eq!(request.body["model"], "test-model");
    let site = grounded_site();
    let passages = grounding::retrieve(
        &site,
        &FaqIndex::for_site(&site),
        &Knowledge::for_site(&site),
        question,
        PASSAGES_FOR_MODEL,
    );
    let expected = grounding::prompt(&site, question, &passages);
    // Exactly the retrieved passages, in order, and nothing else from the site or the conversation.
    assert_eq!(request.message("user"), expected.user);
    assert_eq!(request.message("system"), expected.system);
    let cited: Vec<String> = passages.iter().map(|p| p.passage.id.clone()).collect();
    let user = request.message("user");
    let carried: Vec<String> = user
        .lines()
        .filter_map(|line| Some(line.strip_prefix('[')?.split(']').next()?.to_string()))
        .collect();
    assert_eq!(carried, cited);
    assert!(
        !request
            .message("user")
            .contains("Delivery takes 2 working days")
    );
}

#[test]
fn a_failing_model_falls_back_to_the_extractive_answer() {
    model_server::ensure_started();
    let site = grounded_site();
    for marker in ["(garbage)", "(http-500)", "(hang)", "(stranger)"] {
        let question = format!("Do café app stock levels update with SumUp tills? {marker}");
        let reply = reply_on("grounded", &question);
        let (text, sources) = extract(&site, &question);
        assert_eq!(reply.author, Author::Ai, "{marker}");
        assert_eq!(reply.text, text, "{marker}");
        assert_eq!(
            reply.answer.expect("provenance").sources,
            sources,
            "{marker}"
        );
        assert!(
            model_server::request_for(&question).is_some(),
            "{marker}: the model was asked first"
        );
    }
}

#[test]
fn a_model_asking_for_a_person_hands_off_for_low_confidence() {
    model_server::ensure_started();
    let chat = start_conversation_on("grounded", &[]);
    let appended: MessagesAppended = say(
        &chat,
        "u1",
        "Which tills does the café app connect to? (unsure)",
    )
    .json();
    assert_eq!(appended.messages[1].author, Author::System);
    let package: HandoffPackage = serde_json::from_str(
        &kv_get(&format!("handoff:grounded:{}", chat.conversation_id))
            .expect("the handoff package is stored"),
    )
    .expect("the package is a HandoffPackage");
    assert_eq!(package.reason, HandoffReason::LowConfidence);
}

#[test]
fn workers_ai_failing_locally_degrades_to_the_extractive_answer() {
    let question = "Where does your green coffee come from?";
    let reply = reply_on("grounded-workers-ai", question);
    let (text, sources) = extract(&grounded_site(), question);
    assert_eq!(reply.author, Author::Ai);
    assert_eq!(
        (reply.text, reply.answer.expect("provenance").sources),
        (text, sources)
    );
}

#[test]
fn without_a_model_the_demo_site_answers_from_its_knowledge() {
    let question = "Where do you buy your green coffee?";
    let chat = start_conversation();
    let appended: MessagesAppended = say(&chat, "k1", question).json();
    let reply = &appended.messages[1];
    let (text, sources) = extract(&demo_site(), question);
    assert_eq!(reply.author, Author::Ai);
    assert_eq!(reply.text, text);
    assert_eq!(reply.answer.as_ref().expect("provenance").sources, sources);
}
