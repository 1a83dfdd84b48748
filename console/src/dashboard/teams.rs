//! The team table: for each team the agent may see (one team when the report is filtered by team), its report over
//! the same range and filters, asked for team by team; a row lists the team's handed-off conversations.

use baton_shared::protocol::metrics::{Figure, MetricsReport};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::route::Narrow;
use super::{Load, Page, definitions, format};

#[component]
pub fn TeamTable(page: Page) -> impl IntoView {
    let teams: Vec<(String, String)> = page.agent.with_value(|agent| {
        let profile = &agent.session.agent;
        agent
            .session
            .teams
            .iter()
            .filter(|(id, _)| profile.serves(Some(id)))
            .cloned()
            .collect()
    });
    let rows: RwSignal<Vec<(String, String, Load<MetricsReport>)>> = RwSignal::new(Vec::new());
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        generation.update_value(|generation| *generation += 1);
        let asked = generation.get_value();
        let Ok(query) = page.query.get() else {
            return;
        };
        let shown: Vec<(String, String)> = teams
            .iter()
            .filter(|(id, _)| query.team.as_ref().is_none_or(|team| team == id))
            .cloned()
            .collect();
        rows.set(
            shown
                .iter()
                .map(|(id, name)| (id.clone(), name.clone(), Load::Loading))
                .collect(),
        );
        for (index, (id, _)) in shown.into_iter().enumerate() {
            let client = page.agent.with_value(|agent| agent.client.clone());
            let mut query = query.clone();
            query.team = Some(id);
            spawn_local(async move {
                let answer = client.metrics(&query).await;
                if generation.try_get_value() != Some(asked) {
                    return;
                }
                rows.try_update(|rows| {
                    if let Some(row) = rows.get_mut(index) {
                        row.2 = match answer {
                            Ok(report) => Load::Ready(report),
                            Err(message) => Load::Failed(message),
                        };
                    }
                });
            });
        }
    });
    view! {
        <section class="table-card wide" data-testid="dashboard-teams">
            <h2>"Teams"</h2>
            <p class="definition">{definitions::TEAMS}</p>
            {move || if rows.with(Vec::is_empty) {
                view! { <p class="chart-note">"This site has no teams."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table>
                            <thead><tr>
                                <th scope="col">"Team"</th><th scope="col">"Handoffs"</th>
                                <th scope="col">"Missed"</th><th scope="col">"First reply (median)"</th>
                                <th scope="col">"First reply (p90)"</th><th scope="col">"Conversion after handoff"</th>
                                <th scope="col">"CSAT"</th>
                            </tr></thead>
                            <tbody>
                                {move || rows.get().into_iter().map(|(id, name, load)| team_row(page, id, name, load)).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

fn team_row(page: Page, id: String, name: String, load: Load<MetricsReport>) -> AnyView {
    let narrow = Narrow::Team(id.clone());
    let cells = match load {
        Load::Loading => view! { <td colspan="6" role="status">"Loading…"</td> }.into_any(),
        Load::Failed(message) => view! {
            <td colspan="6" class="error">{format!("Could not load this team's figures: {message}")}</td>
        }
        .into_any(),
        Load::Ready(report) => {
            let handoffs = report.handoffs.count;
            view! {
                <td>
                    <button type="button" class="link" data-testid="dashboard-team-handoffs"
                        on:click=move |_| page.drill(Figure::Handoffs, Some(narrow.clone()))>
                        {format::count(handoffs)}
                    </button>
                </td>
                <td>{format!("{} ({})", format::count(report.missed.count), format::percent(report.missed.rate, handoffs))}</td>
                <td>{format::duration(report.first_human_reply_ms.median)}</td>
                <td>{format::duration(report.first_human_reply_ms.p90)}</td>
                <td>{format::percent(report.conversions_after_handoff.rate, handoffs)}</td>
                <td>{format::rating(report.csat.mean)}</td>
            }
            .into_any()
        }
    };
    view! {
        <tr data-testid="dashboard-team-row" data-team=id>
            <th scope="row">{name}</th>
            {cells}
        </tr>
    }
    .into_any()
}
