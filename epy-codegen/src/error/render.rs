//! [`Diagnostic`] → `codespan-reporting`: the file is read when the
//! diagnostic is shown (lossily, so a Latin-1 header still shows), and the
//! label spans the token at `line:col`.
use super::{Diagnostic, Severity};
use codespan_reporting::diagnostic::{self as cs, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};
use std::ffi::OsStr;
use std::io::{IsTerminal, Write};

/// Colour only on a terminal, and never when `NO_COLOR` is set to anything
/// but the empty string (<https://no-color.org>).
pub fn color_choice(terminal: bool, no_color: Option<&OsStr>) -> ColorChoice {
    if terminal && no_color.is_none_or(OsStr::is_empty) {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}

pub(super) fn eprint(diagnostics: &[Diagnostic]) {
    let choice = color_choice(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    );
    let stream = StandardStream::stderr(choice);
    let mut out = stream.lock();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out);
        }
        let (file, diagnostic) = lower(d);
        // A closed stderr leaves nobody to tell.
        let _ = term::emit_to_write_style(&mut out, &Config::default(), &file, &diagnostic);
    }
}

/// The rendering without colour.
pub(super) fn plain(d: &Diagnostic) -> String {
    let (file, diagnostic) = lower(d);
    term::emit_into_string(&Config::default(), &file, &diagnostic).unwrap_or_else(|_| {
        // Only a label outside its file fails, and `lower` clamps them.
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("{severity}: {}\n", d.message)
    })
}

/// The codespan file and diagnostic. The file is the source on disk; when it
/// cannot be read (or is shorter than the location), blank lines up to the
/// location stand in, so `file:line:col` is still shown.
fn lower(d: &Diagnostic) -> (SimpleFile<String, String>, cs::Diagnostic<()>) {
    let severity = match d.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
    };
    let diagnostic = cs::Diagnostic::new(severity)
        .with_message(&d.message)
        .with_notes(d.notes.clone());
    let Some(loc) = &d.loc else {
        return (SimpleFile::new(String::new(), String::new()), diagnostic);
    };
    let line = loc.line.max(1) as usize;
    let col = loc.col.max(1) as usize;
    let source = std::fs::read(&loc.file)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .filter(|s| s.lines().count() >= line)
        .unwrap_or_else(|| format!("{}{}", "\n".repeat(line - 1), " ".repeat(col)));
    let span = token_at(&source, line, col);
    let file = SimpleFile::new(loc.file.display().to_string(), source);
    let label = Label::primary((), span).with_message(&d.label);
    (file, diagnostic.with_labels(vec![label]))
}

/// The byte range of the token starting at 1-based `line` and byte `col`: an
/// identifier or number, a quoted string, else one character.
fn token_at(source: &str, line: usize, col: usize) -> std::ops::Range<usize> {
    let start_of_line: usize = source
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let text = source[start_of_line..].lines().next().unwrap_or("");
    let mut at = (col - 1).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let rest = &text[at..];
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let len = match rest.chars().next() {
        None => 0,
        Some(c) if word(c) => rest.find(|c| !word(c)).unwrap_or(rest.len()),
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |end| end + 2),
        Some(c) => c.len_utf8(),
    };
    start_of_line + at..start_of_line + at + len
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_on_a_terminal_without_no_color_only() {
        assert_eq!(color_choice(true, None), ColorChoice::Auto);
        assert_eq!(color_choice(true, Some(OsStr::new(""))), ColorChoice::Auto);
        assert_eq!(
            color_choice(true, Some(OsStr::new("1"))),
            ColorChoice::Never
        );
        assert_eq!(color_choice(false, None), ColorChoice::Never);
    }

    #[test]
    fn the_label_spans_the_token() {
        let src = "[functions.sumx]\nx = \"a b\" + 1\n";
        assert_eq!(&src[token_at(src, 1, 12)], "sumx");
        assert_eq!(&src[token_at(src, 2, 5)], "\"a b\"");
        assert_eq!(&src[token_at(src, 2, 11)], "+");
        assert_eq!(token_at(src, 2, 99), 30..30);
    }
}
