//! The reports page (`#reports&…`): the range and filters (kept in the address bar, so a view can be shared), the
//! headline cards, the charts, the tables, the questions Baton could not answer, the CSV export, and the
//! conversations behind any figure, each opening in the conversation view. Agents see what the API gives them (their
//! teams' figures); admins see the whole site.

use baton_shared::protocol::agent::AgentRole;
use baton_shared::protocol::metrics::{MetricsQuery, MetricsReport};
use baton_shared::protocol::paths;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::SignedIn;

mod cards;
mod charts;
mod day;
mod definitions;
mod drill;
pub mod export;
mod filters;
pub mod format;
pub mod route;
mod tables;
mod teams;
#[cfg(test)]
mod tests;
mod unanswered;
mod zone;

pub use self::unanswered::entry_id;

use cards::Cards;
use charts::{CountBars, TimeSeries};
use drill::DrillPanel;
use export::CsvExport;
use filters::Filters;
use route::{Drill, Narrow, ReportView};
use tables::{CampaignTable, Heatmap, PageList};
use teams::TeamTable;
use unanswered::UnansweredList;

/// Whether a location hash (without `#`) shows the reports page.
pub fn is_reports(hash: &str) -> bool {
    hash.split('&').next() == Some(route::PAGE)
}

/// Where a report stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Failed(String),
    Ready(T),
}

/// What every part of the page is handed: the signed-in agent, the view in the address bar, the report's query,
/// and a way to show another view.
#[derive(Clone, Copy)]
pub struct Page {
    pub agent: StoredValue<SignedIn>,
    pub view: Memo<ReportView>,
    pub query: Memo<Result<MetricsQuery, String>>,
    pub report: RwSignal<Load<MetricsReport>>,
    /// The agents the page may name, `(id, name)`: every account for an admin, themself for an agent.
    pub agents: RwSignal<Vec<(String, String)>>,
}

impl Page {
    /// Shows `view` (a new history entry, so Back returns to the previous view).
    pub fn go(&self, view: ReportView) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash(&view.hash());
        }
    }

    /// Lists the conversations behind `figure`, narrowed to a part of it.
    pub fn drill(&self, figure: baton_shared::protocol::metrics::Figure, narrow: Option<Narrow>) {
        let view = self.view.get_untracked();
        self.go(view.drilled(Some(Drill { figure, narrow })));
    }

    /// The site's teams, `(id, name)`.
    pub fn teams(&self) -> Vec<(String, String)> {
        self.agent.with_value(|agent| agent.session.teams.clone())
    }

    /// A team's name from its id.
    pub fn team_name(&self, id: &str) -> String {
        self.agent
            .with_value(|agent| format::team(id, &agent.session.teams))
    }

    /// An agent's name from their id (the id itself for an account the page does not know).
    pub fn agent_name(&self, id: &str) -> String {
        self.agents.with(|agents| {
            agents
                .iter()
                .find(|(known, _)| known == id)
                .map_or_else(|| id.to_string(), |(_, name)| name.clone())
        })
    }
}

#[component]
pub fn Dashboard(
    agent: SignedIn,
    /// The location hash (without `#`); the page follows it.
    hash: Signal<String>,
) -> impl IntoView {
    let today = today();
    let view = Memo::new(move |_| ReportView::read(&hash.get()).unwrap_or_default());
    let query = Memo::new(move |_| view.with(|view| view.query(today)));
    let report = RwSignal::new(Load::Loading);
    let profile = agent.session.agent.clone();
    let agents = RwSignal::new(vec![(profile.id.clone(), profile.name.clone())]);
    if profile.role == AgentRole::Admin {
        let client = agent.client.clone();
        spawn_local(async move {
            if let Ok(list) = client.agents().await {
                agents.try_set(
                    list.agents
                        .into_iter()
                        .map(|agent| (agent.id, agent.name))
                        .collect(),
                );
            }
        });
    }
    let page = Page {
        agent: StoredValue::new(agent),
        view,
        query,
        report,
        agents,
    };
    // Each new query asks again; an answer to an older one is dropped. `shown` is the query string of the report
    // on screen (the page's `data-query`), so tools and tests know which view they read.
    let generation = StoredValue::new(0u32);
    let shown = RwSignal::new(String::new());
    Effect::new(move |_| {
        generation.update_value(|generation| *generation += 1);
        let asked = generation.get_value();
        shown.set(String::new());
        match query.get() {
            Err(message) => report.set(Load::Failed(message)),
            Ok(query) => {
                report.set(Load::Loading);
                let client = page.agent.with_value(|agent| agent.client.clone());
                spawn_local(async move {
                    let answer = client.metrics(&query).await;
                    if generation.try_get_value() != Some(asked) {
                        return;
                    }
                    report.try_set(match answer {
                        Ok(answer) => {
                            shown.try_set(paths::metrics_query(&query, None));
                            Load::Ready(answer)
                        }
                        Err(message) => {
                            Load::Failed(format!("Could not load the report: {message}"))
                        }
                    });
                });
            }
        }
    });
    let ready = move || matches!(report.get(), Load::Ready(_));
    let empty =
        move || report.with(|report| matches!(report, Load::Ready(r) if r.conversations == 0));
    view! {
        <main class="reports" data-testid="dashboard" aria-busy=move || (!ready()).to_string()
            data-query=move || shown.get()>
            <header class="reports-head">
                <h1>"Reports"</h1>
                <CsvExport page=page />
            </header>
            <Filters page=page />
            {move || match report.get() {
                Load::Loading => Some(view! {
                    <p class="reports-status" role="status" data-testid="dashboard-loading">"Loading the report…"</p>
                }.into_any()),
                Load::Failed(message) => Some(view! {
                    <p class="error" role="alert" data-testid="dashboard-error">{message}</p>
                }.into_any()),
                Load::Ready(report) => Some(view! {
                    <p class="reports-status" data-testid="dashboard-range">
                        {format!("{} to {}, days in {}", report.from, report.to, report.timezone)}
                    </p>
                }.into_any()),
            }}
            <Show when=empty>
                <p class="reports-empty" data-testid="dashboard-empty">
                    "No conversations in this range with these filters. Try a longer range or fewer filters."
                </p>
            </Show>
            <Show when=ready>
                <Cards page=page />
                <DrillPanel page=page />
                <div class="reports-grid">
                    <TimeSeries page=page />
                    <CountBars page=page kind=charts::Bars::Reason />
                    <CountBars page=page kind=charts::Bars::Team />
                    <CountBars page=page kind=charts::Bars::Intent />
                </div>
                <Heatmap page=page />
                <CampaignTable page=page />
                <TeamTable page=page />
                <div class="reports-grid">
                    <PageList page=page />
                    <UnansweredList page=page />
                </div>
            </Show>
        </main>
    }
}

/// The browser's date today (the range presets count from it).
fn today() -> day::Day {
    let now = js_sys::Date::new_0();
    day::Day::from_ymd(
        i64::from(now.get_full_year()),
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or(day::Day::EPOCH)
}

/// The loaded report, for parts shown only once it is there.
pub fn with_report<R>(page: &Page, read: impl FnOnce(&MetricsReport) -> R) -> Option<R> {
    page.report.with(|report| match report {
        Load::Ready(report) => Some(read(report)),
        _ => None,
    })
}
