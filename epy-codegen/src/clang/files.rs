//! Which files are the header's own: the main file and what it includes
//! (transitively) from its own directory. In a system include directory
//! (`/usr/include/sqlite3ext.h`) only `"quoted"` includes count, so
//! `<stdint.h>` beside it stays foreign. When the main file is epy's wrapper
//! (a header plus a pack's declarations), the `roots` it includes are own,
//! and so is what they include from their directories. A file an own file
//! includes from a directory the user named (`-I`, or an `--include` file's
//! folder; `include_dirs.rs`) is own too: its functions are the host's.
use clang::source::File;
use clang::token::TokenKind;
use clang::{Entity, EntityKind};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub(super) struct OwnFiles<'tu> {
    own: HashSet<File<'tu>>,
    /// The own files the header includes from a named directory only:
    /// what they declare is the host's API (`Interface::included`).
    included: HashSet<File<'tu>>,
}

impl<'tu> OwnFiles<'tu> {
    /// Follows the inclusion directives (in preprocessing order, so an
    /// included file's own directives come after the one including it).
    pub fn new(
        main: File<'tu>,
        roots: &[PathBuf],
        user_dirs: &super::include_dirs::UserDirs,
        top: &[Entity<'tu>],
    ) -> Self {
        let roots: Vec<PathBuf> = roots.iter().filter_map(|r| r.canonicalize().ok()).collect();
        let mut dirs: Vec<PathBuf> = canonical_dir(&main.get_path()).into_iter().collect();
        dirs.extend(
            roots
                .iter()
                .filter_map(|r| r.parent().map(Path::to_path_buf)),
        );
        let mut own = HashSet::from([main]);
        let mut included = HashSet::new();
        for inc in top
            .iter()
            .filter(|e| e.get_kind() == EntityKind::InclusionDirective)
        {
            let (Some(file), Some(from)) = (inc.get_file(), file_of(*inc)) else {
                continue;
            };
            let path = file.get_path().canonicalize().ok();
            let is_root = path.as_ref().is_some_and(|p| roots.contains(p));
            let dir = canonical_dir(&file.get_path());
            let near = dir.as_ref().is_some_and(|d| dirs.contains(d))
                && (!dir.as_deref().is_some_and(is_system_dir) || is_quoted(*inc));
            let named = path.as_ref().is_some_and(|p| user_dirs.holds(p));
            if own.contains(&from) && (is_root || near || named) {
                own.insert(file);
                // What the header's own folder holds stays its own (a
                // pack's `wcxexports.h` declares the exports).
                if !is_root && !near {
                    included.insert(file);
                }
            }
        }
        OwnFiles { own, included }
    }

    /// Whether `e` is declared in a file the header includes from a named
    /// directory (`-I`), not in the header or its own folder.
    pub fn is_included(&self, e: Entity<'tu>) -> bool {
        file_of(e).is_some_and(|f| self.included.contains(&f))
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
