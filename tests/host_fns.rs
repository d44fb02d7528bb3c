//! Host functions the script calls: a function declared in the header that
//! the script does not define is importable from the stub module and calls
//! the host process's own symbol (resolved at the first call); an
//! out-parameter `const char **` comes back after the result; a symbol the
//! host lacks is a `LookupError` naming it. Seen from a C host.
use epy_tests::*;
use std::process::Command;

#[test]
fn the_script_calls_the_hosts_functions_with_out_strings() {
    let dir = scratch("host-fns");
    let lib = build_plugin_inferred(
        &Plugin {
            header: "tests/headers/generic/host_fns.h",
            annotations: None,
            script: "tests/scripts/host_fns.py",
            name: None,
        },
        &dir,
    );
    let host = compile_host("host_fns_host", &dir, &["-rdynamic"]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(dir.join("host_fns.log")).unwrap_or_default();
    let expect = [
        "plugin_run(0) = 42",
        // rc 0, "alice"
        "plugin_run(1) = 5",
        // rc 7, NULL -> None
        "plugin_run(2) = 799",
        // LookupError naming host_absent
        "plugin_run(3) = 1",
        // 2 keys of 4 characters each
        "plugin_run(4) = 22",
        // 3 names, 1 + 2 + 4 bytes (UTF-8)
        "plugin_run(5) = 307",
        "host calls: 5",
    ];
    for e in expect {
        assert!(
            out.status.success() && stdout.contains(e),
            "expected `{e}`:\n{stdout}\nplugin log:\n{log}"
        );
    }
    // Only the script's function is exported; the stubs type the host's.
    let pyi = std::fs::read_to_string(dir.join("host_fns_h.pyi")).unwrap();
    assert!(
        pyi.contains("def host_name(id: int, /) -> tuple[int, str | None]:")
            && pyi.contains("def host_join(names: list[str] | None, /) -> int:"),
        "{pyi}"
    );
    let nm = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&lib)
        .output()
        .unwrap();
    let syms = String::from_utf8_lossy(&nm.stdout);
    assert!(
        syms.contains(" plugin_run") && !syms.contains(" host_"),
        "{syms}"
    );
    if let Err(report) = mypy_strict(&dir.join("host_fns.py")) {
        panic!("mypy --strict host_fns.py:\n{report}");
    }
}

/// `new --header` on a header that marks the host's functions `extern`
/// stubs only the plugin's entry points (a stub `def host_twice` would be
/// exported in place of calling the host's) and names the host's to import.
#[test]
fn the_starter_leaves_the_hosts_functions_to_the_host() {
    let dir = scratch("host-fns-starter");
    let header = root().join("tests/headers/generic/host_fns.h");
    let out = run(&mut shell(
        &format!("epy-codegen new starter --header {}", header.display()),
        &dir,
    ));
    assert!(out.status.success());
    let script = std::fs::read_to_string(dir.join("starter/starter.py")).unwrap();
    assert!(script.contains("def plugin_run("), "{script}");
    assert!(!script.contains("def host_"), "{script}");
    assert!(
        script.contains(
            "# from host_fns_h import host_twice, host_name, host_register, host_join, host_absent"
        ),
        "{script}"
    );
}
