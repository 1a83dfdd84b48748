//! The model's summary for the agent, which must never hold up the visitor: once a turn has written a new handoff
//! package (with Baton's extractive summary) and stored the conversation, the room asks the site's model in the
//! background (`wait_until`), and the answer comes back to the room as a call of its own (`RoomCall::AiSummary`),
//! so it is put in the package under the turn lock, like every other change, and sent to the agents' sockets.

use baton_shared::config::{AiProvider, SiteConfig};
use baton_shared::conversation::Conversation;
use baton_shared::protocol::{AgentLiveEvent, AiSummary, HandoffPackage};
use baton_shared::summary::SummaryPrompt;
use worker::{Response, console_warn};

use super::ConversationRoom;
use crate::calls::room::{self, RoomCall};
use crate::calls::{self};
use crate::error::ApiError;
use crate::store::Kv;
use crate::{ai, clock};

impl ConversationRoom {
    /// Asks the site's model, in the background, to summarise the conversation `package` was just written for;
    /// nothing when the site has no model, or the package already has the model's summary.
    pub(super) fn summarize_soon(
        &self,
        config: &SiteConfig,
        package: &HandoffPackage,
        conversation: &Conversation,
    ) {
        if config.ai.provider == AiProvider::None || package.ai_summary.is_some() {
            return;
        }
        let prompt = SummaryPrompt::new(config, &conversation.transcript.messages, &package.fields);
        let env = self.env.clone();
        let config = config.clone();
        let conversation_id = package.conversation_id.clone();
        let handed_off_at_ms = package.handed_off_at_ms;
        self.state.wait_until(async move {
            let Some(summary) = ai::summarize(&env, &config, &prompt).await else {
                return;
            };
            let call = RoomCall::AiSummary {
                conversation_id: conversation_id.clone(),
                handed_off_at_ms,
                summary,
            };
            // No request times this: the platform's clock.
            let kept =
                room::ask::<bool>(&env, &config.id, &conversation_id, clock::system_ms(), call)
                    .await;
            if let Err(error) = kept {
                console_warn!(
                    "conversation {conversation_id}: the model's summary was lost: {error:?}"
                );
            }
        });
    }

    /// The model's summary arrived: into the package, if it is still the one of that handoff, and to every agent
    /// watching.
    pub(super) async fn ai_summary_arrived(
        &self,
        site_id: &str,
        conversation_id: &str,
        handed_off_at_ms: u64,
        summary: AiSummary,
    ) -> Result<Response, ApiError> {
        let _turn = self.turn.lock().await;
        let site = self.site(site_id, None).await?;
        let kv = Kv::from_env(&self.env)?;
        let package = kv
            .handoff_package(site_id, conversation_id)
            .await?
            .filter(|package| package.handed_off_at_ms == handed_off_at_ms);
        let Some(mut package) = package else {
            return calls::reply(&false);
        };
        package.ai_summary = Some(summary);
        kv.put_handoff_package(&site.config, &package).await?;
        let event = AgentLiveEvent::PackageChanged { package };
        if let Ok(text) = serde_json::to_string(&event) {
            for ws in self.state.get_websockets_with_tag("agent") {
                // A socket closing meanwhile is not an error for the others.
                let _ = ws.send_with_str(&text);
            }
        }
        calls::reply(&true)
    }
}
