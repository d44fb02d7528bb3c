//! bench.h (+ bench.toml) through the parser: concrete facts, and struct
//! layouts checked against what the C compiler says.
use epy_codegen::ParseOptions;
use epy_codegen::model::{CallConv, ConstValue, Encoding, ErrorValue, Interface, Struct, Type};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

fn headers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/headers")
}

fn bench() -> Interface {
    let opts = ParseOptions {
        header: headers().join("bench.h"),
        annotations: Some(headers().join("bench.toml")),
        ..Default::default()
    };
    epy_codegen::parse(&opts).unwrap_or_else(|e| panic!("{e}"))
}

const I32: Type = Type::Int {
    bits: 32,
    signed: true,
};

fn field<'a>(s: &'a Struct, name: &str) -> &'a epy_codegen::model::Field {
    s.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field {name} in {}", s.name))
}

#[test]
fn functions() {
    let m = bench();
    assert_eq!(m.module, "bench_h");
    // bench.h declares 25 functions.
    assert_eq!(
        m.functions.len(),
        25,
        "{:?}",
        m.functions.iter().map(|f| &f.name).collect::<Vec<_>>()
    );
    let add = m.function_named("add").unwrap();
    assert_eq!(add.doc.as_deref(), Some("Adds two ints."));
    let params: Vec<_> = add
        .sig
        .params
        .iter()
        .map(|p| (p.name.as_str(), &p.ty))
        .collect();
    assert_eq!(params, [("a", &I32), ("b", &I32)]);
    assert_eq!(
        (add.sig.ret.clone(), add.sig.conv, add.sig.variadic),
        (I32, CallConv::C, false)
    );
    assert_eq!(add.loc.line, 63);
    assert!(add.loc.file.ends_with("bench.h"));

    let greet = m.function_named("greet").unwrap();
    assert_eq!(
        greet.sig.ret,
        Type::Pointer {
            pointee: Box::new(Type::Char),
            is_const: true
        }
    );
    let u64_ = Type::Int {
        bits: 64,
        signed: false,
    };
    assert_eq!(m.function_named("length").unwrap().sig.ret, u64_, "size_t");
    assert_eq!(m.function_named("negate").unwrap().sig.ret, Type::Bool);
    assert_eq!(
        m.function_named("next_color").unwrap().sig.ret,
        Type::Enum("Color".into())
    );
    assert_eq!(
        m.function_named("mirror").unwrap().sig.ret,
        Type::Struct("Point".into())
    );
    let pass = m.function_named("pass_through").unwrap();
    assert_eq!(
        pass.sig.ret,
        Type::Pointer {
            pointee: Box::new(Type::Void),
            is_const: false
        }
    );
}

#[test]
fn annotations_applied() {
    let m = bench();
    let sum = m.function_named("sum").unwrap();
    assert_eq!(sum.sig.params[0].length.as_deref(), Some("n"));
    assert_eq!(
        m.function_named("clamp").unwrap().on_error,
        Some(ErrorValue::Int(-1))
    );
    assert_eq!(
        m.function_named("length").unwrap().on_error,
        Some(ErrorValue::Int(1000))
    );
    let wide = m.function_named("wide_echo").unwrap();
    assert_eq!(wide.ret_encoding, Some(Encoding::Utf16));
    assert_eq!(wide.sig.params[0].encoding, Some(Encoding::Utf16));
    // UTF-16 annotations turn the 16-bit pointee into a wide character.
    assert_eq!(
        wide.sig.params[0].ty,
        Type::Pointer {
            pointee: Box::new(Type::WChar),
            is_const: true
        }
    );
}

#[test]
fn types_and_constants() {
    let m = bench();
    let color = m.enum_named("Color").unwrap();
    let members: Vec<_> = color
        .members
        .iter()
        .map(|(n, v)| (n.as_str(), *v))
        .collect();
    assert_eq!(
        members,
        [("COLOR_RED", 1), ("COLOR_GREEN", 2), ("COLOR_BLUE", 4)]
    );
    assert_eq!(color.doc.as_deref(), Some("Colours a record can have."));
    assert!(matches!(color.repr, Type::Int { bits: 32, .. }));

    let value = |n: &str| {
        m.constants
            .iter()
            .find(|c| c.name == n)
            .map(|c| c.value.clone())
    };
    assert_eq!(value("LIMIT"), Some(ConstValue::Int(1000)));
    assert_eq!(value("NAME_LEN"), Some(ConstValue::Int(64)));
    assert_eq!(
        value("GREETING"),
        Some(ConstValue::Str("hello from bench".into()))
    );
    assert_eq!(value("RATIO"), Some(ConstValue::Float(0.25)));
    assert_eq!(value("BENCH_H"), None, "include guards are not constants");
    let limit = m.constants.iter().find(|c| c.name == "LIMIT").unwrap();
    assert_eq!(limit.doc.as_deref(), Some("Largest value `clamp` returns."));

    let log = m.callbacks.iter().find(|c| c.name == "LogFn").unwrap();
    let params: Vec<_> = log
        .sig
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.clone()))
        .collect();
    let cstr = Type::Pointer {
        pointee: Box::new(Type::Char),
        is_const: true,
    };
    assert_eq!(params, [("message", cstr), ("level", I32)]);
    assert_eq!(
        (log.sig.ret.clone(), log.doc.as_deref()),
        (I32, Some("The host's logging callback."))
    );
    // A callback typedef used as a parameter is the same signature inline.
    let call_log = m.function_named("call_log").unwrap();
    assert_eq!(
        call_log.sig.params[0].ty,
        Type::FnPtr(Box::new(log.sig.clone()))
    );
}

#[test]
fn records() {
    let m = bench();
    let rec = m.struct_named("Record").unwrap();
    assert_eq!(
        rec.doc.as_deref(),
        Some("One record the host hands the plugin to fill.")
    );
    assert_eq!(field(rec, "id").doc.as_deref(), Some("record number"));
    assert_eq!(
        field(rec, "name").ty,
        Type::Array {
            elem: Box::new(Type::Char),
            len: 64
        }
    );
    assert_eq!(field(rec, "where").ty, Type::Struct("Point".into()));
    assert_eq!(field(rec, "color").ty, Type::Enum("Color".into()));
    assert_eq!(field(rec, "flags").bits.map(|b| b.1), Some(3));
    assert_eq!(field(rec, "level").bits.map(|b| b.1), Some(5));
    // The anonymous union: an unnamed field whose struct is an item too.
    let anon = rec.fields.iter().find(|f| f.name.is_empty()).unwrap();
    let Type::Struct(union_name) = &anon.ty else {
        panic!("{:?}", anon.ty)
    };
    let union = m.struct_named(union_name).unwrap();
    assert!(union.is_union);
    assert_eq!(
        union
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["as_int", "as_float"]
    );

    let packed = m.struct_named("Packed").unwrap();
    assert!(packed.packed);
    assert_eq!((packed.size, packed.align), (21, 1));
    assert!(!rec.packed && !m.struct_named("Point").unwrap().packed);
}

/// Sizes, alignments, offsets and bitfield positions as gcc lays them out.
#[test]
fn layouts_match_the_c_compiler() {
    let m = bench();
    let c = compiler_layout();
    for s in ["Record", "Point", "Packed"] {
        let st = m.struct_named(s).unwrap();
        assert_eq!(st.size, c[&format!("sizeof {s}")], "sizeof {s}");
        assert_eq!(st.align, c[&format!("alignof {s}")], "alignof {s}");
    }
    let rec = m.struct_named("Record").unwrap();
    for f in [
        "id", "value", "name", "where", "samples", "color", "label", "user",
    ] {
        assert_eq!(
            field(rec, f).offset,
            c[&format!("offsetof Record.{f}")],
            "offsetof Record.{f}"
        );
    }
    let anon = rec.fields.iter().find(|f| f.name.is_empty()).unwrap();
    assert_eq!(anon.offset, c["offsetof Record.as_int"]);
    for (f, width) in [("flags", 3), ("level", 5)] {
        let fld = field(rec, f);
        assert_eq!(
            fld.bits,
            Some((c[&format!("bit Record.{f}")], width)),
            "bits of Record.{f}"
        );
        // The storage unit (an `unsigned`) holds the whole bitfield.
        let shift = fld.bits.unwrap().0 - fld.offset * 8;
        assert!(shift + width as usize <= 32, "{f}: shift {shift}");
    }
    let packed = m.struct_named("Packed").unwrap();
    for f in ["tag", "length", "wide"] {
        assert_eq!(
            field(packed, f).offset,
            c[&format!("offsetof Packed.{f}")],
            "offsetof Packed.{f}"
        );
    }
}

/// Compiles and runs a C program that prints `key value` lines.
fn compiler_layout() -> HashMap<String, usize> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let src = dir.join("bench_layout.c");
    let exe = dir.join(format!("bench_layout_{}", std::process::id()));
    let offsets: String = [
        "id", "value", "name", "where", "samples", "color", "label", "user", "as_int",
    ]
    .iter()
    .map(|f| format!("P(\"offsetof Record.{f}\", offsetof(Record, {f}));\n"))
    .chain(
        ["tag", "length", "wide"]
            .iter()
            .map(|f| format!("P(\"offsetof Packed.{f}\", offsetof(Packed, {f}));\n")),
    )
    .collect();
    let program = format!(
        r#"#include <stdio.h>
#include <string.h>
#include "{header}"
#define P(k, v) printf("%s %zu\n", k, (size_t)(v))
/* The first set bit of a zeroed Record after setting one bitfield. */
static size_t first_bit(const Record *r) {{
    const unsigned char *b = (const unsigned char *)r;
    for (size_t i = 0; i < sizeof *r * 8; i++) if (b[i / 8] >> (i % 8) & 1) return i;
    return (size_t)-1;
}}
int main(void) {{
    Record r;
    P("sizeof Record", sizeof(Record)); P("alignof Record", _Alignof(Record));
    P("sizeof Point", sizeof(Point)); P("alignof Point", _Alignof(Point));
    P("sizeof Packed", sizeof(Packed)); P("alignof Packed", _Alignof(Packed));
    {offsets}
    memset(&r, 0, sizeof r); r.flags = 1; P("bit Record.flags", first_bit(&r));
    memset(&r, 0, sizeof r); r.level = 1; P("bit Record.level", first_bit(&r));
    return 0;
}}
"#,
        header = headers().join("bench.h").display()
    );
    std::fs::write(&src, program).unwrap();
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let status = Command::new(&cc).arg(&src).arg("-o").arg(&exe).status();
    assert!(
        status.is_ok_and(|s| s.success()),
        "{cc} could not compile {}",
        src.display()
    );
    let out = Command::new(&exe).output().unwrap();
    let _ = std::fs::remove_file(&exe);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect()
}
