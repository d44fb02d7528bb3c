//! The annotations file (TOML, strictly parsed): what a header cannot say.
use crate::Result;
use crate::model::Interface;
use std::path::Path;

#[derive(Debug, Default)]
pub struct Annotations {}

/// Reads and validates an annotations file; unknown keys are errors with a location.
pub fn load(path: &Path) -> Result<Annotations> {
    todo!("{path:?}")
}

/// Applies annotations to the model; names that match nothing are errors.
pub fn apply(ann: &Annotations, iface: &mut Interface) -> Result<()> {
    todo!("{ann:?} {}", iface.module)
}
