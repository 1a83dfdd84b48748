//! A stand-in for an OpenAI-compatible model: a tiny HTTP server on loopback, started once by the first test that
//! needs it, on the port `cargo xtask test` gave the worker (`BATON_AI_BASE_URL`). It records every request and
//! answers by a marker in the visitor's question:
//! `(garbage)` prose instead of JSON; `(http-500)` an error status; `(hang)` an answer after 4 s (the test stack's
//! timeout is 1.5 s); `(stranger)` a source that was not among the passages; `(unsure)` `needs_human`; otherwise a
//! valid answer citing the first passage.

use std::net::{TcpListener, TcpStream};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde_json::{Value, json};

/// One request the server received.
#[derive(Debug, Clone)]
pub struct ModelRequest {
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
    let user = request.message("user");
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

fn read_request(stream: &TcpStream) -> Option<ModelRequest> {
    let request = super::loopback::read_request(stream)?;
    Some(ModelRequest {
        authorization: request.header("authorization").map(str::to_string),
        body: serde_json::from_str(&request.body).ok()?,
    })
}
