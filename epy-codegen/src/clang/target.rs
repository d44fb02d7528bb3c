//! Compiler arguments: language, `-I`/`-D`, target, and clang's own headers
//! for targets other than the host.
use crate::ParseOptions;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub(super) fn arguments(opts: &ParseOptions) -> Vec<String> {
    // Plain comments (`/* … */`, `// …`) are docs too: SDK headers use them.
    let mut args: Vec<String> = vec!["-x".into(), "c".into(), "-fparse-all-comments".into()];
    if let Some(triple) = &opts.target {
        args.push(format!("--target={triple}"));
        // A foreign target finds no system headers here: use clang's own
        // (stdint.h, stddef.h, …) in freestanding mode.
        if !crate::triple::is_host(&crate::triple::of(Some(triple))) {
            args.push("-ffreestanding".into());
            if let Some(dir) = resource_include() {
                args.push("-isystem".into());
                args.push(dir.display().to_string());
            }
        }
    }
    args.extend(opts.includes.iter().map(|i| format!("-I{}", i.display())));
    args.extend(opts.defines.iter().map(|d| format!("-D{d}")));
    args
}

/// `<libclang dir>/clang/<version>/include`, found once: next to the libclang
/// this process loaded, else the newest in the usual LLVM install places.
/// (Not `clang_sys::support::Clang::find`: it asks a `clang` executable,
/// and a machine with only libclang, as `tools/setup.sh` sets up, has none.)
fn resource_include() -> Option<PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let loaded = loaded_libclang_dir().into_iter().map(|d| d.join("clang"));
        let usual = ["/usr/lib", "/usr/local/lib", "/usr/lib64"]
            .into_iter()
            .flat_map(|root| {
                let llvm = subdirs(Path::new(root))
                    .into_iter()
                    .filter(|d| is_llvm_dir(d));
                llvm.map(|d| d.join("lib/clang"))
                    .chain([Path::new(root).join("clang")])
            });
        loaded
            .chain(usual)
            .find_map(|clang_dir| newest_include(&clang_dir))
    })
    .clone()
}

/// The directory of the libclang mapped into this process (Linux).
fn loaded_libclang_dir() -> Option<PathBuf> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|p| {
            p.rsplit('/')
                .next()
                .is_some_and(|f| f.starts_with("libclang"))
        })
        .and_then(|p| std::fs::canonicalize(p).ok())
        .and_then(|p| p.parent().map(Path::to_path_buf))
}

fn is_llvm_dir(d: &Path) -> bool {
    d.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("llvm"))
}

/// The `include` dir holding `stddef.h` under the highest version in `clang_dir`.
fn newest_include(clang_dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = subdirs(clang_dir)
        .into_iter()
        .map(|v| v.join("include"))
        .filter(|i| i.join("stddef.h").is_file())
        .collect();
    found.sort_by_key(|p| version_key(p));
    found.pop()
}

fn version_key(include: &Path) -> Vec<u32> {
    let v = include
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    v.unwrap_or_default()
        .split('.')
        .map(|n| n.parse().unwrap_or(0))
        .collect()
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return vec![];
    };
    rd.filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect()
}
