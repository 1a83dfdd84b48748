//! Who is online, and for admins: the site's accounts (disable, enable, delete after a confirmation; a disabled
//! agent is shown as such), creating agents (the token is shown once) and the webhook deliveries with their status.

use baton_shared::config::WebhookFormat;
use baton_shared::protocol::agent::{
    AgentPresence, AgentProfile, AgentRole, CreateAgent, Deliveries, DeliveryStatus,
    PresenceStatus, UpdateAgent,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{AgentClient, SignedIn};

#[component]
pub fn TeamPanel(agent: SignedIn, presence: RwSignal<Vec<AgentPresence>>) -> impl IntoView {
    let admin = agent.session.agent.role == AgentRole::Admin;
    let client = StoredValue::new(agent.client.clone());
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
                <Accounts client=client me=agent.session.agent.id.clone() teams=agent.session.teams.clone() />
                <DeliveryList client=client />
            })}
        </section>
    }
}

/// The site's accounts and the form that adds one (admins only).
#[component]
fn Accounts(
    client: StoredValue<AgentClient>,
    /// The signed-in admin's own id: they are not offered to disable or delete themself here.
    me: String,
    /// The site's teams, `(id, name)`.
    teams: Vec<(String, String)>,
) -> impl IntoView {
    let agents = RwSignal::new(None::<Result<Vec<AgentProfile>, String>>);
    let refresh = move || {
        spawn_local(async move {
            let listed = client.get_value().agents().await;
            agents.set(Some(listed.map(|list| list.agents)));
        });
    };
    refresh();
    let action_error = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<String>);
    let set_disabled = move |agent_id: String, disabled: bool| {
        spawn_local(async move {
            let body = UpdateAgent { disabled };
            match client.get_value().update_agent(&agent_id, &body).await {
                Ok(_) => action_error.set(None),
                Err(message) => action_error.set(Some(message)),
            }
            refresh();
        });
    };
    let delete = move |agent_id: String| {
        confirming.set(None);
        spawn_local(async move {
            match client.get_value().delete_agent(&agent_id).await {
                Ok(_) => action_error.set(None),
                Err(message) => action_error.set(Some(message)),
            }
            refresh();
        });
    };

    let name = RwSignal::new(String::new());
    let chosen: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let role_admin = RwSignal::new(false);
    let created = RwSignal::new(None::<Result<(String, String), String>>);
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
            created.set(Some(
                result.map(|created| (created.agent.name, created.token)),
            ));
            refresh();
        });
    };
    let team_names = StoredValue::new(teams.clone());
    let row = move |profile: AgentProfile| {
        let id = profile.id.clone();
        let own = profile.id == me;
        let disabled = profile.disabled;
        let teams = team_names.with_value(|known| {
            profile
                .teams
                .iter()
                .map(|team| {
                    known
                        .iter()
                        .find(|(id, _)| id == team)
                        .map_or(team.clone(), |(_, name)| name.clone())
                })
                .collect::<Vec<_>>()
                .join(", ")
        });
        let role = match profile.role {
            AgentRole::Admin => "admin",
            AgentRole::Agent => "agent",
        };
        let (toggle_id, delete_id, confirm_id) = (id.clone(), id.clone(), id.clone());
        let asking = {
            let id = id.clone();
            move || confirming.get().as_deref() == Some(id.as_str())
        };
        let name = profile.name.clone();
        view! {
            <li data-testid="console-agent-row" data-agent=id.clone() data-disabled=disabled.to_string()>
                <span class="who">{profile.name.clone()}</span>
                " · "{role}" · "{teams}
                {disabled.then(|| view! { " · " <strong class="missed-tag" data-testid="console-agent-disabled">"disabled"</strong> })}
                {own.then_some(" · (you)")}
                {(!own).then(|| view! {
                    " "
                    <button type="button" data-testid="console-agent-toggle"
                        on:click=move |_| set_disabled(toggle_id.clone(), !disabled)>
                        {if disabled { "Enable" } else { "Disable" }}
                    </button>
                    " "
                    <button type="button" data-testid="console-agent-delete"
                        on:click=move |_| confirming.set(Some(delete_id.clone()))>"Delete"</button>
                    <Show when=asking.clone()>
                        <span role="alertdialog" aria-label="Confirm deletion" data-testid="console-agent-delete-confirmation">
                            {format!(" Delete {name} for good? Their token stops working at once. ")}
                            {
                                let confirm_id = confirm_id.clone();
                                view! {
                                    <button type="button" data-testid="console-agent-delete-confirm"
                                        on:click=move |_| delete(confirm_id.clone())>"Delete"</button>
                                }
                            }
                            " "
                            <button type="button" data-testid="console-agent-delete-cancel"
                                on:click=move |_| confirming.set(None)>"Cancel"</button>
                        </span>
                    </Show>
                })}
            </li>
        }
    };
    view! {
        <h2>"Agents"</h2>
        <Show when=move || action_error.get().is_some()>
            <p class="error" role="alert" data-testid="console-agents-error">{move || action_error.get()}</p>
        </Show>
        {move || match agents.get() {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error">{message}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <ul data-testid="console-agents">{list.into_iter().map(row.clone()).collect_view()}</ul>
            }.into_any(),
        }}
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
            Ok((name, token)) => {
                let link = client.with_value(|client| client.base.url(&format!("/console/#token={token}")));
                view! {
                    <p class="token" data-testid="console-new-token">
                        {format!("Token for {name} (shown once): ")}
                        <code data-testid="console-new-token-value">{token}</code>
                        <br />"Sign-in link: "<code>{link}</code>
                    </p>
                }.into_any()
            }
            Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
        })}
    }
}

/// The newest webhook deliveries (admins only: endpoints and errors are the site's business).
#[component]
fn DeliveryList(client: StoredValue<AgentClient>) -> impl IntoView {
    let deliveries = RwSignal::new(None::<Result<Deliveries, String>>);
    spawn_local(async move {
        deliveries.set(Some(client.get_value().deliveries().await));
    });
    view! {
        <h2>"Handoff notifications"</h2>
        {move || match deliveries.get() {
            None => view! { <p>"Loading…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error">{message}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table data-testid="console-deliveries">
                    <thead><tr><th>"Conversation"</th><th>"Endpoint"</th><th>"Format"</th><th>"Status"</th><th>"Attempts"</th><th>"Last error"</th></tr></thead>
                    <tbody>
                        // Newest first.
                        {list.deliveries.into_iter().rev().map(|delivery| {
                            let status = match delivery.status {
                                DeliveryStatus::Pending => "pending",
                                DeliveryStatus::Delivered => "delivered",
                                DeliveryStatus::Failed => "failed",
                            };
                            let format = match delivery.format {
                                WebhookFormat::Slack => "Slack",
                                WebhookFormat::Json => "JSON",
                            };
                            view! {
                                <tr data-testid="console-delivery" data-status=status>
                                    <td>{delivery.conversation_id}</td>
                                    <td>{delivery.endpoint}</td>
                                    <td>{format}</td>
                                    <td>{status}</td>
                                    <td>{delivery.attempts}</td>
                                    <td>{delivery.last_error.unwrap_or_default()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
