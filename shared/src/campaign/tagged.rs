//! A campaign's `trigger` and `action` are internally tagged in JSON (`{"kind": "scroll", "percent": 50}`), which
//! only a self-describing format can decode. In the wire encoding (`protocol/wire.rs`, not human-readable) they are
//! written as plain enums instead, by these `#[serde(with)]` functions; JSON is unchanged.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{Action, Trigger};
use crate::vocab::FormField;

pub mod trigger {
    use super::*;

    pub fn serialize<S: Serializer>(trigger: &Trigger, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            trigger.serialize(serializer)
        } else {
            TriggerWire::from(trigger).serialize(serializer)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Trigger, D::Error> {
        if deserializer.is_human_readable() {
            Trigger::deserialize(deserializer)
        } else {
            TriggerWire::deserialize(deserializer).map(Trigger::from)
        }
    }
}

pub mod action {
    use super::*;

    pub fn serialize<S: Serializer>(action: &Action, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            action.serialize(serializer)
        } else {
            ActionWire::from(action).serialize(serializer)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Action, D::Error> {
        if deserializer.is_human_readable() {
            Action::deserialize(deserializer)
        } else {
            ActionWire::deserialize(deserializer).map(Action::from)
        }
    }
}

/// For a variant's `Option<Action>`.
pub mod optional_action {
    use super::*;

    pub fn serialize<S: Serializer>(
        action: &Option<Action>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            action.serialize(serializer)
        } else {
            action.as_ref().map(ActionWire::from).serialize(serializer)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Action>, D::Error> {
        if deserializer.is_human_readable() {
            Option::<Action>::deserialize(deserializer)
        } else {
            Ok(Option::<ActionWire>::deserialize(deserializer)?.map(Action::from))
        }
    }
}

#[derive(Serialize, Deserialize)]
enum TriggerWire {
    PageView,
    Dwell { seconds: u32 },
    SiteTime { seconds: u32 },
    Scroll { percent: u8 },
    ExitIntent,
    Inactivity { seconds: u32 },
    Click { selector: String },
    Event { name: String },
    Manual,
    AiStruggled,
    WaitingForPerson { seconds: u32 },
}

impl From<&Trigger> for TriggerWire {
    fn from(trigger: &Trigger) -> TriggerWire {
        match trigger.clone() {
            Trigger::PageView => TriggerWire::PageView,
            Trigger::Dwell { seconds } => TriggerWire::Dwell { seconds },
            Trigger::SiteTime { seconds } => TriggerWire::SiteTime { seconds },
            Trigger::Scroll { percent } => TriggerWire::Scroll { percent },
            Trigger::ExitIntent => TriggerWire::ExitIntent,
            Trigger::Inactivity { seconds } => TriggerWire::Inactivity { seconds },
            Trigger::Click { selector } => TriggerWire::Click { selector },
            Trigger::Event { name } => TriggerWire::Event { name },
            Trigger::Manual => TriggerWire::Manual,
            Trigger::AiStruggled => TriggerWire::AiStruggled,
            Trigger::WaitingForPerson { seconds } => TriggerWire::WaitingForPerson { seconds },
        }
    }
}

impl From<TriggerWire> for Trigger {
    fn from(trigger: TriggerWire) -> Trigger {
        match trigger {
            TriggerWire::PageView => Trigger::PageView,
            TriggerWire::Dwell { seconds } => Trigger::Dwell { seconds },
            TriggerWire::SiteTime { seconds } => Trigger::SiteTime { seconds },
            TriggerWire::Scroll { percent } => Trigger::Scroll { percent },
            TriggerWire::ExitIntent => Trigger::ExitIntent,
            TriggerWire::Inactivity { seconds } => Trigger::Inactivity { seconds },
            TriggerWire::Click { selector } => Trigger::Click { selector },
            TriggerWire::Event { name } => Trigger::Event { name },
            TriggerWire::Manual => Trigger::Manual,
            TriggerWire::AiStruggled => Trigger::AiStruggled,
            TriggerWire::WaitingForPerson { seconds } => Trigger::WaitingForPerson { seconds },
        }
    }
}

#[derive(Serialize, Deserialize)]
enum ActionWire {
    OpenChat {
        message: Option<String>,
        send: bool,
    },
    Handoff {
        team: String,
    },
    LeadForm {
        fields: Vec<FormField>,
        consent: Option<String>,
        team: Option<String>,
        thanks: String,
    },
    Link {
        url: String,
    },
}

impl From<&Action> for ActionWire {
    fn from(action: &Action) -> ActionWire {
        match action.clone() {
            Action::OpenChat { message, send } => ActionWire::OpenChat { message, send },
            Action::Handoff { team } => ActionWire::Handoff { team },
            Action::LeadForm {
                fields,
                consent,
                team,
                thanks,
            } => ActionWire::LeadForm {
                fields,
                consent,
                team,
                thanks,
            },
            Action::Link { url } => ActionWire::Link { url },
        }
    }
}

impl From<ActionWire> for Action {
    fn from(action: ActionWire) -> Action {
        match action {
            ActionWire::OpenChat { message, send } => Action::OpenChat { message, send },
            ActionWire::Handoff { team } => Action::Handoff { team },
            ActionWire::LeadForm {
                fields,
                consent,
                team,
                thanks,
            } => Action::LeadForm {
                fields,
                consent,
                team,
                thanks,
            },
            ActionWire::Link { url } => Action::Link { url },
        }
    }
}
