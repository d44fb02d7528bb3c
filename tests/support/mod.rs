//! Shared helpers for the end-to-end tests: build a plugin from a script with
//! `epy-codegen build`'s library entry point, compile a C test host, run it.
use epy_codegen::ParseOptions;
use epy_codegen::builder::{self, BuildOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod mypy;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Scratch space for one test, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/e2e").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Python to build for (`EPY_TEST_PYTHON`, else `python3`).
pub fn python() -> String {
    std::env::var("EPY_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// What a plugin build needs besides the script.
pub struct Plugin<'a> {
    pub header: &'a str,
    pub annotations: Option<&'a str>,
    pub script: &'a str,
    /// Library file name stem (default: the script's).
    pub name: Option<&'a str>,
}

/// Copies the script into `dir` (so the generated `.pyi` lands there, not in
/// the source tree) and builds `dir/<stem>.so` for the default Python.
pub fn build_plugin(p: &Plugin, dir: &Path) -> PathBuf {
    build_plugin_for(p, dir, &python())
}

/// `build_plugin` with inferred annotations, as `epy-codegen build` does
/// unless `--no-infer`.
pub fn build_plugin_inferred(p: &Plugin, dir: &Path) -> PathBuf {
    let root = root();
    let parse = ParseOptions {
        header: root.join(p.header),
        annotations: p.annotations.map(|a| root.join(a)),
        infer: true,
        ..Default::default()
    };
    build_parsed(p, parse, dir, &python())
}

/// A pyenv-installed Python `major.minor` (e.g. "3.12"), if present.
pub fn pyenv_python(version: &str) -> Option<String> {
    let root = std::env::var("PYENV_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".pyenv")
        });
    let mut found: Vec<PathBuf> = std::fs::read_dir(root.join("versions"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{version}.")))
        })
        .collect();
    found.sort();
    let bin = found.last()?.join("bin").join(format!("python{version}"));
    bin.is_file().then(|| bin.to_string_lossy().into_owned())
}

/// `build_plugin` for a given Python interpreter.
pub fn build_plugin_for(p: &Plugin, dir: &Path, python: &str) -> PathBuf {
    let root = root();
    let parse = ParseOptions {
        header: root.join(p.header),
        annotations: p.annotations.map(|a| root.join(a)),
        ..Default::default()
    };
    build_parsed(p, parse, dir, python)
}

/// Builds `script` (copied into `dir` as `<name or stem>.py`) with an
/// interface pack, as `epy-codegen build SCRIPT --pack PACK` does.
pub fn build_with_pack(script: &str, pack: &str, dir: &Path, name: Option<&str>) -> PathBuf {
    build_with_pack_for(script, pack, dir, name, &python())
}

/// `build_with_pack` for a given Python interpreter.
pub fn build_with_pack_for(
    script: &str,
    pack: &str,
    dir: &Path,
    name: Option<&str>,
    python: &str,
) -> PathBuf {
    let pack = epy_codegen::pack::find(pack).unwrap_or_else(|e| panic!("{e}"));
    let p = Plugin {
        header: "",
        annotations: None,
        script,
        name,
    };
    let parse = ParseOptions {
        header: pack.header(),
        pack: Some(pack.dir),
        ..Default::default()
    };
    build_parsed(&p, parse, dir, python)
}

fn build_parsed(p: &Plugin, parse: ParseOptions, dir: &Path, python: &str) -> PathBuf {
    let root = root();
    let stem = p.name.map(str::to_owned).unwrap_or_else(|| {
        Path::new(p.script)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    });
    let script = dir.join(format!("{stem}.py"));
    std::fs::copy(root.join(p.script), &script).unwrap();
    let python = python.to_owned();
    let version = Command::new(&python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let opts = BuildOptions {
        script,
        parse,
        out_dir: Some(dir.to_path_buf()),
        python,
        // One target directory per Python version, shared by every plugin.
        target_dir: root.join("target/plugins").join(version),
        runtime_path: root.join("epy-runtime"),
        suffix: None,
        debug: false,
    };
    match builder::build(&opts) {
        Ok(b) => b.library,
        Err(e) => panic!("build of {} failed:\n{e}", p.script),
    }
}

/// Compiles `tests/hosts/<name>.c` into `dir/<name>`.
pub fn compile_host(name: &str, dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let src = root().join("tests/hosts").join(format!("{name}.c"));
    let status = Command::new("gcc")
        .args(["-O1", "-g", "-Wall", "-o"])
        .arg(&out)
        .arg(&src)
        .args(extra)
        .args(["-ldl", "-lpthread", "-lm"])
        .status()
        .expect("gcc");
    assert!(status.success(), "gcc failed for {}", src.display());
    out
}

/// Runs a command, echoes its output (visible with --nocapture) and returns it.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The `epy-codegen` binary of this tree (`target/debug/epy-codegen`,
/// built once per test process), as a user runs it.
pub fn epy_codegen() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = Command::new(cargo)
                .args(["build", "-p", "epy-codegen", "--bin", "epy-codegen"])
                .current_dir(root())
                .status()
                .expect("cargo build -p epy-codegen");
            assert!(status.success(), "cargo build -p epy-codegen failed");
            root().join("target/debug/epy-codegen")
        })
        .clone()
}

/// A command line as a user types it in `dir`: `epy-codegen` (this tree's)
/// first on `PATH`, the tests' shared plugin target directory and cache.
pub fn shell(line: &str, dir: &Path) -> Command {
    let bin = epy_codegen();
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let python = python();
    let version = Command::new(&python)
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let mut cmd = Command::new("bash");
    cmd.args(["-euo", "pipefail", "-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .env("PYO3_PYTHON", &python)
        .env(
            "EPY_TARGET_DIR",
            root().join("target/plugins").join(version),
        )
        .env("XDG_CACHE_HOME", root().join("target/cache"));
    cmd
}

/// `mypy --strict FILE` (with `python()`) in the file's folder: its report if it fails.
pub fn mypy_strict(file: &Path) -> Result<(), String> {
    let name = file.file_name().unwrap().to_string_lossy();
    mypy_strict_in(file.parent().unwrap(), &[&name])
}

/// `mypy --strict FILES…` (with `python()`) in `dir`: its report if it fails.
pub fn mypy_strict_in(dir: &Path, files: &[&str]) -> Result<(), String> {
    mypy::strict(&python(), dir, files)
}
