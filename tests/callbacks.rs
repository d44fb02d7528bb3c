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
