//! Liveness: a plugin call on one host thread never freezes calls on
//! others. Every check is a rendezvous in host memory that only completes
//! when both sides run (timeouts only detect failure, and are far beyond any
//! healthy run, so a busy machine cannot make them flake); the measured
//! waits are printed, not asserted.
use epy_tests::*;
use std::path::PathBuf;
use std::process::Command;

const VERSIONS: [&str; 3] = ["3.11", "3.12", "3.13"];

fn python_or_skip(version: &str) -> Option<String> {
    let p = pyenv_python(version);
    if p.is_none() {
        println!("skipped: no Python {version} under pyenv");
    }
    p
}

/// Builds the liveness plugin for `python` once and lays out one copy per
/// sidecar, each a library of its own: `<dir>/<name>/<name>.so` + `.py`
/// (+ `.toml` with the sidecar's text, if any).
fn lay_out(python: &str, tag: &str, plugins: &[(&str, Option<&str>)]) -> Vec<PathBuf> {
    let dir = scratch(&format!("liveness-{tag}"));
    let build = dir.join("build");
    std::fs::create_dir_all(&build).unwrap();
    let lib = build_plugin_for(
        &epy_tests::Plugin {
            header: "tests/headers/liveness.h",
            annotations: Some("tests/headers/liveness.toml"),
            script: "tests/scripts/liveness/liveness.py",
            name: None,
        },
        &build,
        python,
    );
    plugins
        .iter()
        .map(|(name, sidecar)| {
            let d = dir.join(name);
            std::fs::create_dir_all(&d).unwrap();
            let so = d.join(format!("{name}.so"));
            std::fs::copy(&lib, &so).unwrap();
            std::fs::copy(lib.with_extension("py"), so.with_extension("py")).unwrap();
            if let Some(toml) = sidecar {
                std::fs::write(so.with_extension("toml"), toml).unwrap();
            }
            so
        })
        .collect()
}

/// Runs liveness_host with `args`; returns its stdout, and adds it to
/// `failures` unless it passed.
fn liveness_host(
    libs: &[PathBuf],
    args: &[&str],
    what: &str,
    failures: &mut Vec<String>,
) -> String {
    let host = compile_host("liveness_host", libs[0].parent().unwrap(), &[]);
    let out = run(Command::new(&host).args(args).args(libs));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !(out.status.success() && stdout.contains(" 0 failed")) {
        failures.push(format!("{what}:\n{stdout}"));
    }
    stdout
}

/// The figure a host printed after `prefix`, for the test's output.
fn figure(stdout: &str, prefix: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or("?")
        .to_owned()
}

/// While plugin A spins in Python on one thread, the main thread calls
/// plugin B, unloads B and calls plugin C, whose call ends A's spin: each
/// gets the GIL although A never lets go of it by itself. Shared-GIL
/// plugins, and mixed with the main interpreter (`main` mode) both ways.
#[test]
fn a_busy_plugin_does_not_freeze_other_plugins() {
    const SHARED: Option<&str> = None;
    // A watches a flag in host memory change during its call: zero-copy (in
    // the main interpreter buffers are copies by default, taken when the
    // call begins).
    const MAIN: Option<&str> = Some("[plugin]\ninterpreter = \"main\"\nbuffers = \"zero-copy\"\n");
    let mut failures = Vec::new();
    for version in VERSIONS {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        for (tag, a, others) in [
            ("shared-shared", SHARED, SHARED),
            ("shared-main", SHARED, MAIN),
            ("main-shared", MAIN, SHARED),
        ] {
            let plugins = [("a", a), ("b", others), ("c", others)];
            let libs = lay_out(&py, &format!("{version}-{tag}"), &plugins);
            let what = format!("Python {version}, A {tag} B and C");
            let out = liveness_host(&libs, &["handoff"], &what, &mut failures);
            eprintln!("{what}: {}", figure(&out, "handoff: "));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// While plugin A spins on one thread, plugin B's call on another lets go of
/// the GIL by itself (sleeps, a file read, a lock wait: CPython takes it back
/// without epy), then plugin C loads (its imports do the same) and sets
/// the flag A waits for: B and C must get the GIL back while A still spins.
/// Shared-GIL plugins, and mixed with the main interpreter (`main` mode) both
/// ways; plugin D (shared), loaded first and unloaded before A spins, makes
/// another library's watchdog take over from the first one's.
#[test]
fn python_that_releases_the_gil_itself_gets_it_back_while_another_plugin_spins() {
    const SHARED: Option<&str> = None;
    // A watches a flag in host memory change during its call: zero-copy (in
    // the main interpreter buffers are copies by default, taken when the
    // call begins).
    const MAIN: Option<&str> = Some("[plugin]\ninterpreter = \"main\"\nbuffers = \"zero-copy\"\n");
    let mut failures = Vec::new();
    for version in VERSIONS {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        for (tag, a, others) in [
            ("shared-shared", SHARED, SHARED),
            ("shared-main", SHARED, MAIN),
            ("main-shared", MAIN, SHARED),
        ] {
            let plugins = [("a", a), ("b", others), ("c", others), ("d", SHARED)];
            let libs = lay_out(&py, &format!("{version}-selfrelease-{tag}"), &plugins);
            let what = format!("Python {version}, A {tag} B and C");
            let out = liveness_host(&libs, &["selfrelease"], &what, &mut failures);
            eprintln!("{what}: {}", figure(&out, "selfrelease: "));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The host's own Python (a ctypes host) spins in its main interpreter while
/// a call into plugin B starts on another thread: B must get the GIL.
#[test]
fn a_busy_host_python_does_not_freeze_a_plugin() {
    let mut failures = Vec::new();
    for version in VERSIONS {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        let libs = lay_out(&py, &format!("{version}-pyhost"), &[("b", None)]);
        let caller = compile_host(
            "liveness_caller",
            libs[0].parent().unwrap(),
            &["-shared", "-fPIC"],
        );
        let out = run(Command::new(&py)
            .arg(root().join("tests/hosts/py_liveness.py"))
            .args([&libs[0], &caller]));
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !(out.status.success() && stdout.contains(" 0 failed")) {
            failures.push(format!("Python {version}:\n{stdout}"));
        }
        eprintln!("Python {version}: {}", figure(&stdout, "py_liveness: "));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `dlclose` while another thread's call is still running in the plugin:
/// the call is interrupted (it returns its error value, with a log line)
/// and dlclose returns, instead of waiting for the GIL or ending the
/// interpreter under the running call.
#[test]
fn dlclose_during_a_busy_call_does_not_hang() {
    let mut failures = Vec::new();
    for version in VERSIONS {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        let libs = lay_out(&py, &format!("{version}-dlclose"), &[("a", None)]);
        let what = format!("Python {version}");
        let out = liveness_host(&libs, &["dlclose"], &what, &mut failures);
        eprintln!("{what}: {}", figure(&out, "dlclose: "));
        let log = std::fs::read_to_string(libs[0].with_extension("log")).unwrap_or_default();
        if !log.contains("a call is still running") {
            failures.push(format!("{what}: no log line:\n{log}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Own-GIL plugins run in parallel: two calls play ping-pong on a counter in
/// host memory with their GILs' switch interval at 1000 s, so they can only
/// both finish if they run at the same time (with one GIL between them, the
/// waiting player would never get it back in time).
#[test]
fn own_gil_plugins_run_at_the_same_time() {
    const OWN: Option<&str> = Some("[plugin]\ninterpreter = \"own-gil\"\n");
    let mut failures = Vec::new();
    for version in ["3.12", "3.13"] {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        let libs = lay_out(&py, &format!("{version}-own"), &[("a", OWN), ("b", OWN)]);
        let what = format!("Python {version}, own GIL");
        let out = liveness_host(&libs, &["pingpong"], &what, &mut failures);
        eprintln!("{what}: {}", figure(&out, "pingpong: "));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
