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

/// The doc comment of a macro, which libclang does not attach: a trailing
/// `/**< … */` or `///< …` on its line, else a doc comment right above it.
pub(super) fn above_or_after<S: AsRef<str>>(lines: &[S], line: u32) -> Option<String> {
    let idx = (line as usize).checked_sub(1)?;
    let this = lines.get(idx)?.as_ref();
    if let Some(pos) = ["/**<", "///<", "/*!<", "//!<"]
        .iter()
        .filter_map(|m| this.find(m))
        .min()
    {
        return clean(&this[pos..]);
    }
    let mut first = idx;
    let above = |i: usize| lines[i].as_ref().trim();
    if idx > 0 && above(idx - 1).ends_with("*/") {
        // A block comment: find its opening line.
        first = (0..idx).rev().find(|&i| above(i).contains("/*"))?;
        let open = &above(first)[above(first).find("/*")?..];
        if !(open.starts_with("/**") || open.starts_with("/*!")) || open.starts_with("/**/") {
            return None;
        }
        if !above(first).starts_with("/*") {
            return None; // the comment trails code on its line
        }
    } else {
        while first > 0
            && (above(first - 1).starts_with("///") || above(first - 1).starts_with("//!"))
        {
            first -= 1;
        }
    }
    if first == idx {
        return None;
    }
    let block: Vec<&str> = lines[first..idx].iter().map(AsRef::as_ref).collect();
    clean(&block.join("\n"))
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
        let src = "/** Largest. */\n#define A 1\n#define B 2 /**< two */\n\n#define C 3\n/// x\n#define D 4\n";
        let src: Vec<&str> = src.lines().collect();
        assert_eq!(above_or_after(&src, 2).as_deref(), Some("Largest."));
        assert_eq!(above_or_after(&src, 3).as_deref(), Some("two"));
        assert_eq!(above_or_after(&src, 5), None);
        assert_eq!(above_or_after(&src, 7).as_deref(), Some("x"));
    }
}
