//! One component per file; each file's props are documented on the component.

pub mod campaign_card;
pub mod composer;
pub mod context_form;
pub mod message_list;
pub mod panel;
pub mod quick_replies;
