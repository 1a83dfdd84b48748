//! The range picker (last 7 days, last 30 days, this month, or custom dates) and the filters (team, agent, intent,
//! campaign) and interval; each change is a new address (`#reports&…`), which the page follows.

use baton_shared::intent::Intent;
use baton_shared::protocol::agent::AgentRole;
use baton_shared::protocol::metrics::Interval;
use leptos::prelude::*;

use super::route::{Range, ReportView};
use super::{Page, format, with_report};

#[component]
pub fn Filters(page: Page) -> impl IntoView {
    let (profile, teams) = page.agent.with_value(|agent| {
        let profile = agent.session.agent.clone();
        let teams: Vec<(String, String)> = agent
            .session
            .teams
            .iter()
            .filter(|(id, _)| profile.serves(Some(id)))
            .cloned()
            .collect();
        (profile, teams)
    });
    // Admins may filter by any agent of the site; an agent, by themself.
    let agents = page.agents;
    // Campaigns named by any report seen on this page, and the one filtered on.
    let campaigns: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        let seen = with_report(&page, |report| {
            report
                .campaigns
                .iter()
                .map(|row| row.id.clone())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
        let current = page.view.with(|view| view.campaign.clone());
        campaigns.update(|known| {
            for id in seen.into_iter().chain(current) {
                if !known.contains(&id) {
                    known.push(id);
                }
            }
            known.sort();
        });
    });

    let change = move |edit: &dyn Fn(&mut ReportView)| {
        let mut view = page.view.get_untracked();
        edit(&mut view);
        view.drill = None;
        page.go(view);
    };
    let option = |value: Option<String>| value.filter(|value| !value.is_empty());
    let dates = move || {
        page.query
            .get()
            .map(|query| (query.from, query.to))
            .unwrap_or_default()
    };
    let custom = move || {
        page.view
            .with(|view| matches!(view.range, Range::Custom { .. }))
    };
    let set_date = move |from_side: bool, value: String| {
        let (from, to) = match page.view.get_untracked().range {
            Range::Custom { from, to } => (from, to),
            _ => dates(),
        };
        let range = if from_side {
            Range::Custom { from: value, to }
        } else {
            Range::Custom { from, to: value }
        };
        change(&move |view| view.range = range.clone());
    };
    let selected = move |read: fn(&ReportView) -> Option<String>| {
        move || page.view.with(|view| read(view).unwrap_or_default())
    };
    view! {
        <form class="filters" data-testid="dashboard-filters" on:submit=|event| event.prevent_default()>
            <label>"Range"
                <select data-testid="dashboard-range" prop:value=move || page.view.with(|view| view.range.name())
                    on:change=move |event| {
                        let range = match event_target_value(&event).as_str() {
                            "last30" => Range::Last30,
                            "month" => Range::ThisMonth,
                            "custom" => {
                                let (from, to) = dates();
                                Range::Custom { from, to }
                            }
                            _ => Range::Last7,
                        };
                        change(&move |view| view.range = range.clone());
                    }>
                    <option value="last7">"Last 7 days"</option>
                    <option value="last30">"Last 30 days"</option>
                    <option value="month">"This month"</option>
                    <option value="custom">"Custom…"</option>
                </select>
            </label>
            <Show when=custom>
                <label>"From"
                    <input type="date" data-testid="dashboard-from" prop:value=move || custom_date(page, true)
                        on:change=move |event| set_date(true, event_target_value(&event)) />
                </label>
                <label>"To"
                    <input type="date" data-testid="dashboard-to" prop:value=move || custom_date(page, false)
                        on:change=move |event| set_date(false, event_target_value(&event)) />
                </label>
            </Show>
            <label>"Team"
                <select data-testid="dashboard-team" prop:value=selected(|view| view.team.clone())
                    on:change=move |event| { let team = option(Some(event_target_value(&event))); change(&move |view| view.team = team.clone()); }>
                    <option value="">{if profile.role == AgentRole::Admin { "All teams" } else { "All my teams" }}</option>
                    {teams.iter().map(|(id, name)| view! { <option value=id.clone()>{name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Agent"
                <select data-testid="dashboard-agent" prop:value=selected(|view| view.agent.clone())
                    on:change=move |event| { let agent = option(Some(event_target_value(&event))); change(&move |view| view.agent = agent.clone()); }>
                    <option value="">"Everyone"</option>
                    {move || agents.get().into_iter().map(|(id, name)| {
                        let chosen = page.view.with(|view| view.agent.as_ref() == Some(&id));
                        view! { <option value=id prop:selected=chosen>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Intent"
                <select data-testid="dashboard-intent" prop:value=selected(|view| view.intent.clone())
                    on:change=move |event| { let intent = option(Some(event_target_value(&event))); change(&move |view| view.intent = intent.clone()); }>
                    <option value="">"Any intent"</option>
                    {Intent::ALL.into_iter().map(|intent| view! { <option value=intent.name()>{format::intent(intent.name())}</option> }).collect_view()}
                </select>
            </label>
            <label>"Campaign"
                <select data-testid="dashboard-campaign" prop:value=selected(|view| view.campaign.clone())
                    on:change=move |event| { let campaign = option(Some(event_target_value(&event))); change(&move |view| view.campaign = campaign.clone()); }>
                    <option value="">"Any or none"</option>
                    {move || campaigns.get().into_iter().map(|id| {
                        let chosen = page.view.with(|view| view.campaign.as_ref() == Some(&id));
                        view! { <option value=id.clone() prop:selected=chosen>{id.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Interval"
                <select data-testid="dashboard-interval" prop:value=move || page.view.with(|view| if view.interval == Interval::Week { "week" } else { "day" })
                    on:change=move |event| {
                        let interval = if event_target_value(&event) == "week" { Interval::Week } else { Interval::Day };
                        change(&move |view| view.interval = interval);
                    }>
                    <option value="day">"Day"</option>
                    <option value="week">"Week"</option>
                </select>
            </label>
        </form>
    }
}

/// A custom range's date as typed (the field keeps what the owner typed, even when it is not a valid range).
fn custom_date(page: Page, from_side: bool) -> String {
    page.view.with(|view| match &view.range {
        Range::Custom { from, to } => {
            if from_side {
                from.clone()
            } else {
                to.clone()
            }
        }
        _ => String::new(),
    })
}
