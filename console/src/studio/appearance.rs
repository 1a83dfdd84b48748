//! How the widget looks: its colour (checked against WCAG AA for the white text on it), side, launcher text,
//! greeting and stacking order.

use leptos::prelude::*;

use super::Editor;
use super::contrast;
use super::document;
use super::fields::{Input, NumberField, SelectField, TextField, options};

#[component]
pub fn Appearance(editor: Editor) -> impl IntoView {
    let ratio = move || {
        editor
            .doc
            .with(|doc| contrast::ratio(&document::text(doc, "appearance.colour"), "#ffffff"))
    };
    view! {
        <TextField editor=editor path="appearance.colour" label="Theme colour" input=Input::Colour
            help="#rrggbb; the launcher and the visitor's messages are white text on it." />
        <p class="contrast" data-testid="studio-contrast" aria-live="polite">
            {move || match ratio() {
                Some(ratio) if ratio >= contrast::AA => format!("Contrast with white text: {ratio:.1}:1, passes WCAG AA (4.5:1)."),
                Some(ratio) => format!("Contrast with white text: {ratio:.1}:1, fails WCAG AA (needs 4.5:1): choose a darker colour."),
                None => "Write the colour as #rrggbb to check its contrast.".to_string(),
            }}
        </p>
        <SelectField editor=editor path="appearance.position" label="Side of the page"
            options=options(&[("right", "Bottom right"), ("left", "Bottom left")]) />
        <TextField editor=editor path="appearance.launcher_text" label="Launcher text" help="At most 40 characters." />
        <TextField editor=editor path="appearance.greeting" label="Greeting" input=Input::Lines
            help="The first message of every conversation." />
        <NumberField editor=editor path="appearance.z_index" label="Stacking order (z-index)"
            help="Raise it if parts of your page cover the chat." />
    }
}
