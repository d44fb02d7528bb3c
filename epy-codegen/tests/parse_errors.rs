//! Headers that cannot be read: every problem is a diagnostic with its
//! location, never a panic.
use epy_codegen::ParseOptions;
use std::path::PathBuf;

fn parse(name: &str) -> String {
    let header = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/headers")
        .join(name);
    let opts = ParseOptions {
        header,
        ..Default::default()
    };
    epy_codegen::parse(&opts)
        .expect_err("should fail")
        .to_string()
}

#[test]
fn syntax_error_has_file_line_col() {
    let msg = parse("broken.h");
    assert!(msg.contains("broken.h:5:18: error: expected ')'"), "{msg}");
    // The offending line is shown with a caret.
    assert!(msg.contains("int broken(int a int b);"), "{msg}");
}

#[test]
fn missing_header_names_the_path() {
    let msg = parse("no-such-header.h");
    assert!(msg.contains("no-such-header.h"), "{msg}");
    assert!(!msg.contains(":0:"), "{msg}");
}

#[test]
fn unsupported_types_are_named() {
    let msg = parse("unsupported.h");
    assert!(
        msg.contains(
            "unsupported.h:3:13: error: function `precise` uses unsupported type `long double`"
        ),
        "{msg}"
    );
    assert!(
        msg.contains("field `Wide.z` has unsupported type `_Complex double`"),
        "{msg}"
    );
    assert!(
        msg.contains("function `old_style`") && msg.contains("without a prototype"),
        "{msg}"
    );
}

#[test]
fn bad_target_is_an_error() {
    let header = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/headers/bench.h");
    let opts = ParseOptions {
        header,
        target: Some("no-such-target".into()),
        ..Default::default()
    };
    let msg = epy_codegen::parse(&opts)
        .expect_err("should fail")
        .to_string();
    assert!(msg.contains("no-such-target"), "{msg}");
}
