//! The source files `epy-codegen` ships inside its binary (the runtime crate
//! and the interface packs) and their content hash. Shared by `build.rs`
//! (which embeds them) and the library (which checks whether the source tree
//! it was built from is still there and unchanged).

use std::path::{Path, PathBuf};

/// What ships: the runtime crate (manifest, build script, sources) and every
/// interface pack, relative to the repository root.
pub const SHIPPED: &[&str] = &[
    "epy-runtime/Cargo.toml",
    "epy-runtime/build.rs",
    "epy-runtime/src",
    // (its build script declares link arguments for the tests)
    "epy-runtime/tests",
    "interfaces",
];

/// Every shipped file under `root`: (path relative to `root` with `/`, path), sorted.
pub fn files(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for rel in SHIPPED {
        collect(root, &root.join(rel), &mut out);
    }
    out.sort();
    out
}

fn collect(root: &Path, path: &Path, out: &mut Vec<(String, PathBuf)>) {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    // Editor leftovers, caches and hidden folders are not part of the tree.
    if name.as_deref().is_some_and(|n| {
        n.starts_with('.') || n.ends_with('~') || n.ends_with(".pyc") || n == "__pycache__"
    }) {
        return;
    }
    if path.is_dir() {
        let Ok(rd) = std::fs::read_dir(path) else {
            return;
        };
        for e in rd.flatten() {
            collect(root, &e.path(), out);
        }
    } else if path.is_file() {
        let rel = path.strip_prefix(root).unwrap_or(path);
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, path.to_path_buf()));
    }
}

/// FNV-1a over every file's relative path and bytes, as 16 hex digits.
pub fn hash(files: &[(String, Vec<u8>)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (rel, bytes) in files {
        eat(rel.as_bytes());
        eat(&[0]);
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(bytes);
    }
    format!("{h:016x}")
}

/// The shipped files of the tree at `root`, read, with their hash.
pub fn read(root: &Path) -> (Vec<(String, Vec<u8>)>, String) {
    let files: Vec<(String, Vec<u8>)> = files(root)
        .into_iter()
        .filter_map(|(rel, p)| std::fs::read(p).ok().map(|b| (rel, b)))
        .collect();
    let h = hash(&files);
    (files, h)
}
