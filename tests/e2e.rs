//! End to end: `epy-codegen build` turns bench.h + a Python script into a
//! plugin that an unmodified C host loads with dlopen(RTLD_LOCAL) and checks
//! value by value, both directions.
use epy_tests::*;
use std::process::Command;

#[test]
fn bench_plugin_in_c_host() {
    let dir = scratch("bench");
    let lib = build_plugin(
        &Plugin {
            header: "tests/headers/bench.h",
            annotations: Some("tests/headers/bench.toml"),
            script: "tests/scripts/bench.py",
            name: None,
        },
        &dir,
    );
    assert!(
        dir.join("bench.pyi").is_file(),
        "build writes the .pyi beside the script"
    );
    let host = compile_host("bench_host", &dir, &[]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "bench_host failed:\n{stdout}");
    assert!(stdout.contains(" 0 failed"), "{stdout}");
    // Exceptions were logged beside the library, with a traceback.
    let log = std::fs::read_to_string(dir.join("bench.log")).unwrap_or_default();
    assert!(
        log.contains("clamp() raised") && log.contains("ValueError: clamp(-3): negative"),
        "log:\n{log}"
    );
}
