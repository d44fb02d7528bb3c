//! What the generic path inferred from a header's shapes, for
//! `epy-codegen HEADER --explain`: one entry per parameter or typedef.
use super::Loc;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inferred {
    /// The rule's name (`output-buffer`, `bytes`, `array`, `utf16`).
    pub rule: &'static str,
    /// `function(param)`, or the typedef's name.
    pub subject: String,
    /// What it became for Python.
    pub result: String,
    pub loc: Loc,
}

impl fmt::Display for Inferred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {} → {}",
            self.loc, self.rule, self.subject, self.result
        )
    }
}
