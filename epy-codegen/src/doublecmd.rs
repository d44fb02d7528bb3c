//! `epy-codegen install PLUGIN --host doublecmd`: registers a built WCX
//! plugin in Double Commander's `doublecmd.xml`, one `<WcxPlugin>` per
//! extension (as Double Commander itself writes them). The file is edited as
//! text: only our entries change, every other byte stays as it was, and a
//! second run changes nothing.
use crate::error::{Diagnostic, Result};
use std::path::{Path, PathBuf};

/// Double Commander's default configuration folder.
pub fn default_config_dir() -> PathBuf {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| {
            std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default()
                .join(".config")
        })
        .join("doublecmd")
}

/// One entry to register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub ext: String,
    pub path: String,
    pub flags: i64,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The element text, its lines after the first indented by `ind`.
fn element(e: &Entry, ind: &str) -> String {
    format!(
        "<WcxPlugin Enabled=\"True\">\n{ind}  <ArchiveExt>{}</ArchiveExt>\n{ind}  <Path>{}</Path>\n{ind}  <Flags>{}</Flags>\n{ind}</WcxPlugin>",
        escape(&e.ext),
        escape(&e.path),
        e.flags
    )
}

/// The text between `<tag>` and `</tag>` inside `s`, if any.
fn inner<'a>(s: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = s.find(&open)? + open.len();
    let end = s[start..].find(&format!("</{tag}>"))? + start;
    Some(&s[start..end])
}

/// The indentation of the line holding byte `at`.
fn indent_at(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect()
}

/// `xml` with `entries` registered; `notes` gets what was replaced.
pub fn register(xml: &str, entries: &[Entry], notes: &mut Vec<String>) -> Result<String> {
    let mut text = xml.to_owned();
    // Make sure there is a `<WcxPlugins>` ... `</WcxPlugins>` to work in.
    if let Some(at) = text.find("<WcxPlugins/>") {
        let ind = indent_at(&text, at);
        text.replace_range(at..at + 13, &format!("<WcxPlugins>\n{ind}</WcxPlugins>"));
    }
    if !text.contains("<WcxPlugins>") {
        if let Some(at) = text.find("<Plugins/>") {
            let ind = indent_at(&text, at);
            text.replace_range(at..at + 10, &format!("<Plugins>\n{ind}</Plugins>"));
        }
        let (at, ind, block) = if let Some(at) = text.find("</Plugins>") {
            let ind = indent_at(&text, at);
            (
                at,
                ind.clone(),
                format!("  <WcxPlugins>\n{ind}  </WcxPlugins>\n{ind}"),
            )
        } else if let Some(at) = text.find("</doublecmd>") {
            let ind = indent_at(&text, at);
            let block = format!(
                "  <Plugins>\n{ind}    <WcxPlugins>\n{ind}    </WcxPlugins>\n{ind}  </Plugins>\n{ind}"
            );
            (at, ind, block)
        } else {
            return Err(Diagnostic::plain(
                "this doublecmd.xml has no <doublecmd> element: is it Double Commander's configuration?",
            )
            .into());
        };
        let _ = ind;
        text.insert_str(at, &block);
    }
    let region_start = text.find("<WcxPlugins>").expect("made above") + "<WcxPlugins>".len();
    let mut done = vec![false; entries.len()];
    // Existing entries for our extensions: rewritten in place.
    let mut at = region_start;
    loop {
        let region_end = text[region_start..]
            .find("</WcxPlugins>")
            .map(|i| i + region_start)
            .ok_or_else(|| Diagnostic::plain("doublecmd.xml: <WcxPlugins> is not closed"))?;
        let Some(start) = text[at..region_end]
            .find("<WcxPlugin ")
            .or_else(|| text[at..region_end].find("<WcxPlugin>"))
            .map(|i| i + at)
        else {
            break;
        };
        let end = text[start..]
            .find("</WcxPlugin>")
            .map(|i| i + start + "</WcxPlugin>".len())
            .ok_or_else(|| Diagnostic::plain("doublecmd.xml: a <WcxPlugin> is not closed"))?;
        let old = text[start..end].to_owned();
        let ext = inner(&old, "ArchiveExt")
            .unwrap_or_default()
            .trim()
            .to_owned();
        let which = entries
            .iter()
            .position(|e| escape(&e.ext).eq_ignore_ascii_case(&ext));
        let mut next = end;
        if let Some(i) = which {
            let new = element(&entries[i], &indent_at(&text, start));
            if done[i] {
                // A second entry for the same extension: Double Commander
                // would use the first; drop this one.
                let line_start = text[..start].rfind('\n').map_or(start, |p| p);
                text.replace_range(line_start..end, "");
                next = line_start;
                notes.push(format!("removed a second entry for `{ext}`"));
            } else {
                if new != old {
                    let path = inner(&old, "Path").unwrap_or_default();
                    if path != escape(&entries[i].path) {
                        notes.push(format!("`{ext}` was handled by {path}: now by this plugin"));
                    }
                    text.replace_range(start..end, &new);
                    next = start + new.len();
                }
                done[i] = true;
            }
        }
        at = next;
    }
    // New entries, before `</WcxPlugins>`, one level deeper than it.
    let close = text[region_start..].find("</WcxPlugins>").expect("checked") + region_start;
    let ind = indent_at(&text, close);
    let line_start = text[..close].rfind('\n').map_or(close, |i| i + 1);
    let only_space = text[line_start..close].trim().is_empty();
    let mut add = String::new();
    for (e, _) in entries.iter().zip(&done).filter(|(_, d)| !**d) {
        let own = format!("{ind}  ");
        add += &format!("{own}{}\n", element(e, &own));
    }
    if !add.is_empty() {
        if only_space {
            text.insert_str(line_start, &add);
        } else {
            text.insert_str(close, &format!("\n{add}{ind}"));
        }
    }
    Ok(text)
}

/// A new configuration holding only the plugin entries.
pub const EMPTY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doublecmd>\n</doublecmd>\n";

/// A running Double Commander using `config_dir` (it rewrites
/// `doublecmd.xml` when it exits): its pid.
pub fn running_with(config_dir: &Path, default_dir: &Path) -> Option<u32> {
    let want = config_dir
        .canonicalize()
        .unwrap_or(config_dir.to_path_buf());
    let rd = std::fs::read_dir("/proc").ok()?;
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        if comm.trim() != "doublecmd" {
            continue;
        }
        let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        let args: Vec<String> = cmdline
            .split(|b| *b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let mut dir: Option<PathBuf> = None;
        for (i, a) in args.iter().enumerate() {
            if let Some(v) = a.strip_prefix("--config-dir=") {
                dir = Some(v.into());
            } else if a == "--config-dir" {
                dir = args.get(i + 1).map(PathBuf::from);
            }
        }
        let dir = dir.unwrap_or_else(|| default_dir.to_path_buf());
        if dir.canonicalize().unwrap_or(dir) == want {
            return Some(pid);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ext: &str, flags: i64) -> Entry {
        Entry {
            ext: ext.into(),
            path: "/p/a&b.wcx".into(),
            flags,
        }
    }

    const DC: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doublecmd DCVersion=\"1.0.10\">\n  <Behaviours>\n    <OnlyOneAppInstance>False</OnlyOneAppInstance>\n  </Behaviours>\n  <Plugins>\n    <WcxPlugins>\n      <WcxPlugin Enabled=\"True\">\n        <ArchiveExt>zip</ArchiveExt>\n        <Path>%commander_path%/plugins/wcx/zip/zip.wcx</Path>\n        <Flags>95</Flags>\n      </WcxPlugin>\n    </WcxPlugins>\n    <WdxPlugins/>\n  </Plugins>\n</doublecmd>\n";

    #[test]
    fn adds_entries_and_keeps_every_other_byte() {
        let mut notes = vec![];
        let out = register(DC, &[entry("txa", 0), entry("tx2", 4)], &mut notes).unwrap();
        let added = "      <WcxPlugin Enabled=\"True\">\n        <ArchiveExt>txa</ArchiveExt>\n        <Path>/p/a&amp;b.wcx</Path>\n        <Flags>0</Flags>\n      </WcxPlugin>\n      <WcxPlugin Enabled=\"True\">\n        <ArchiveExt>tx2</ArchiveExt>\n        <Path>/p/a&amp;b.wcx</Path>\n        <Flags>4</Flags>\n      </WcxPlugin>\n";
        let at = DC.find("    </WcxPlugins>").unwrap();
        assert_eq!(out, format!("{}{added}{}", &DC[..at], &DC[at..]));
        assert!(notes.is_empty());
    }

    #[test]
    fn is_idempotent_and_updates_in_place() {
        let mut notes = vec![];
        let once = register(DC, &[entry("txa", 0)], &mut notes).unwrap();
        let twice = register(&once, &[entry("txa", 0)], &mut notes).unwrap();
        assert_eq!(once, twice);
        let flags = register(&once, &[entry("txa", 79)], &mut notes).unwrap();
        assert_eq!(flags, once.replace("<Flags>0</Flags>", "<Flags>79</Flags>"));
        // Taking over zip from the system plugin: that entry, in place.
        let zip = register(DC, &[entry("zip", 1)], &mut notes).unwrap();
        assert_eq!(
            zip,
            DC.replace("%commander_path%/plugins/wcx/zip/zip.wcx", "/p/a&amp;b.wcx")
                .replace("<Flags>95", "<Flags>1")
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("was handled by %commander_path%"))
        );
    }

    #[test]
    fn makes_the_sections_it_needs() {
        let mut notes = vec![];
        let bare = "<?xml version=\"1.0\"?>\n<doublecmd>\n  <Tabs/>\n</doublecmd>\n";
        let out = register(bare, &[entry("txa", 0)], &mut notes).unwrap();
        assert!(out.starts_with("<?xml version=\"1.0\"?>\n<doublecmd>\n  <Tabs/>\n  <Plugins>\n    <WcxPlugins>\n      <WcxPlugin Enabled=\"True\">"), "{out}");
        assert!(
            out.ends_with("      </WcxPlugin>\n    </WcxPlugins>\n  </Plugins>\n</doublecmd>\n"),
            "{out}"
        );
        assert_eq!(register(&out, &[entry("txa", 0)], &mut notes).unwrap(), out);
        let empty = register(EMPTY, &[entry("txa", 0)], &mut notes).unwrap();
        assert_eq!(
            register(&empty, &[entry("txa", 0)], &mut notes).unwrap(),
            empty
        );
        let selfclosing =
            "<doublecmd>\n  <Plugins>\n    <WcxPlugins/>\n  </Plugins>\n</doublecmd>\n";
        let out = register(selfclosing, &[entry("txa", 0)], &mut notes).unwrap();
        assert!(
            out.contains(
                "    <WcxPlugins>\n      <WcxPlugin Enabled=\"True\">\n        <ArchiveExt>txa"
            ),
            "{out}"
        );
        assert!(register("<x/>", &[entry("txa", 0)], &mut notes).is_err());
    }
}
