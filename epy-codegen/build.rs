//! Embeds the runtime crate's sources and the interface packs into the
//! binary (`OUT_DIR/embedded.rs`), so an installed `epy-codegen` builds
//! plugins after its source tree is gone (`src/embedded.rs` writes them to
//! the cache on first use).
#[path = "src/tree.rs"]
mod tree;

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it");
    let root = Path::new(&manifest).join("..");
    for rel in tree::SHIPPED {
        println!("cargo:rerun-if-changed=../{rel}");
    }
    println!("cargo:rerun-if-changed=../Cargo.toml");
    let files = tree::files(&root);
    let (read, hash) = tree::read(&root);
    let mut out = String::new();
    writeln!(out, "/// Content hash of the shipped files.").unwrap();
    writeln!(out, "pub const HASH: &str = {hash:?};").unwrap();
    writeln!(out, "/// (path relative to the repository root, contents).").unwrap();
    writeln!(out, "pub static FILES: &[(&str, &[u8])] = &[").unwrap();
    for ((rel, path), (_, bytes)) in files.iter().zip(&read) {
        if rel == "epy-runtime/Cargo.toml" {
            // Standalone: the workspace's inherited keys written out.
            let text = standalone_manifest(&String::from_utf8_lossy(bytes), &root);
            writeln!(out, "    ({rel:?}, {:?}.as_bytes()),", text).unwrap();
        } else {
            let abs = path.canonicalize().expect("listed file exists");
            writeln!(
                out,
                "    ({rel:?}, include_bytes!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
    }
    writeln!(out, "];").unwrap();
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets it");
    std::fs::write(Path::new(&out_dir).join("embedded.rs"), out).expect("write embedded.rs");
    golden_cases(&root, Path::new(&out_dir));
}

/// `OUT_DIR/golden_cases.rs`: the `cases!` list of `tests/golden.rs`, one
/// line per folder of `tests/golden/` with a `case.toml` (a new case needs
/// no edit of the test file). Empty outside a checkout.
fn golden_cases(root: &Path, out_dir: &Path) {
    println!("cargo:rerun-if-changed=../tests/golden");
    let mut dirs: Vec<String> = std::fs::read_dir(root.join("tests/golden"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("case.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut out = String::from("cases! {\n");
    for d in &dirs {
        let test: String = d
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        writeln!(out, "    {test} => {d:?},").unwrap();
    }
    out.push_str("}\n");
    std::fs::write(out_dir.join("golden_cases.rs"), out).expect("write golden_cases.rs");
}

/// `epy-runtime/Cargo.toml` without workspace inheritance: `x.workspace =
/// true` becomes the workspace's `[workspace.package]` value, and the
/// workspace `[lints]` table is dropped.
fn standalone_manifest(text: &str, root: &Path) -> String {
    let ws = std::fs::read_to_string(root.join("Cargo.toml")).expect("workspace Cargo.toml");
    let mut package = std::collections::BTreeMap::new();
    let mut in_package = false;
    for line in ws.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[workspace.package]";
        } else if let (true, Some((k, v))) = (in_package, t.split_once('=')) {
            package.insert(k.trim().to_owned(), v.trim().to_owned());
        }
    }
    let mut out = String::new();
    let mut skip = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            skip = t == "[lints]";
        }
        if skip {
            continue;
        }
        match t.strip_suffix(".workspace = true") {
            Some(key) => {
                let value = package
                    .get(key)
                    .unwrap_or_else(|| panic!("[workspace.package] has no `{key}`"));
                writeln!(out, "{key} = {value}").unwrap();
            }
            None => writeln!(out, "{line}").unwrap(),
        }
    }
    out
}
