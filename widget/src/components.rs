//! One component per file; each file's props are documented on the component.

use crate::i18n::{SiteStrings, Strings};

pub mod campaign_card;
pub mod composer;
pub mod context_form;
pub mod message_list;
pub mod panel;
pub mod quick_replies;

/// One of the `strings`, kept up to date where a view shows it. Every text taken this way is the same closure type
/// (the string is picked by a function pointer), so Leptos's rendering of it is compiled once for all of them.
pub fn text(
    strings: SiteStrings,
    pick: fn(&Strings) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(strings.get())
}
