//! User-facing diagnostics, rendered by `codespan-reporting` in its Rich
//! style: `error: message`, the `┌─ file:line:col` location, the source line
//! with a label under the span, then `= help:` / `= note:` lines. Errors are
//! collected per phase and shown all at once; a warning is the same type,
//! printed at once with [`Diagnostic::eprint`].
use crate::model::Loc;
use std::fmt;

mod render;
mod suggest;

pub use render::color_choice;
pub use suggest::{closest, unknown_in};

/// How bad it is: an error stops the build, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Option<Loc>,
    pub message: String,
    /// Shown under the span in the source line (empty: the marks alone).
    pub label: String,
    /// `help: …` and `note: …` lines, in order.
    pub notes: Vec<String>,
}

impl Diagnostic {
    fn new(severity: Severity, loc: Option<Loc>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            loc,
            message: message.into(),
            label: String::new(),
            notes: Vec::new(),
        }
    }
    /// An error at a place in a file.
    pub fn at(loc: Loc, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, Some(loc), message)
    }
    /// An error about no place in particular.
    pub fn plain(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, None, message)
    }
    /// A warning, at a place when there is one (print it with [`Self::eprint`]).
    pub fn warning(loc: Option<Loc>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, loc, message)
    }
    /// The text under the span.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
    /// A `= help: …` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.notes.push(format!("help: {}", help.into()));
        self
    }
    /// A `= note: …` line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(format!("note: {}", note.into()));
        self
    }
    /// `= help: did you mean `x`?` when one of `names` is close to `wanted`
    /// (ranked by edit distance, see [`closest`]); unchanged otherwise.
    pub fn suggest<S: AsRef<str>>(self, wanted: &str, names: &[S]) -> Self {
        match closest(wanted, names) {
            Some(name) => self.help(format!("did you mean `{name}`?")),
            None => self,
        }
    }
    /// For serde's "unknown field/variant `x`, expected …" messages: `= help:
    /// did you mean …` with the nearest expected name.
    pub fn suggest_expected(self) -> Self {
        let nearest =
            unknown_in(&self.message).and_then(|(w, names)| closest(w, &names).map(str::to_owned));
        match nearest {
            Some(name) => self.help(format!("did you mean `{name}`?")),
            None => self,
        }
    }
    /// Writes the diagnostic to stderr, coloured when stderr is a terminal
    /// and `NO_COLOR` is not set.
    pub fn eprint(&self) {
        render::eprint(std::slice::from_ref(self));
    }
}

/// Without colour, as the terminal shows it.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(render::plain(self).trim_end())
    }
}

/// One or more diagnostics; the error type of every phase.
#[derive(Clone, Debug, PartialEq)]
pub struct Errors(pub Vec<Diagnostic>);

impl Errors {
    /// Writes every diagnostic to stderr (colour as [`Diagnostic::eprint`]).
    pub fn eprint(&self) {
        render::eprint(&self.0);
    }
}

impl From<Diagnostic> for Errors {
    fn from(d: Diagnostic) -> Self {
        Errors(vec![d])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

pub type Result<T> = std::result::Result<T, Errors>;

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(file: &std::path::Path, line: u32, col: u32) -> Loc {
        Loc {
            file: file.to_path_buf(),
            line,
            col,
        }
    }

    #[test]
    fn a_warning_shows_its_place_line_label_and_help() {
        let file = std::env::temp_dir().join(format!("epy-warning-{}.h", std::process::id()));
        std::fs::write(
            &file,
            "int ok(void);\nint log_printf(const char *fmt, ...);\n",
        )
        .unwrap();
        let w = Diagnostic::warning(Some(loc(&file, 2, 5)), "function `log_printf` is variadic")
            .label("left out")
            .help("declare a fixed-argument wrapper");
        let text = w.to_string();
        std::fs::remove_file(&file).unwrap();
        let at = format!("┌─ {}:2:5\n", file.display());
        assert!(
            text.starts_with("warning: function `log_printf` is variadic\n") && text.contains(&at),
            "{text}"
        );
        assert!(
            text.contains("2 │ int log_printf(const char *fmt, ...);\n"),
            "{text}"
        );
        assert!(text.contains("  │     ^^^^^^^^^^ left out\n"), "{text}");
        assert!(
            text.ends_with("= help: declare a fixed-argument wrapper"),
            "{text}"
        );
    }

    #[test]
    fn without_a_file_or_a_place_the_location_still_shows() {
        let gone = Diagnostic::at(loc(std::path::Path::new("/no/such/x.h"), 3, 5), "gone");
        let text = gone.to_string();
        assert!(
            text.starts_with("error: gone\n") && text.contains("┌─ /no/such/x.h:3:5\n"),
            "{text}"
        );
        let plain = Diagnostic::plain("no HEADER").note("see --help");
        assert_eq!(plain.to_string(), "error: no HEADER\n = note: see --help");
    }
}
