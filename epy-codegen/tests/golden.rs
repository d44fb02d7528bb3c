//! Golden tests, one `#[test]` per case: `tests/golden/<case>/case.toml`
//! says what to read (header, annotations, pack, target; paths from the
//! repository root) and the expected `lib.rs` and `<module>.pyi` lie beside
//! it. `EPY_BLESS=1` rewrites them; any other difference fails with a
//! unified diff. Every expected `.pyi` passes `mypy --strict`.
//!
//! One case: `cargo test -p epy-codegen --test golden case::wcx`.
use epy_codegen::ParseOptions;
use epy_codegen::emit::{python, rust};
use epy_codegen::plan::Plan;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../../tests/support/mypy.rs"]
mod mypy;

/// `test name => case directory`, one per case (`build.rs` lists them;
/// `every_case_directory_has_a_test` checks that none is left out).
macro_rules! cases {
    ($($test:ident => $dir:literal,)*) => {
        const CASES: &[&str] = &[$($dir),*];
        mod case {
            $(#[test] fn $test() { super::golden($dir) })*
        }
    };
}

// One line per folder of tests/golden/ with a `case.toml`, written by
// build.rs: a new case is a folder, nothing to add here.
include!(concat!(env!("OUT_DIR"), "/golden_cases.rs"));

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn case_dir(case: &str) -> PathBuf {
    root().join("tests/golden").join(case)
}

/// `case.toml`: the flags of one case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    header: PathBuf,
    annotations: Option<PathBuf>,
    pack: Option<PathBuf>,
    /// A target triple; this machine's when absent.
    target: Option<String>,
    /// Infer annotations (what `epy-codegen HEADER` does unless `--no-infer`).
    #[serde(default)]
    infer: bool,
}

fn options(case: &str) -> ParseOptions {
    let path = case_dir(case).join("case.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let c: CaseFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParseOptions {
        header: root().join(c.header),
        annotations: c.annotations.map(|a| root().join(a)),
        pack: c.pack.map(|p| root().join(p)),
        target: c.target,
        infer: c.infer,
        ..Default::default()
    }
}

/// One case: generated `lib.rs` and `.pyi` equal the expected ones (or are
/// written with `EPY_BLESS`), and the expected `.pyi` passes `mypy --strict`.
fn golden(case: &str) {
    let plan = Plan::load(&options(case)).unwrap_or_else(|e| panic!("{case}: {e}"));
    let lib = rust::lib_rs(&plan).unwrap_or_else(|e| panic!("{case}: {e}"));
    let pyi = python::pyi(&plan);
    let dir = case_dir(case);
    let pyi_name = format!("{}.pyi", plan.iface.module);
    let failures: Vec<String> = [
        check(&dir.join("lib.rs"), &lib),
        check(&dir.join(&pyi_name), &pyi),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    mypy::strict("python3", &dir, &[&pyi_name]).unwrap_or_else(|e| panic!("{e}"));
}

/// Compares or (with EPY_BLESS) writes one expected file; returns a failure
/// message with a unified diff (expected → actual).
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
    let name = path.display().to_string();
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{name} (expected)"),
            &format!("{name} (generated)"),
        )
        .to_string();
    Some(format!(
        "{name} differs (run with EPY_BLESS=1 to accept):\n{diff}"
    ))
}

#[test]
fn every_case_directory_has_a_test() {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("tests/golden"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut listed: Vec<&str> = CASES.to_vec();
    listed.sort();
    assert_eq!(dirs, listed, "tests/golden/* and the `cases!` list differ");
    for case in CASES {
        let _ = options(case);
    }
}

#[test]
fn a_difference_shows_as_a_unified_diff() {
    if std::env::var_os("EPY_BLESS").is_some() {
        return; // `check` writes instead of comparing
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-diff");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("expected.txt");
    std::fs::write(&path, "a\nb\nc\n").unwrap();
    let msg = check(&path, "a\nB\nc\n").expect("a difference");
    assert!(msg.contains("@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"), "{msg}");
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
/// Slow tier: cargo builds every crate (minutes on a cold target).
#[test]
#[cfg_attr(not(feature = "slow"), ignore = "slow tier: builds a crate per case")]
fn golden_crates_compile() {
    let target_dir = std::env::var_os("EPY_GEN_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/plugins/golden"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("golden-crates");
    let mut failures = Vec::new();
    for &case in CASES {
        let opts = options(case);
        if opts.target.is_some() {
            continue;
        }
        let plan = Plan::load(&opts).unwrap_or_else(|e| panic!("{case}: {e}"));
        let cfg = rust::CrateConfig {
            crate_name: format!("golden_{}", case.replace('-', "_")),
            runtime_path: root().join("epy-runtime"),
            library_stem: plan.iface.module.clone(),
        };
        let dir = scratch.join(case);
        for (rel, text) in rust::crate_files(&plan, &cfg).unwrap() {
            std::fs::create_dir_all(dir.join(&rel).parent().unwrap()).unwrap();
            std::fs::write(dir.join(&rel), text).unwrap();
        }
        // Build what the golden file says, not what this build generates.
        let expected = case_dir(case).join("lib.rs");
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
