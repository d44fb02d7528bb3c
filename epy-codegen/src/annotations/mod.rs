//! The annotations file (TOML, strictly parsed): what a header cannot say.
//!
//! Every key is documented in `tests/headers/annotations-example.toml`.
//! Unknown keys and wrong value types are errors pointing into the file
//! (`load`); names that match nothing in the header are errors too
//! (`apply`), listing what would match.

mod apply;
mod value;

pub use apply::apply;
pub use value::{EncodingName, OnError};

use crate::model::Loc;
use crate::{Diagnostic, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A loaded annotations file; spans are byte ranges into `source`.
#[derive(Debug, Default)]
pub struct Annotations {
    pub path: PathBuf,
    pub source: String,
    pub file: AnnotationsFile,
}

/// The file's tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationsFile {
    /// `[functions.NAME]`
    #[serde(default)]
    pub functions: BTreeMap<Spanned<String>, FunctionAnn>,
}

/// `[functions.NAME]`: the function as a whole and its return value.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FunctionAnn {
    /// Encoding of a returned string pointer.
    pub encoding: Option<Spanned<EncodingName>>,
    /// Returned to the host when the Python function raises.
    pub on_error: Option<Spanned<OnError>>,
    /// `[functions.NAME.params.PARAM]`
    #[serde(default)]
    pub params: BTreeMap<Spanned<String>, ParamAnn>,
}

/// `[functions.NAME.params.PARAM]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ParamAnn {
    /// The pointer is a buffer of as many elements as this parameter says.
    pub length: Option<Spanned<String>>,
    /// The pointer is a string in this encoding.
    pub encoding: Option<Spanned<EncodingName>>,
}

/// Reads and validates an annotations file; unknown keys are errors with a location.
pub fn load(path: &Path) -> Result<Annotations> {
    let source = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::plain(format!("cannot read annotations {}: {e}", path.display()))
    })?;
    let mut ann = Annotations {
        path: path.to_path_buf(),
        source,
        file: AnnotationsFile::default(),
    };
    ann.file = toml::from_str(&ann.source).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        Diagnostic::at(ann.loc(at), e.message().trim_end())
    })?;
    Ok(ann)
}

impl Annotations {
    /// The file location of a byte offset (line and column from 1).
    pub fn loc(&self, offset: usize) -> Loc {
        let before = self.source.get(..offset).unwrap_or(&self.source);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Loc {
            file: self.path.clone(),
            line: line as u32,
            col: col as u32,
        }
    }

    pub(crate) fn error<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.loc(at.span().start), message)
    }
}
