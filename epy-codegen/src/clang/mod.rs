//! The only module that touches libclang: parses a header into the model.
//!
//! `parse_header` runs libclang, turns its errors into diagnostics, then walks
//! the translation unit once: `files` decides which files are the header's
//! own, `items` converts declarations (with `types` and `records`), `macros`
//! evaluates `#define` constants and `docs` cleans comments.

mod ctx;
mod docs;
mod files;
mod items;
mod macros;
mod records;
mod target;
mod types;

use crate::model::{Interface, Loc};
use crate::{Diagnostic, Errors, ParseOptions, Result};
use clang::diagnostic::Severity;
use clang::source::SourceLocation;
use clang::{Clang, Index, TranslationUnit};
use std::sync::Mutex;

/// The `clang` crate allows one `Clang` instance per process at a time;
/// parses (e.g. parallel tests) take turns.
static LIBCLANG: Mutex<()> = Mutex::new(());

/// Parses `opts.header` with libclang; clang errors become diagnostics with
/// locations before anything else runs.
pub fn parse_header(opts: &ParseOptions) -> Result<Interface> {
    let header = &opts.header;
    if let Err(e) = std::fs::metadata(header) {
        let msg = format!("cannot read header {}: {e}", header.display());
        return Err(Diagnostic::plain(msg).into());
    }
    let args = target::arguments(opts);
    let _turn = LIBCLANG.lock().unwrap_or_else(|p| p.into_inner());
    let clang = Clang::new().map_err(|e| Diagnostic::plain(format!("libclang: {e}")))?;
    let index = Index::new(&clang, false, false);
    let tu = index
        .parser(header)
        .arguments(&args)
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
    let mut iface = items::convert(&tu, header)?;
    iface.module = module_name(header);
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

/// The header's file stem as a Python identifier (`bench.h` → `bench`).
fn module_name(header: &std::path::Path) -> String {
    let stem = header
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let mut name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if PY_KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

const PY_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];
