//! The page's own moments: a route change, a scroll, activity, which click selectors exist, the kind of device.

use super::*;

impl Campaigns {
    /// A single-page app changed route: a new page (its timers restart, its scroll is back at the top) when more
    /// than the fragment changed.
    pub(super) fn route_changed(self) {
        let url = location_href();
        let now = now_ms();
        let storage = self.storage();
        let changed = self.runner.update_value(|runner| {
            let runner = runner.as_mut()?;
            if visit::page_of(&runner.visit.url) == visit::page_of(&url) {
                return None;
            }
            runner.stored_visit = StoredVisit::page(Some(runner.stored_visit.clone()), &url, now);
            storage.write_wire(Entry::Visit, &runner.stored_visit);
            runner.visit.url = url;
            runner.visit.page_started_ms = now;
            runner.visit.scroll_percent = 0;
            runner.visit.last_activity_ms = now;
            Some(())
        });
        if changed.is_some() {
            self.check(Moment::Tick);
        }
    }

    /// The visitor scrolled (once per animation frame at most).
    pub(super) fn scrolled(self) {
        let percent = visit::scroll_percent();
        let check = self
            .runner
            .update_value(|runner| {
                let runner = runner.as_mut()?;
                runner.visit.last_activity_ms = now_ms();
                let further = percent > runner.visit.scroll_percent;
                if further {
                    runner.visit.scroll_percent = percent;
                }
                // Only a scroll campaign can start on a scroll.
                Some(
                    further
                        && self.with_campaigns(|campaigns| {
                            campaigns
                                .iter()
                                .any(|campaign| matches!(campaign.trigger, Trigger::Scroll { .. }))
                        }),
                )
            })
            .unwrap_or(false);
        if check {
            self.check(Moment::Tick);
        }
    }

    /// A scroll, click, key or pointer move.
    pub(super) fn active(self) {
        self.runner.update_value(|runner| {
            if let Some(runner) = runner.as_mut() {
                runner.visit.last_activity_ms = now_ms();
            }
        });
    }

    /// The selectors of the click campaigns, to test each click against.
    pub(super) fn click_selectors(self) -> Vec<(String, String)> {
        self.with_campaigns(|campaigns| {
            campaigns
                .iter()
                .filter_map(|campaign| match &campaign.trigger {
                    Trigger::Click { selector } => Some((campaign.id.clone(), selector.clone())),
                    _ => None,
                })
                .collect()
        })
    }

    pub(super) fn desktop(self) -> bool {
        self.runner.with_value(|runner| {
            runner.as_ref().is_some_and(|runner| {
                runner.visit.device == Some(baton_shared::campaign::Device::Desktop)
            })
        })
    }
}
