use expect_test::{Expect, expect};

use super::{
    Knowledge, Similarity, SiteEmbeddings, chunk_sentences, content_texts, cosine, extractive,
    prompt, read_model_output, retrieve, retrieve_blended,
};
use crate::config::SiteConfig;
use crate::faq::FaqIndex;

fn demo() -> SiteConfig {
    SiteConfig::from_json(include_str!("../../../sites/demo.json")).expect("the demo site is valid")
}

/// The passages retrieved for a question: id and score, best first.
#[track_caller]
fn check_retrieved(question: &str, expect: Expect) {
    let config = demo();
    let retrieved = retrieve(
        &config,
        &FaqIndex::for_site(&config),
        &Knowledge::for_site(&config),
        question,
        4,
    );
    let lines: Vec<String> = retrieved
        .iter()
        .map(|r| format!("{} {:.2}", r.passage.id, r.score))
        .collect();
    expect.assert_eq(&lines.join("\n"));
}

#[test]
fn retrieval_mixes_faq_answers_and_knowledge() {
    check_retrieved(
        "Does the cafe app work with Square tills?",
        expect![[r#"
            faq:cafes-features 0.62
            kb:1.0 0.41
            faq:cafes-pricing 0.30
            faq:subscription-pricing 0.21"#]],
    );
    check_retrieved(
        "Who founded Fernleaf and when?",
        expect![[r#"
        kb:0.0 0.23
        faq:opening-hours 0.18
        faq:cafes-features 0.18
        faq:cafes-pricing 0.17"#]],
    );
    check_retrieved(
        "How long does delivery take?",
        expect![[r#"
        faq:delivery-times 0.92
        faq:delivery-cost 0.31
        faq:international-shipping 0.21
        faq:payment-methods 0.18"#]],
    );
    check_retrieved("What is the capital of Peru?", expect![""]);
}

/// The extractive answer: confidence, sources and text, or "none".
#[track_caller]
fn check_extract(question: &str, expect: Expect) {
    let knowledge = Knowledge::for_site(&demo());
    let shown = match extractive(&knowledge, question) {
        Some(answer) => format!(
            "{:.2} {:?}\n{}",
            answer.confidence, answer.sources, answer.text
        ),
        None => "none".to_string(),
    };
    expect.assert_eq(&shown);
}

#[test]
fn extractive_answers_quote_the_best_sentences() {
    check_extract(
        "Does the cafe app work with Square tills?",
        expect![[r#"
        0.83 ["kb:1.0"]
        Fernleaf for Cafés is a browser app for coffee shops: one-tap bean reordering, stock levels, QR table ordering and click-and-collect. It connects to Square and SumUp tills."#]],
    );
    check_extract(
        "Where do you buy your green coffee?",
        expect![[r#"
        0.68 ["kb:0.0"]
        Fernleaf Coffee Co. is a small-batch roastery in Bristol founded in 2016. We buy green coffee directly from farms in Colombia, Ethiopia and Guatemala and roast five days a week."#]],
    );
    check_extract(
        "When was Fernleaf founded?",
        expect![[r#"
        0.38 ["kb:0.0"]
        Fernleaf Coffee Co. is a small-batch roastery in Bristol founded in 2016."#]],
    );
    check_extract("What is the capital of Peru?", expect!["none"]);
}

#[test]
fn long_snippets_are_cut_at_sentences() {
    let sentence = "This sentence is exactly fifty characters long ok.";
    let text = [sentence; 25].join(" ");
    let chunks = chunk_sentences(&text);
    let sizes: Vec<usize> = chunks.iter().map(|chunk| chunk.len()).collect();
    expect!["[11, 11, 3]"].assert_eq(&format!("{sizes:?}"));
    assert!(chunks.iter().flatten().all(|s| *s == sentence));
    expect![[r#"["Is it 3.5 kg?", "Yes!", "Really?", "No"]"#]].assert_eq(&format!(
        "{:?}",
        super::split_sentences("Is it 3.5 kg? Yes! Really? No")
    ));
}

#[test]
fn the_prompt_carries_only_the_passages_and_the_question() {
    let config = demo();
    let question = "Does the cafe app work with Square tills?";
    let retrieved = retrieve(
        &config,
        &FaqIndex::for_site(&config),
        &Knowledge::for_site(&config),
        question,
        2,
    );
    let prompt = prompt(&config, question, &retrieved);
    expect![[r#"
        Site: Fernleaf Coffee Co.
        You answer website visitors' questions for this site. Use only the passages in the user message: never facts from anywhere else, never guesses. If the passages do not answer the question, or it needs someone who can see the visitor's account, make an exception, quote a custom price or interpret a policy, set needs_human to true. Write the answer in English, in at most three short sentences, as plain text.
        Reply with one JSON object and nothing else: {"answer": string, "confidence": number from 0 to 1 (how sure you are that the answer is right and fully supported by the passages), "sources": [ids of the passages used], "needs_human": boolean, "reason": string (why, in a few words)}.
        ---
        Passages:
        [faq:cafes-features] What does Fernleaf for Cafés do?
        Fernleaf for Cafés lets coffee shops reorder beans in one tap, track stock levels, and take table and click-and-collect orders from a QR code. It works in any browser and connects to Square and SumUp tills.

        [kb:1.0] Fernleaf for Cafés
        Fernleaf for Cafés is a browser app for coffee shops: one-tap bean reordering, stock levels, QR table ordering and click-and-collect. It connects to Square and SumUp tills. Larger groups can ask Sales about custom plans and data migration from other systems.

        Question: Does the cafe app work with Square tills?"#]].assert_eq(&format!("{}\n---\n{}", prompt.system, prompt.user));
}

#[track_caller]
fn check_output(raw: &str, expect: Expect) {
    let shown = match read_model_output(raw, &["faq:delivery-times", "kb:1.0"]) {
        Ok(answer) => format!(
            "ok {} {:?} human={} reason={:?}: {}",
            answer.confidence, answer.sources, answer.needs_human, answer.reason, answer.text
        ),
        Err(problem) => format!("refused: {problem}"),
    };
    expect.assert_eq(&shown);
}

#[test]
fn model_output_is_checked_before_use() {
    check_output(
        r#"{"answer": "Yes, it connects to Square.", "confidence": 0.9, "sources": ["kb:1.0"], "needs_human": false, "reason": "stated"}"#,
        expect![[
            r#"ok 0.9 ["kb:1.0"] human=false reason=Some("stated"): Yes, it connects to Square."#
        ]],
    );
    check_output(
        "```json\n{\"answer\": \"Two days.\", \"confidence\": 0.8, \"sources\": [\"faq:delivery-times\"]}\n```",
        expect![[r#"ok 0.8 ["faq:delivery-times"] human=false reason=None: Two days."#]],
    );
    check_output(
        r#"{"answer": "", "confidence": 0.2, "sources": [], "needs_human": true, "reason": "account question"}"#,
        expect![[r#"ok 0.2 [] human=true reason=Some("account question"): "#]],
    );
    check_output(
        "Sure! Square works.",
        expect!["refused: not the JSON object asked for: expected value at line 1 column 1"],
    );
    check_output(
        r#"{"answer": "Yes.", "confidence": 0.9, "sources": ["kb:7.0"]}"#,
        expect![[r#"refused: the answer cites "kb:7.0", which was not among the passages"#]],
    );
    check_output(
        r#"{"answer": "Yes.", "confidence": 0.9, "sources": []}"#,
        expect!["refused: the answer cites no passage"],
    );
    check_output(
        r#"{"answer": "  ", "confidence": 0.9, "sources": ["kb:1.0"]}"#,
        expect!["refused: the answer is empty"],
    );
    check_output(
        r#"{"answer": "Yes.", "confidence": 7, "sources": ["kb:1.0"]}"#,
        expect!["refused: confidence 7 is not between 0 and 1"],
    );
    check_output(
        r#"{"answer": "Yes.", "sources": ["kb:1.0"]}"#,
        expect![
            "refused: not the JSON object asked for: missing field `confidence` at line 1 column 41"
        ],
    );
}

/// A small site with semantic matching: delivery, returns and the café app, and two knowledge snippets.
fn semantic_site() -> SiteConfig {
    SiteConfig::from_json(
        r#"{"id": "s", "name": "S", "allowed_origins": ["https://s.example"],
            "ai": {"provider": "none", "embeddings": {"provider": "openai", "weight": 0.6, "min_similarity": 0.2}},
            "faq": [
              {"id": "delivery", "question": "How long does delivery take?", "answer": "Two working days."},
              {"id": "returns", "question": "Can I return an order?", "alternates": ["How do I send something back?"],
               "answer": "Within 30 days."},
              {"id": "app", "question": "Does the café app work offline?", "answer": "Yes, it syncs later."}
            ],
            "knowledge": [
              {"title": "Our roastery", "text": "We roast in Bristol. Our green coffee comes from farms in Colombia."},
              {"title": "The café app", "text": "The café app connects to Square tills."}
            ]}"#,
    )
    .expect("the semantic test site is valid")
}

/// A toy embedder: one dimension per topic, by keyword, plus a small constant one (so no vector is all zeros).
fn embed(text: &str) -> Vec<f32> {
    let text = text.to_lowercase();
    let topics: [&[&str]; 4] = [
        &["delivery", "parcel", "arrive", "shipping"],
        &["return", "send something back", "refund"],
        &["app", "till", "offline"],
        &["roast", "coffee", "beans", "farm", "grown"],
    ];
    let mut vector: Vec<f32> = topics
        .iter()
        .map(|words| words.iter().filter(|word| text.contains(*word)).count() as f32)
        .collect();
    vector.push(0.2);
    vector
}

fn similarity_to(config: &SiteConfig, knowledge: &Knowledge, query: &str) -> Similarity {
    let vectors = content_texts(config, knowledge)
        .iter()
        .map(|text| embed(text))
        .collect();
    let site =
        SiteEmbeddings::from_vectors(config, knowledge, vectors).expect("one vector per text");
    let settings = config
        .ai
        .embeddings
        .as_ref()
        .expect("the site has embeddings");
    Similarity::new(settings, &site, &embed(query))
}

#[test]
fn the_site_content_is_embedded_in_a_fixed_order_and_read_back_by_it() {
    let config = semantic_site();
    let knowledge = Knowledge::for_site(&config);
    let texts: Vec<String> = content_texts(&config, &knowledge)
        .iter()
        .map(|text| format!("{text:?}"))
        .collect();
    expect![[r#"
        "How long does delivery take?"
        "Can I return an order?"
        "How do I send something back?"
        "Does the café app work offline?"
        "How long does delivery take?\nTwo working days."
        "Can I return an order?\nWithin 30 days."
        "Does the café app work offline?\nYes, it syncs later."
        "Our roastery\nWe roast in Bristol. Our green coffee comes from farms in Colombia."
        "The café app\nThe café app connects to Square tills.""#]]
    .assert_eq(&texts.join("\n"));
    // Vectors that do not fit the content (a stale cache, a provider dropping one) are not read.
    assert_eq!(
        SiteEmbeddings::from_vectors(&config, &knowledge, vec![vec![1.0]; 8]),
        None
    );
    let similarity = similarity_to(&config, &knowledge, "Where is my parcel?");
    expect!["[1.00, 0.00, 0.00]"].assert_eq(&format!("{:.2?}", similarity.faq));
}

#[test]
fn cosine_similarity_and_the_blend() {
    assert_eq!(cosine(&[1.0, 0.0], &[1.0, 0.0]), 1.0);
    assert_eq!(cosine(&[1.0, 0.0], &[0.0, 2.0]), 0.0);
    assert_eq!(
        cosine(&[1.0, 0.0], &[0.0, 0.0]),
        0.0,
        "a zero vector is unrelated"
    );
    assert_eq!(
        cosine(&[1.0], &[1.0, 0.0]),
        0.0,
        "vectors of two models are unrelated"
    );
    let similarity = Similarity {
        weight: 0.25,
        ..Similarity::default()
    };
    assert_eq!(similarity.blend(0.8, 0.0), 0.6);
    assert_eq!(similarity.blend(0.0, 0.8), 0.2);
}

/// The FAQ hits for `question`, lexical and re-ranked: entry id and score, best first.
#[track_caller]
fn check_faq_rerank(question: &str, expect: Expect) {
    let config = semantic_site();
    let knowledge = Knowledge::for_site(&config);
    let index = FaqIndex::for_site(&config);
    let show = |hits: &[crate::faq::Hit]| {
        hits.iter()
            .map(|hit| format!("{} {:.2}", config.faq[hit.entry].id, hit.score))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let lexical = index.search(question, config.faq.len());
    let reranked = similarity_to(&config, &knowledge, question).rerank_faq(lexical.clone(), 3);
    expect.assert_eq(&format!(
        "lexical: {}\nblended: {}",
        show(&lexical),
        show(&reranked)
    ));
}

#[test]
fn the_faq_candidates_are_re_ranked_by_the_blend() {
    // No word in common with any entry: only the similarity finds delivery.
    check_faq_rerank(
        "Where is my parcel?",
        expect![[r#"
            lexical: 
            blended: delivery 0.60"#]],
    );
    // Both find returns; the similarity widens its lead over the café app ("work", "offline").
    check_faq_rerank(
        "Will a refund work if I send something back offline?",
        expect![[r#"
            lexical: returns 0.45, app 0.38
            blended: returns 0.70, app 0.34"#]],
    );
    // Both agree: the blend keeps the order.
    check_faq_rerank(
        "How long does delivery take?",
        expect![[r#"
            lexical: delivery 1.00, returns 0.12
            blended: delivery 1.00, returns 0.05"#]],
    );
}

#[test]
fn passages_are_re_ranked_and_found_by_similarity_alone() {
    let config = semantic_site();
    let knowledge = Knowledge::for_site(&config);
    let index = FaqIndex::for_site(&config);
    let question = "Where are the beans grown?";
    let lexical = retrieve(&config, &index, &knowledge, question, 4);
    let similarity = similarity_to(&config, &knowledge, question);
    let blended = retrieve_blended(&config, &index, &knowledge, question, 4, &similarity);
    let show = |retrieved: &[super::Retrieved]| {
        retrieved
            .iter()
            .map(|r| format!("{} {:.2}", r.passage.id, r.score))
            .collect::<Vec<_>>()
            .join(", ")
    };
    expect![[r#"
        lexical: 
        blended: kb:0.0 0.60"#]]
    .assert_eq(&format!(
        "lexical: {}\nblended: {}",
        show(&lexical),
        show(&blended)
    ));
}
