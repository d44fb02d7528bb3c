//! What `epy-codegen build` tells the user about the interface: the header's
//! warnings that are the user's to act on, and the library's exports
//! including those a pack's native code makes (`[pack] rust`).
use crate::plan::Plan;
use std::path::Path;

/// The interface's warnings worth showing for a build from `header`: none
/// when the header is the pack's own (`sqlite3.h`'s variadic functions are
/// the pack's business, not its user's), else all of them.
pub fn warnings<'a>(plan: &'a Plan, header: &Path) -> &'a [crate::model::Warning] {
    match &plan.pack {
        Some(p) if p.is_own_header(header) => &[],
        _ => &plan.iface.warnings,
    }
}

/// Every symbol the library exports for the host: the plan's exports, its
/// no-ops, and the entry points of the pack's native code as named for a
/// library called `stem` (`sqlite3_extension_init`, `sqlite3_regexp_init`).
pub fn exports(plan: &Plan, stem: &str) -> Vec<String> {
    let mut all: Vec<String> = plan.exports.iter().chain(&plan.noops).cloned().collect();
    if let Some(text) = &plan.iface.native_rust {
        all.extend(native_exports(text, stem));
    }
    all
}

/// The `export_name = "…"` symbols of a pack's native Rust, with
/// `@LOAD_STEM@` as `emit::rust` fills it in.
fn native_exports(text: &str, stem: &str) -> Vec<String> {
    const KEY: &str = "export_name = \"";
    let load_stem = crate::emit::rust::load_stem(stem);
    text.match_indices(KEY)
        .filter_map(|(i, _)| {
            let rest = &text[i + KEY.len()..];
            rest.find('"').map(|end| rest[..end].to_owned())
        })
        .map(|name| name.replace("@LOAD_STEM@", &load_stem))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::native_exports;

    #[test]
    fn native_entry_points_are_named_for_the_library() {
        let text = "#[unsafe(export_name = \"sqlite3_extension_init\")]\nfn a() {}\n\
                    #[unsafe(export_name = \"sqlite3_@LOAD_STEM@_init\")]\nfn b() {}\n";
        assert_eq!(
            native_exports(text, "libRegexp2.so"),
            ["sqlite3_extension_init", "sqlite3_regexp_init"]
        );
    }
}
