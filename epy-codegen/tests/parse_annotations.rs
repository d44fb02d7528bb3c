//! Annotations: strict keys, checked names, errors pointing into the TOML.
use epy_codegen::ParseOptions;
use epy_codegen::model::{Encoding, ErrorValue, Interface, Type};
use std::path::PathBuf;
mod support;
use support::{count, diagnostic};

fn headers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/headers")
}

fn parse_with(annotations: PathBuf) -> epy_codegen::Result<Interface> {
    let opts = ParseOptions {
        header: headers().join("bench.h"),
        annotations: Some(annotations),
        ..Default::default()
    };
    epy_codegen::parse(&opts)
}

/// Applies `toml` (written to a file named after the test) to bench.h and
/// returns the error message.
fn error(test: &str, toml: &str) -> String {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{test}.toml"));
    std::fs::write(&path, toml).unwrap();
    let msg = parse_with(path).expect_err("should fail").to_string();
    // Every message points into the annotations file.
    assert!(msg.contains(&format!("{test}.toml:")), "{msg}");
    msg
}

#[test]
fn example_file_is_valid() {
    let m =
        parse_with(headers().join("../../docs/annotations.toml")).unwrap_or_else(|e| panic!("{e}"));
    let f = |n: &str| m.function_named(n).unwrap();
    assert_eq!(f("greet").ret_encoding, Some(Encoding::Utf8));
    assert_eq!(f("greet").sig.params[0].encoding, Some(Encoding::Utf8));
    assert_eq!(f("clamp").on_error, Some(ErrorValue::Int(-1)));
    assert_eq!(f("scale").on_error, Some(ErrorValue::Float(-1.0)));
    assert_eq!(f("length").on_error, Some(ErrorValue::Int(1000)));
    assert_eq!(f("sum").sig.params[0].length.as_deref(), Some("n"));
    let wide = Type::Pointer {
        pointee: Box::new(Type::WChar),
        is_const: true,
    };
    assert_eq!(f("wide_echo").sig.params[0].ty, wide);
    assert_eq!(f("wide_echo").ret_encoding, None);
}

#[test]
fn unknown_key() {
    let msg = error(
        "unknown_key",
        "[functions.sum.params.values]\nlenght = \"n\"\n",
    );
    let d = diagnostic(
        &msg,
        "error: unknown field `lenght`, expected one of `length`, `encoding`, `handle`, `string-list`",
        "unknown_key.toml:2:1",
    );
    // serde's list of names becomes a ranked suggestion.
    assert!(d.contains("= help: did you mean `length`?"), "{msg}");
    let msg = error("unknown_table", "[function.sum]\non-error = 1\n");
    let d = diagnostic(
        &msg,
        "error: unknown field `function`",
        "unknown_table.toml:1:2",
    );
    assert!(d.contains("= help: did you mean `functions`?"), "{msg}");
}

#[test]
fn wrong_value_type() {
    let msg = error("wrong_type", "[functions.clamp]\non-error = true\n");
    diagnostic(
        &msg,
        "error: invalid type: boolean `true`",
        "wrong_type.toml:2:12",
    );
    let msg = error(
        "wrong_encoding",
        "[functions.greet]\nencoding = \"latin-1\"\n",
    );
    diagnostic(
        &msg,
        "error: unknown variant `latin-1`",
        "wrong_encoding.toml:2:12",
    );
}

#[test]
fn unknown_function_lists_names() {
    let msg = error("unknown_fn", "[functions.sumx]\non-error = 0\n");
    let d = diagnostic(
        &msg,
        "error: no function `sumx` in the header\n",
        "unknown_fn.toml:1:12",
    );
    // The source line, the name marked and labelled under it.
    assert!(d.contains("1 │ [functions.sumx]"), "{msg}");
    assert!(
        d.contains(&format!("  │ {}^^^^ not found\n", " ".repeat(11))),
        "{msg}"
    );
    // The nearest name as help, the closest names first in the note.
    assert!(d.contains("= help: did you mean `sum`?"), "{msg}");
    assert!(d.contains("= note: its functions: sum, "), "{msg}");
    assert!(d.contains(" and 5 more"), "{msg}");
}

#[test]
fn bad_params() {
    let msg = error(
        "unknown_param",
        "[functions.sum.params.vals]\nlength = \"n\"\n",
    );
    let d = diagnostic(
        &msg,
        "error: `sum` has no parameter `vals`",
        "unknown_param.toml:1:23",
    );
    assert!(d.contains("= help: did you mean `values`?"), "{msg}");
    assert!(d.contains("= note: its parameters: values, n"), "{msg}");
    let msg = error("not_pointer", "[functions.add.params.a]\nlength = \"b\"\n");
    diagnostic(
        &msg,
        "error: `length` needs a pointer; `a` is int32_t",
        "not_pointer.toml:2:10",
    );
    let msg = error(
        "bad_length",
        "[functions.sum.params.values]\nlength = \"values\"\n",
    );
    assert!(
        msg.contains("the length `values` must be an integer"),
        "{msg}"
    );
    let msg = error(
        "no_length",
        "[functions.sum.params.values]\nlength = \"count\"\n",
    );
    let d = diagnostic(
        &msg,
        "error: `sum` has no parameter `count`",
        "no_length.toml:2:10",
    );
    // Nothing near enough to suggest; the parameters are still listed.
    assert!(
        !d.contains("help:") && d.contains("= note: its parameters: "),
        "{msg}"
    );
    let msg = error(
        "bad_utf8",
        "[functions.wide_echo.params.text]\nencoding = \"utf-8\"\n",
    );
    assert!(
        msg.contains("`text` is const uint16_t *; `encoding = \"utf-8\"` needs a pointer to 8-bit"),
        "{msg}"
    );
}

#[test]
fn bad_on_error() {
    let msg = error("no_const", "[functions.clamp]\non-error = \"NOPE\"\n");
    assert!(msg.contains("no constant or enumerator `NOPE`"), "{msg}");
    let msg = error("void_fn", "[functions.double_all]\non-error = 1\n");
    diagnostic(
        &msg,
        "error: `double_all`: returns void",
        "void_fn.toml:2:12",
    );
    let msg = error("float_for_int", "[functions.add]\non-error = 0.5\n");
    assert!(
        msg.contains("is a float but the function returns int32_t"),
        "{msg}"
    );
    let msg = error("too_big", "[functions.inc_u8]\non-error = 300\n");
    assert!(msg.contains("300 does not fit in uint8_t"), "{msg}");
    let msg = error(
        "string_const",
        "[functions.clamp]\non-error = \"GREETING\"\n",
    );
    assert!(msg.contains("constant `GREETING` is a string"), "{msg}");
}

#[test]
fn all_errors_at_once() {
    let msg = error(
        "several",
        "[functions.nope]\n[functions.sum.params.nope]\nlength = \"n\"\n",
    );
    assert_eq!(count(&msg, "error"), 2, "{msg}");
    diagnostic(&msg, "error: no function `nope`", "several.toml:1:12");
    diagnostic(
        &msg,
        "error: `sum` has no parameter `nope`",
        "several.toml:2:23",
    );
}

#[test]
fn enumerator_as_on_error() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("enumerator.toml");
    std::fs::write(&path, "[functions.next_color]\non-error = \"COLOR_BLUE\"\n").unwrap();
    let m = parse_with(path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        m.function_named("next_color").unwrap().on_error,
        Some(ErrorValue::Int(4))
    );
}

/// `[callbacks.NAME]` and `[constants]`: the example file's entries land in
/// the model; a wrong name or `keep` target is an error in the TOML.
#[test]
fn callbacks_and_constants() {
    let m =
        parse_with(headers().join("../../docs/annotations.toml")).unwrap_or_else(|e| panic!("{e}"));
    let log = m.callbacks.iter().find(|c| c.name == "LogFn").unwrap();
    assert_eq!(log.sig.on_error, Some(ErrorValue::Int(-1)));
    assert_eq!(log.sig.pool, Some(8));
    // Every use of the typedef changed with it.
    let Type::FnPtr(used) = &m.function_named("call_log").unwrap().sig.params[0].ty else {
        panic!("call_log takes a LogFn");
    };
    assert_eq!(**used, log.sig);
    let names: Vec<&str> = m.constants.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["LIMIT", "NAME_LEN", "GREETING", "RATIO"]);

    let msg = error("callbacks_unknown", "[callbacks.NoSuchFn]\non-error = 1\n");
    assert!(
        msg.contains("callbacks_unknown.toml:1:12")
            && msg.contains("error: [callbacks]: no function-pointer typedef")
            && msg.contains("LogFn"),
        "{msg}"
    );
    let msg = error(
        "callbacks_keep",
        "[callbacks.LogFn.params.level]\nkeep = \"until:nothing\"\n",
    );
    assert!(
        msg.contains("callbacks_keep.toml:2:8")
            && msg.contains("error: `keep` is for a function-pointer parameter"),
        "{msg}"
    );
    let msg = error(
        "callbacks_user_data",
        "[callbacks.LogFn.params.message]\nuser-data = true\n",
    );
    assert!(
        msg.contains("`user-data` is for a `void *` parameter"),
        "{msg}"
    );
}

/// `rewrite` needs a writable string and a capacity (a number or an integer
/// constant): each misuse is an error pointing at the key.
#[test]
fn bad_rewrite() {
    let msg = error(
        "bad_rewrite",
        "[functions.add.params.a]\nrewrite = \"64\"\n\
         [functions.greet.params.name]\nrewrite = \"64\"\n\
         [functions.length.params.s]\nrewrite = \"NO_SUCH\"\n",
    );
    assert!(
        msg.contains("`rewrite` needs a writable pointer to characters; `a` of `add` is not one"),
        "{msg}"
    );
    assert!(
        msg.contains(
            "`rewrite` needs a writable pointer to characters; `name` of `greet` is not one"
        ),
        "{msg}"
    );
    assert!(
        msg.contains("`rewrite` is the buffer's capacity in characters: a number or an integer constant of the header; `NO_SUCH` is neither"),
        "{msg}"
    );
    assert_eq!(count(&msg, "error"), 3, "{msg}");
}

/// `[plugin] buffers` is a build-time checked runtime setting.
#[test]
fn plugin_buffers_setting() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("plugin_buffers_ok.toml");
    std::fs::write(
        &path,
        "[plugin]\ninterpreter = \"main\"\nbuffers = \"zero-copy\"\n",
    )
    .unwrap();
    parse_with(path).unwrap_or_else(|e| panic!("{e}"));
    let msg = error("plugin_buffers_bad", "[plugin]\nbuffers = \"none\"\n");
    assert!(msg.contains("plugin_buffers_bad.toml:2"), "{msg}");
}
