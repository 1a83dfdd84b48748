//! Showing a pick and what follows it: the card on screen, the history's clocks, the events recorded and sent.

use super::*;

impl Campaigns {
    /// Records the pick's view (the control's, for a held-out visitor, who sees nothing) and shows it.
    pub(super) fn present(self, pick: Pick, now: u64) {
        // What the visitor sees of the campaign: its format, and its variant's content and action.
        let seen = self.with_campaigns(|campaigns| {
            let campaign = campaigns.iter().find(|campaign| campaign.id == pick.id)?;
            let variant = pick
                .variant
                .as_ref()
                .and_then(|id| campaign.variants.iter().find(|variant| &variant.id == id));
            let content = variant.map_or(&campaign.content, |variant| &variant.content);
            let action = variant
                .and_then(|variant| variant.action.as_ref())
                .unwrap_or(&campaign.action);
            Some((campaign.format, content.clone(), action.clone()))
        });
        let Some((format, content, action)) = seen else {
            return;
        };
        self.change(
            &pick.id,
            Change::Viewed {
                held_out: pick.held_out,
            },
        );
        self.record(
            &pick.id,
            pick.variant.clone(),
            pick.held_out,
            CampaignWhat::Shown,
            now,
        );
        if pick.held_out {
            return;
        }
        let from = content.from.as_ref().map(|from| {
            self.conversation.site.with_untracked(|site| {
                site.as_ref()
                    .and_then(|site| site.teams.iter().find(|team| &team.id == from))
                    .map_or(from.clone(), |team| team.name.clone())
            })
        });
        self.shown.set(Some(Shown {
            id: pick.id.clone(),
            variant: pick.variant.clone(),
            format,
            content,
            action,
            from,
        }));
        emit(&pick.id, pick.variant.as_deref(), "shown");
    }

    /// Updates a campaign's clocks and saves the history.
    pub(super) fn change(self, id: &str, change: Change) {
        let storage = self.storage();
        self.runner.update_value(|runner| {
            if let Some(runner) = runner.as_mut() {
                history::apply(&mut runner.history, id, change, now_ms());
                storage.write_wire(Entry::CampaignHistory, &runner.history);
            }
        });
    }

    /// Queues an event for the worker; a full batch goes now, else within 10 s.
    pub(super) fn record(
        self,
        id: &str,
        variant: Option<String>,
        held_out: bool,
        what: CampaignWhat,
        at_ms: u64,
    ) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let full = self
            .runner
            .update_value(|runner| {
                let runner = runner.as_mut()?;
                let full = runner.recorder.push(CampaignEvent {
                    campaign: id.to_string(),
                    variant,
                    held_out,
                    what,
                    at_ms,
                });
                if runner.recorder.first() {
                    runner.batch_timer = window
                        .set_timeout_with_callback_and_timeout_and_arguments_0(
                            &runner.flush,
                            recorder::BATCH_MS,
                        )
                        .ok();
                }
                Some(full)
            })
            .unwrap_or(false);
        if full {
            self.flush(false);
        }
    }

    /// Sends the queued events: with `sendBeacon` when the page is going (`leaving`), else `fetch(keepalive)`.
    pub fn flush(self, leaving: bool) {
        let url = self.conversation.api().campaign_events_url();
        let body = self.runner.update_value(|runner| {
            let runner = runner.as_mut()?;
            if let (Some(timer), Some(window)) = (runner.batch_timer.take(), web_sys::window()) {
                window.clear_timeout_with_handle(timer);
            }
            runner.recorder.take(&runner.visitor)
        });
        if let Some(body) = body {
            if leaving {
                recorder::beacon(&url, &body);
            } else {
                recorder::send(&url, &body);
            }
        }
    }
}
