//! The conversations behind a figure (or a part of it: an interval, a bar, a table row or cell), for the report's
//! range and filters; each row opens the conversation in the console's conversation view (`#conversation=…`), and
//! Back returns here.

use baton_shared::protocol::metrics::ConversationRow;
use leptos::html::Section;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::route::{Drill, Narrow};
use super::zone::Zone;
use super::{Load, Page, definitions, format, with_report};

#[component]
pub fn DrillPanel(page: Page) -> impl IntoView {
    let drill = Memo::new(move |_| page.view.with(|view| view.drill.clone()));
    let rows: RwSignal<Load<Vec<ConversationRow>>> = RwSignal::new(Load::Loading);
    // The drill-down listed (its part of the hash), once its rows are there: tools and tests read it.
    let listed = RwSignal::new(String::new());
    let timezone = with_report(&page, |report| report.timezone.clone()).unwrap_or_default();
    let zone = StoredValue::new_local(Zone::new(&timezone));
    let panel = NodeRef::<Section>::new();
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        generation.update_value(|generation| *generation += 1);
        let asked = generation.get_value();
        let (Some(drill), Ok(query)) = (drill.get(), page.query.get()) else {
            return;
        };
        rows.set(Load::Loading);
        listed.set(String::new());
        let client = page.agent.with_value(|agent| agent.client.clone());
        let query = drill.query(&query);
        spawn_local(async move {
            let answer = client.metrics_conversations(&query, drill.figure).await;
            if generation.try_get_value() != Some(asked) {
                return;
            }
            listed.try_set(drill.hash());
            rows.try_set(match answer {
                Ok(answer) => Load::Ready(
                    answer
                        .conversations
                        .into_iter()
                        .filter(|row| {
                            drill.narrow.as_ref().is_none_or(|narrow| {
                                narrow.keeps(row, |at_ms| zone.with_value(|zone| zone.slot(at_ms)))
                            })
                        })
                        .collect(),
                ),
                Err(message) => {
                    Load::Failed(format!("Could not list the conversations: {message}"))
                }
            });
        });
        if let Some(panel) = panel.get_untracked() {
            panel.scroll_into_view();
        }
    });
    let teams = StoredValue::new(page.teams());
    let close = move |_| page.go(page.view.get_untracked().drilled(None));
    view! {
        <Show when=move || drill.with(Option::is_some)>
            <section class="drill" node_ref=panel data-testid="dashboard-drill" aria-live="polite"
                data-figure=move || drill.get().map(|drill| drill.figure.name()) data-listed=move || listed.get()>
                <header>
                    <h2>{move || drill.get().map(|drill| teams.with_value(|teams| heading(&drill, teams)))}</h2>
                    <button type="button" data-testid="dashboard-drill-close" on:click=close>"Close"</button>
                </header>
                <p class="definition">{move || drill.get().map(|drill| definitions::of(drill.figure))}</p>
                {move || match rows.get() {
                    Load::Loading => view! { <p role="status">"Listing the conversations…"</p> }.into_any(),
                    Load::Failed(message) => view! {
                        <p class="error" role="alert" data-testid="dashboard-drill-error">{message}</p>
                    }.into_any(),
                    Load::Ready(list) if list.is_empty() => view! {
                        <p data-testid="dashboard-drill-empty">"No conversations."</p>
                    }.into_any(),
                    Load::Ready(list) => view! {
                        <p class="count" data-testid="dashboard-drill-count">{format::counted(list.len() as u64, "conversation", "conversations")}</p>
                        <div class="table-scroll">
                            <table>
                                <thead><tr>
                                    <th scope="col">"Conversation"</th><th scope="col">"Started"</th>
                                    <th scope="col">"Intent"</th><th scope="col">"Handoff reason"</th>
                                    <th scope="col">"Team"</th><th scope="col">"Agent"</th>
                                    <th scope="col">"First human reply"</th><th scope="col">"Outcome"</th>
                                    <th scope="col">"Rating"</th><th scope="col">"Campaign"</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|row| view! { <Row row=row zone=zone page=page /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }}
            </section>
        </Show>
    }
}

#[component]
fn Row(row: ConversationRow, zone: StoredValue<Zone, LocalStorage>, page: Page) -> impl IntoView {
    let started = zone.with_value(|zone| zone.stamp(row.started_at_ms));
    let agent = row.agent.as_deref().map(|id| page.agent_name(id));
    let team = row.team.as_deref().map(|id| page.team_name(id));
    let text = |value: Option<String>| value.unwrap_or_else(|| format::NONE.into());
    let short = format!("{}…", row.id.chars().take(8).collect::<String>());
    // The console opens what reached the inbox; a conversation Baton answered alone never did.
    let open = if row.handed_off_at_ms.is_some() {
        view! {
            <a href=format!("#conversation={}", row.id) data-testid="dashboard-drill-open"
                title=format!("Open conversation {}", row.id)>{short}</a>
        }
        .into_any()
    } else {
        view! {
            <span title=format!("Conversation {}: Baton answered it alone; only conversations handed to a person open in the console", row.id)>
                {short}" "<span class="muted">"AI only"</span>
            </span>
        }
        .into_any()
    };
    view! {
        <tr data-testid="dashboard-drill-row" data-conversation=row.id.clone()>
            <td>{open}</td>
            <td>{started}</td>
            <td>{text(row.intent.as_deref().map(format::intent))}</td>
            <td>{text(row.reason.as_deref().map(format::reason))}</td>
            <td>{text(team)}</td>
            <td>{text(agent)}</td>
            <td>{format::duration(row.first_human_reply_ms)}</td>
            <td>{text(row.outcome.as_deref().map(|outcome| outcome.replace('_', " ")))}</td>
            <td>{text(row.rating.map(|rating| format!("{rating} / 5")))}</td>
            <td>{text(row.campaign.clone().map(|campaign| match &row.variant {
                Some(variant) => format!("{campaign} ({variant})"),
                None => campaign,
            }))}</td>
        </tr>
    }
}

/// "Handoffs: reason asked for a person".
fn heading(drill: &Drill, teams: &[(String, String)]) -> String {
    let title = definitions::title(drill.figure);
    let part = match &drill.narrow {
        None => return title.to_string(),
        Some(Narrow::Days { from, to }) if from == to => format!("on {from}"),
        Some(Narrow::Days { from, to }) => format!("from {from} to {to}"),
        Some(Narrow::Reason(reason)) => format!("reason {}", format::reason(reason)),
        Some(Narrow::Team(team)) => format!("team {}", format::team(team, teams)),
        Some(Narrow::Intent(intent)) => format!("intent {}", format::intent(intent)),
        Some(Narrow::Page(page)) => format!("started on {page}"),
        Some(Narrow::Slot { weekday, hour }) => format!(
            "started {} {hour:02}:00–{:02}:00",
            format::WEEKDAYS[usize::from(*weekday) % 7],
            (hour + 1) % 24
        ),
        Some(Narrow::Campaign { id, variant: None }) => format!("campaign {id}"),
        Some(Narrow::Campaign {
            id,
            variant: Some(variant),
        }) => format!("campaign {id}, variant {variant}"),
    };
    format!("{title}: {part}")
}
