//! The charts, drawn by leptos-chartistry: conversations, handoffs and AI-resolved conversations per interval, and
//! handoffs by reason, team and intent. A click on a chart lists its conversations; the table under each (the
//! chart's data, readable without sight) lists them per interval or per bar.
//!
//! Every chart is one `Chart<Row, f64, f64>`: the library's components are generic over the data, x and y types,
//! and each set of types is compiled again into the console, so one set keeps its weight down (interval indexes on
//! the x axis, labelled with their dates, rather than timestamps).

use baton_shared::protocol::metrics::{Figure, Interval, MetricsReport, SeriesPoint};
use leptos::prelude::*;
use leptos_chartistry::{
    AspectRatio, AxisMarker, Bar, Chart, Colour, IntoEdge, IntoInner, Line, Series, TickFormat,
    TickLabels, Tooltip, TooltipPlacement, XGuideLine, YGridLine,
};

use super::day::Day;
use super::route::Narrow;
use super::{Page, definitions, format, with_report};

/// The console's accent first, then colours that stay apart for colour-blind readers (Okabe–Ito).
const PALETTE: [Colour; 8] = [
    Colour::from_rgb(0x1f, 0x6f, 0x5c),
    Colour::from_rgb(0xe6, 0x9f, 0x00),
    Colour::from_rgb(0x56, 0xb4, 0xe9),
    Colour::from_rgb(0xcc, 0x79, 0xa7),
    Colour::from_rgb(0xd5, 0x5e, 0x00),
    Colour::from_rgb(0x00, 0x72, 0xb2),
    Colour::from_rgb(0x99, 0x99, 0x99),
    Colour::from_rgb(0x00, 0x00, 0x00),
];

/// The charts' text: 12 px, whose monospace characters are 7.2 px wide (the library lays labels out by it).
const FONT_HEIGHT: f64 = 12.0;
const FONT_WIDTH: f64 = 7.2;

/// The series' names and colours, in the legend under the chart (HTML, so it wraps on a narrow screen).
const LINES: [(&str, usize); 3] = [("Conversations", 0), ("Handoffs", 1), ("AI-resolved", 2)];

/// The y axis of counts: whole numbers only.
fn whole_numbers() -> TickLabels<f64> {
    TickLabels::aligned_floats().with_format(|y: &f64, _: &dyn TickFormat<Tick = f64>| {
        if y.fract() == 0.0 {
            format!("{y:.0}")
        } else {
            String::new()
        }
    })
}

/// What every chart reads: a position on the x axis and the values there (one per line or bar).
#[derive(Debug, Clone, PartialEq)]
struct Row {
    x: f64,
    values: Vec<f64>,
}

/// The value of line or bar `index` (0 where a row has none).
fn value(index: usize) -> impl Fn(&Row) -> f64 + Send + Sync + 'static {
    move |row: &Row| row.values.get(index).copied().unwrap_or(0.0)
}

/// An interval of the series with its last day (the day before the next one starts, or the report's end).
pub fn intervals(report: &MetricsReport) -> Vec<(SeriesPoint, String)> {
    let last = |index: usize| {
        report
            .series
            .get(index + 1)
            .and_then(|next| Day::parse(&next.start))
            .map_or_else(|| report.to.clone(), |next| next.plus(-1).to_string())
    };
    report
        .series
        .iter()
        .enumerate()
        .map(|(index, point)| (point.clone(), last(index)))
        .collect()
}

/// The label of x position `x` of the series: its interval's first day ("25 Nov", or `YYYY-MM-DD` when `long`),
/// on whole positions only.
pub fn interval_label(starts: &[Option<Day>], x: f64, long: bool) -> String {
    let index = x.round();
    if (x - index).abs() > 1e-9 || index < 0.0 {
        return String::new();
    }
    match starts.get(index as usize).copied().flatten() {
        Some(start) if long => start.to_string(),
        Some(start) => start.short(),
        None => String::new(),
    }
}

#[component]
pub fn TimeSeries(page: Page) -> impl IntoView {
    let starts: Vec<Option<Day>> = with_report(&page, |report| {
        report
            .series
            .iter()
            .map(|point| Day::parse(&point.start))
            .collect()
    })
    .unwrap_or_default();
    let points = Signal::derive(move || {
        with_report(&page, |report| {
            report
                .series
                .iter()
                .enumerate()
                .map(|(index, point)| Row {
                    x: index as f64,
                    values: vec![
                        point.conversations as f64,
                        point.handoffs as f64,
                        point.ai_resolved as f64,
                    ],
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default()
    });
    let series = Series::new(|row: &Row| row.x)
        .lines(LINES.map(|(name, index)| {
            Line::new(value(index))
                .with_name(name)
                .with_colour(PALETTE[index])
        }))
        .with_min_y(0.0);
    let label = move |long: bool| {
        let starts = starts.clone();
        move |x: &f64, _: &dyn TickFormat<Tick = f64>| interval_label(&starts, *x, long)
    };
    // At least six characters a label ("25 Nov"), so they never overlap.
    let days = TickLabels::aligned_floats()
        .with_min_chars(6)
        .with_format(label(false));
    let tooltip = Tooltip::new(
        TooltipPlacement::LeftCursor,
        TickLabels::aligned_floats().with_format(label(true)),
        TickLabels::aligned_floats(),
    );
    let rows = move || with_report(&page, intervals).unwrap_or_default();
    let plotted = move || points.with(Vec::len) >= 2;
    let week = move || page.view.with(|view| view.interval == Interval::Week);
    view! {
        <figure class="chart wide" data-testid="dashboard-chart" data-chart="series">
            <figcaption>
                <h2>{move || if week() { "Conversations per week" } else { "Conversations per day" }}</h2>
                <p class="definition">{definitions::SERIES}</p>
            </figcaption>
            <Show when=plotted fallback=|| view! {
                <p class="chart-note">"A chart needs two intervals or more: the table below has the figures."</p>
            }>
                <div class="chart-area" role="button" tabindex="0" data-testid="dashboard-chart-area"
                    aria-label="Conversations per interval: list the conversations"
                    on:click=move |_| page.drill(Figure::Conversations, None)
                    on:keydown=move |event| if event.key() == "Enter" { page.drill(Figure::Conversations, None) }>
                    <Chart
                        aspect_ratio=AspectRatio::from_env_width(240.0)
                        series=series.clone()
                        data=points
                        font_height=FONT_HEIGHT
                        font_width=FONT_WIDTH
                        left=whole_numbers()
                        bottom=vec![days.clone().into_edge()]
                        inner=[
                            AxisMarker::left_edge().into_inner(),
                            AxisMarker::bottom_edge().into_inner(),
                            YGridLine::default().into_inner(),
                            XGuideLine::over_data().into_inner(),
                        ]
                        tooltip=tooltip.clone()
                    />
                </div>
                <ul class="series-keys" aria-hidden="true">
                    {LINES.map(|(name, index)| view! {
                        <li><span class="swatch" style:background=PALETTE[index].to_string()></span>{name}</li>
                    }).collect_view()}
                </ul>
            </Show>
            <details class="chart-data">
                <summary>"Figures per interval"</summary>
                <table data-testid="dashboard-series-table">
                    <thead><tr><th scope="col">"From"</th><th scope="col">"Conversations"</th>
                        <th scope="col">"Handoffs"</th><th scope="col">"AI-resolved"</th></tr></thead>
                    <tbody>
                        {move || rows().into_iter().map(|(point, last)| {
                            let start = point.start.clone();
                            let cell = move |figure: Figure, value: u64| {
                                let narrow = Narrow::Days { from: start.clone(), to: last.clone() };
                                view! { <td><button type="button" class="link" data-testid="dashboard-series-cell"
                                    data-figure=figure.name() data-start=start.clone()
                                    on:click=move |_| page.drill(figure, Some(narrow.clone()))>{format::count(value)}</button></td> }
                            };
                            view! {
                                <tr>
                                    <th scope="row">{point.start.clone()}</th>
                                    {cell(Figure::Conversations, point.conversations)}
                                    {cell(Figure::Handoffs, point.handoffs)}
                                    {cell(Figure::AiResolved, point.ai_resolved)}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// Which counts a bar chart shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bars {
    Reason,
    Team,
    Intent,
}

impl Bars {
    fn title(self) -> &'static str {
        match self {
            Bars::Reason => "Handoffs by reason",
            Bars::Team => "Handoffs by team",
            Bars::Intent => "Handoffs by intent",
        }
    }

    fn definition(self) -> &'static str {
        match self {
            Bars::Reason => definitions::BY_REASON,
            Bars::Team => definitions::BY_TEAM,
            Bars::Intent => definitions::INTENTS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Bars::Reason => "reason",
            Bars::Team => "team",
            Bars::Intent => "intent",
        }
    }

    /// `(key, label, count)`, most first.
    fn counts(
        self,
        report: &MetricsReport,
        teams: &[(String, String)],
    ) -> Vec<(String, String, u64)> {
        let mut counts: Vec<(String, String, u64)> = match self {
            Bars::Reason => report
                .handoffs
                .by_reason
                .iter()
                .map(|(key, count)| (key.clone(), format::reason(key), *count))
                .collect(),
            Bars::Team => report
                .handoffs
                .by_team
                .iter()
                .map(|(key, count)| (key.clone(), format::team(key, teams), *count))
                .collect(),
            Bars::Intent => report
                .handoffs
                .by_intent
                .iter()
                .map(|(key, count)| (key.clone(), format::intent(key), *count))
                .collect(),
        };
        counts.retain(|(_, _, count)| *count > 0);
        counts.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    fn narrow(self, key: String) -> Narrow {
        match self {
            Bars::Reason => Narrow::Reason(key),
            Bars::Team => Narrow::Team(key),
            Bars::Intent => Narrow::Intent(key),
        }
    }
}

/// Handoffs counted by one key: one bar per key (in one group, so each has its colour and name in the tooltip),
/// and the keys as a list whose items list their conversations.
#[component]
pub fn CountBars(page: Page, kind: Bars) -> impl IntoView {
    let teams = page.teams();
    let counts = Memo::new(move |_| {
        with_report(&page, |report| kind.counts(report, &teams)).unwrap_or_default()
    });
    let chart = move || {
        let counts = counts.get();
        if counts.is_empty() {
            return view! { <p class="chart-note">"No handoffs in this range."</p> }.into_any();
        }
        let row = Row {
            x: 0.0,
            values: counts.iter().map(|(_, _, count)| *count as f64).collect(),
        };
        let data = Signal::derive(move || vec![row.clone()]);
        let mut series = Series::new(|row: &Row| row.x).with_min_y(0.0);
        for (index, (_, label, _)) in counts.iter().enumerate() {
            series = series.bar(
                Bar::new(value(index))
                    .with_name(label.clone())
                    .with_colour(PALETTE[index % PALETTE.len()]),
            );
        }
        let tooltip = Tooltip::new(
            TooltipPlacement::LeftCursor,
            TickLabels::aligned_floats(),
            TickLabels::aligned_floats(),
        )
        .show_x_ticks(false);
        view! {
            <div class="chart-area" role="button" tabindex="0" data-testid="dashboard-chart-area"
                aria-label=format!("{}: list the conversations", kind.title())
                on:click=move |_| page.drill(Figure::Handoffs, None)
                on:keydown=move |event| if event.key() == "Enter" { page.drill(Figure::Handoffs, None) }>
                <Chart
                    aspect_ratio=AspectRatio::from_env_width(200.0)
                    series=series
                    data=data
                    font_height=FONT_HEIGHT
                    font_width=FONT_WIDTH
                    left=whole_numbers()
                    inner=[AxisMarker::bottom_edge().into_inner(), YGridLine::default().into_inner()]
                    tooltip=tooltip
                />
            </div>
        }
        .into_any()
    };
    view! {
        <figure class="chart" data-testid="dashboard-chart" data-chart=kind.name()>
            <figcaption>
                <h2>{kind.title()}</h2>
                <p class="definition">{kind.definition()}</p>
            </figcaption>
            {chart}
            <ul class="bar-keys">
                {move || counts.get().into_iter().enumerate().map(|(index, (key, label, count))| {
                    let colour = PALETTE[index % PALETTE.len()].to_string();
                    let narrow = kind.narrow(key.clone());
                    view! {
                        <li>
                            <button type="button" class="link" data-testid="dashboard-bar" data-key=key
                                on:click=move |_| page.drill(Figure::Handoffs, Some(narrow.clone()))>
                                <span class="swatch" style:background=colour aria-hidden="true"></span>
                                {label}": "<strong>{format::count(count)}</strong>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </figure>
    }
}
