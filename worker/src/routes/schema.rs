//! `GET /v1/schema/site.json`: the JSON Schema of site files, for editors and tools. Served from the generated
//! file in the repository (a test keeps it equal to the types), so the worker does not carry the generator.

use worker::Response;

use crate::error::ApiError;

const SITE_SCHEMA: &str = include_str!("../../../schema/site.schema.json");

pub fn get() -> Result<Response, ApiError> {
    let mut response = Response::ok(SITE_SCHEMA)?;
    let headers = response.headers_mut();
    headers.set("Content-Type", "application/schema+json")?;
    headers.set("Access-Control-Allow-Origin", "*")?;
    headers.set("Cache-Control", "public, max-age=300")?;
    Ok(response)
}
