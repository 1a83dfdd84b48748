//! A campaign's `trigger` and `action` are internally tagged in JSON (`{"kind": "scroll", "percent": 50}`), which
//! only a self-describing format can decode. In the wire encoding (`protocol/wire.rs`, not human-readable) they are
//! written as plain enums instead, by these `#[serde(with)]` functions; JSON is unchanged.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::model::{Action, Trigger};
use crate::vocab::FormField;

/// A type written in JSON with its derived (internally tagged) form, and in the wire encoding as its `Wire` twin.
pub trait Twin: Serialize + DeserializeOwned {
    type Wire: Serialize + DeserializeOwned + for<'a> From<&'a Self> + Into<Self>;
}

impl Twin for Trigger {
    type Wire = TriggerWire;
}

impl Twin for Action {
    type Wire = ActionWire;
}

/// `#[serde(with = "super::tagged::twin")]`.
pub mod twin {
    use super::*;

    pub fn serialize<T: Twin, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            value.serialize(serializer)
        } else {
            T::Wire::from(value).serialize(serializer)
        }
    }

    pub fn deserialize<'de, T: Twin, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        if deserializer.is_human_readable() {
            T::deserialize(deserializer)
        } else {
            T::Wire::deserialize(deserializer).map(Into::into)
        }
    }
}

/// `#[serde(with = "super::tagged::optional_twin")]`, for an `Option` (a variant's action).
pub mod optional_twin {
    use super::*;

    pub fn serialize<T: Twin, S: Serializer>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            value.serialize(serializer)
        } else {
            value.as_ref().map(T::Wire::from).serialize(serializer)
        }
    }

    pub fn deserialize<'de, T: Twin, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        if deserializer.is_human_readable() {
            Option::<T>::deserialize(deserializer)
        } else {
            Ok(Option::<T::Wire>::deserialize(deserializer)?.map(Into::into))
        }
    }
}

#[derive(Serialize, Deserialize)]
pub enum TriggerWire {
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
pub enum ActionWire {
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
