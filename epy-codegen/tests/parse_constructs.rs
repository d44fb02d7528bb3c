//! constructs.h: how each C construct lands in the model.
use epy_codegen::ParseOptions;
use epy_codegen::model::{ConstValue, Interface, Struct, Type};
use std::path::PathBuf;

fn model() -> Interface {
    let header = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/headers/constructs.h");
    epy_codegen::parse(&ParseOptions {
        header,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// A field as (name, byte offset, bitfield bits, type).
type Row<'a> = (&'a str, usize, Option<(usize, u8)>, Type);

fn fields(s: &Struct) -> Vec<Row<'_>> {
    s.fields
        .iter()
        .map(|f| (f.name.as_str(), f.offset, f.bits, f.ty.clone()))
        .collect()
}

fn int(bits: u8, signed: bool) -> Type {
    Type::Int { bits, signed }
}

#[test]
fn constants() {
    let m = model();
    let got: Vec<(&str, &ConstValue)> = m
        .constants
        .iter()
        .map(|c| (c.name.as_str(), &c.value))
        .collect();
    use ConstValue::*;
    let want = [
        ("FT_BASE", &Int(16)), // from the header included from the same directory
        ("FLAG_A", &Int(8)),
        ("FLAG_B", &Int(4)),
        ("FLAGS", &Int(12)),
        ("NEGATIVE", &Int(-42)),
        ("BIG", &UInt(u64::MAX)), // 0xFFFFFFFFFFFFFFFFULL: unsigned
        ("DERIVED", &Int(17)),
        ("SCALE", &Float(1500.0)),
        ("PATH", &Str("a/b".into())),
        ("MAX_ITEMS", &Int(8)), // enumerators of an unnamed enum
        ("MIN_ITEMS", &Int(-1)),
    ];
    assert_eq!(got, want);
}

#[test]
fn functions() {
    let m = model();
    let names: Vec<&str> = m.functions.iter().map(|f| f.name.as_str()).collect();
    // Declared twice, listed once; `static inline` helpers are not exports.
    assert_eq!(
        names,
        [
            "draw",
            "with_unnamed",
            "visit",
            "open_opaque",
            "stamp",
            "pack",
            "printf_like"
        ]
    );
    assert_eq!(
        m.function_named("draw").unwrap().doc.as_deref(),
        Some("Draws shapes.\n\nReturns the number drawn.")
    );
    let unnamed: Vec<&str> = m
        .function_named("with_unnamed")
        .unwrap()
        .sig
        .params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(unnamed, ["arg0", "arg1"]);
    let Type::FnPtr(cb) = &m.function_named("visit").unwrap().sig.params[0].ty else {
        panic!()
    };
    assert_eq!(
        cb.params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["item", "user"]
    );
    // A pointer to a struct the header never defines is an opaque address.
    let void_ptr = Type::Pointer {
        pointee: Box::new(Type::Void),
        is_const: false,
    };
    assert_eq!(m.function_named("open_opaque").unwrap().sig.ret, void_ptr);
    assert!(m.function_named("printf_like").unwrap().sig.variadic);
    // `struct tm` lives in a system header but is used, so it is an item.
    let tm = Type::Pointer {
        pointee: Box::new(Type::Struct("tm".into())),
        is_const: true,
    };
    assert_eq!(m.function_named("stamp").unwrap().sig.params[0].ty, tm);
    assert!(
        m.struct_named("tm")
            .is_some_and(|s| s.fields.iter().any(|f| f.name == "tm_year"))
    );
    let pack = m.function_named("pack").unwrap();
    assert_eq!(pack.sig.params[0].ty, Type::Enum("Mode".into()));
    assert_eq!(pack.sig.params[1].ty, Type::Struct("Rgb".into()));
}

#[test]
fn records() {
    let m = model();
    let rgb = m.struct_named("Rgb").unwrap(); // `typedef struct {…} Rgb;`
    assert_eq!((rgb.size, rgb.align), (3, 1));
    assert_eq!(rgb.fields[0].doc.as_deref(), Some("colour channels"));

    let shape = m.struct_named("Shape").unwrap();
    assert_eq!(shape.doc.as_deref(), Some("Nested and anonymous members."));
    let i32_ = int(32, true);
    let on_draw = &shape
        .fields
        .iter()
        .find(|f| f.name == "on_draw")
        .unwrap()
        .ty;
    let want = vec![
        ("inner", 0, None, Type::Struct("Inner".into())),
        ("size", 4, None, Type::Struct("Shape__size".into())),
        ("", 8, None, Type::Struct("Shape__anon0".into())),
        ("sc", 16, None, int(8, true)),
        ("uc", 17, None, int(8, false)),
        ("c", 18, None, Type::Char),
        ("kind", 16, Some((152, 4)), int(32, false)),
        ("level", 20, Some((160, 3)), i32_.clone()),
        ("mode", 24, None, Type::Enum("Mode".into())),
        ("on_draw", 32, None, on_draw.clone()),
        (
            "palette",
            40,
            None,
            Type::Array {
                elem: Box::new(Type::Struct("Rgb".into())),
                len: 2,
            },
        ),
    ];
    assert_eq!(fields(shape), want);
    assert_eq!(
        shape.fields[0].doc.as_deref(),
        Some("a nested named struct")
    );
    assert_eq!(
        shape.fields[1].doc.as_deref(),
        Some("a named member of unnamed type")
    );

    // Anonymous members nest: a union holding an anonymous struct.
    let anon = m.struct_named("Shape__anon0").unwrap();
    assert!(anon.is_union);
    assert_eq!(
        fields(anon),
        [
            ("radius", 0, None, i32_.clone()),
            ("", 0, None, Type::Struct("Shape__anon0__anon0".into()))
        ]
    );
    let inner = m.struct_named("Shape__anon0__anon0").unwrap();
    assert_eq!(
        fields(inner),
        [("dx", 0, None, i32_.clone()), ("dy", 4, None, i32_)]
    );
    assert!(m.struct_named("Inner").is_some() && m.struct_named("Shape__size").is_some());

    let tight = m.struct_named("Tight").unwrap(); // __attribute__((packed))
    assert!(tight.packed);
    assert_eq!((tight.size, tight.align, tight.fields[1].offset), (5, 1, 1));

    let mode = m.enum_named("Mode").unwrap();
    assert_eq!(
        mode.members,
        [
            ("MODE_READ".into(), 1),
            ("MODE_WRITE".into(), 2),
            ("MODE_ALL".into(), 3)
        ]
    );
    assert_eq!(mode.doc.as_deref(), Some("Modes, one bit each."));
    assert!(mode.loc.file.ends_with("constructs_types.h"));
}
