//! What the visitor and the page do to campaigns: close one, take its action, send its lead form, identify,
//! track an event, ask for one with `Baton('show')`.

use baton_shared::protocol::metrics::TrackGoal;

use super::*;

impl Campaigns {
    /// The visitor closed the campaign (button or Esc).
    pub fn dismiss(self) {
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        self.shown.set(None);
        self.change(&shown.id, Change::Dismissed);
        self.record(
            &shown.id,
            shown.variant.clone(),
            false,
            CampaignWhat::Dismissed,
            now_ms(),
        );
        emit(&shown.id, shown.variant.as_deref(), "dismissed");
        self.check(Moment::Tick);
    }

    /// The visitor clicked the campaign's button: its action is performed.
    pub fn act(self) {
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        self.shown.set(None);
        self.change(&shown.id, Change::Engaged);
        self.record(
            &shown.id,
            shown.variant.clone(),
            false,
            CampaignWhat::Clicked,
            now_ms(),
        );
        emit(&shown.id, shown.variant.as_deref(), "clicked");
        let campaign = Some(shown.campaign_ref());
        match shown.action {
            Action::OpenChat { message, send } => {
                self.conversation.open_with(message, send, campaign);
            }
            Action::Handoff { .. } => self.conversation.open_with(None, false, campaign),
            Action::Link { url } => {
                // The page goes: what is queued goes first.
                self.flush(true);
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&url);
                }
            }
            Action::LeadForm { .. } => {}
        }
    }

    /// Sends the shown campaign's lead form; `done` gets the thanks text, or the problem to show.
    pub fn submit_lead(
        self,
        form: SubmitForm,
        done: impl FnOnce(Result<String, String>) + 'static,
    ) {
        let Some(shown) = self.shown.get_untracked() else {
            return;
        };
        let Some(visitor) = self
            .runner
            .with_value(|runner| runner.as_ref().map(|runner| runner.visitor.clone()))
        else {
            return;
        };
        let body = SubmitLead {
            campaign: shown.id.clone(),
            variant: shown.variant.clone(),
            fields: form.fields.clone(),
            consent: form.consent,
            page_url: Some(location_href()),
            timezone: crate::session::browser_timezone(),
            visitor,
            turnstile_token: None,
        };
        spawn_local(async move {
            match self.conversation.api().submit_lead(&body).await {
                Ok(created) => {
                    // Not asked again by the pre-chat form, nor this consent if the chat's is the same text.
                    let consent = match &shown.action {
                        Action::LeadForm { consent, .. } if form.consent => consent.as_deref(),
                        _ => None,
                    };
                    Remembered::add(self.conversation.api().site_id(), &form.fields, consent);
                    self.change(&shown.id, Change::Engaged);
                    emit(&shown.id, shown.variant.as_deref(), "lead");
                    done(Ok(created.thanks));
                }
                Err(failure) => done(Err(failure.to_string())),
            }
        });
    }

    /// `Baton('identify', …)`: who the visitor is, for `identified` and `attribute` audiences.
    pub fn identify(self, identify: &Identify) {
        self.identity.update_value(|(identified, attributes)| {
            *identified |=
                identify.name.is_some() || identify.email.is_some() || identify.user_id.is_some();
            attributes.extend(identify.attributes.clone());
        });
        self.check(Moment::Tick);
    }

    /// `Baton('track', name, {value})`: a site goal goes to the metrics ledger; the campaign goals it reaches are
    /// recorded; then it may trigger a campaign.
    pub fn track(self, name: String, value: Option<f64>) {
        let now = now_ms();
        self.site_goal(&name, value);
        let reached = self
            .with_campaigns(|campaigns| {
                self.runner.with_value(|runner| {
                    let runner = runner.as_ref()?;
                    Some(goals_reached(
                        campaigns,
                        &runner.history,
                        &name,
                        &runner.visitor,
                        now,
                    ))
                })
            })
            .unwrap_or_default();
        for pick in reached {
            self.change(&pick.id, Change::Converted);
            self.record(
                &pick.id,
                pick.variant.clone(),
                pick.held_out,
                CampaignWhat::Goal,
                now,
            );
            emit(&pick.id, pick.variant.as_deref(), "goal");
        }
        self.check(Moment::Event { name });
    }

    /// `Baton('show', id, {force})`.
    pub fn show(self, id: String, force: bool) {
        self.check(Moment::Show { id, force });
    }

    /// Sends `name` to the ledger when it is one of the site's goals (a page's other events stay in the browser).
    fn site_goal(self, name: &str, value: Option<f64>) {
        let conversation = self.conversation;
        let is_goal = conversation.site.with_untracked(|site| {
            site.as_ref()
                .is_some_and(|site| site.goals.iter().any(|goal| goal == name))
        });
        if !is_goal {
            return;
        }
        let api = conversation.api();
        let tracked = TrackGoal {
            visitor: SiteStorage::for_site(api.site_id()).visitor_id(),
            goal: name.to_string(),
            value: value.filter(|value| value.is_finite() && *value >= 0.0),
            conversation_id: conversation.session.with_untracked(|session| {
                session
                    .as_ref()
                    .map(|session| session.conversation_id.clone())
            }),
        };
        if let Some(body) = baton_web::json::to_string(&tracked) {
            recorder::send(&api.goals_url(), &body);
        }
    }
}
