//! Hosts that fork: a C host forks while 0, 1 and 4 of its threads are inside
//! plugin calls (every child and grandchild must call the plugin, the
//! parent's calls must complete), in each interpreter mode on every Python
//! here; a Python host forks with `os.fork()` while a thread is in the
//! plugin; a `multiprocessing` pool (fork start method) uses a plugin loaded
//! in the parent.
use epy_tests::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds life.so for `python` as `<dir>/forkN.so` with its script, helper
/// module and sidecar (`mode`).
fn plugin(python: &str, tag: &str, mode: &str) -> PathBuf {
    let dir = scratch(&format!("fork-{tag}"));
    let lib = build_plugin_for(
        &Plugin {
            header: "tests/headers/life.h",
            annotations: None,
            script: "tests/scripts/life/life.py",
            name: Some("fork1"),
        },
        &dir,
        python,
    );
    std::fs::write(dir.join("helper.py"), "VALUE = 7\n").unwrap();
    std::fs::write(
        lib.with_extension("toml"),
        format!("[plugin]\ninterpreter = \"{mode}\"\n"),
    )
    .unwrap();
    lib
}

fn python_or_skip(version: &str) -> Option<String> {
    let p = pyenv_python(version);
    if p.is_none() {
        println!("skipped: no Python {version} under pyenv");
    }
    p
}

/// Runs `cmd` under a 10-minute kill timeout (a hang fails instead of
/// stalling the suite) and returns its stdout.
fn run_limited(cmd: &mut Command) -> (bool, String) {
    let mut t = Command::new("timeout");
    t.args(["-s", "KILL", "600"]).arg(cmd.get_program());
    t.args(cmd.get_args());
    let out = run(&mut t);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// fork_host on `lib` with 0, 1 and 4 calling threads, 20 forks each (the
/// last run with grandchildren); returns the summary lines.
fn fork_host_runs(lib: &Path, what: &str) -> Vec<String> {
    let host = compile_host("fork_host", lib.parent().unwrap(), &[]);
    let mut lines = Vec::new();
    for (threads, grand) in [("0", "0"), ("1", "0"), ("4", "1")] {
        let (ok, stdout) = run_limited(Command::new(&host).arg(lib).args([threads, "20", grand]));
        assert!(
            ok && stdout.contains(" 0 failed"),
            "{what}, {threads} thread(s):\n{stdout}"
        );
        lines.extend(
            stdout
                .lines()
                .filter(|l| l.contains("children ok"))
                .map(|l| format!("{what}: {l}")),
        );
    }
    lines
}

fn forks_in_every_mode(version: &str) {
    let Some(py) = python_or_skip(version) else {
        return;
    };
    let modes: &[&str] = if version == "3.11" {
        &["shared", "main"]
    } else {
        &["shared", "own-gil", "main"]
    };
    let mut summary = Vec::new();
    for mode in modes {
        let lib = plugin(&py, &format!("{version}-{mode}"), mode);
        summary.extend(fork_host_runs(&lib, &format!("{version} {mode}")));
    }
    for l in summary {
        println!("{l}");
    }
}

#[test]
fn c_host_forks_while_threads_call_311() {
    forks_in_every_mode("3.11");
}

#[test]
fn c_host_forks_while_threads_call_312() {
    forks_in_every_mode("3.12");
}

#[test]
fn c_host_forks_while_threads_call_313() {
    forks_in_every_mode("3.13");
}

/// `python3 py_fork_host.py LIB fork|pool` for every mode on every Python
/// here.
fn python_host(what: &str) {
    for version in ["3.11", "3.12", "3.13"] {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        let modes: &[&str] = if version == "3.11" {
            &["shared", "main"]
        } else {
            &["shared", "own-gil", "main"]
        };
        for mode in modes {
            let lib = plugin(&py, &format!("py{what}-{version}-{mode}"), mode);
            let (ok, stdout) = run_limited(
                Command::new(&py)
                    .arg(root().join("tests/hosts/py_fork_host.py"))
                    .arg(&lib)
                    .arg(what),
            );
            assert!(
                ok && stdout.contains(" 0 failed"),
                "py_fork_host {what}, {version} {mode}:\n{stdout}"
            );
        }
    }
}

/// A Python host forks with `os.fork()` while a thread is in the plugin:
/// the child calls the plugin, and CPython's fork hooks ran once each.
#[test]
fn python_host_os_fork_while_a_thread_is_in_the_plugin() {
    python_host("fork");
}

/// A real forking host: a `multiprocessing` pool (fork start method) over a
/// plugin loaded in the parent, while a parent thread is in the plugin.
#[test]
fn multiprocessing_fork_pool_over_a_loaded_plugin() {
    python_host("pool");
}

/// A child's log lines go to the same `<stem>.log`, with the child's pid.
#[test]
fn child_log_lines_carry_the_childs_pid() {
    let lib = plugin(&python(), "log", "shared");
    // A script without call_host(): every load (the parent's, then each
    // child's) logs that it is missing.
    let script = lib.with_extension("py");
    let text = std::fs::read_to_string(&script).unwrap();
    let cut = text.find("def call_host").unwrap();
    let end = text[cut..].find("\n\n\n").unwrap();
    std::fs::write(
        &script,
        format!("{}{}", &text[..cut], &text[cut + end + 3..]),
    )
    .unwrap();
    let host = compile_host("fork_host", lib.parent().unwrap(), &[]);
    let (ok, stdout) = run_limited(Command::new(&host).arg(&lib).args(["0", "3", "1"]));
    assert!(ok && stdout.contains(" 0 failed"), "{stdout}");
    let log = std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default();
    let pids: std::collections::BTreeSet<&str> = log
        .lines()
        .filter(|l| l.contains("does not define call_host"))
        .filter_map(|l| l.split(" pid ").nth(1)?.split(']').next())
        .collect();
    // The parent, three children and three grandchildren.
    assert_eq!(pids.len(), 7, "log:\n{log}");
}
