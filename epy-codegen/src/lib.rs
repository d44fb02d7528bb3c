//! epy-codegen: C plugin header (+ annotations) → interface model → a Rust
//! cdylib crate of export stubs and a typed `.pyi` for the script's author.
//!
//! `clang` is the only module that touches libclang; `model` is the
//! language-neutral interface; `annotations` applies what a header cannot
//! say; `emit::rust` and `emit::python` lower the model to files.

pub mod annotations;
pub mod clang;
pub mod embedded;
pub mod emit;
pub mod error;
pub mod host_layout;
pub mod model;
pub mod pack;
pub mod tree;

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
    /// Target triple (`x86_64-unknown-linux-gnu`, `i686-pc-windows-msvc`, …); host when `None`.
    pub target: Option<String>,
    /// Annotations TOML file.
    pub annotations: Option<PathBuf>,
    /// Interface pack directory (see `pack`), applied before the annotations.
    pub pack: Option<PathBuf>,
}

/// Parses the header and applies the pack and the annotations.
pub fn parse(opts: &ParseOptions) -> Result<model::Interface> {
    let pack = opts.pack.as_deref().map(pack::Pack::load).transpose()?;
    let ann = opts
        .annotations
        .as_deref()
        .map(annotations::load)
        .transpose()?;
    let mut extras = pack
        .as_ref()
        .map(|p| p.extras(&opts.header))
        .unwrap_or_default();
    if let Some(a) = &ann {
        for (name, ty) in &a.file.types {
            extras
                .overrides
                .insert(name.get_ref().clone(), ty.get_ref().model());
        }
    }
    let mut iface = match clang::parse_header(opts, &extras) {
        // An SDK header that defines the prelude's types itself (differently:
        // `typedef unsigned long DWORD`) conflicts with it: read it without
        // the prelude; the pack's [types] still correct those types.
        Err(first) if !extras.preludes.is_empty() => {
            let alone = clang::Extras {
                preludes: vec![],
                ..extras.clone()
            };
            clang::parse_header(opts, &alone).map_err(|_| first)?
        }
        r => r?,
    };
    // An SDK header, not the pack's own: the pack's header says what the
    // host allocates and which constants the interface has.
    let host = match pack.as_ref().filter(|p| !p.is_own_header(&opts.header)) {
        Some(p) => Some(host_layout::host_interface(p, opts)?),
        None => None,
    };
    if let Some(h) = &host {
        host_layout::add_constants(h, &mut iface);
    }
    if let Some(p) = &pack {
        p.apply(&mut iface, opts.target.as_deref())?;
    }
    if let Some(a) = &ann {
        annotations::apply(a, &mut iface)?;
    }
    let restructs = |a: &annotations::Annotations| !a.file.structs.is_empty();
    if !extras.overrides.is_empty()
        || pack.as_ref().is_some_and(|p| restructs(&p.ann))
        || ann.as_ref().is_some_and(restructs)
    {
        model::relayout(&mut iface, opts.target.as_deref());
    }
    if let (Some(h), Some(p)) = (&host, &pack) {
        iface.warnings = host_layout::keep_records(h, p, &mut iface);
    }
    model::check_nesting(&iface)?;
    Ok(iface)
}
pub mod builder;
pub mod doublecmd;
pub mod install;
pub mod script;
pub mod starter;
