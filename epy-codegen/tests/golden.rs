//! Golden tests: header (+ annotations, target) → expected `lib.rs` and
//! `.pyi` under `tests/golden/<case>/`. `EPY_BLESS=1` rewrites them; any
//! other difference fails with the first differing line. Every expected
//! `.pyi` must pass `mypy --strict`.
use epy_codegen::ParseOptions;
use epy_codegen::emit::{python, rust};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

struct Case {
    name: String,
    opts: ParseOptions,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(root().join("tests/golden/cases.txt")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let flag = |name: &str| {
                w.iter()
                    .position(|&x| x == name)
                    .map(|i| w[i + 1].to_owned())
            };
            let target = flag("--target");
            Case {
                name: w[0].to_owned(),
                opts: ParseOptions {
                    header: root().join(w[1]),
                    annotations: w.get(2).filter(|&&a| a != "-").map(|a| root().join(a)),
                    target,
                    pack: flag("--pack").map(|p| root().join(p)),
                    ..Default::default()
                },
            }
        })
        .collect()
}

/// Every function that can be exported (variadic ones cannot).
fn exports(iface: &epy_codegen::model::Interface) -> Vec<String> {
    // A pack with native entry points exports those only (as `build` does).
    if iface.native_rust.is_some() {
        return vec![];
    }
    iface
        .functions
        .iter()
        .filter(|f| !f.sig.variadic)
        .map(|f| f.name.clone())
        .collect()
}

/// Compares or (with EPY_BLESS) writes one expected file; returns a failure message.
fn check(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("EPY_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return None;
    }
    let Ok(expected) = std::fs::read_to_string(path) else {
        return Some(format!(
            "{} is missing (run with EPY_BLESS=1 to create it)",
            path.display()
        ));
    };
    if expected == actual {
        return None;
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let Some(line) = (0..e.len().max(a.len())).find(|&i| e.get(i) != a.get(i)) else {
        return Some(format!(
            "{} differs only in its final newline (run with EPY_BLESS=1 to accept)",
            path.display()
        ));
    };
    let show = |v: &[&str]| {
        let from = line.saturating_sub(2);
        (from..(line + 3).min(v.len()))
            .map(|i| format!("  {:>5} | {}", i + 1, v[i]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Some(format!(
        "{} differs at line {}:\nexpected:\n{}\nactual:\n{}\n(run with EPY_BLESS=1 to accept)",
        path.display(),
        line + 1,
        show(&e),
        show(&a)
    ))
}

#[test]
fn golden_outputs() {
    let mut failures = Vec::new();
    for case in cases() {
        let iface = epy_codegen::parse(&case.opts).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let lib = rust::emit_lib(&iface, &exports(&iface))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let pyi = python::emit_pyi(&iface);
        let dir = root().join("tests/golden").join(&case.name);
        failures.extend(check(&dir.join("lib.rs"), &lib));
        failures.extend(check(&dir.join(format!("{}.pyi", iface.module)), &pyi));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn golden_stubs_pass_mypy_strict() {
    let mut pyis: Vec<PathBuf> = Vec::new();
    for case in cases() {
        let dir = root().join("tests/golden").join(&case.name);
        pyis.extend(
            std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "pyi")),
        );
    }
    assert!(!pyis.is_empty(), "no golden .pyi files (bless first)");
    for pyi in pyis {
        let out = Command::new("python3")
            .args([
                "-m",
                "mypy",
                "--strict",
                "--no-incremental",
                "--cache-dir=/dev/null",
            ])
            .arg(&pyi)
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "mypy --strict {}:\n{}",
            pyi.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// The Windows golden files say what Total Commander needs: `__stdcall`
/// exports as `extern "system"`, callbacks too.
#[test]
fn windows_targets_use_the_system_abi() {
    let lib = std::fs::read_to_string(root().join("tests/golden/stdcall-win32/lib.rs"))
        .unwrap_or_default();
    assert!(lib.contains("pub extern \"system\" fn"), "{lib}");
    assert!(
        lib.contains("unsafe extern \"system\" fn(*const u16, u32) -> i32"),
        "callback typedef: {lib}"
    );
    let linux =
        std::fs::read_to_string(root().join("tests/golden/stdcall/lib.rs")).unwrap_or_default();
    assert!(!linux.contains("extern \"system\""), "{linux}");
}

/// Total Commander's side of the WCX pack: 32-bit `__stdcall` exports with
/// undecorated names, the hosts' packed record sizes on both Windows targets.
#[test]
fn wcx_pack_targets_total_commander() {
    for (case, pointer) in [("wcx-win32", 4), ("wcx-win64", 8), ("wcx", 8)] {
        let lib = std::fs::read_to_string(root().join("tests/golden").join(case).join("lib.rs"))
            .unwrap_or_default();
        let abi = if case == "wcx" { "\"C\"" } else { "\"system\"" };
        assert!(lib.contains(&format!("pub extern {abi} fn")), "{case}");
        assert!(
            lib.contains("#[unsafe(export_name = \"OpenArchive\")]"),
            "{case}"
        );
        assert!(
            lib.contains("#[unsafe(export_name = \"ReadHeaderExW\")]"),
            "{case}"
        );
        // ArcName + FileName + 9 ints + CmtBuf pointer + 3 ints, packed.
        let header = 260 * 2 + 9 * 4 + pointer + 3 * 4;
        for size in [header, 2092 + pointer + 3 * 4 + 1024, 5184 - 8 + pointer] {
            assert!(
                lib.contains(&format!("size: {size},")),
                "{case}: no record of {size} bytes"
            );
        }
    }
}

/// The expected `lib.rs` of every host-target case, built as a crate: its
/// layout assertions hold and the stubs type-check against the runtime.
/// (Windows cases need a Windows target to build; their layouts are checked
/// by `clang` tests.) Set `EPY_GEN_TARGET_DIR` to share a target directory.
#[test]
fn golden_crates_compile() {
    let target_dir = std::env::var_os("EPY_GEN_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/plugins/golden"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-crates");
    let mut failures = Vec::new();
    for case in cases().into_iter().filter(|c| c.opts.target.is_none()) {
        let iface = epy_codegen::parse(&case.opts).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let cfg = rust::CrateConfig {
            crate_name: format!("golden_{}", case.name.replace('-', "_")),
            runtime_path: root().join("epy-runtime"),
            exports: exports(&iface),
            noops: vec![],
            library_stem: iface.module.clone(),
        };
        let dir = scratch.join(&case.name);
        for (rel, text) in rust::emit_crate(&iface, &cfg).unwrap() {
            std::fs::create_dir_all(dir.join(&rel).parent().unwrap()).unwrap();
            std::fs::write(dir.join(&rel), text).unwrap();
        }
        // Build what the golden file says, not what this build generates.
        let expected = root().join("tests/golden").join(&case.name).join("lib.rs");
        std::fs::copy(&expected, dir.join("src/lib.rs")).unwrap();
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target_dir)
            .output()
            .expect("cargo");
        if !out.status.success() {
            failures.push(format!(
                "{} does not compile:\n{}",
                expected.display(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
