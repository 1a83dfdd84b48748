//! One component per file; each file's props are documented on the component.

pub mod composer;
pub mod launcher;
pub mod message_list;
pub mod panel;
