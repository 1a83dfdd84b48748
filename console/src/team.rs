//! Who is online, and for admins: creating agent accounts (the token is shown once) and the webhook deliveries
//! with their status.

use baton_shared::protocol::agent::{AgentPresence, AgentRole, CreateAgent, PresenceStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::SignedIn;

#[component]
pub fn TeamPanel(agent: SignedIn, presence: RwSignal<Vec<AgentPresence>>) -> impl IntoView {
    let admin = agent.session.agent.role == AgentRole::Admin;
    let client = StoredValue::new(agent.client.clone());
    let deliveries = RwSignal::new(None::<Result<serde_json::Value, String>>);
    spawn_local(async move {
        deliveries.set(Some(client.get_value().deliveries().await));
    });
    let name = RwSignal::new(String::new());
    let chosen: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let role_admin = RwSignal::new(false);
    let created = RwSignal::new(None::<Result<String, String>>);
    let create = move || {
        let body = CreateAgent {
            name: name.get_untracked(),
            teams: chosen.get_untracked(),
            role: if role_admin.get_untracked() {
                AgentRole::Admin
            } else {
                AgentRole::Agent
            },
        };
        spawn_local(async move {
            let result = client.get_value().create_agent(&body).await;
            created.set(Some(result.map(|created| {
                format!(
                    "Token for {} (shown once): {}",
                    created.agent.name, created.token
                )
            })));
        });
    };
    let teams = agent.session.teams.clone();
    view! {
        <section class="team" data-testid="console-team">
            <h2>"Who is online"</h2>
            <ul>
                {move || presence.get().into_iter().map(|agent| {
                    let status = match agent.status {
                        PresenceStatus::Online => "online",
                        PresenceStatus::Away => "away",
                        PresenceStatus::Offline => "offline",
                    };
                    view! { <li>{agent.name}" · "{status}" · "{agent.teams.join(", ")}</li> }
                }).collect_view()}
            </ul>
            {admin.then(|| view! {
                <h2>"Add an agent"</h2>
                <form on:submit=move |event| { event.prevent_default(); create(); }>
                    <label>"Name" <input data-testid="console-new-agent-name" required
                        on:input=move |event| name.set(event_target_value(&event)) /></label>
                    {teams.iter().map(|(id, team_name)| {
                        let id = id.clone();
                        view! {
                            <label><input type="checkbox" on:change=move |event| {
                                let on = event_target_checked(&event);
                                let id = id.clone();
                                chosen.update(|chosen| if on { chosen.push(id) } else { chosen.retain(|known| *known != id) });
                            } />{format!(" {team_name}")}</label>
                        }
                    }).collect_view()}
                    <label><input type="checkbox" on:change=move |event| role_admin.set(event_target_checked(&event)) />" Admin"</label>
                    <button type="submit" data-testid="console-create-agent">"Create"</button>
                </form>
                {move || created.get().map(|result| match result {
                    Ok(text) => view! { <p class="token" data-testid="console-new-token">{text}</p> }.into_any(),
                    Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                })}
            })}
            <h2>"Handoff notifications"</h2>
            {move || match deliveries.get() {
                None => view! { <p>"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error">{message}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table data-testid="console-deliveries">
                        <thead><tr><th>"Endpoint"</th><th>"Status"</th><th>"Attempts"</th><th>"Last error"</th></tr></thead>
                        <tbody>
                            {list.as_array().cloned().unwrap_or_default().into_iter().rev().map(|delivery| view! {
                                <tr>
                                    <td>{delivery["url"].as_str().unwrap_or("").to_string()}</td>
                                    <td>{delivery["status"].as_str().unwrap_or("").to_string()}</td>
                                    <td>{delivery["attempts"].as_u64().unwrap_or(0)}</td>
                                    <td>{delivery["last_error"].as_str().unwrap_or("").to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
