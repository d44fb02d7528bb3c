//! The generated cdylib crate: `Cargo.toml`, `build.rs`, `src/lib.rs`.
//! `quote!` per item kind (`structs`, `spec`, `stubs`, `callbacks`), all
//! paths absolute (`::epy_runtime`, `::core`) so no C name can shadow them,
//! assembled and formatted with prettyplease here.
mod callbacks;
mod descriptors;
mod host_callables;
pub mod host_fns;
mod spec;
mod structs;
mod stubs;
mod trampolines;
mod typed_ptr;
mod types;

use crate::error::{Diagnostic, Errors, Result};
use crate::plan::Plan;
use proc_macro2::TokenStream;
use quote::quote;
use std::path::PathBuf;
use types::{Lookup, ident};

#[derive(Clone, Debug)]
pub struct CrateConfig {
    /// Cargo package name; the library file is `lib<crate_name>.so`.
    pub crate_name: String,
    /// Path of the `epy-runtime` crate (absolute).
    pub runtime_path: PathBuf,
    /// The library's file stem (`regexp` for `regexp.so`).
    pub library_stem: String,
}

/// Files of the crate, relative to its root.
pub fn crate_files(plan: &Plan, cfg: &CrateConfig) -> Result<Vec<(PathBuf, String)>> {
    Ok(vec![
        (PathBuf::from("Cargo.toml"), cargo_toml(cfg)),
        (PathBuf::from("build.rs"), BUILD_RS.to_owned()),
        (
            PathBuf::from("src/lib.rs"),
            lib_rs_named(plan, &cfg.library_stem)?,
        ),
    ])
}

/// In a pack's Rust source: the library's stem as SQLite derives an
/// extension's entry point from its file name (`sqlite3_<stem>_init`).
const LOAD_STEM: &str = "@LOAD_STEM@";

/// SQLite's rule: drop a leading `lib`, stop at the first `.`, keep the
/// ASCII letters, lowercased (`libcsv_rows.so` → `csvrows`).
pub fn load_stem(stem: &str) -> String {
    let s = match stem.get(..3) {
        Some(p) if p.eq_ignore_ascii_case("lib") => &stem[3..],
        _ => stem,
    };
    s.split('.')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The text of `src/lib.rs`: a stub per export of the plan, a no-op stub
/// per no-op (a pack's native code named as for a library called like the
/// header's module).
pub fn lib_rs(plan: &Plan) -> Result<String> {
    lib_rs_named(plan, &plan.iface.module)
}

/// The text of `src/lib.rs` for the library `<library_stem>.so`.
fn lib_rs_named(plan: &Plan, library_stem: &str) -> Result<String> {
    let (iface, exports, noops) = (&plan.iface, &plan.exports, &plan.noops);
    let cx = Lookup::new(plan);
    let mut errors = Vec::new();
    let mut stubs = Vec::new();
    let missing = |name: &String| {
        Diagnostic::plain(format!("`{name}` is not a function of {}", iface.module))
    };
    for (i, name) in exports.iter().enumerate() {
        match iface.function_named(name) {
            Some(f) => match stubs::emit_export(&cx, f, i) {
                Ok(t) => stubs.push(t),
                Err(Errors(e)) => errors.extend(e),
            },
            None => errors.push(missing(name)),
        }
    }
    for (i, name) in noops.iter().enumerate() {
        match iface.function_named(name) {
            Some(f) => stubs.push(stubs::emit_noop(&cx, f, i)),
            None => errors.push(missing(name)),
        }
    }
    let mut first = 0;
    for d in &iface.descriptors {
        match descriptors::emit_descriptor(&cx, d, first) {
            Ok(t) => stubs.push(t),
            Err(Errors(e)) => errors.extend(e),
        }
        first += d.methods.len();
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    let enums = iface.enums.iter().map(|e| spec::emit_enum(&cx, e));
    let callback_types = iface.callbacks.iter().map(|c| {
        let name = ident(&c.name);
        let ty = cx.fn_ptr(&c.sig);
        let doc = structs::doc_attr(c.doc.as_deref());
        quote!(#doc pub type #name = #ty;)
    });
    let structs = iface.structs.iter().map(|s| structs::emit_struct(&cx, s));
    let invokers = cx
        .callbacks
        .iter()
        .enumerate()
        .map(|(i, (_, sig))| callbacks::emit_invoker(&cx, i, sig));
    let trampolines = trampolines::emit_trampolines(&cx)?;
    let host_fns: Vec<_> = plan
        .host_fns
        .iter()
        .filter_map(|n| iface.function_named(n))
        .collect();
    let host_invokers = host_fns
        .iter()
        .enumerate()
        .map(|(i, f)| host_fns::emit_host_fn(&cx, i, f));
    let host_specs: Vec<_> = host_fns
        .iter()
        .enumerate()
        .map(|(i, f)| host_fns::host_fn_spec(i, f))
        .collect();
    let spec = spec::emit_spec(&cx, exports, &host_specs);
    let file: TokenStream = quote! {
        #![allow(non_snake_case, non_camel_case_types, non_upper_case_globals, dead_code, unused, unused_unsafe, clippy::all)]

        #(#enums)*
        #(#callback_types)*
        #(#structs)*
        #(#invokers)*
        #(#host_invokers)*
        #trampolines
        #spec
        #(#stubs)*
    };
    let parsed: syn::File = syn::parse2(file.clone()).map_err(|e| {
        Diagnostic::plain(format!(
            "internal error: generated code does not parse: {e}\n{file}"
        ))
    })?;
    let native = match &iface.native_rust {
        Some(text) => format!(
            "\n// The interface pack's native code.\n{}",
            text.replace(LOAD_STEM, &load_stem(library_stem))
        ),
        None => String::new(),
    };
    Ok(format!(
        "// @generated by epy-codegen from {}; do not edit.\n{}{native}",
        crate::emit::header_name(iface),
        prettyplease::unparse(&parsed)
    ))
}

fn cargo_toml(cfg: &CrateConfig) -> String {
    format!(
        r#"# @generated by epy-codegen; do not edit.
[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib"]
path = "src/lib.rs"

[dependencies]
epy-runtime = {{ path = "{runtime}" }}
# Direct dependency so the build script can ask pyo3-build-config for libpython.
pyo3-ffi = "0.30.1"

[build-dependencies]
pyo3-build-config = {{ version = "0.30.1", features = ["resolve-config"] }}

# Standalone: not part of any enclosing workspace.
[workspace]

[profile.release]
opt-level = 3
panic = "unwind"
debug = false
codegen-units = 4
"#,
        name = cfg.crate_name,
        runtime = cfg.runtime_path.display().to_string().replace('\\', "/"),
    )
}

const BUILD_RS: &str = r#"// @generated by epy-codegen; do not edit.
// Records where the Python this plugin is built for keeps libpython, so the
// loader finds that one (and not another of the same soname).
fn main() {
    let cfg = pyo3_build_config::get();
    if let Some(dir) = cfg.lib_dir() {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
}
"#;
