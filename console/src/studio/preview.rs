//! The live preview (placeholder while the widget's preview path is built).

use leptos::prelude::*;

use super::Studio;

#[component]
pub fn Preview(studio: Studio) -> impl IntoView {
    let _ = studio;
    view! { <p class="muted">"The live preview is not available yet."</p> }
}
