//! The exports a pack's Python layer defines (wdx's ContentGetValueW, wfx's
//! FsFindNextW and FsFindClose): a script exports them by importing them, so
//! a build that lacks them says which import to write.
use std::path::Path;

/// The top-level functions (and `Name = other` aliases) of a pack's layer
/// (`layer`: its Python file, if the pack has one).
pub fn defined(layer: Option<&Path>) -> Vec<String> {
    let Some(layer) = layer else {
        return vec![];
    };
    let text = std::fs::read_to_string(layer).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let name = l.strip_prefix("def ").unwrap_or(l);
            let end = name
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(name.len());
            let (head, rest) = name.split_at(end);
            let is_def = l.starts_with("def ") && rest.starts_with('(');
            let is_alias = !l.starts_with("def ") && rest.starts_with(" = ");
            (!head.is_empty() && !head.starts_with('_') && (is_def || is_alias))
                .then(|| head.to_owned())
        })
        .collect()
}

/// `from <module> import A, B`: the import that exports the layer's
/// functions among `missing`; None when the layer defines none of them.
/// `pack`: its name; `header`: the pack's header (names the stub module).
pub fn import_hint(
    layer: Option<&Path>,
    pack: &str,
    header: &Path,
    missing: &[String],
) -> Option<String> {
    let defined = defined(layer);
    let names: Vec<&str> = missing
        .iter()
        .filter(|m| defined.contains(m))
        .map(String::as_str)
        .collect();
    if names.is_empty() {
        return None;
    }
    let module = header
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['.', '-'], "_"))
        .unwrap_or_default();
    Some(format!(
        "the `{}` pack's layer defines {}: export them by importing them: `from {module}_h import {}`",
        pack,
        names.join(", "),
        names.join(", ")
    ))
}
