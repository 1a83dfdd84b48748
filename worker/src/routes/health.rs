//! `GET /v1/health`: the worker is up.

use baton_shared::protocol::Health;
use worker::Response;

use crate::error::ApiError;
use crate::http::json_response;

pub fn get() -> Result<Response, ApiError> {
    Ok(json_response(
        &Health {
            status: "ok".into(),
        },
        200,
    )?)
}
