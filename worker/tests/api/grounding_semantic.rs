//! Semantic matching (`ai.embeddings`) through the worker, against the loopback model server's `/embeddings`
//! (a toy embedding by topic keywords): the `semantic` site finds the FAQ entry and the passage that lexical
//! matching misses (the `grounded` site has the same content without embeddings), computes its content's vectors
//! once and reads them from the cache on the next turn, and embeds each message once per turn.

use baton_shared::protocol::{Author, Message, MessagesAppended};

use super::{model_server, say, start_conversation_on};

/// The reply to one visitor message on `site`.
fn reply_on(site: &'static str, question: &str) -> Message {
    let chat = start_conversation_on(site, &[]);
    let answer = say(&chat, "e1", question);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let appended: MessagesAppended = answer.json();
    appended.messages[1].clone()
}

/// The site's content as the worker embeds it: one request with every text, the delivery question among them.
fn content_requests() -> usize {
    model_server::embedding_requests_with("How long does delivery take?")
        .iter()
        .filter(|texts| texts.len() > 1)
        .count()
}

#[test]
fn semantic_matching_re_ranks_and_computes_the_sites_vectors_once() {
    model_server::ensure_started();
    // Nothing in common with any entry word for word: lexical matching has no answer.
    let parcel = "Where is my parcel? (semantic-1)";
    let lexical = reply_on("grounded", parcel);
    assert_ne!(lexical.text, "Delivery takes 2 working days in the UK.");
    let semantic = reply_on("semantic", parcel);
    assert_eq!(semantic.author, Author::Ai);
    assert_eq!(semantic.text, "Delivery takes 2 working days in the UK.");
    let source = semantic.answer.expect("an FAQ answer has its provenance");
    assert_eq!(source.faq_entry_id.as_deref(), Some("delivery-times"));
    assert_eq!(
        content_requests(),
        1,
        "the site's content is embedded on the first turn"
    );
    assert_eq!(
        model_server::embedding_requests_with(parcel),
        [vec![parcel.to_string()]],
        "the message is embedded once"
    );

    // The passage about where the coffee comes from shares no word with the question: found by similarity alone,
    // it is the one the model is given (and cites).
    let beans = "Where are the beans grown? (semantic-2)";
    let lexical = reply_on("grounded", beans);
    assert_ne!(lexical.text, "From the model, citing kb:1.0.");
    let semantic = reply_on("semantic", beans);
    assert_eq!(semantic.text, "From the model, citing kb:1.0.");
    assert_eq!(semantic.answer.expect("provenance").sources, ["kb:1.0"]);
    let request = model_server::request_for(beans).expect("the model was asked");
    assert!(
        request
            .message("user")
            .starts_with("Passages:\n[kb:1.0] Our roastery\n")
    );
    assert_eq!(
        content_requests(),
        1,
        "the second turn reads the cached vectors"
    );
    // The FAQ re-rank and the passages share the turn's one embedding of the message.
    assert_eq!(model_server::embedding_requests_with(beans).len(), 1);
}
