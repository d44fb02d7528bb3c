//! Python callables as C function pointers (issue 13): a host API shaped
//! like SQLite's (user data + destroy callback) and one without user data
//! (epy's pool of trampolines), driven by a C host that checks what it sees.
use epy_tests::*;
use std::process::Command;

#[test]
fn python_callables_as_host_callbacks() {
    let dir = scratch("callbacks");
    let lib = build_plugin(
        &Plugin {
            header: "tests/headers/callbacks.h",
            annotations: Some("tests/headers/callbacks.toml"),
            script: "tests/scripts/callbacks.py",
            name: None,
        },
        &dir,
    );
    // The script type-checks against the stubs: callables for the
    // function-pointer parameters, any object as user data.
    mypy_strict(&dir.join("callbacks.py")).unwrap();
    let host = compile_host("callbacks_host", &dir, &[]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    // Exceptions in callbacks are logged like an export's, naming the prototype.
    let log = std::fs::read_to_string(dir.join("callbacks.log")).unwrap_or_default();
    assert!(
        log.contains("cb_binop() raised") && log.contains("ZeroDivisionError"),
        "log:\n{log}"
    );
}

/// Live reload never frees a callable the host may still call: with one
/// registered, an edit of the script waits (logged); the host's destroy
/// callback lets the reload happen.
#[test]
fn reload_waits_while_the_host_holds_callables() {
    let dir = scratch("callbacks-reload");
    let lib = build_plugin(
        &Plugin {
            header: "tests/headers/callbacks.h",
            annotations: Some("tests/headers/callbacks.toml"),
            script: "tests/scripts/callbacks_reload.py",
            name: None,
        },
        &dir,
    );
    let script = dir.join("callbacks_reload.py");
    let edited = dir.join("callbacks_reload.py.new");
    let text = std::fs::read_to_string(&script).unwrap();
    std::fs::write(&edited, text.replace("VERSION = 1", "VERSION = 2")).unwrap();
    let host = compile_host("callbacks_reload_host", &dir, &[]);
    let out = run(Command::new(&host)
        .arg(&lib)
        .arg(&script)
        .arg(&edited)
        .arg(dir.join("callbacks_reload.log")));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(dir.join("callbacks_reload.log")).unwrap_or_default();
    assert!(log.contains("the host holds 1 handle(s)"), "{log}");
    assert!(log.contains("reloaded in a fresh interpreter"), "{log}");
}
