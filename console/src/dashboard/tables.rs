//! The report's tables: conversations by weekday × hour (a grid shaded by volume, each cell listing its
//! conversations), the campaigns per variant with the holdout's goal rate beside, and the pages chats start on.

use baton_shared::protocol::metrics::{CampaignFigures, Figure};
use leptos::prelude::*;

use super::route::Narrow;
use super::{Page, definitions, format, with_report};

#[component]
pub fn Heatmap(page: Page) -> impl IntoView {
    let grid = move || with_report(&page, |report| report.heatmap.clone()).unwrap_or_default();
    let busiest = move || {
        grid()
            .iter()
            .flat_map(|hours| hours.iter().copied())
            .max()
            .unwrap_or(0)
    };
    view! {
        <figure class="chart wide" data-testid="dashboard-heatmap">
            <figcaption>
                <h2>"When conversations start"</h2>
                <p class="definition">{definitions::HEATMAP}</p>
            </figcaption>
            <div class="table-scroll">
                <table class="heatmap">
                    <thead><tr>
                        <td></td>
                        {(0..24).map(|hour| view! { <th scope="col">{format!("{hour:02}")}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {move || {
                            let busiest = busiest();
                            grid().into_iter().enumerate().take(7).map(|(weekday, hours)| view! {
                                <tr>
                                    <th scope="row">{format::WEEKDAYS[weekday]}</th>
                                    {hours.into_iter().enumerate().map(|(hour, count)| {
                                        let label = format!("{} {hour:02}:00: {count} conversations", format::WEEKDAYS[weekday]);
                                        let shade = if busiest == 0 { 0.0 } else { count as f64 / busiest as f64 };
                                        // At most 60 % of the accent under dark text: readable on every cell (WCAG AA).
                                        let background = if count == 0 {
                                            "#f1f3f2".to_string()
                                        } else {
                                            format!("rgba(31, 111, 92, {:.2})", 0.10 + shade * 0.50)
                                        };
                                        let narrow = Narrow::Slot { weekday: weekday as u8, hour: hour as u8 };
                                        view! {
                                            <td style:background-color=background data-count=count>
                                                {(count > 0).then(|| view! {
                                                    <button type="button" class="cell" title=label.clone() aria-label=label
                                                        data-testid="dashboard-heatmap-cell" data-slot=format!("{weekday}-{hour}")
                                                        on:click=move |_| page.drill(Figure::Conversations, Some(narrow.clone()))>
                                                        {count}
                                                    </button>
                                                })}
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}

/// The goal rate of a campaign's holdout, when it has one.
fn holdout_rate(campaigns: &[CampaignFigures], id: &str) -> Option<f64> {
    campaigns
        .iter()
        .find(|row| row.id == id && row.held_out)
        .map(|row| row.goal_rate)
}

/// The goal rate's difference with the holdout's, in percentage points ("+3.2 pts").
pub fn uplift(row: &CampaignFigures, holdout: Option<f64>) -> String {
    match holdout {
        Some(holdout) if !row.held_out && row.views > 0 => {
            let points = ((row.goal_rate - holdout) * 1000.0).round() / 10.0;
            format!("{points:+.1} pts")
        }
        _ => format::NONE.into(),
    }
}

#[component]
pub fn CampaignTable(page: Page) -> impl IntoView {
    let campaigns =
        move || with_report(&page, |report| report.campaigns.clone()).unwrap_or_default();
    view! {
        <section class="table-card wide" data-testid="dashboard-campaigns">
            <h2>"Campaigns"</h2>
            <p class="definition">{definitions::CAMPAIGNS}</p>
            {move || {
                let campaigns = campaigns();
                if campaigns.is_empty() {
                    return view! { <p class="chart-note">"No campaign was shown in this range."</p> }.into_any();
                }
                let rows = campaigns.iter().map(|row| {
                    let holdout = holdout_rate(&campaigns, &row.id);
                    let variant = if row.held_out {
                        "holdout (not shown)".to_string()
                    } else {
                        row.variant.clone().unwrap_or_else(|| "—".into())
                    };
                    let narrow = Narrow::Campaign { id: row.id.clone(), variant: row.variant.clone() };
                    let conversations = if row.held_out {
                        view! { <span>{format::count(row.conversations)}</span> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="link" data-testid="dashboard-campaign-conversations"
                                on:click=move |_| page.drill(Figure::Conversations, Some(narrow.clone()))>
                                {format::count(row.conversations)}
                            </button>
                        }.into_any()
                    };
                    view! {
                        <tr data-testid="dashboard-campaign-row" data-campaign=row.id.clone()
                            data-variant=row.variant.clone().unwrap_or_default() data-held-out=row.held_out.to_string()>
                            <th scope="row">{row.id.clone()}</th>
                            <td>{variant}</td>
                            <td>{format::count(row.views)}</td>
                            <td>{format::count(row.clicks)}</td>
                            <td>{format::count(row.dismissals)}</td>
                            <td>{format::count(row.leads)}</td>
                            <td>{conversations}</td>
                            <td>{format::count(row.handoffs)}</td>
                            <td>{format::count(row.goals)}</td>
                            <td data-testid="dashboard-campaign-goal-rate">{format::percent(row.goal_rate, row.views)}</td>
                            <td>{uplift(row, holdout)}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <div class="table-scroll">
                        <table>
                            <thead><tr>
                                <th scope="col">"Campaign"</th><th scope="col">"Variant"</th>
                                <th scope="col">"Views"</th><th scope="col">"Clicks"</th>
                                <th scope="col">"Dismissals"</th><th scope="col">"Leads"</th>
                                <th scope="col">"Conversations"</th><th scope="col">"Handoffs"</th>
                                <th scope="col">"Goals"</th><th scope="col">"Goal rate"</th>
                                <th scope="col">"vs holdout"</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn PageList(page: Page) -> impl IntoView {
    let pages = move || with_report(&page, |report| report.pages.clone()).unwrap_or_default();
    view! {
        <section class="table-card" data-testid="dashboard-pages">
            <h2>"Pages where chats start"</h2>
            <p class="definition">{definitions::PAGES}</p>
            {move || {
                let pages = pages();
                if pages.is_empty() {
                    return view! { <p class="chart-note">"No pages recorded in this range."</p> }.into_any();
                }
                view! {
                    <ol class="ranked">
                        {pages.into_iter().map(|entry| {
                            let narrow = Narrow::Page(entry.key.clone());
                            view! {
                                <li>
                                    <button type="button" class="link" data-testid="dashboard-page" data-page=entry.key.clone()
                                        on:click=move |_| page.drill(Figure::Conversations, Some(narrow.clone()))>
                                        <span class="key">{entry.key.clone()}</span>
                                        <strong>{format::count(entry.count)}</strong>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}
