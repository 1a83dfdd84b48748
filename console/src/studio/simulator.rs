//! The campaign simulator: describe a visitor (page, referrer and UTM, device, new or returning, country, language,
//! time on the page and the site, scroll, what just happened, whether people are online) and see which of the
//! draft's campaigns would show, and for every other one why not: `shared`'s campaign evaluator, the one the widget
//! runs, on a made-up visit, with the campaigns the visitor saw, closed or converted on, and how many days ago.

use baton_shared::campaign::{
    self, CampaignState, Device, History, Moment, Staffed, Visit, WhyNot,
};
use baton_shared::handoff;
use leptos::prelude::*;

use super::Studio;
use super::bench::now_ms;

/// A visitor as the simulator's form describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Visitor {
    pub url: String,
    pub referrer: String,
    pub utm_source: String,
    pub utm_medium: String,
    pub utm_campaign: String,
    pub mobile: bool,
    pub returning: bool,
    pub country: String,
    pub language: String,
    pub seconds_on_page: u64,
    pub seconds_on_site: u64,
    pub scroll_percent: u8,
    pub people_online: bool,
    /// An event the page just tracked, or an exit intent (`exit`), or nothing.
    pub moment: String,
    /// What the visitor did with campaigns before, and how many days ago.
    pub past: Vec<PastCampaign>,
}

/// Something the visitor did with a campaign some days ago: seen it, closed it, or reached its goal after seeing it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastCampaign {
    pub id: String,
    pub was: CampaignState,
    pub days_ago: u64,
}

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

impl Default for Visitor {
    fn default() -> Visitor {
        Visitor {
            url: "https://shop.example/".into(),
            referrer: String::new(),
            utm_source: String::new(),
            utm_medium: String::new(),
            utm_campaign: String::new(),
            mobile: false,
            returning: false,
            country: String::new(),
            language: "en-GB".into(),
            seconds_on_page: 30,
            seconds_on_site: 60,
            scroll_percent: 0,
            people_online: true,
            moment: String::new(),
            past: Vec::new(),
        }
    }
}

impl Visitor {
    /// The visit the evaluator reads, at `now_ms`.
    pub fn visit(&self, now_ms: u64) -> Visit {
        let some = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_string());
        Visit {
            url: self.url.clone(),
            referrer: self.referrer.clone(),
            utm_source: some(&self.utm_source),
            utm_medium: some(&self.utm_medium),
            utm_campaign: some(&self.utm_campaign),
            visits: if self.returning { 2 } else { 1 },
            device: Some(if self.mobile {
                Device::Mobile
            } else {
                Device::Desktop
            }),
            language: self.language.clone(),
            country: some(&self.country.to_uppercase()),
            page_started_ms: now_ms.saturating_sub(self.seconds_on_page * 1000),
            visit_started_ms: now_ms
                .saturating_sub(self.seconds_on_site.max(self.seconds_on_page) * 1000),
            scroll_percent: self.scroll_percent.min(100),
            last_activity_ms: now_ms,
            ..Visit::default()
        }
    }

    /// The campaign history the evaluator reads, at `now_ms`: each campaign dismissed or converted was seen then
    /// too (once, unless also listed as seen), and each view counts towards the site's daily limit.
    pub fn history(&self, now_ms: u64) -> History {
        let mut history = History::default();
        for past in &self.past {
            let at_ms = now_ms.saturating_sub(past.days_ago * DAY_MS);
            let clocks = history.campaigns.get_or_default(&past.id);
            let latest = |known: Option<u64>| Some(known.map_or(at_ms, |known| known.max(at_ms)));
            match past.was {
                CampaignState::Seen => {}
                CampaignState::Dismissed => clocks.dismissed_ms = latest(clocks.dismissed_ms),
                CampaignState::Converted => clocks.converted_ms = latest(clocks.converted_ms),
            }
            if past.was == CampaignState::Seen || clocks.views == 0 {
                clocks.views += 1;
                history.shown_ms.push(at_ms);
            }
            clocks.last_view_ms = latest(clocks.last_view_ms);
        }
        history.shown_ms.sort_unstable();
        history
    }

    pub fn moment(&self) -> Moment {
        match self.moment.trim() {
            "" => Moment::Tick,
            "exit" => Moment::ExitIntent,
            name => Moment::Event {
                name: name.to_string(),
            },
        }
    }
}

/// Why a campaign is not shown, in words.
pub fn why_not(why: &WhyNot) -> &'static str {
    match why {
        WhyNot::NotLive => "it is not live (draft, paused or archived)",
        WhyNot::NotStarted => "its schedule has not started",
        WhyNot::Ended => "its schedule has ended",
        WhyNot::OutsideHours => "its business-hours rule does not hold now",
        WhyNot::PageNotMatched => "this page does not match its page rules",
        WhyNot::AudienceNotMatched => "this visitor is not in its audience",
        WhyNot::Staffing => "its staffing rule (people online or not) does not hold",
        WhyNot::ChatOpen => "the chat is open",
        WhyNot::PersonInConversation => "a person is in the conversation",
        WhyNot::QuietAfterChat => "the visitor chatted too recently",
        WhyNot::Frequency => "it was already shown as often as allowed",
        WhyNot::Dismissed => "the visitor closed it recently",
        WhyNot::Converted => "its goal was reached recently",
        WhyNot::SiteLimit => "the site's limit of campaigns per visit or day is reached",
        WhyNot::NotTriggered => "its trigger has not happened for this visitor",
        WhyNot::Outranked => "another campaign with a higher priority shows",
    }
}

#[component]
pub fn Simulator(studio: Studio) -> impl IntoView {
    let visitor = RwSignal::new(Visitor::default());
    let draft = Memo::new(move |_| studio.editor.config());
    let verdict = move || {
        let config = draft.get()?;
        let visitor = visitor.get();
        let now = now_ms();
        let teams_online: Vec<String> = if visitor.people_online {
            config
                .teams
                .iter()
                .map(|team| team.id.clone())
                .chain(["*".to_string()])
                .collect()
        } else {
            Vec::new()
        };
        let staffed = Staffed {
            teams_online,
            open: handoff::is_open(&config, now) || config.business_hours.is_empty(),
            unknown: false,
        };
        let result = campaign::evaluate(
            &config.campaigns,
            &config.campaign_limits,
            &visitor.visit(now),
            &visitor.history(now),
            &staffed,
            &visitor.moment(),
            "studio-simulator",
            now,
        );
        let name = |id: &str| {
            config
                .campaigns
                .iter()
                .find(|campaign| campaign.id == id)
                .map_or_else(
                    || id.to_string(),
                    |campaign| format!("{} ({id})", campaign.name),
                )
        };
        let shown = result.show.map(|pick| {
            let mut text = name(&pick.id);
            if let Some(variant) = pick.variant {
                text.push_str(&format!(", variant {variant}"));
            }
            if pick.held_out {
                text.push_str(
                    ": this visitor is in the holdout, so nothing shows (counted as the control)",
                );
            }
            (pick.id, text)
        });
        let others: Vec<(String, String, &'static str)> = result
            .not_shown
            .iter()
            .map(|(id, why)| (id.clone(), name(id), why_not(why)))
            .collect();
        Some((shown, others, staffed.open))
    };
    let text = move |label: &'static str,
                     read: fn(&Visitor) -> String,
                     write: fn(&mut Visitor, String)| {
        let id = format!("sim-{}", label.to_lowercase().replace(' ', "-"));
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id prop:value=move || visitor.with(read) data-testid=format!("studio-sim-{}", label.to_lowercase().replace(' ', "-"))
                    on:input=move |event| { let typed = event_target_value(&event); visitor.update(|visitor| write(visitor, typed)); } />
            </div>
        }
    };
    let number = move |label: &'static str,
                       read: fn(&Visitor) -> u64,
                       write: fn(&mut Visitor, u64)| {
        let id = format!("sim-{}", label.to_lowercase().replace(' ', "-"));
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input id=id type="number" min="0" prop:value=move || visitor.with(read).to_string()
                    on:input=move |event| if let Ok(number) = event_target_value(&event).parse() { visitor.update(|visitor| write(visitor, number)); } />
            </div>
        }
    };
    let check = move |label: &'static str,
                      read: fn(&Visitor) -> bool,
                      write: fn(&mut Visitor, bool)| {
        let id = format!("sim-{}", label.to_lowercase().replace(' ', "-"));
        view! {
            <span class="check">
                <input type="checkbox" id=id.clone() prop:checked=move || visitor.with(read)
                    on:change=move |event| { let on = event_target_checked(&event); visitor.update(|visitor| write(visitor, on)); } />
                <label for=id>{label}</label>
            </span>
        }
    };
    view! {
        <p class="help">"Describe a visitor: the simulator says which of the draft's campaigns would show now, and why \
            each other one would not. Say below what the visitor did with campaigns before, for audiences that ask and for \
            how often a campaign may show."</p>
        <form class="simulator" on:submit=|event| event.prevent_default()>
            <div class="row">
                {text("Page URL", |visitor| visitor.url.clone(), |visitor, value| visitor.url = value)}
                {text("Referrer", |visitor| visitor.referrer.clone(), |visitor, value| visitor.referrer = value)}
            </div>
            <div class="row">
                {text("UTM source", |visitor| visitor.utm_source.clone(), |visitor, value| visitor.utm_source = value)}
                {text("UTM medium", |visitor| visitor.utm_medium.clone(), |visitor, value| visitor.utm_medium = value)}
                {text("UTM campaign", |visitor| visitor.utm_campaign.clone(), |visitor, value| visitor.utm_campaign = value)}
            </div>
            <div class="row">
                {text("Country", |visitor| visitor.country.clone(), |visitor, value| visitor.country = value)}
                {text("Language", |visitor| visitor.language.clone(), |visitor, value| visitor.language = value)}
                {text("Event or exit", |visitor| visitor.moment.clone(), |visitor, value| visitor.moment = value)}
            </div>
            <div class="row">
                {number("Seconds on the page", |visitor| visitor.seconds_on_page, |visitor, value| visitor.seconds_on_page = value)}
                {number("Seconds on the site", |visitor| visitor.seconds_on_site, |visitor, value| visitor.seconds_on_site = value)}
                {number("Scrolled percent", |visitor| u64::from(visitor.scroll_percent), |visitor, value| visitor.scroll_percent = value.min(100) as u8)}
            </div>
            <div class="row">
                {check("On a phone", |visitor| visitor.mobile, |visitor, on| visitor.mobile = on)}
                {check("Returning visitor", |visitor| visitor.returning, |visitor, on| visitor.returning = on)}
                {check("People online", |visitor| visitor.people_online, |visitor, on| visitor.people_online = on)}
            </div>
            <p class="help">"Event or exit: the name of an event the page just tracked, or exit for an exit intent; empty when nothing happened."</p>
            <PastCampaigns studio=studio visitor=visitor />
        </form>
        {move || match verdict() {
            None => view! { <p class="problem" role="alert">"Fix the draft's problems to simulate its campaigns."</p> }.into_any(),
            Some((shown, others, open)) => view! {
                <div class="sim-result" data-testid="studio-sim-result" aria-live="polite">
                    <p class="muted">{if open { "Business hours: open now." } else { "Business hours: closed now." }}</p>
                    {match shown {
                        Some((id, text)) => view! { <p data-testid="studio-sim-shows" data-campaign=id><strong>"Shows: "</strong>{text}</p> }.into_any(),
                        None => view! { <p data-testid="studio-sim-shows" data-campaign=""><strong>"No campaign shows."</strong></p> }.into_any(),
                    }}
                    <ul>
                        {others.into_iter().map(|(id, name, why)| view! {
                            <li data-testid="studio-sim-why-not" data-campaign=id>{format!("{name}: not shown, {why}.")}</li>
                        }).collect_view()}
                    </ul>
                </div>
            }.into_any(),
        }}
    }
}

/// The visitor's campaign history: which campaigns they saw, closed or converted on, and how many days ago.
#[component]
fn PastCampaigns(studio: Studio, visitor: RwSignal<Visitor>) -> impl IntoView {
    let ids = move || {
        studio
            .editor
            .config()
            .map(|config| {
                config
                    .campaigns
                    .iter()
                    .map(|campaign| campaign.id.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let count = move || visitor.with(|visitor| visitor.past.len());
    let add = move |_| {
        let first = ids().into_iter().next().unwrap_or_default();
        visitor.update(|visitor| {
            visitor.past.push(PastCampaign {
                id: first,
                was: CampaignState::Seen,
                days_ago: 1,
            });
        });
    };
    view! {
        <fieldset data-testid="studio-sim-past">
            <legend>"Campaigns this visitor met before"</legend>
            {move || (0..count()).map(|index| {
                let edit = move |change: Box<dyn FnOnce(&mut PastCampaign)>| visitor.update(|visitor| {
                    if let Some(past) = visitor.past.get_mut(index) { change(past) }
                });
                let read = move || visitor.with(|visitor| visitor.past.get(index).cloned());
                let id = format!("sim-past-{index}");
                view! {
                    <div class="row" data-testid="studio-sim-past-item">
                        <div class="field">
                            <label for=format!("{id}-campaign")>"Campaign"</label>
                            <select id=format!("{id}-campaign") data-testid="studio-sim-past-campaign"
                                prop:value=move || read().map(|past| past.id).unwrap_or_default()
                                on:change=move |event| { let chosen = event_target_value(&event); edit(Box::new(move |past| past.id = chosen)); }>
                                {ids().into_iter().map(|id| view! { <option value=id.clone()>{id.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for=format!("{id}-was")>"What happened"</label>
                            <select id=format!("{id}-was") data-testid="studio-sim-past-was"
                                prop:value=move || match read().map(|past| past.was) {
                                    Some(CampaignState::Dismissed) => "dismissed",
                                    Some(CampaignState::Converted) => "converted",
                                    _ => "seen",
                                }
                                on:change=move |event| {
                                    let was = match event_target_value(&event).as_str() {
                                        "dismissed" => CampaignState::Dismissed,
                                        "converted" => CampaignState::Converted,
                                        _ => CampaignState::Seen,
                                    };
                                    edit(Box::new(move |past| past.was = was));
                                }>
                                <option value="seen">"seen it"</option>
                                <option value="dismissed">"closed it"</option>
                                <option value="converted">"reached its goal"</option>
                            </select>
                        </div>
                        <div class="field">
                            <label for=format!("{id}-days")>"Days ago"</label>
                            <input id=format!("{id}-days") type="number" min="0" data-testid="studio-sim-past-days"
                                prop:value=move || read().map_or(0, |past| past.days_ago).to_string()
                                on:input=move |event| {
                                    if let Ok(days) = event_target_value(&event).parse::<u64>() {
                                        edit(Box::new(move |past| past.days_ago = days));
                                    }
                                } />
                        </div>
                        <button type="button" class="remove" aria-label=format!("Remove past campaign {}", index + 1)
                            on:click=move |_| visitor.update(|visitor| { visitor.past.remove(index); })>"Remove"</button>
                    </div>
                }
            }).collect_view()}
            <button type="button" data-testid="studio-sim-past-add" on:click=add>"Add a campaign they met"</button>
        </fieldset>
    }
}
