//! Struct fields written through live views: a C host checks what a
//! script's writes left in its memory, for each kind a setter stores and
//! each way a write reaches it (the field's name, a name built at run time,
//! a Python subclass), and that refused writes (too long, out of range,
//! wrong type, deleted, const, after the call, `__class__`) change nothing.
use epy_tests::*;
use std::process::Command;

#[test]
fn field_writes_reach_host_memory_and_refused_ones_change_nothing() {
    let dir = scratch("field-writes");
    let lib = build_plugin(
        &Plugin {
            header: "tests/headers/field_writes.h",
            annotations: None,
            script: "tests/scripts/field_writes.py",
            name: None,
        },
        &dir,
    );
    let host = compile_host("field_writes_host", &dir, &[]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(dir.join("field_writes.log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}\nplugin log:\n{log}"
    );
    // The script type-checks against the stubs the build wrote.
    let mypy = Command::new(python())
        .args([
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "field_writes.py",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        mypy.status.success(),
        "{}",
        String::from_utf8_lossy(&mypy.stdout)
    );
}
