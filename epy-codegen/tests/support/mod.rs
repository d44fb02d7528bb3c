//! Finding one diagnostic in what epy-codegen printed (codespan's Rich form:
//! `error: message`, `┌─ file:line:col`, the source line with its label,
//! `= help: …` / `= note: …`).
#![allow(dead_code)] // each test binary uses what it needs

/// The diagnostic whose first line starts with `head` (`error: no function
/// …`) and whose `┌─` location ends with `at` (`file.toml:1:12`; empty: a
/// diagnostic without a location): its text up to the next diagnostic.
/// Panics, showing all of `text`, when there is none.
pub fn diagnostic<'a>(text: &'a str, head: &str, at: &str) -> &'a str {
    let starts = |l: &str| l.starts_with("error: ") || l.starts_with("warning: ");
    let mut offsets: Vec<usize> = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if starts(line) {
            offsets.push(pos);
        }
        pos += line.len();
    }
    offsets.push(text.len());
    for w in offsets.windows(2) {
        let block = &text[w[0]..w[1]];
        let location = block
            .lines()
            .nth(1)
            .map(str::trim_start)
            .and_then(|l| l.strip_prefix("┌─ "));
        let placed = match location {
            Some(l) => !at.is_empty() && l.trim_end().ends_with(at),
            None => at.is_empty(),
        };
        if block.starts_with(head) && placed {
            return block;
        }
    }
    panic!("no diagnostic `{head}` at `{at}` in:\n{text}");
}

/// How many diagnostics of `severity` (`error`, `warning`) `text` holds.
pub fn count(text: &str, severity: &str) -> usize {
    let head = format!("{severity}: ");
    text.lines().filter(|l| l.starts_with(&head)).count()
}
