//! User-facing diagnostics: `file:line:col: error: message`, the offending
//! source line and a caret. Collected per phase and shown all at once.
use crate::model::Loc;
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub loc: Option<Loc>,
    pub message: String,
}

impl Diagnostic {
    pub fn at(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            loc: Some(loc),
            message: message.into(),
        }
    }
    pub fn plain(message: impl Into<String>) -> Self {
        Diagnostic {
            loc: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(loc) = &self.loc else {
            return write!(f, "error: {}", self.message);
        };
        write!(f, "{loc}: error: {}", self.message)?;
        let line = std::fs::read_to_string(&loc.file).ok().and_then(|s| {
            s.lines()
                .nth(loc.line.saturating_sub(1) as usize)
                .map(str::to_owned)
        });
        if let Some(line) = line {
            let col = loc.col.max(1) as usize;
            let pad: String = line
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{:>5} | {line}\n      | {pad}^", loc.line)?;
        }
        Ok(())
    }
}

/// One or more diagnostics; the error type of every phase.
#[derive(Clone, Debug, PartialEq)]
pub struct Errors(pub Vec<Diagnostic>);

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors(vec![d])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

pub type Result<T> = std::result::Result<T, Errors>;
