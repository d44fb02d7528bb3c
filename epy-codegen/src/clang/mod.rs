//! The only module that touches libclang: parses a header into the model.
use crate::model::Interface;
use crate::{ParseOptions, Result};

/// Parses `opts.header` with libclang; clang errors become diagnostics with
/// locations before anything else runs.
pub fn parse_header(opts: &ParseOptions) -> Result<Interface> {
    todo!("{opts:?}")
}
