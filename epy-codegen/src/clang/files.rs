//! Which files are the header's own: the main file and what it includes
//! (transitively) from its own directory. In a system include directory
//! (`/usr/include/sqlite3ext.h`) only `"quoted"` includes count, so
//! `<stdint.h>` beside it stays foreign.
use clang::source::File;
use clang::token::TokenKind;
use clang::{Entity, EntityKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub(super) struct Files<'tu> {
    own: HashSet<File<'tu>>,
}

impl<'tu> Files<'tu> {
    /// Follows the inclusion directives (in preprocessing order, so an
    /// included file's own directives come after the one including it).
    pub fn new(main: File<'tu>, top: &[Entity<'tu>]) -> Self {
        let dir = canonical_dir(&main.get_path());
        let system_dir = dir.as_deref().is_some_and(is_system_dir);
        let mut own = HashSet::from([main]);
        for inc in top
            .iter()
            .filter(|e| e.get_kind() == EntityKind::InclusionDirective)
        {
            let (Some(file), Some(from)) = (inc.get_file(), file_of(*inc)) else {
                continue;
            };
            if own.contains(&from)
                && dir.is_some()
                && canonical_dir(&file.get_path()) == dir
                && (!system_dir || is_quoted(*inc))
            {
                own.insert(file);
            }
        }
        Files { own }
    }

    /// Whether `e` is declared in one of the header's own files.
    pub fn is_own(&self, e: Entity<'tu>) -> bool {
        file_of(e).is_some_and(|f| self.own.contains(&f))
    }
}

pub(super) fn file_of(e: Entity) -> Option<File> {
    e.get_location()?.get_file_location().file
}

fn canonical_dir(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path)
        .ok()?
        .parent()
        .map(Path::to_path_buf)
}

fn is_system_dir(dir: &Path) -> bool {
    dir.starts_with("/usr/include") || dir.starts_with("/usr/local/include")
}

/// `#include "x.h"` (one string-literal token) rather than `<x.h>`.
fn is_quoted(inc: Entity) -> bool {
    let Some(range) = inc.get_range() else {
        return false;
    };
    range
        .tokenize()
        .iter()
        .any(|t| t.get_kind() == TokenKind::Literal && t.get_spelling().starts_with('"'))
}
