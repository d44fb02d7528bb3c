//! What the generic path leaves out or reads differently than declared,
//! said once per declaration: `file:line:col: warning: message`, one line.
use super::Loc;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    pub loc: Option<Loc>,
    pub message: String,
}

impl Warning {
    pub fn at(loc: Loc, message: impl Into<String>) -> Self {
        Warning {
            loc: Some(loc).filter(|l| l.line > 0),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.loc {
            Some(loc) => write!(f, "{loc}: warning: {}", self.message),
            None => write!(f, "warning: {}", self.message),
        }
    }
}
