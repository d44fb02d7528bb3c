//! Resources a long-running host must be able to count on: handles that stay
//! dead once closed, returned strings that no other thread frees, and live
//! reloads that do not accumulate interpreters.
use epy_tests::*;
use std::path::PathBuf;
use std::process::Command;

/// Builds the resource plugin (`tests/scripts/resources.py`) into a fresh
/// directory named for `tag`.
fn plugin(tag: &str) -> PathBuf {
    let dir = scratch(&format!("resources-{tag}"));
    build_plugin(
        &Plugin {
            header: "tests/headers/resources.h",
            annotations: Some("tests/headers/resources.toml"),
            script: "tests/scripts/resources.py",
            name: None,
        },
        &dir,
    )
}

/// Runs `tests/hosts/<host>.c` on the plugin with `args`; asserts it passed.
fn run_host(host: &str, lib: &std::path::Path, args: &[&str]) -> String {
    let exe = compile_host(host, lib.parent().unwrap(), &[]);
    let out = run(Command::new(&exe).arg(lib).args(args));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{host}:\n{stdout}"
    );
    stdout
}

/// 70,000 reuses of one handle slot (past 16-bit generations): the first,
/// closed handle is an error value every time, never another object.
#[test]
fn stale_handles_never_come_back() {
    let lib = plugin("handles");
    run_host("handle_host", &lib, &["70000"]);
}

/// Two threads call the same string-returning export 200,000 times each:
/// neither ever sees its string freed or changed before its own next call.
#[test]
fn returned_strings_belong_to_the_calling_thread() {
    let lib = plugin("strings");
    run_host("string_host", &lib, &["2", "200000"]);
}

/// A script saved 100 times while the host keeps calling: every call after
/// a save runs the new code, and retired interpreters end (RSS grows less
/// than 30 MB from save 10 to save 100; each one costs megabytes).
#[test]
fn live_reload_ends_old_interpreters() {
    let lib = plugin("reload");
    reload_saves(&lib, "0");
}

/// The same with two more threads calling all the while (their thread
/// states in the old interpreters go at their next call), on every Python.
#[test]
fn live_reload_ends_old_interpreters_under_calling_threads() {
    for version in ["3.11", "3.12", "3.13"] {
        let Some(py) = pyenv_python(version) else {
            println!("skipped: no Python {version} under pyenv");
            continue;
        };
        let dir = scratch(&format!("resources-reload-threads-{version}"));
        let lib = build_plugin_for(
            &Plugin {
                header: "tests/headers/resources.h",
                annotations: Some("tests/headers/resources.toml"),
                script: "tests/scripts/resources.py",
                name: None,
            },
            &dir,
            &py,
        );
        reload_saves(&lib, "2");
    }
}

/// Runs reload_rss_host (100 saves, `threads` calling threads) on `lib`:
/// every save is seen, and RSS grows less than 30 MB from save 10 to 100.
fn reload_saves(lib: &std::path::Path, threads: &str) {
    let script = lib.with_extension("py");
    let out = run_host(
        "reload_rss_host",
        lib,
        &[script.to_str().unwrap(), "100", threads],
    );
    let growth: i64 = out
        .lines()
        .find_map(|l| l.split(": +").nth(1))
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .expect("no RSS figure");
    assert!(growth < 30 * 1024, "RSS grew {growth} KiB over 90 reloads");
}

/// The process has no thread key left when a plugin starts: its calls return
/// the error value with a log line saying so, and no key of the host's (nor
/// another plugin's) is written.
#[test]
fn a_plugin_without_a_thread_key_fails_cleanly() {
    let lib = plugin("keys");
    let dir = lib.parent().unwrap();
    let second = dir.join("second.so");
    std::fs::copy(&lib, &second).unwrap();
    std::fs::copy(
        root().join("tests/scripts/resources.py"),
        dir.join("second.py"),
    )
    .unwrap();
    run_host("keys_host", &lib, &[second.to_str().unwrap()]);
    let log = std::fs::read_to_string(dir.join("second.log")).unwrap_or_default();
    assert!(log.contains("thread key"), "{log}");
}
