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
        dir.join("bench_h.pyi").is_file(),
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

/// Output string buffers (`capacity`): the script returns the text (and the
/// value), epy writes it NUL-terminated into the host's buffer; a text that
/// does not fit is the error value with the buffer untouched, never truncated.
/// Several buffers in one function (WDX's `ContentGetSupportedField`): one
/// text each, in parameter order; one that does not fit leaves all untouched.
/// The script type-checks against the stubs (`tuple[int, str, str]`, `str`).
#[test]
fn output_buffers_are_filled_from_returned_text() {
    let dir = scratch("outbuf");
    let lib = build_plugin(
        &Plugin {
            header: "tests/headers/outbuf.h",
            annotations: Some("tests/headers/outbuf.toml"),
            script: "tests/scripts/outbuf.py",
            name: None,
        },
        &dir,
    );
    let host = compile_host("outbuf_host", &dir, &[]);
    let out = run(Command::new(&host).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(dir.join("outbuf.log")).unwrap_or_default();
    assert!(log.contains("holds at most 15 bytes plus a NUL"), "{log}");
    assert!(
        log.contains(
            "ContentGetSupportedField: return (value, FieldName, Units): one text per host buffer"
        ),
        "{log}"
    );
    let pyi = std::fs::read_to_string(dir.join("outbuf_h.pyi")).unwrap();
    for want in [
        "def describe(self, id: int, cap: int, /) -> tuple[int, str]:",
        "def ContentGetSupportedField(self, FieldIndex: int, maxlen: int, /) -> tuple[int, str, str]:",
        "def split_name(self, id: int, first_cap: int, last_cap: int, /) -> tuple[str, str]:",
    ] {
        assert!(pyi.contains(want), "{want}\n{pyi}");
    }
    mypy_strict_in(&dir, &["outbuf.py"]).unwrap_or_else(|e| panic!("{e}"));
}
