//! The protocol's types written as JSON text by a serde serializer of a few lines: the widget's bodies, beacons and
//! copies are written without going through JavaScript objects (serde-wasm-bindgen's serializer keeps a cache of
//! field names in a hash map, whose code the page-load module would otherwise carry). Numbers but floats are
//! written by Rust's integer formatting; a float is written as `JSON.stringify` writes it in the browser
//! ([`float`]), so `NaN` and infinities are `null`, as serde_json writes them. Strings are escaped as JSON asks
//! (quotes, backslashes and control characters).

use std::fmt::{self, Display, Write};

use serde::ser::{self, Serialize};

pub use self::compound::Compound;

mod compound;

/// Why a value could not be written: a map key that is not text or a number, or a serializer's own error.
#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// `value` as JSON text.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let mut writer = Writer(String::new());
    value.serialize(&mut writer)?;
    Ok(writer.0)
}

/// The JSON text being written.
pub struct Writer(String);

impl Writer {
    pub(super) fn raw(&mut self, text: &str) -> Result<(), Error> {
        self.0.push_str(text);
        Ok(())
    }

    fn display(&mut self, value: impl Display) -> Result<(), Error> {
        write!(self.0, "{value}").map_err(|_| Error("a number could not be written".into()))
    }

    pub(super) fn string(&mut self, text: &str) -> Result<(), Error> {
        self.0.push('"');
        for c in text.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                '\n' => self.0.push_str("\\n"),
                '\r' => self.0.push_str("\\r"),
                '\t' => self.0.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.0, "\\u{:04x}", c as u32);
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
        Ok(())
    }

    /// `{"variant":` before a variant's value, closed by [`Compound::end_variant`] or here for a newtype.
    fn open_variant(&mut self, variant: &str) -> Result<(), Error> {
        self.0.push('{');
        self.string(variant)?;
        self.0.push(':');
        Ok(())
    }
}

/// A float as the browser's `JSON.stringify` writes it (`null` for `NaN` and infinities).
#[cfg(target_arch = "wasm32")]
fn float(value: f64) -> String {
    js_sys::JSON::stringify(&wasm_bindgen::JsValue::from_f64(value))
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| "null".into())
}

/// A float as Rust prints it, for the native tests (`null` for `NaN` and infinities, as in the browser).
#[cfg(not(target_arch = "wasm32"))]
fn float(value: f64) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        "null".into()
    }
}

/// The integer methods of the serializer: each number written as Rust prints it.
macro_rules! integers {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, value: $type) -> Result<(), Error> {
            self.display(value)
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.raw(if value { "true" } else { "false" })
    }

    integers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(value))
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        let text = float(value);
        self.raw(&text)
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        self.string(value.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.string(value)
    }

    /// Bytes as an array of numbers, as serde_json writes them (the protocol's bytes are base64 text in JSON).
    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        ser::Serializer::collect_seq(self, value)
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.raw("null")
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.raw("null")
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.raw("null")
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.raw("}")
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.0.push('[');
        Ok(Compound::new(self))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.open_variant(variant)?;
        Ok(self.serialize_seq(Some(len))?.in_variant())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.0.push('{');
        Ok(Compound::new(self))
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.open_variant(variant)?;
        Ok(self.serialize_map(Some(len))?.in_variant())
    }
}
