//! The sequences, maps and structs [`super::Writer`] writes: elements separated by commas, closed by `]` or `}`.

use serde::ser::{self, Serialize};

use super::{Error, Writer, to_string};

/// A sequence, map or struct being written: whether an element was written yet (so a comma goes before the next).
pub struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    /// Closed by `}}` instead of `}` or `]}` instead of `]`: the value of an enum's variant.
    variant: bool,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !std::mem::take(&mut self.first) {
            let _ = self.writer.raw(",");
        }
    }

    fn end_with(self, close: &str) -> Result<(), Error> {
        self.writer.raw(close)?;
        if self.variant {
            self.writer.raw("}")?;
        }
        Ok(())
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.comma();
        self.writer.string(key)?;
        self.writer.raw(":")?;
        value.serialize(&mut *self.writer)
    }
}

impl<'a> Compound<'a> {
    pub(super) fn new(writer: &'a mut Writer) -> Compound<'a> {
        Compound {
            writer,
            first: true,
            variant: false,
        }
    }

    /// The value of an enum's variant: closed by one more `}`.
    pub(super) fn in_variant(mut self) -> Compound<'a> {
        self.variant = true;
        self
    }
}

/// The four kinds of sequence serde has, written alike: `[` … `]`.
macro_rules! sequences {
    ($($kind:ident::$add:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Error;

            fn $add<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }

            fn end(self) -> Result<(), Error> {
                self.end_with("]")
            }
        }
    )*};
}

sequences!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    /// A key is text; a number or a unit variant key is written as its text, as serde_json does.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        let key = to_string(key)?;
        if key.starts_with('"') {
            self.writer.raw(&key)?;
        } else if key.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            self.writer.string(&key)?;
        } else {
            return Err(Error(format!("a map key must be text, not {key}")));
        }
        self.writer.raw(":")
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.end_with("}")
    }
}

/// A struct and a struct variant, written alike: `{` … `}` with the fields' names as keys.
macro_rules! structs {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), Error> {
                self.end_with("}")
            }
        }
    )*};
}

structs!(SerializeStruct, SerializeStructVariant);
