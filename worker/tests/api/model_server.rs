//! A stand-in for an OpenAI-compatible model: a tiny HTTP server on loopback, started once by the first test that
//! needs it, on the port `cargo xtask test` gave the worker (`BATON_AI_BASE_URL`). It records every request and
//! answers by a marker in the visitor's question:
//! `(garbage)` prose instead of JSON; `(http-500)` an error status; `(hang)` an answer after 4 s (the test stack's
//! timeout is 1.5 s); `(stranger)` a source that was not among the passages; `(unsure)` `needs_human`; otherwise a
//! valid answer citing the first passage.
//!
//! A summary request (the system prompt of `summary::SummaryPrompt`) is answered by the markers anywhere in the
//! conversation: `(hang)` after 4 s, `(invent)` a summary naming a town and an order the conversation never
//! mentions; otherwise a summary quoting the visitor's first message.
//!
//! `POST …/embeddings` answers with a toy embedding ([`embed`]: one dimension per topic, by keyword), and keeps
//! the texts of each request, so tests can count them.

use std::net::{TcpListener, TcpStream};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde_json::{Value, json};

/// One request the server received.
#[derive(Debug, Clone)]
pub struct ModelRequest {
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

impl ModelRequest {
    pub fn message(&self, role: &str) -> String {
        self.body["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|message| message["role"] == role)
            .and_then(|message| message["content"].as_str())
            .unwrap_or_default()
            .to_string()
    }
}

static REQUESTS: Mutex<Vec<ModelRequest>> = Mutex::new(Vec::new());
static STARTED: OnceLock<()> = OnceLock::new();

/// Starts the server if it is not running yet.
pub fn ensure_started() {
    STARTED.get_or_init(|| {
        let port = std::env::var("BATON_MODEL_SERVER_PORT")
            .expect("BATON_MODEL_SERVER_PORT is set by `cargo xtask test`");
        let listener = TcpListener::bind(format!("127.0.0.1:{port}"))
            .unwrap_or_else(|error| panic!("cannot listen on 127.0.0.1:{port}: {error}"));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || serve(stream));
            }
        });
    });
}

/// The summary requests whose conversation holds `text`, as they have arrived.
pub fn summary_requests_with(text: &str) -> Vec<ModelRequest> {
    let requests = REQUESTS.lock().expect("the request log is readable");
    requests
        .iter()
        .filter(|request| is_summary(request) && request.message("user").contains(text))
        .cloned()
        .collect()
}

/// The texts of every embeddings request so far whose texts include one holding `text`, one list per request.
pub fn embedding_requests_with(text: &str) -> Vec<Vec<String>> {
    let requests = REQUESTS.lock().expect("the request log is readable");
    requests
        .iter()
        .filter(|request| request.path.ends_with("/embeddings"))
        .map(embedding_inputs)
        .filter(|inputs| inputs.iter().any(|input| input.contains(text)))
        .collect()
}

fn embedding_inputs(request: &ModelRequest) -> Vec<String> {
    match &request.body["input"] {
        Value::String(text) => vec![text.clone()],
        Value::Array(texts) => texts
            .iter()
            .filter_map(|text| text.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The stand-in's embedding: one dimension per topic (delivery, returns, the café app, the roastery), counting
/// its keywords, and a small constant one.
pub fn embed(text: &str) -> Vec<f32> {
    let text = text.to_lowercase();
    let topics: [&[&str]; 4] = [
        &["delivery", "parcel", "arrive", "shipping"],
        &["return", "send something back", "refund"],
        &["app", "till"],
        &["roast", "coffee", "beans", "farm", "grown"],
    ];
    let mut vector: Vec<f32> = topics
        .iter()
        .map(|words| words.iter().filter(|word| text.contains(*word)).count() as f32)
        .collect();
    vector.push(0.2);
    vector
}

fn is_summary(request: &ModelRequest) -> bool {
    request
        .message("system")
        .contains("You write the note an agent reads")
}

/// The summary the stand-in writes for a conversation without markers: the visitor's first message, quoted.
pub fn summary_of(first_visitor_message: &str) -> String {
    format!("The visitor wrote: {first_visitor_message}")
}

/// The request whose user message ends with `question`, once it has arrived.
pub fn request_for(question: &str) -> Option<ModelRequest> {
    let requests = REQUESTS.lock().expect("the request log is readable");
    requests
        .iter()
        .find(|request| {
            request
                .message("user")
                .ends_with(&format!("Question: {question}"))
        })
        .cloned()
}

fn serve(stream: TcpStream) {
    let Some(request) = read_request(&stream) else {
        return;
    };
    REQUESTS
        .lock()
        .expect("the request log is writable")
        .push(request.clone());
    if request.path.ends_with("/embeddings") {
        let vectors: Vec<Value> = embedding_inputs(&request)
            .iter()
            .enumerate()
            .map(|(index, text)| json!({"object": "embedding", "index": index, "embedding": embed(text)}))
            .collect();
        let body = json!({"object": "list", "data": vectors, "model": request.body["model"]});
        super::loopback::respond(&stream, 200, &body.to_string());
        return;
    }
    let user = request.message("user");
    if is_summary(&request) {
        summarize(&stream, &user);
        return;
    }
    let question = user.rsplit("Question: ").next().unwrap_or_default();
    let first_passage = user
        .lines()
        .find_map(|line| line.strip_prefix('[')?.split(']').next())
        .unwrap_or_default()
        .to_string();
    let content = |value: Value| json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": value.to_string()}}]});
    let (status, body) = if question.contains("(garbage)") {
        (
            200,
            json!({"choices": [{"message": {"role": "assistant", "content": "Sure! I think it does."}}]}),
        )
    } else if question.contains("(http-500)") {
        (
            500,
            json!({"error": {"message": "the model is overloaded"}}),
        )
    } else if question.contains("(stranger)") {
        (
            200,
            content(
                json!({"answer": "Yes.", "confidence": 0.9, "sources": ["kb:9.9"], "needs_human": false}),
            ),
        )
    } else if question.contains("(unsure)") {
        (
            200,
            content(
                json!({"answer": "", "confidence": 0.1, "sources": [], "needs_human": true, "reason": "the passages do not say"}),
            ),
        )
    } else {
        if question.contains("(hang)") {
            std::thread::sleep(Duration::from_secs(4));
        }
        (
            200,
            content(json!({
                "answer": format!("From the model, citing {first_passage}."),
                "confidence": 0.92,
                "sources": [first_passage],
                "needs_human": false,
                "reason": "stated in the passage",
            })),
        )
    };
    super::loopback::respond(&stream, status, &body.to_string());
}

fn summarize(stream: &TcpStream, conversation: &str) {
    if conversation.contains("(hang)") {
        std::thread::sleep(Duration::from_secs(4));
    }
    let summary = if conversation.contains("(invent)") {
        "The visitor from Dublin is asking about order 9921.".to_string()
    } else {
        let first = conversation
            .lines()
            .find_map(|line| line.strip_prefix("Visitor: "))
            .unwrap_or_default();
        summary_of(first)
    };
    let content = json!({"summary": summary}).to_string();
    let body =
        json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]});
    super::loopback::respond(stream, 200, &body.to_string());
}

fn read_request(stream: &TcpStream) -> Option<ModelRequest> {
    let request = super::loopback::read_request(stream)?;
    Some(ModelRequest {
        path: request.path.clone(),
        authorization: request.header("authorization").map(str::to_string),
        body: serde_json::from_str(&request.body).ok()?,
    })
}
