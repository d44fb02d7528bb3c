//! Directories the user named for the header's includes (`-I DIR`, the
//! folder of an `--include FILE`): a header included from one of them is
//! read as part of the interface (Lua's `lua.h` from `-I /usr/include/lua5.4`),
//! its functions become host functions. The compiler's default directories
//! (`/usr/include`, …) never count, even when named: `<stdio.h>` stays out.
use crate::ParseOptions;
use std::path::{Path, PathBuf};

pub(super) struct UserDirs(Vec<PathBuf>);

impl UserDirs {
    pub fn of(opts: &ParseOptions) -> Self {
        let forced = opts
            .force_includes
            .iter()
            .filter_map(|f| resolve(f, opts).and_then(|p| p.parent().map(Path::to_path_buf)));
        let dirs = opts
            .includes
            .iter()
            .filter_map(|d| d.canonicalize().ok())
            .chain(forced)
            .filter(|d| !is_default_dir(d))
            .collect();
        UserDirs(dirs)
    }

    /// Whether the (canonical) file `path` is under a named directory.
    pub fn holds(&self, path: &Path) -> bool {
        self.0.iter().any(|d| path.starts_with(d))
    }
}

/// An `--include FILE` as clang finds it: beside the header, as given, or in
/// an `-I` directory.
fn resolve(file: &Path, opts: &ParseOptions) -> Option<PathBuf> {
    let beside = opts.header.parent().map(|d| d.join(file));
    let in_dirs = opts.includes.iter().map(|d| d.join(file));
    beside
        .into_iter()
        .chain([file.to_path_buf()])
        .chain(in_dirs)
        .find_map(|p| p.canonicalize().ok())
}

/// The compiler's own search directories (and their parents' roots).
fn is_default_dir(dir: &Path) -> bool {
    const DEFAULT: &[&str] = &[
        "/usr/include",
        "/usr/local/include",
        "/usr",
        "/usr/local",
        "/",
    ];
    DEFAULT.iter().any(|d| dir == Path::new(d))
        || dir.parent() == Some(Path::new("/usr/include")) && is_triple_dir(dir)
        || dir.starts_with("/usr/lib") && dir.ends_with("include")
}

/// `/usr/include/x86_64-linux-gnu`: the multiarch directory.
fn is_triple_dir(dir: &Path) -> bool {
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.ends_with("-linux-gnu") || n.contains("-linux-"))
}
