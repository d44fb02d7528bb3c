//! What `epy-codegen` writes outside the plugin's folder, all under the cache
//! (`$XDG_CACHE_HOME/epy`, default `~/.cache/epy`): the runtime crate's
//! sources and the interface packs (shipped inside the binary, written to
//! `src/<version>-<hash>/` on first use), each plugin's generated crate
//! (`plugins/`) and the shared cargo target directory (`target/`).
//!
//! While the source tree this binary was built from is still there,
//! unchanged, it is used directly (what a developer edits is what builds).
use crate::error::{Diagnostic, Result};
use crate::tree;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}
pub use generated::HASH;

/// `$XDG_CACHE_HOME/epy`, else `~/.cache/epy`.
pub fn cache_dir() -> PathBuf {
    let xdg = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    xdg.unwrap_or_else(|| {
        std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir)
            .join(".cache")
    })
    .join("epy")
}

/// The folder holding `epy-runtime/` and `interfaces/` for this binary: its
/// source tree if unchanged, else the embedded copy written to the cache.
pub fn shipped_root() -> Result<PathBuf> {
    static ROOT: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    ROOT.get_or_init(|| source_tree().map_or_else(extract, Ok))
        .clone()
        .map_err(|e| Diagnostic::plain(e).into())
}

/// The source tree this binary was built from, if it holds exactly what was embedded.
fn source_tree() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if !root.join("epy-runtime/Cargo.toml").is_file() {
        return None;
    }
    let (_, hash) = tree::read(&root);
    (hash == HASH).then(|| root.canonicalize().unwrap_or(root))
}

/// Writes the embedded files to `cache/src/<version>-<hash>/` unless there.
fn extract() -> std::result::Result<PathBuf, String> {
    let src = cache_dir().join("src");
    let dest = src.join(format!("{}-{HASH}", env!("CARGO_PKG_VERSION")));
    let done = |d: &Path| d.join(".complete").is_file();
    if done(&dest) {
        return Ok(dest);
    }
    eprintln!(
        "epy: first use of epy-codegen {}: writing the runtime sources and interface packs to {}",
        env!("CARGO_PKG_VERSION"),
        dest.display()
    );
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = src.join(format!(".tmp-{}-{nanos}", std::process::id()));
    let io = |p: &Path, e: std::io::Error| format!("cannot write {}: {e}", p.display());
    for (rel, bytes) in generated::FILES {
        let path = tmp.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| io(&path, e))?;
    }
    std::fs::write(tmp.join(".complete"), HASH).map_err(|e| io(&tmp, e))?;
    // Another epy-codegen may have finished first: theirs is as good.
    if let Err(e) = std::fs::rename(&tmp, &dest) {
        let _ = std::fs::remove_dir_all(&tmp);
        if !done(&dest) {
            return Err(io(&dest, e));
        }
    }
    Ok(dest)
}
