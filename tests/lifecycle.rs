//! Many Python plugins in one process, on every Python version here: five
//! plugins (copies of one library under different names, each with its own
//! script and its own `helper` module), eight host threads calling all of them
//! concurrently, one unloaded and reloaded mid-run.
use epy_tests::*;
use std::path::PathBuf;
use std::process::Command;

/// Builds life.so for `python` and lays out `n` plugins, each in its own
/// directory: `<dir>/pN/pluginN.so`, `pluginN.py` (IDENT = N), `helper.py`.
fn lay_out(python: &str, tag: &str, n: usize, sidecar: impl Fn(usize) -> Option<&'static str>) -> Vec<PathBuf> {
    let dir = scratch(&format!("life-{tag}"));
    let build = dir.join("build");
    std::fs::create_dir_all(&build).unwrap();
    let lib = build_plugin_for(
        &Plugin { header: "tests/headers/life.h", annotations: None, script: "tests/scripts/life/life.py", name: None },
        &build,
        python,
    );
    let script = std::fs::read_to_string(root().join("tests/scripts/life/life.py")).unwrap();
    (1..=n)
        .map(|i| {
            let d = dir.join(format!("p{i}"));
            std::fs::create_dir_all(&d).unwrap();
            let so = d.join(format!("plugin{i}.so"));
            std::fs::copy(&lib, &so).unwrap();
            std::fs::write(d.join(format!("plugin{i}.py")), script.replace("IDENT = 1", &format!("IDENT = {i}"))).unwrap();
            std::fs::write(d.join("helper.py"), format!("VALUE = {}\n", i * 7)).unwrap();
            if let Some(toml) = sidecar(i) {
                std::fs::write(d.join(format!("plugin{i}.toml")), toml).unwrap();
            }
            so
        })
        .collect()
}

fn multi(python: &str, tag: &str, sidecar: impl Fn(usize) -> Option<&'static str>) {
    let libs = lay_out(python, tag, 5, sidecar);
    let host = compile_host("multi_host", libs[0].parent().unwrap().parent().unwrap(), &[]);
    let out = run(Command::new(&host).args(["8", "10000"]).args(&libs));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && stdout.contains(" 0 failed"), "multi_host ({tag}):\n{stdout}");
}

fn python_or_skip(version: &str) -> Option<String> {
    let p = pyenv_python(version);
    if p.is_none() {
        println!("skipped: no Python {version} under pyenv");
    }
    p
}

#[test]
fn many_plugins_threads_unload_reload_311() {
    if let Some(py) = python_or_skip("3.11") {
        multi(&py, "3.11", |_| None);
    }
}

#[test]
fn many_plugins_threads_unload_reload_312() {
    if let Some(py) = python_or_skip("3.12") {
        // Mixed modes in one process: two plugins with their own GIL.
        multi(&py, "3.12", |i| (i % 2 == 0).then_some("interpreter = \"own-gil\"\n"));
    }
}

#[test]
fn many_plugins_threads_unload_reload_313() {
    if let Some(py) = python_or_skip("3.13") {
        multi(&py, "3.13", |i| (i % 2 == 0).then_some("interpreter = \"own-gil\"\n"));
    }
}

