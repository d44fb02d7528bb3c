//! What a plugin script must not be able to do to its host, tried from
//! Python and checked by C hosts: reach host memory after a call returned
//! (through slices, casts, re-wraps of argument buffers and array fields;
//! run under valgrind), overflow a struct by swapping its `__class__`,
//! reach `buffer_at`; and its exception must reach the log intact.
use epy_tests::*;
use std::process::Command;

/// Builds the safety plugin for `python` and runs its host under valgrind.
fn under_valgrind(name: &str, python: &str) {
    let dir = scratch(name);
    let lib = build_plugin_for(
        &Plugin {
            header: "tests/headers/safety.h",
            annotations: Some("tests/headers/safety.toml"),
            script: "tests/scripts/safety/safety.py",
            name: None,
        },
        &dir,
        python,
    );
    let host = compile_host("safety_host", &dir, &[]);
    let valgrind = Command::new("valgrind").arg("--version").output();
    assert!(
        valgrind.is_ok_and(|o| o.status.success()),
        "valgrind is needed (tools/setup.sh installs it)"
    );
    let out = run(Command::new("valgrind")
        .args([
            "--error-exitcode=99",
            "--leak-check=no",
            "--track-origins=no",
        ])
        .arg(format!(
            "--suppressions={}",
            root().join("tests/hosts/valgrind.supp").display()
        ))
        .arg(&host)
        .arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("safety_host: 12 passed, 0 failed"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("ERROR SUMMARY: 0 errors"),
        "valgrind found errors:\n{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    // The exception raised with a buffer argument is logged with its traceback.
    let log = std::fs::read_to_string(dir.join("safety.log")).unwrap_or_default();
    assert!(
        log.contains("RuntimeError: the script's own message 1.5"),
        "{log}"
    );
    assert!(log.contains("in _helper"), "{log}");
    assert!(!log.contains("no exception set"), "{log}");
}

#[test]
fn kept_views_swapped_classes_and_raw_addresses_never_reach_host_memory() {
    under_valgrind("safety", &python());
}

// The memoryview layouts epy reaches into, and the type flags, per version.
#[test]
fn the_same_on_312_and_313() {
    for version in ["3.12", "3.13"] {
        match pyenv_python(version) {
            Some(py) => under_valgrind(&format!("safety-{version}"), &py),
            None => println!("skipped: no Python {version} under pyenv"),
        }
    }
}

#[test]
fn the_ladspa_layer_keeps_buffer_at_to_itself() {
    let dir = scratch("safety-ladspa");
    let lib = build_with_pack("tests/scripts/safety/probe_ladspa.py", "ladspa", &dir, None);
    let out = run(Command::new("analyseplugin").arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("buffer_at reachable 0 ways"), "{stdout}");
}
