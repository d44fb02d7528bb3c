//! `-I` and `-D` reach libclang, and macros from the command line or system
//! headers can be used by the header's own constants.
use epy_codegen::ParseOptions;
use epy_codegen::model::ConstValue;
use std::path::PathBuf;
mod support;
use support::diagnostic;

fn headers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/headers")
}

fn options(defines: &[&str]) -> ParseOptions {
    ParseOptions {
        header: headers().join("options.h"),
        includes: vec![headers()],
        defines: defines.iter().map(|d| d.to_string()).collect(),
        ..Default::default()
    }
}

#[test]
fn defines_and_includes() {
    let m =
        epy_codegen::parse(&options(&["WITH_EXTRA", "VALUE=21"])).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = m.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["extra", "always"]);
    let value = |n: &str| {
        m.constants
            .iter()
            .find(|c| c.name == n)
            .map(|c| c.value.clone())
    };
    assert_eq!(value("DOUBLE_VALUE"), Some(ConstValue::Int(42)));
    assert_eq!(value("TOP"), Some(ConstValue::Int(i32::MAX.into())));
    assert_eq!(
        value("VALUE"),
        None,
        "command-line macros are not the header's constants"
    );
    assert!(m.enum_named("Mode").is_some(), "found through -I");

    let m = epy_codegen::parse(&options(&["VALUE=1"])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        m.functions
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["always"]
    );
}

#[test]
fn missing_define_is_the_headers_error() {
    let msg = epy_codegen::parse(&options(&[]))
        .expect_err("#error")
        .to_string();
    diagnostic(&msg, "error: \"VALUE must be defined\"", "options.h:7:2");
    let opts = ParseOptions {
        includes: vec![],
        ..options(&["VALUE=1"])
    };
    let msg = epy_codegen::parse(&opts).expect_err("no -I").to_string();
    assert!(msg.contains("'constructs_types.h' file not found"), "{msg}");
}
