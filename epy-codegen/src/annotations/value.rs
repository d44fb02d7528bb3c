//! Annotation values that are more than a string.
use crate::model::{Encoding, Type};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// `encoding = "utf-8" | "utf-16" | "bytes"`
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum EncodingName {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "utf-16")]
    Utf16,
    #[serde(rename = "bytes")]
    Bytes,
}

impl EncodingName {
    pub fn model(self) -> Encoding {
        match self {
            EncodingName::Utf8 => Encoding::Utf8,
            EncodingName::Utf16 => Encoding::Utf16,
            EncodingName::Bytes => Encoding::Bytes,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EncodingName::Utf8 => "utf-8",
            EncodingName::Utf16 => "utf-16",
            EncodingName::Bytes => "bytes",
        }
    }
}

/// `on-error = -1 | 0.5 | "CONSTANT_NAME"`
#[derive(Clone, Debug, PartialEq)]
pub enum OnError {
    Int(i64),
    Float(f64),
    /// A `#define` constant or an enumerator of the header.
    Name(String),
}

impl<'de> Deserialize<'de> for OnError {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = OnError;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer, a float or the name of a constant")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<OnError, E> {
                Ok(OnError::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<OnError, E> {
                i64::try_from(v)
                    .map(OnError::Int)
                    .map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<OnError, E> {
                Ok(OnError::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OnError, E> {
                Ok(OnError::Name(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// `[types] NAME = "utf-16" | "int8" … "uint64" | "pointer"`: what a typedef
/// really is for the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum TypeName {
    /// A 16-bit UTF-16 code unit: `NAME*` and `NAME[N]` are strings.
    #[serde(rename = "utf-16")]
    Utf16,
    #[serde(rename = "int8")]
    I8,
    #[serde(rename = "int16")]
    I16,
    #[serde(rename = "int32")]
    I32,
    #[serde(rename = "int64")]
    I64,
    #[serde(rename = "uint8")]
    U8,
    #[serde(rename = "uint16")]
    U16,
    #[serde(rename = "uint32")]
    U32,
    #[serde(rename = "uint64")]
    U64,
    /// `void *`.
    #[serde(rename = "pointer")]
    Pointer,
}

impl TypeName {
    pub fn model(self) -> Type {
        let int = |bits, signed| Type::Int { bits, signed };
        match self {
            TypeName::Utf16 => Type::WChar,
            TypeName::I8 => int(8, true),
            TypeName::I16 => int(16, true),
            TypeName::I32 => int(32, true),
            TypeName::I64 => int(64, true),
            TypeName::U8 => int(8, false),
            TypeName::U16 => int(16, false),
            TypeName::U32 => int(32, false),
            TypeName::U64 => int(64, false),
            TypeName::Pointer => Type::Pointer {
                pointee: Box::new(Type::Void),
                is_const: false,
            },
        }
    }
}

/// `handle = "required" | "optional"`
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandleKind {
    /// Must be a live handle; anything else is an error value.
    Required,
    /// NULL and -1 (`INVALID_HANDLE_VALUE`) arrive as `None`.
    Optional,
}

/// `calling-convention = "stdcall" | "cdecl"`
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConvName {
    Cdecl,
    Stdcall,
}

/// `receiver = "descriptor" | "handle"`
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReceiverName {
    /// A pointer to the descriptor: the object it was filled from.
    Descriptor,
    /// A handle: the object a `returns-handle` function gave out.
    Handle,
}
