//! Tells the runtime which Python it is built for: `Py_3_12`-style cfgs for
//! version-specific code, `EPY_PYTHON_VERSION` for the load-time check, and
//! where that Python lives (`EPY_PYTHON_HOME`, `EPY_PYTHON_EXECUTABLE`), so
//! a plugin that starts Python uses this installation's standard library,
//! never one found through the host's `PATH`.
use std::process::Command;

fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    let cfg = pyo3_build_config::get();
    println!(
        "cargo:rustc-env=EPY_PYTHON_VERSION={}.{}",
        cfg.version().major,
        cfg.version().minor
    );
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
    let (home, executable) = cfg
        .executable()
        .and_then(installation)
        .or_else(|| {
            // No interpreter to ask (a config file): libpython's `<prefix>/lib`.
            let lib = std::path::Path::new(cfg.lib_dir()?);
            Some((lib.parent()?.to_str()?.to_owned(), String::new()))
        })
        .unwrap_or_default();
    println!("cargo:rustc-env=EPY_PYTHON_HOME={home}");
    println!("cargo:rustc-env=EPY_PYTHON_EXECUTABLE={executable}");
    // Integration tests are executables linked to libpython: find it at run time.
    if let Some(dir) = cfg.lib_dir() {
        println!("cargo:rustc-link-arg-tests=-Wl,-rpath,{dir}");
    }
}

/// `(home, executable)` of the installation behind `python` (for a venv's
/// interpreter, the base installation): `home` is `PyConfig.home`, the
/// prefix, or `prefix:exec_prefix` when they differ.
fn installation(python: &str) -> Option<(String, String)> {
    let code = "import sys\n\
        print(sys.base_prefix)\n\
        print(sys.base_exec_prefix)\n\
        print(getattr(sys, '_base_executable', '') or sys.executable)";
    let out = Command::new(python)
        .args(["-I", "-c", code])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    let mut lines = text.lines();
    let (prefix, exec_prefix, executable) = (lines.next()?, lines.next()?, lines.next()?);
    let home = if prefix == exec_prefix {
        prefix.to_owned()
    } else {
        format!("{prefix}:{exec_prefix}")
    };
    Some((home, executable.to_owned()))
}
