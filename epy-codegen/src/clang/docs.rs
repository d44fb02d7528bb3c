//! Doc comments as plain text: `/** … */`, `/*! … */`, `///`, `//!` and the
//! trailing `/**< … */` forms, without their markers and leading `*`s.
use clang::Entity;

/// The doc comment libclang attached to `e`, cleaned.
pub(super) fn of(e: Entity) -> Option<String> {
    clean(&e.get_comment()?)
}

pub(super) fn clean(raw: &str) -> Option<String> {
    const OPENERS: &[&str] = &[
        "/**<", "/*!<", "///<", "//!<", "/**", "/*!", "///", "//!", "/*", "//",
    ];
    let mut lines: Vec<&str> = raw
        .lines()
        .map(|line| {
            let mut l = line.trim();
            if let Some(rest) = OPENERS.iter().find_map(|o| l.strip_prefix(o)) {
                l = rest;
            }
            l = l.strip_suffix("*/").unwrap_or(l);
            l.trim_start().trim_start_matches('*').trim()
        })
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let start = lines.iter().position(|l| !l.is_empty())?;
    Some(lines[start..].join("\n"))
}

/// The doc comment of a macro, which libclang does not attach: a comment
/// trailing its line (`/* … */`, `// …`, `/**< … */`), else a comment right
/// above it (a plain one only when the macro is not the first of a run).
pub(super) fn above_or_after<S: AsRef<str>>(lines: &[S], line: u32) -> Option<String> {
    let idx = (line as usize).checked_sub(1)?;
    let this = lines.get(idx)?.as_ref();
    if let Some(pos) = trailing_comment(this) {
        return clean(&this[pos..]);
    }
    let mut first = idx;
    let above = |i: usize| lines[i].as_ref().trim();
    if idx > 0 && above(idx - 1).ends_with("*/") {
        // A block comment: find its opening line.
        first = (0..idx).rev().find(|&i| above(i).contains("/*"))?;
        if !above(first).starts_with("/*") {
            return None; // the comment trails code on its line
        }
    } else {
        while first > 0 && above(first - 1).starts_with("//") {
            first -= 1;
        }
    }
    if first == idx {
        return None;
    }
    // A plain comment above a run of `#define`s heads the group (`/* PackFiles
    // flags. */`): not the first one's doc.
    let is_doc = ["/**", "/*!", "///", "//!"]
        .iter()
        .any(|o| above(first).starts_with(o));
    let run = lines
        .get(idx + 1)
        .is_some_and(|l| l.as_ref().trim_start().starts_with("#define"));
    if !is_doc && run {
        return None;
    }
    let block: Vec<&str> = lines[first..idx].iter().map(AsRef::as_ref).collect();
    clean(&block.join("\n"))
}

/// Where a comment starts on a line of code (outside string and character
/// literals), if it has one.
fn trailing_comment(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut quote = None;
    let mut i = 0;
    while i + 1 < b.len() {
        match (quote, b[i]) {
            (Some(_), b'\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (None, b'"' | b'\'') => quote = Some(b[i]),
            (None, b'/') if matches!(b[i + 1], b'*' | b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_markers() {
        assert_eq!(
            clean("/** Adds two ints. */").as_deref(),
            Some("Adds two ints.")
        );
        assert_eq!(clean("/**< red */").as_deref(), Some("red"));
        assert_eq!(
            clean("/**\n * One.\n * Two.\n */").as_deref(),
            Some("One.\nTwo.")
        );
        assert_eq!(clean("/// a\n/// b").as_deref(), Some("a\nb"));
        assert_eq!(clean("/** */"), None);
    }

    #[test]
    fn macro_docs() {
        let src = "/** Largest. */\n#define A 1\n#define B 2 /**< two */\n\n#define C 3\n/// x\n#define D 4\n\
                   #define E 10 /* No more files in archive */\n#define F 11 // plain\n\
                   /* Above. */\n#define G 12\n\n#define H \"a/*b\" /* after a string */\n#define I '\"' // q\n";
        let src: Vec<&str> = src.lines().collect();
        assert_eq!(above_or_after(&src, 2).as_deref(), Some("Largest."));
        assert_eq!(above_or_after(&src, 3).as_deref(), Some("two"));
        assert_eq!(above_or_after(&src, 5), None);
        assert_eq!(above_or_after(&src, 7).as_deref(), Some("x"));
        assert_eq!(
            above_or_after(&src, 8).as_deref(),
            Some("No more files in archive")
        );
        assert_eq!(above_or_after(&src, 9).as_deref(), Some("plain"));
        assert_eq!(above_or_after(&src, 11).as_deref(), Some("Above."));
        assert_eq!(above_or_after(&src, 13).as_deref(), Some("after a string"));
        assert_eq!(above_or_after(&src, 14).as_deref(), Some("q"));
        let heading = ["/* Modes. */", "#define M1 0", "#define M2 1"];
        assert_eq!(above_or_after(&heading, 2), None);
    }
}
