//! What the reports page shows, kept in the address bar's `#reports&…` so a view can be shared and Back undoes a
//! change: the range (a preset or custom dates), the filters, the interval, and the figure drilled into. Plain data,
//! read and written purely (tested natively); a preset becomes dates only when the report is asked for, so a shared
//! "last 7 days" link means the last 7 days of whoever opens it.

use baton_shared::protocol::metrics::{
    ConversationRow, Figure, Interval, MAX_METRICS_DAYS, MetricsQuery,
};

use super::day::Day;

/// The first part of the reports page's hash: `#reports`.
pub const PAGE: &str = "reports";

/// The days a report covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Range {
    /// Today and the 6 days before.
    #[default]
    Last7,
    /// Today and the 29 days before.
    Last30,
    /// From the first of this month to today.
    ThisMonth,
    /// From and to (`YYYY-MM-DD`, both included), as the owner typed them.
    Custom { from: String, to: String },
}

impl Range {
    /// The name in the address bar (`range=last7`); custom ranges write their dates instead.
    pub fn name(&self) -> &'static str {
        match self {
            Range::Last7 => "last7",
            Range::Last30 => "last30",
            Range::ThisMonth => "month",
            Range::Custom { .. } => "custom",
        }
    }

    /// The first and last day (both included), `today` being the browser's date.
    pub fn days(&self, today: Day) -> Result<(Day, Day), String> {
        match self {
            Range::Last7 => Ok((today.plus(-6), today)),
            Range::Last30 => Ok((today.plus(-29), today)),
            Range::ThisMonth => Ok((today.first_of_month(), today)),
            Range::Custom { from, to } => {
                let from = Day::parse(from).ok_or("The start date is not a date.")?;
                let to = Day::parse(to).ok_or("The end date is not a date.")?;
                if from > to {
                    return Err("The start date is after the end date.".into());
                }
                if to.since(from) >= MAX_METRICS_DAYS {
                    return Err(format!("A report covers at most {MAX_METRICS_DAYS} days."));
                }
                Ok((from, to))
            }
        }
    }
}

/// A part of a figure's conversations: one interval of the series, one bar, one row or cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Narrow {
    /// The days of one interval (`YYYY-MM-DD`, both included).
    Days {
        from: String,
        to: String,
    },
    /// A handoff reason (its snake_case name).
    Reason(String),
    Team(String),
    /// An intent (its snake_case name).
    Intent(String),
    /// A page conversations started on.
    Page(String),
    /// A weekday (0 is Monday) and an hour of the day, in the site's timezone.
    Slot {
        weekday: u8,
        hour: u8,
    },
    /// A campaign, and one of its variants.
    Campaign {
        id: String,
        variant: Option<String>,
    },
}

/// The conversations behind a figure, or behind a part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    pub figure: Figure,
    pub narrow: Option<Narrow>,
}

/// Everything the reports page shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportView {
    pub range: Range,
    pub team: Option<String>,
    pub agent: Option<String>,
    pub intent: Option<String>,
    pub campaign: Option<String>,
    pub interval: Interval,
    pub drill: Option<Drill>,
}

impl ReportView {
    /// Reads a location hash (with or without its `#`): `None` unless it is the reports page.
    pub fn read(hash: &str) -> Option<ReportView> {
        let mut pairs = hash.trim_start_matches('#').split('&');
        if pairs.next() != Some(PAGE) {
            return None;
        }
        let mut view = ReportView::default();
        let (mut from, mut to, mut range) = (None, None, None);
        let (mut figure, mut by, mut value, mut variant) = (None, None, None, None);
        for pair in pairs {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value_here = decode(raw);
            let value_here = (!value_here.trim().is_empty()).then(|| value_here.trim().to_string());
            match name {
                "range" => range = value_here,
                "from" => from = value_here,
                "to" => to = value_here,
                "team" => view.team = value_here,
                "agent" => view.agent = value_here,
                "intent" => view.intent = value_here,
                "campaign" => view.campaign = value_here,
                "interval" if value_here.as_deref() == Some("week") => {
                    view.interval = Interval::Week;
                }
                "drill" => figure = value_here.as_deref().and_then(Figure::parse),
                "by" => by = value_here,
                "value" => value = value_here,
                "variant" => variant = value_here,
                _ => {}
            }
        }
        view.range = match (range.as_deref(), from, to) {
            (Some("last30"), _, _) => Range::Last30,
            (Some("month"), _, _) => Range::ThisMonth,
            (Some("last7"), _, _) => Range::Last7,
            (_, Some(from), Some(to)) => Range::Custom { from, to },
            _ => Range::Last7,
        };
        view.drill = figure.map(|figure| Drill {
            figure,
            narrow: by
                .zip(value)
                .and_then(|(by, value)| read_narrow(&by, value, variant)),
        });
        Some(view)
    }

    /// The hash that shows this view (without `#`), the inverse of [`ReportView::read`].
    pub fn hash(&self) -> String {
        let mut parts = vec![PAGE.to_string()];
        let mut push = |name: &str, value: &str| parts.push(format!("{name}={}", encode(value)));
        match &self.range {
            Range::Custom { from, to } => {
                push("from", from);
                push("to", to);
            }
            preset => push("range", preset.name()),
        }
        for (name, value) in [
            ("team", &self.team),
            ("agent", &self.agent),
            ("intent", &self.intent),
            ("campaign", &self.campaign),
        ] {
            if let Some(value) = value {
                push(name, value);
            }
        }
        if self.interval == Interval::Week {
            push("interval", "week");
        }
        if let Some(drill) = &self.drill {
            parts.push(drill.hash());
        }
        parts.join("&")
    }

    /// The report's query: the range resolved against `today`, the filters and the interval.
    pub fn query(&self, today: Day) -> Result<MetricsQuery, String> {
        let (from, to) = self.range.days(today)?;
        Ok(MetricsQuery {
            from: from.to_string(),
            to: to.to_string(),
            team: self.team.clone(),
            agent: self.agent.clone(),
            intent: self.intent.clone(),
            campaign: self.campaign.clone(),
            interval: self.interval,
        })
    }

    /// The same view with another drill-down (or none).
    pub fn drilled(&self, drill: Option<Drill>) -> ReportView {
        ReportView {
            drill,
            ..self.clone()
        }
    }
}

impl Drill {
    /// Its part of the hash: `drill=handoffs&by=team&value=sales`.
    pub fn hash(&self) -> String {
        let mut parts = vec![format!("drill={}", self.figure.name())];
        if let Some(narrow) = &self.narrow {
            let (by, value, variant) = write_narrow(narrow);
            parts.push(format!("by={by}"));
            parts.push(format!("value={}", encode(&value)));
            if let Some(variant) = variant {
                parts.push(format!("variant={}", encode(variant)));
            }
        }
        parts.join("&")
    }

    /// The query that lists this drill-down's conversations: the report's, narrowed where the API can narrow (an
    /// interval's days, a team, an intent, a campaign). Reasons, pages, weekday × hour slots and variants are
    /// narrowed in the browser ([`Narrow::keeps`]).
    pub fn query(&self, report: &MetricsQuery) -> MetricsQuery {
        let mut query = report.clone();
        match &self.narrow {
            Some(Narrow::Days { from, to }) => {
                query.from = from.clone();
                query.to = to.clone();
            }
            Some(Narrow::Team(team)) => query.team = Some(team.clone()),
            Some(Narrow::Intent(intent)) => query.intent = Some(intent.clone()),
            Some(Narrow::Campaign { id, .. }) => query.campaign = Some(id.clone()),
            _ => {}
        }
        query
    }
}

impl Narrow {
    /// Whether a listed conversation belongs to this part, for what the API does not narrow itself; `slot_of` gives
    /// the weekday (0 is Monday) and hour of an instant in the site's timezone.
    pub fn keeps(&self, row: &ConversationRow, slot_of: impl Fn(u64) -> Option<(u8, u8)>) -> bool {
        match self {
            Narrow::Reason(reason) => row.reason.as_deref() == Some(reason.as_str()),
            Narrow::Page(page) => row.page_url.as_deref().is_some_and(|url| {
                // Pages are counted without their query or fragment (which carry ids and tokens).
                let bare = &url[..url.find(['?', '#']).unwrap_or(url.len())];
                bare == page || path_of(bare) == page
            }),
            Narrow::Slot { weekday, hour } => slot_of(row.started_at_ms) == Some((*weekday, *hour)),
            Narrow::Campaign {
                variant: Some(variant),
                ..
            } => row.variant.as_deref() == Some(variant.as_str()),
            Narrow::Days { .. }
            | Narrow::Team(_)
            | Narrow::Intent(_)
            | Narrow::Campaign { variant: None, .. } => true,
        }
    }
}

/// A page's URL without its origin (`https://shop.example/pricing` → `/pricing`).
fn path_of(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => url,
    }
}

fn read_narrow(by: &str, value: String, variant: Option<String>) -> Option<Narrow> {
    Some(match by {
        "days" => {
            let (from, to) = value.split_once("..")?;
            Narrow::Days {
                from: from.to_string(),
                to: to.to_string(),
            }
        }
        "reason" => Narrow::Reason(value),
        "team" => Narrow::Team(value),
        "intent" => Narrow::Intent(value),
        "page" => Narrow::Page(value),
        "slot" => {
            let (weekday, hour) = value.split_once('-')?;
            let (weekday, hour) = (weekday.parse().ok()?, hour.parse().ok()?);
            (weekday < 7 && hour < 24).then_some(Narrow::Slot { weekday, hour })?
        }
        "campaign" => Narrow::Campaign { id: value, variant },
        _ => return None,
    })
}

fn write_narrow(narrow: &Narrow) -> (&'static str, String, Option<&str>) {
    match narrow {
        Narrow::Days { from, to } => ("days", format!("{from}..{to}"), None),
        Narrow::Reason(reason) => ("reason", reason.clone(), None),
        Narrow::Team(team) => ("team", team.clone(), None),
        Narrow::Intent(intent) => ("intent", intent.clone(), None),
        Narrow::Page(page) => ("page", page.clone(), None),
        Narrow::Slot { weekday, hour } => ("slot", format!("{weekday}-{hour}"), None),
        Narrow::Campaign { id, variant } => ("campaign", id.clone(), variant.as_deref()),
    }
}

/// Percent-encodes everything but unreserved characters (as the API's query strings are).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as a space); a broken escape is kept as written.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|b| (*b as char).to_digit(16))
                .map(|d| d as u8)
        };
        match bytes[i] {
            b'%' if hex(i + 1).is_some() && hex(i + 2).is_some() => {
                out.push(hex(i + 1).unwrap_or(0) * 16 + hex(i + 2).unwrap_or(0));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
