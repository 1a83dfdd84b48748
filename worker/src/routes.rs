//! One file per API resource; each route is one named async fn.

pub mod conversations;
pub mod health;
pub mod messages;
pub mod schema;
pub mod widget_config;
