//! A wrapper header (`#include <openssl/core_dispatch.h>` and nothing else)
//! declares nothing itself: what it includes is the interface, not foreign.
use super::files::file_of;
use clang::source::File;
use clang::{Entity, EntityKind};
use std::path::PathBuf;

/// The files `main` includes directly, when it declares nothing itself.
pub(super) fn included<'tu>(main: File<'tu>, top: &[Entity<'tu>]) -> Option<Vec<PathBuf>> {
    let in_main = |e: &&Entity<'tu>| file_of(**e) == Some(main);
    let declares = top.iter().filter(in_main).any(|e| {
        !matches!(
            e.get_kind(),
            EntityKind::InclusionDirective
                | EntityKind::MacroDefinition
                | EntityKind::MacroExpansion
        )
    });
    if declares {
        return None;
    }
    let files: Vec<PathBuf> = top
        .iter()
        .filter(in_main)
        .filter(|e| e.get_kind() == EntityKind::InclusionDirective)
        .filter_map(|e| e.get_file())
        .map(|f| f.get_path())
        .collect();
    (!files.is_empty()).then_some(files)
}
