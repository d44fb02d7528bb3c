//! Typed pointers (the `pointer` rule): a plugin built from a header with no
//! annotations and no pack gets `Ptr` objects for pointers no other rule
//! marshals; a C host checks what the script wrote through them, that NULL
//! is `None`, and that a kept pointer and its array are revoked after the call.
use epy_tests::*;
use std::process::Command;

#[test]
fn typed_pointers_read_and_write_host_memory_for_the_call() {
    let dir = scratch("typed-ptr");
    let lib = build_plugin_inferred(
        &Plugin {
            header: "tests/headers/generic/typed_ptr.h",
            annotations: None,
            script: "tests/scripts/typed_ptr.py",
            name: None,
        },
        &dir,
    );
    let host = compile_host("typed_ptr_host", &dir, &[]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(dir.join("typed_ptr.log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}\nplugin log:\n{log}"
    );
    // The script type-checks against the stubs the build wrote.
    let mypy = Command::new(python())
        .args(["-m", "mypy", "--strict", "--no-incremental", "typed_ptr.py"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        mypy.status.success(),
        "{}",
        String::from_utf8_lossy(&mypy.stdout)
    );
}
