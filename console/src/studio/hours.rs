//! Business hours: several opening ranges a day, the holidays when the business is closed all day, and dates with
//! their own hours (a late opening, a short day before a holiday).

use leptos::prelude::*;
use serde_json::json;

use super::Editor;
use super::fields::{Input, TextField};
use super::lists::item_list;

const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

#[component]
pub fn Hours(editor: Editor) -> impl IntoView {
    view! {
        <p class="help">"When people are there to answer, in the site's timezone. A day without ranges is closed; \
            a site without any range is always open. Times are HH:MM (24:00 for midnight at the end of a day)."</p>
        {DAYS.into_iter().map(|(key, day)| view! {
            <fieldset class="day" data-day=key>
                <legend>{day}</legend>
                {ranges(editor, &format!("business_hours.{key}"))}
            </fieldset>
        }).collect_view()}
        <fieldset>
            <legend>"Holidays"</legend>
            <p class="help">"Days closed all day."</p>
            {item_list(editor, "business_hours.holidays", "holiday", |_| json!({"date": "", "name": ""}),
                move |path, _| view! {
                    <div class="row">
                        <TextField editor=editor path=format!("{path}.date") label="Date" input=Input::Date />
                        <TextField editor=editor path=format!("{path}.name") label="Name" />
                    </div>
                }.into_any())}
        </fieldset>
        <fieldset data-testid="studio-hours-overrides">
            <legend>"Special hours on a date"</legend>
            <p class="help">"A date with other hours than its weekday's: they replace the week's hours and the \
                holidays on that date. A date without ranges is closed."</p>
            {item_list(editor, "business_hours.overrides", "date", |_| json!({"date": "", "name": "", "intervals": [{"opens": "09:00", "closes": "13:00"}]}),
                move |path, _| view! {
                    <div class="row">
                        <TextField editor=editor path=format!("{path}.date") label="Date" input=Input::Date />
                        <TextField editor=editor path=format!("{path}.name") label="Name" />
                    </div>
                    {ranges(editor, &format!("{path}.intervals"))}
                }.into_any())}
        </fieldset>
    }
}

/// The opening ranges at `path` (a weekday's, or a date's own), each with its opening and closing time.
fn ranges(editor: Editor, path: &str) -> impl IntoView + use<> {
    item_list(
        editor,
        path,
        "range",
        |_| json!({"opens": "09:00", "closes": "17:00"}),
        move |range, _| {
            view! {
                <div class="row">
                    <TextField editor=editor path=format!("{range}.opens") label="Opens" />
                    <TextField editor=editor path=format!("{range}.closes") label="Closes" />
                </div>
            }
            .into_any()
        },
    )
}
