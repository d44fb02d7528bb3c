//! Headers that cannot be read: every problem is a diagnostic with its
//! location, never a panic.
use epy_codegen::ParseOptions;
use std::path::PathBuf;
mod support;
use support::{count, diagnostic};

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
    let d = diagnostic(&msg, "error: expected ')'", "broken.h:5:18");
    // The offending line is shown, the span marked under it.
    assert!(d.contains("5 │ int broken(int a int b);"), "{msg}");
    assert!(d.contains("^^^"), "{msg}");
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
    diagnostic(
        &msg,
        "error: function `precise` uses unsupported type `long double`",
        "unsupported.h:3:13",
    );
    assert!(
        msg.contains("field `Wide.z` has unsupported type `_Complex double`"),
        "{msg}"
    );
    // K&R `()` declarations are left out with a warning (parse_generic.rs).
    assert!(!msg.contains("old_style"), "{msg}");
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

/// Parses `text` written to `<tmp>/<name>`: the result, and the header's path.
fn parse_text(
    name: &str,
    text: &[u8],
) -> (epy_codegen::Result<epy_codegen::model::Interface>, String) {
    let header = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&header, text).unwrap();
    let opts = ParseOptions {
        header: header.clone(),
        ..Default::default()
    };
    (epy_codegen::parse(&opts), header.display().to_string())
}

#[test]
fn latin1_comment_beside_a_define_is_read() {
    let (iface, _) = parse_text(
        "latin1.h",
        b"/** Caf\xe9 au lait. */\n#define CUPS 2 /* \xff */\nint f(int a);\n",
    );
    let iface = iface.expect("a Latin-1 comment is no error");
    let c = &iface.constants[0];
    assert_eq!(c.name, "CUPS");
    // The trailing comment is the define's doc, read lossily.
    assert_eq!(c.doc.as_deref(), Some("\u{fffd}"));
    assert_eq!(iface.functions[0].name, "f");
}

#[test]
fn dollar_names_are_located_errors() {
    let (r, h) = parse_text(
        "dollar.h",
        b"enum E { A$B = 1 };\nstruct S { int a$b; };\nint f$g(int x);\nint h(struct S *s, enum E e, int p$);\n#define K$ 3\n",
    );
    let msg = r.expect_err("`$` names cannot be generated").to_string();
    for (at, what) in [
        ("1:10", "enumerator `A$B`"),
        ("2:16", "field `a$b`"),
        ("3:5", "function `f$g`"),
        ("4:34", "parameter `p$`"),
        ("5:9", "constant `K$`"),
    ] {
        let head = format!("error: {what} is not a valid Rust/Python name");
        diagnostic(&msg, &head, &format!("{h}:{at}"));
    }
}

#[test]
fn python_keyword_type_names_are_located_errors() {
    let (r, h) = parse_text(
        "keywords.h",
        b"struct None { int a; };\nenum class { X };\nint f(struct None *s, enum class c);\n",
    );
    let msg = r.expect_err("the stubs cannot declare them").to_string();
    let d = diagnostic(
        &msg,
        "error: struct `None` is a Python keyword",
        &format!("{h}:1:8"),
    );
    assert!(d.contains("1 │ struct None { int a; };"), "{msg}");
    diagnostic(
        &msg,
        "error: enum `class` is a Python keyword",
        &format!("{h}:2:6"),
    );
}

/// `struct S0 { int a; }; struct S1 { struct S0 a; }; …` up to `S<levels-1>`.
fn chain(levels: usize) -> Vec<u8> {
    let mut text = String::from("struct S0 { int a; };\n");
    for i in 1..levels {
        text += &format!("struct S{i} {{ struct S{} a; }};\n", i - 1);
    }
    text += &format!("int f(struct S{} *s);\n", levels - 1);
    text.into_bytes()
}

#[test]
fn struct_nesting_past_rustcs_limit_is_a_located_error() {
    let max = epy_codegen::model::MAX_NESTING;
    let (ok, _) = parse_text("nest-ok.h", &chain(max));
    ok.expect("nesting up to the limit is fine");
    let (r, h) = parse_text("nest-deep.h", &chain(140));
    let msg = r.expect_err("rustc cannot compile this").to_string();
    // S<max> is the first struct past the limit (S0 counts as one level).
    let head = format!("error: struct `S{max}` nests structs by value more than {max} levels deep");
    diagnostic(&msg, &head, &format!("{h}:{}:8", max + 1));
    assert_eq!(count(&msg, "error"), 1, "{msg}");
}

#[test]
fn deeply_nested_macro_is_skipped_not_a_stack_overflow() {
    let text = format!(
        "#define SHALLOW {}1{}\n#define DEEP {}1{}\n#define NEG {}1\nint f(int a);\n",
        "(".repeat(60),
        ")".repeat(60),
        "(".repeat(5000),
        ")".repeat(5000),
        "- ".repeat(20000),
    );
    let (iface, _) = parse_text("deep-macro.h", text.as_bytes());
    let names: Vec<String> = iface
        .unwrap()
        .constants
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["SHALLOW"]);
}

#[test]
fn deeply_nested_types_are_located_errors_not_a_stack_overflow() {
    let text = format!(
        "int ok(int {}a);\nint f(int {}a);\nstruct S {{ int a{}; }};\nint g(struct S *s);\n",
        "*".repeat(8),
        "*".repeat(4000),
        "[1]".repeat(3000),
    );
    let (r, h) = parse_text("deep-types.h", text.as_bytes());
    let msg = r.expect_err("too deep").to_string();
    let levels = "unsupported type (more than 64 levels of pointers, arrays and typedefs)";
    let head = format!("error: function `f` uses {levels}");
    diagnostic(&msg, &head, &format!("{h}:2:5"));
    let head = format!("error: field `S.a` has {levels}");
    diagnostic(&msg, &head, &format!("{h}:3:16"));
    assert!(!msg.contains("`ok`"), "{msg}");
}

/// A packed record holding (here inside an array, and inside another record)
/// a record aligned beyond what its fields give it (an aligned attribute):
/// rustc cannot lay that out (E0588), so it is a located error at the packed
/// record's field, with the ways out; natural records are fine (golden case
/// `packed-nested`).
#[test]
fn a_packed_record_holding_an_over_aligned_one_is_a_located_error() {
    let (r, h) = parse_text(
        "packed-aligned.h",
        b"typedef struct __attribute__((aligned(16))) Wide { int a; } Wide;\n\
          typedef struct Holder { Wide w; } Holder;\n\
          #pragma pack(push, 1)\n\
          typedef struct P { char c; Wide many[2]; } P;\n\
          typedef struct Q { char c; Holder h; } Q;\n\
          #pragma pack(pop)\n\
          int f(P *p, Q *q);\n",
    );
    let msg = r.expect_err("rustc cannot compile this").to_string();
    diagnostic(
        &msg,
        "error: packed record `P` holds `Wide` by value, which is aligned to 16 where its fields give 4",
        &format!("{h}:4:33"),
    );
    let d = diagnostic(
        &msg,
        "error: packed record `Q` holds `Wide` (inside `Holder`) by value, which is aligned to 16 where its fields give 4",
        &format!("{h}:5:35"),
    );
    assert!(d.contains("E0588"), "{msg}");
    assert_eq!(count(&msg, "error"), 2, "{msg}");
}
