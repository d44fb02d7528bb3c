//! epy-codegen: C plugin header (+ annotations) → interface model → a Rust
//! cdylib crate of export stubs and a typed `.pyi` for the script's author.
//!
//! `clang` is the only module that touches libclang; `model` is the
//! language-neutral interface; `annotations` and `pack` apply what a header
//! cannot say; `plan` builds, once, everything the emitters read;
//! `emit::rust` and `emit::python` lower the plan to files.

pub mod annotations;
mod callables;
pub mod clang;
pub mod embedded;
pub mod emit;
pub mod error;
pub mod error_defaults;
pub mod host_layout;
pub mod infer;
pub mod model;
pub mod notes;
pub mod pack;
pub mod plan;
pub mod tree;
pub mod triple;

pub use error::{Diagnostic, Errors, Result};
use std::path::PathBuf;

/// How to read a header.
#[derive(Clone, Debug, Default)]
pub struct ParseOptions {
    pub header: PathBuf,
    /// `-I` directories.
    pub includes: Vec<PathBuf>,
    /// `-D` definitions (`NAME` or `NAME=VALUE`).
    pub defines: Vec<String>,
    /// `--include` files: force-included before the header, in order, as
    /// `#include "FILE"` (found beside the header, then in `-I` and system
    /// directories); what they declare is not the header's own.
    pub force_includes: Vec<PathBuf>,
    /// Target triple (`x86_64-unknown-linux-gnu`, `i686-pc-windows-msvc`, …); host when `None`.
    pub target: Option<String>,
    /// Infer annotations from unambiguous shapes (`infer`; the command
    /// line's default, off with `--no-infer`); never with a pack.
    pub infer: bool,
    /// Annotations TOML file.
    pub annotations: Option<PathBuf>,
    /// Interface pack directory (see `pack`), applied before the annotations.
    pub pack: Option<PathBuf>,
}

/// Parses the header and applies the pack and the annotations (the
/// interface of `plan::Plan::load`).
pub fn parse(opts: &ParseOptions) -> Result<model::Interface> {
    plan::Plan::load(opts).map(|p| p.iface)
}
pub mod ansi_wide;
pub mod build_report;
pub mod builder;
pub mod doublecmd;
pub mod doublecmd_named;
pub mod install;
pub mod install_named;
pub mod layer_exports;
pub mod script;
pub mod starter;
