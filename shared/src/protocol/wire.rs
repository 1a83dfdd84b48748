//! The compact binary encoding Baton uses where bytes cost: what every page view downloads (the widget's
//! configuration, `GET /v1/sites/{site}/widget` asked with `Accept:` [`MEDIA_TYPE`]) and the widget's copy of it in
//! `localStorage`. It is [postcard](https://postcard.jamesmunns.com/wire-format)'s wire format: fields in order
//! without names, integers as varints, enum variants by index. Decoding one needs no field-name matching and no
//! number parsing, so the widget's decoder is a fraction of a JSON decoder's code (`cargo xtask build` reports the
//! page-load weight).
//!
//! The types are the protocol's own (`WidgetConfig` and what it holds), serialised by [`to_bytes`] and read by
//! postcard's decoder ([`from_bytes`]). Two rules keep one set of types for JSON and for this encoding:
//! - A field skipped by `skip_serializing_if` (which the JSON leaves out) is written here as the single byte `0`,
//!   which is what postcard writes for `None`, an empty list or string, `false` and `0`: every such field in the
//!   protocol skips one of those, and [`to_bytes`] is the only encoder.
//! - An internally tagged enum (`{"kind": "scroll", "percent": 50}`) needs a self-describing format to decode, so
//!   such enums carried here (a campaign's `Trigger` and `Action`) encode as plain enums when the format is not
//!   human-readable (`campaign/tagged.rs`).
//!
//! Binary data (the compiled FAQ index) is written as it is here and as base64 in JSON ([`bytes`]). The tests hold
//! every site of `sites/` and `tests/sites/`, and every trigger and action, to a round trip.

mod base64;
mod ser;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The media type of this encoding, for `Accept` and `Content-Type`.
pub const MEDIA_TYPE: &str = "application/vnd.baton.wire";

/// `value` in the wire encoding.
pub fn to_bytes<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut writer = ser::Writer::default();
    // Writing to a `Vec` cannot fail, and the protocol's types have no `Serialize` that fails; a sequence of
    // unknown length (none in the protocol) is written as far as it goes and the decoder will refuse it.
    let _ = value.serialize(&mut writer);
    writer.into_bytes()
}

/// Decodes `bytes` written by [`to_bytes`]; the error says what did not fit, e.g. `"not Baton's wire encoding: the
/// data ends too early (in 120 bytes)"`.
pub fn from_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (value, rest) = postcard::take_from_bytes(bytes).map_err(|error| {
        format!(
            "not Baton's wire encoding: {} (in {} bytes)",
            describe(&error),
            bytes.len()
        )
    })?;
    if rest.is_empty() {
        Ok(value)
    } else {
        Err(format!(
            "not Baton's wire encoding: the value ends at byte {} of {}",
            bytes.len() - rest.len(),
            bytes.len()
        ))
    }
}

/// `bytes` as text (base64, standard alphabet, padded), for where only text goes: the widget's `localStorage` copy
/// and the studio's preview message.
pub fn to_text(bytes: &[u8]) -> String {
    base64::encode(bytes)
}

/// The bytes of [`to_text`]'s text.
pub fn from_text(text: &str) -> Result<Vec<u8>, String> {
    base64::decode(text).map_err(|error| format!("not base64 ({error})"))
}

/// `#[serde(with = "wire::bytes")]` on a `Vec<u8>`: base64 text in JSON (and any human-readable format), the bytes
/// as they are in the wire encoding, where base64 would only add a third.
pub mod bytes {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&super::base64::encode(bytes))
        } else {
            serializer.serialize_bytes(bytes)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_str(Base64)
        } else {
            deserializer.deserialize_byte_buf(Bytes)
        }
    }

    struct Base64;

    impl Visitor<'_> for Base64 {
        type Value = Vec<u8>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("base64 text")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
            super::base64::decode(text).map_err(|error| E::custom(format!("not base64 ({error})")))
        }
    }

    struct Bytes;

    impl Visitor<'_> for Bytes {
        type Value = Vec<u8>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("bytes")
        }

        fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
            Ok(bytes.to_vec())
        }

        fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(bytes)
        }
    }
}

fn describe(error: &postcard::Error) -> &'static str {
    use postcard::Error;
    match error {
        Error::DeserializeUnexpectedEnd => "the data ends too early",
        Error::DeserializeBadVarint => "a number is malformed",
        Error::DeserializeBadBool => "a yes/no is neither 0 nor 1",
        Error::DeserializeBadChar | Error::DeserializeBadUtf8 => "a text is not UTF-8",
        Error::DeserializeBadOption => "an optional value is neither 0 nor 1",
        Error::DeserializeBadEnum => "an unknown variant",
        Error::WontImplement => "a value this encoding cannot hold",
        _ => "a value is malformed",
    }
}

#[cfg(test)]
mod tests;
