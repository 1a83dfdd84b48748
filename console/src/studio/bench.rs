//! The test bench: type a visitor message and see what the draft would do (answer, clarify, handoff with its reason
//! and team, after hours), with the confidence, the closest FAQ entries and the words they matched on, the intent
//! and the signals; computed here with `shared`'s policy, as the worker would. Below it, the regression questions:
//! saved questions with the outcome expected, replayed on the draft and on the published configuration.

use std::rc::Rc;

use baton_shared::config::{ExpectedOutcome, RegressionQuestion};
use leptos::prelude::*;
use serde_json::json;

use super::fields::{SelectField, TextField};
use super::lists::item_list;
use super::outcome::{self, Compiled, Verdict};
use super::{Editor, Studio};
use crate::studio::faq::markdown_view;

#[component]
pub fn Bench(studio: Studio) -> impl IntoView {
    let editor = studio.editor;
    let draft = Memo::new(move |_| editor.config());
    let compiled = move || draft.get().map(|config| Rc::new(Compiled::new(config)));
    let question = RwSignal::new(String::new());
    let online = RwSignal::new(true);
    let asked = RwSignal::new(String::new());
    let verdict = move || {
        let text = asked.get();
        if text.trim().is_empty() {
            return None;
        }
        let site = compiled()?;
        let teams: Vec<String> = if online.get() {
            site.config
                .teams
                .iter()
                .map(|team| team.id.clone())
                .chain(["*".to_string()])
                .collect()
        } else {
            Vec::new()
        };
        let teams: Vec<&str> = teams.iter().map(String::as_str).collect();
        Some(outcome::decide(&site, &text, now_ms(), &teams))
    };
    let save_question = move |_| {
        let Some(verdict) = verdict() else {
            return;
        };
        let saved = RegressionQuestion {
            question: asked.get_untracked(),
            expect: verdict.outcome,
            target: verdict.target.clone().filter(|_| {
                matches!(
                    verdict.outcome,
                    ExpectedOutcome::Answer | ExpectedOutcome::Handoff
                )
            }),
        };
        editor.update(|doc| {
            super::document::push(
                doc,
                "regression_questions",
                serde_json::to_value(&saved).unwrap_or_default(),
            );
        });
    };
    view! {
        <p class="help">"What the draft would do with a visitor's message, computed in your browser by the same code \
            the worker runs. Nothing is sent to visitors or stored."</p>
        <Show when=move || draft.with(Option::is_none)>
            <p class="problem" role="alert">"The draft has a problem that stops Baton from reading it: fix it first (see the Basics section)."</p>
        </Show>
        <Show when=move || draft.with(|config| config.as_ref().is_some_and(outcome::uses_model))>
            <p class="notice">"This site uses a language model: when no FAQ entry is confident, the worker asks the model. \
                The bench shows Baton's own extract from the knowledge snippets instead."</p>
        </Show>
        <form class="bench-ask" on:submit=move |event| { event.prevent_default(); asked.set(question.get_untracked()); }>
            <label for="bench-question">"A visitor writes"</label>
            <input id="bench-question" data-testid="studio-bench-question" prop:value=move || question.get()
                on:input=move |event| question.set(event_target_value(&event)) />
            <button type="submit" data-testid="studio-bench-ask">"Try it"</button>
            <span class="check">
                <input type="checkbox" id="bench-online" prop:checked=move || online.get()
                    on:change=move |event| online.set(event_target_checked(&event)) />
                <label for="bench-online">"People are online"</label>
            </span>
        </form>
        {move || verdict().map(|verdict| view! {
            <VerdictView verdict=verdict />
            <button type="button" data-testid="studio-bench-save" on:click=save_question>
                "Save as a regression question (expecting this outcome)"
            </button>
        })}
        <Regressions studio=studio />
    }
}

#[component]
fn VerdictView(verdict: Verdict) -> impl IntoView {
    let Verdict {
        outcome,
        summary,
        reply,
        confidence,
        matches,
        intent,
        intent_confidence,
        intent_evidence,
        signals,
        ..
    } = verdict;
    view! {
        <div class="verdict" data-testid="studio-bench-verdict" data-outcome=outcome.name()>
            <p class="verdict-summary" data-testid="studio-bench-summary"><strong>{summary}</strong></p>
            <dl>
                <dt>"The visitor reads"</dt>
                <dd class="preview" data-testid="studio-bench-reply">{markdown_view(&reply)}</dd>
                <dt>"Confidence"</dt>
                <dd data-testid="studio-bench-confidence">{format!("{:.0} %", confidence * 100.0)}</dd>
                <dt>"Intent"</dt>
                <dd>{format!("{intent} ({:.0} %)", intent_confidence * 100.0)}
                    {(!intent_evidence.is_empty()).then(|| format!(" from: {}", intent_evidence.join(", ")))}</dd>
            </dl>
            <h3>"Closest FAQ entries"</h3>
            {if matches.is_empty() {
                view! { <p class="muted">"No FAQ entry shares a word with the message."</p> }.into_any()
            } else {
                view! {
                    <ol class="bench-matches" data-testid="studio-bench-matches">
                        {matches.into_iter().map(|found| view! {
                            <li>
                                <strong>{found.question}</strong>
                                {format!(" ({}) score {:.2}", found.faq_entry, found.score)}
                                <span class="muted">{format!(" matched: {}", found.evidence.join(", "))}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <h3>"Signals"</h3>
            <ul class="bench-signals">
                {signals.into_iter().map(|signal| view! {
                    <li data-raised=signal.raised.to_string()>
                        {format!("{}: {} ({:.0} %)", signal.name, if signal.raised { "yes" } else { "no" }, signal.confidence * 100.0)}
                        {(!signal.evidence.is_empty()).then(|| format!(" from: {}", signal.evidence.join(", ")))}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The regression questions: edited here, replayed on the draft and on the published configuration.
#[component]
pub fn Regressions(studio: Studio) -> impl IntoView {
    let editor = studio.editor;
    view! {
        <h3>"Regression questions"</h3>
        <p class="help">"Questions you care about, with the outcome each should get. Before publishing, the studio lists \
            those whose outcome the draft changes."</p>
        <ReplayTable studio=studio only_changed=false />
        {item_list(editor, "regression_questions", "question", |_| json!({"question": "", "expect": "fallback"}), move |path, _| view! {
            <RegressionFields editor=editor path=path />
        }.into_any())}
    }
}

#[component]
fn RegressionFields(editor: Editor, path: String) -> impl IntoView {
    view! {
        <div class="row">
            <TextField editor=editor path=format!("{path}.question") label="Question" />
            <SelectField editor=editor path=format!("{path}.expect") label="Expected outcome"
                options=ExpectedOutcome::ALL.iter().map(|outcome| (outcome.name().to_string(), expected_label(*outcome).to_string())).collect() />
            <TextField editor=editor path=format!("{path}.target") label="FAQ entry or team id" optional=true
                help="The entry that answers, or the team that gets the handoff." />
        </div>
    }
}

fn expected_label(outcome: ExpectedOutcome) -> &'static str {
    match outcome {
        ExpectedOutcome::Answer => "Answered by an FAQ entry",
        ExpectedOutcome::Grounded => "Answered from knowledge",
        ExpectedOutcome::Clarify => "A clarifying question",
        ExpectedOutcome::Fallback => "No answer (fallback)",
        ExpectedOutcome::Handoff => "Handed to a person",
    }
}

/// The regression questions replayed: expected, draft and published outcomes; `only_changed` lists only those the
/// draft changes.
#[component]
pub fn ReplayTable(studio: Studio, only_changed: bool) -> impl IntoView {
    let editor = studio.editor;
    let draft = Memo::new(move |_| editor.config());
    let replays = move || {
        let draft = Compiled::new(draft.get()?);
        let published = Compiled::new(studio.published.get()?.config);
        Some(outcome::replay(&draft, &published, now_ms()))
    };
    view! {
        {move || match replays() {
            None => view! { <p class="muted">"Fix the draft's problems to replay the regression questions."</p> }.into_any(),
            Some(replays) => {
                let replays: Vec<_> = replays.into_iter().filter(|replay| !only_changed || replay.changed()).collect();
                if replays.is_empty() {
                    let empty = if only_changed { "The draft changes no regression question's outcome." } else { "No regression questions yet: try a message above and save it." };
                    return view! { <p class="muted" data-testid="studio-regressions-empty">{empty}</p> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                        <table class="regressions" data-testid="studio-regressions">
                            <thead><tr><th scope="col">"Question"</th><th scope="col">"Expected"</th><th scope="col">"Published"</th><th scope="col">"Draft"</th><th scope="col">"Verdict"</th></tr></thead>
                            <tbody>
                                {replays.into_iter().map(|replay| {
                                    let (passes, changed) = (replay.passes(), replay.changed());
                                    view! {
                                        <tr data-testid="studio-regression" data-passes=passes.to_string() data-changed=changed.to_string()>
                                            <td>{replay.question.question.clone()}</td>
                                            <td>{expected_label(replay.question.expect)}{replay.question.target.clone().map(|target| format!(" ({target})"))}</td>
                                            <td>{replay.published.summary.clone()}<div class="muted">{clip(&replay.published.reply)}</div></td>
                                            <td>{replay.draft.summary.clone()}<div class="muted">{clip(&replay.draft.reply)}</div></td>
                                            <td>{match (passes, changed) {
                                                (true, false) => "As expected",
                                                (true, true) => "As expected, but the reply changes",
                                                (false, true) => "Changed: no longer as expected",
                                                (false, false) => "Not as expected (already before)",
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
        }}
    }
}

fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(140).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

/// The browser's time, in ms since the epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}
