//! The studio's live preview, as the console and the widget agree on it: the worker serves a page at [`PATH`] (on its
//! own origin, so no customer's page can be it) that the console frames; the widget on it posts [`READY`] to the
//! console, which answers with the draft's `WidgetConfig` in the wire encoding (as text), and again at every change.
//! The chat's module, once fetched, posts [`READY_FAQ`]; the console answers with the draft's `WidgetFaq` the same
//! way, inside an object `{kind: FAQ, faq: text}`, and again at every change.

/// The preview page's path on the worker's origin (`public/studio-preview/index.html`).
pub const PATH: &str = "/studio-preview/";

/// What the widget on the preview page posts to its parent once it listens for a configuration.
pub const READY: &str = "baton-preview-ready";

/// What the widget's chat module posts to its parent once it listens for the draft's FAQ.
pub const READY_FAQ: &str = "baton-preview-faq-ready";

/// The `kind` of the console's message carrying the draft's FAQ (in its `faq` field).
pub const FAQ: &str = "faq";
