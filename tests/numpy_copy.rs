//! Plugins in the main interpreter (where numpy loads) get copies of host
//! memory (`[plugin] buffers = "copy"`, the default there): numpy arrays over
//! buffer arguments and array fields, kept past the call while the host frees
//! the memory, read and write the copy (valgrind: no invalid access), and the
//! host sees exactly what the script wrote.
use epy_tests::*;
use std::process::Command;

fn have(cmd: &mut Command) -> bool {
    cmd.output().is_ok_and(|o| o.status.success())
}

#[test]
fn kept_numpy_arrays_never_reach_freed_host_memory() {
    let python = python();
    if !have(Command::new(&python).args(["-c", "import numpy"])) {
        println!("skipped: numpy is not installed for {python} (tools/setup.sh installs it)");
        return;
    }
    if !have(Command::new("valgrind").arg("--version")) {
        println!("skipped: valgrind is not installed (tools/setup.sh installs it)");
        return;
    }
    let dir = scratch("numpy-copy");
    // The settings file beside the script: annotations and `[plugin]`.
    std::fs::copy(
        root().join("tests/headers/numpy_copy.toml"),
        dir.join("numpy_copy.toml"),
    )
    .unwrap();
    let lib = build_plugin_for(
        &Plugin {
            header: "tests/headers/numpy_copy.h",
            annotations: None,
            script: "tests/scripts/numpy_copy/numpy_copy.py",
            name: None,
        },
        &dir,
        &python,
    );
    let host = compile_host("numpy_copy_host", &dir, &[]);
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
    let log = std::fs::read_to_string(dir.join("numpy_copy.log")).unwrap_or_default();
    assert!(
        stdout.contains("numpy_copy_host: 15 passed, 0 failed"),
        "{stdout}\n{log}\n{stderr}"
    );
    assert!(
        stderr.contains("ERROR SUMMARY: 0 errors"),
        "valgrind found errors:\n{stderr}"
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
