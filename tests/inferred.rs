//! Inferred annotations at run time: a plugin built from a header with no
//! annotations and no pack (as `epy-codegen build` reads it) marshals each
//! inferred shape as its rule says, seen from a C host.
use epy_tests::*;
use std::process::Command;

#[test]
fn inferred_shapes_reach_python_as_the_rules_say() {
    let dir = scratch("inferred");
    let lib = build_plugin_inferred(
        &Plugin {
            header: "tests/headers/generic/inferred.h",
            annotations: None,
            script: "tests/scripts/inferred.py",
            name: None,
        },
        &dir,
    );
    let host = compile_host("inferred_host", &dir, &[]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(dir.join("inferred.log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}\nplugin log:\n{log}"
    );
    // The script type-checks against the stubs the build wrote.
    let mypy = Command::new(python())
        .args(["-m", "mypy", "--strict", "--no-incremental", "inferred.py"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        mypy.status.success(),
        "{}",
        String::from_utf8_lossy(&mypy.stdout)
    );
}

/// The `descriptor` rule: the host fills nothing itself; it gets a struct of
/// data and function pointers filled from the script's object, makes two
/// instances (handles) through it and calls their methods.
#[test]
fn an_inferred_descriptor_serves_a_ladspa_style_host() {
    let dir = scratch("inferred-descriptor");
    let lib = build_plugin_inferred(
        &Plugin {
            header: "tests/headers/generic/infer_descriptor.h",
            annotations: None,
            script: "tests/scripts/descriptor.py",
            name: None,
        },
        &dir,
    );
    let host = compile_host("descriptor_host", &dir, &[]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(dir.join("descriptor.log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}\nplugin log:\n{log}"
    );
}
