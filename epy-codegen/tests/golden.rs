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
            let target = w
                .iter()
                .position(|&x| x == "--target")
                .map(|i| w[i + 1].to_owned());
            Case {
                name: w[0].to_owned(),
                opts: ParseOptions {
                    header: root().join(w[1]),
                    annotations: w.get(2).filter(|&&a| a != "-").map(|a| root().join(a)),
                    target,
                    ..Default::default()
                },
            }
        })
        .collect()
}

/// Compares or (with EPY_BLESS) writes one expected file; returns a failure message.
fn check(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("EPY_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{} differs at line {}:\n  expected: {}\n  actual:   {}\n(run with EPY_BLESS=1 to accept)",
        path.display(),
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>")
    ))
}

#[test]
fn golden_outputs() {
    let mut failures = Vec::new();
    for case in cases() {
        let iface = epy_codegen::parse(&case.opts).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let exports: Vec<String> = iface
            .functions
            .iter()
            .filter(|f| !f.sig.variadic)
            .map(|f| f.name.clone())
            .collect();
        let lib = rust::emit_lib(&iface, &exports).unwrap_or_else(|e| panic!("{}: {e}", case.name));
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
