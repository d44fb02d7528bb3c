//! Content (WDX) and file-system (WFX) plugins in Double Commander's
//! `doublecmd.xml`: one `<WdxPlugin>` (Name, Path, DetectString) or
//! `<WfxPlugin Enabled="True">` (Name, Path) per plugin, found by name, as
//! Double Commander writes them. Edited as text like the WCX entries
//! (`doublecmd`): only our entry changes, and a second run changes nothing.
use crate::error::{Diagnostic, Result};

/// Which list a plugin goes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Content plugins: `<WdxPlugins>`.
    Wdx,
    /// File-system plugins: `<WfxPlugins>`.
    Wfx,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::Wdx => "WdxPlugin",
            Kind::Wfx => "WfxPlugin",
        }
    }
}

/// One plugin to register under `name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub kind: Kind,
    pub name: String,
    pub path: String,
    /// The plugin's `ContentGetDetectString` (WDX only).
    pub detect: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn indent_at(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect()
}

fn element(e: &Named, ind: &str) -> String {
    let (tag, name, path) = (e.kind.tag(), escape(&e.name), escape(&e.path));
    match e.kind {
        Kind::Wdx => format!(
            "<{tag}>\n{ind}  <Name>{name}</Name>\n{ind}  <Path>{path}</Path>\n{ind}  <DetectString>{}</DetectString>\n{ind}</{tag}>",
            escape(&e.detect)
        ),
        Kind::Wfx => format!(
            "<{tag} Enabled=\"True\">\n{ind}  <Name>{name}</Name>\n{ind}  <Path>{path}</Path>\n{ind}</{tag}>"
        ),
    }
}

/// Makes `<open>`…`</close>` exist inside `parent` (created before
/// `</doublecmd>` if missing); returns the position of `</list>`.
fn ensure(text: &mut String, list: &str) -> Result<usize> {
    for tag in ["Plugins", list] {
        let empty = format!("<{tag}/>");
        if let Some(at) = text.find(&empty) {
            let ind = indent_at(text, at);
            text.replace_range(at..at + empty.len(), &format!("<{tag}>\n{ind}</{tag}>"));
        }
    }
    if !text.contains(&format!("<{list}>")) {
        if !text.contains("</Plugins>") {
            let at = text.find("</doublecmd>").ok_or_else(|| {
                Diagnostic::plain(
                    "this doublecmd.xml has no <doublecmd> element: is it Double Commander's configuration?",
                )
            })?;
            let ind = indent_at(text, at);
            text.insert_str(at, &format!("  <Plugins>\n{ind}  </Plugins>\n{ind}"));
        }
        let at = text.find("</Plugins>").expect("made above");
        let ind = indent_at(text, at);
        text.insert_str(at, &format!("  <{list}>\n{ind}  </{list}>\n{ind}"));
    }
    let close = format!("</{list}>");
    text.find(&close)
        .ok_or_else(|| Diagnostic::plain(format!("doublecmd.xml: <{list}> is not closed")).into())
}

/// `xml` with `e` registered (an entry of the same name rewritten in
/// place); `notes` gets what was replaced.
pub fn register(xml: &str, e: &Named, notes: &mut Vec<String>) -> Result<String> {
    let mut text = xml.to_owned();
    let tag = e.kind.tag();
    let list = format!("{tag}s");
    let close = ensure(&mut text, &list)?;
    let start = text[..close].find(&format!("<{list}>")).unwrap_or(0);
    let want = format!("<Name>{}</Name>", escape(&e.name));
    let mut at = start;
    while let Some(s) = text[at..close]
        .find(&format!("<{tag}>"))
        .or_else(|| text[at..close].find(&format!("<{tag} ")))
        .map(|i| i + at)
    {
        let end = text[s..close]
            .find(&format!("</{tag}>"))
            .map(|i| i + s + tag.len() + 3)
            .ok_or_else(|| Diagnostic::plain(format!("doublecmd.xml: a <{tag}> is not closed")))?;
        if text[s..end].contains(&want) {
            let new = element(e, &indent_at(&text, s));
            if text[s..end] != new {
                notes.push(format!("the entry named `{}` was replaced", e.name));
                text.replace_range(s..end, &new);
            }
            return Ok(text);
        }
        at = end;
    }
    let ind = indent_at(&text, close);
    let own = format!("{ind}  ");
    let line_start = text[..close].rfind('\n').map_or(close, |i| i + 1);
    let add = format!("{own}{}\n", element(e, &own));
    if text[line_start..close].trim().is_empty() {
        text.insert_str(line_start, &add);
    } else {
        text.insert_str(close, &format!("\n{add}{ind}"));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_once_in_its_own_list() {
        let e = Named {
            kind: Kind::Wdx,
            name: "cols".into(),
            path: "/p/cols.wdx".into(),
            detect: "EXT=\"TXT\"".into(),
        };
        let mut notes = vec![];
        let one = register(crate::doublecmd::EMPTY, &e, &mut notes).unwrap();
        assert!(
            one.contains("<WdxPlugins>\n      <WdxPlugin>\n        <Name>cols</Name>"),
            "{one}"
        );
        assert!(
            one.contains("<DetectString>EXT=&quot;TXT&quot;</DetectString>"),
            "{one}"
        );
        assert!(!one.contains("Wcx"), "{one}");
        assert_eq!(register(&one, &e, &mut notes).unwrap(), one);
        let w = Named {
            kind: Kind::Wfx,
            name: "fs".into(),
            ..e
        };
        let two = register(&one, &w, &mut notes).unwrap();
        assert!(
            two.contains(
                "<WfxPlugins>\n      <WfxPlugin Enabled=\"True\">\n        <Name>fs</Name>"
            ),
            "{two}"
        );
        assert!(two.contains("<WdxPlugins>"), "{two}");
    }
}
