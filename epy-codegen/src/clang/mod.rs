//! The only module that touches libclang: parses a header into the model.
//!
//! `parse_header` runs libclang, turns its errors into diagnostics, then walks
//! the translation unit once: `files` decides which files are the header's
//! own, `items` converts declarations (with `types` and `records`), `macros`
//! evaluates `#define` constants and `docs` cleans comments.

mod docs;
mod files;
mod include_dirs;
mod items;
mod macros;
mod named;
mod records;
mod target;
mod types;
mod unsigned;
mod va_list;
mod walk;
mod wide;
mod wrapper;

use crate::model::{Interface, Loc, Type};
use crate::{Diagnostic, Errors, ParseOptions, Result};
use clang::diagnostic::Severity;
use clang::source::SourceLocation;
use clang::{Clang, Index, TranslationUnit, Unsaved};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// What a pack adds around the user's header.
#[derive(Clone, Debug, Default)]
pub struct Extras {
    /// Force-included before the header (types a foreign SDK header takes
    /// from `windows.h`); not the header's own.
    pub preludes: Vec<PathBuf>,
    /// Parsed after the header as if it included them (the pack's export
    /// declarations, for SDK headers that have none); the header's own.
    pub after: Vec<PathBuf>,
    /// Typedef name → the type it really is for the host.
    pub overrides: HashMap<String, Type>,
    /// Typedefs named like 16-bit characters are `WChar` (`crate::infer`).
    pub wide_chars: bool,
}

/// The `clang` crate allows one `Clang` instance per process at a time;
/// parses (e.g. parallel tests) take turns.
static LIBCLANG: Mutex<()> = Mutex::new(());

/// Parses `opts.header` with libclang; clang errors become diagnostics with
/// locations before anything else runs.
pub fn parse_header(opts: &ParseOptions, extras: &Extras) -> Result<Interface> {
    let header = &opts.header;
    for file in std::iter::once(header).chain(&extras.after) {
        if let Err(e) = std::fs::metadata(file) {
            let msg = format!("cannot read header {}: {e}", file.display());
            return Err(Diagnostic::plain(msg).into());
        }
    }
    let mut args = target::arguments(opts);
    for p in extras.preludes.iter().chain(&opts.force_includes) {
        args.push("-include".into());
        args.push(p.display().to_string());
    }
    // With declarations to add, the translation unit is a wrapper that
    // includes the header and then them (never written to disk).
    let (main, roots, wrapper) = if extras.after.is_empty() {
        (header.clone(), vec![], None)
    } else {
        let abs = |p: &PathBuf| p.canonicalize().unwrap_or_else(|_| p.clone());
        let roots: Vec<PathBuf> = std::iter::once(header)
            .chain(&extras.after)
            .map(abs)
            .collect();
        let text: String = roots
            .iter()
            .map(|r| format!("#include \"{}\"\n", r.display()))
            .collect();
        let dir = roots[0].parent().map(PathBuf::from).unwrap_or_default();
        let main = dir.join(".epy-wrapper.h");
        (main, roots, Some(text))
    };
    let unsaved: Vec<Unsaved> = wrapper
        .iter()
        .map(|text| Unsaved::new(&main, text))
        .collect();
    let _turn = LIBCLANG.lock().unwrap_or_else(|p| p.into_inner());
    let clang = Clang::new().map_err(|e| Diagnostic::plain(format!("libclang: {e}")))?;
    let index = Index::new(&clang, false, false);
    let tu = index
        .parser(&main)
        .arguments(&args)
        .unsaved(&unsaved)
        .detailed_preprocessing_record(true)
        .skip_function_bodies(true)
        .parse()
        .map_err(|e| {
            let msg = format!(
                "libclang could not parse {} with arguments {args:?}: {e}",
                header.display()
            );
            Diagnostic::plain(msg)
        })?;
    clang_errors(&tu)?;
    let dirs = include_dirs::UserDirs::of(opts);
    let mut iface = items::convert(&tu, &main, &roots, &dirs, extras)?;
    iface.module = module_name(header);
    iface.header = header
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(iface)
}

/// Clang's errors and fatal errors, all at once.
fn clang_errors(tu: &TranslationUnit) -> Result<()> {
    let errors: Vec<Diagnostic> = tu
        .get_diagnostics()
        .iter()
        .filter(|d| matches!(d.get_severity(), Severity::Error | Severity::Fatal))
        .map(|d| match loc_of(d.get_location()) {
            Some(loc) => Diagnostic::at(loc, d.get_text()),
            None => Diagnostic::plain(d.get_text()),
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

/// A model location, when the source location is in a file.
fn loc_of(at: SourceLocation) -> Option<Loc> {
    let l = at.get_file_location();
    Some(Loc {
        file: l.file?.get_path(),
        line: l.line,
        col: l.column,
    })
}

/// The stub module's name: the header's file name as a Python identifier
/// (`bench.h` → `bench_h`), so it never collides with a script named like
/// the header (`bench.py`); `_h` is appended to a name without extension.
fn module_name(header: &std::path::Path) -> String {
    let file = header
        .file_name()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let mut name: String = file
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if !file.contains('.') {
        name.push_str("_h");
    }
    name
}

/// Python's keywords: no type the stubs declare may be named like one.
const PY_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];
