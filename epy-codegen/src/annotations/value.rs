//! Annotation values that are more than a string.
use crate::model::Encoding;
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
