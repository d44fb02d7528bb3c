//! The generated cdylib crate: Cargo.toml, build.rs, src/lib.rs.
use crate::Result;
use crate::model::Interface;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct CrateConfig {
    /// Cargo package name; the library file is `lib<crate_name>.so`.
    pub crate_name: String,
    /// Path of the `epy-runtime` crate (absolute).
    pub runtime_path: PathBuf,
    /// Functions to export, in order; each must exist in the interface.
    pub exports: Vec<String>,
}

/// Files of the crate, relative to its root.
pub fn emit_crate(iface: &Interface, cfg: &CrateConfig) -> Result<Vec<(PathBuf, String)>> {
    todo!("{} {cfg:?}", iface.module)
}
