//! The C constructs real SDK headers use, read without a pack: K&R `()`
//! declarations, SIMD members, function typedefs naming parameters,
//! `--include`, wrapper headers. Each drop is a warning naming it.
use epy_codegen::ParseOptions;
use epy_codegen::model::{Interface, Type};
use std::path::{Path, PathBuf};

fn headers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/headers")
}

fn parse(opts: ParseOptions) -> Interface {
    epy_codegen::parse(&opts).unwrap_or_else(|e| panic!("{e}"))
}

fn header(name: &str) -> ParseOptions {
    ParseOptions {
        header: headers().join("generic").join(name),
        ..Default::default()
    }
}

fn warnings(m: &Interface) -> Vec<String> {
    m.warnings.iter().map(|w| w.to_string()).collect()
}

fn bytes(len: usize) -> Type {
    Type::Array {
        elem: Box::new(Type::Int {
            bits: 8,
            signed: false,
        }),
        len,
    }
}

#[test]
fn k_and_r_declarations_are_opaque_or_left_out_with_a_warning() {
    let m = parse(header("constructs.h"));
    let host = m.struct_named("Host").unwrap();
    let list_new = host.fields.iter().find(|f| f.name == "list_new").unwrap();
    let opaque = Type::Pointer {
        pointee: Box::new(Type::Void),
        is_const: false,
    };
    assert_eq!((list_new.offset, &list_new.ty), (8, &opaque));
    assert!(m.function_named("old_style").is_none());
    let mix = m.function_named("mix").unwrap();
    assert_eq!(mix.sig.params[2].ty, opaque, "a K&R callback typedef");
    let w = warnings(&m);
    assert!(
        w.iter().any(
            |w| w.contains("constructs.h:33:5: warning: function `old_style`")
                && w.contains("left out of the exports")
        ),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w.contains("constructs.h:27:16: warning: `old_callback`")),
        "{w:?}"
    );
}

#[test]
fn variadic_functions_and_variables_are_left_out_with_a_warning() {
    let m = parse(header("constructs.h"));
    let w = warnings(&m);
    assert!(
        w.iter().any(|w| w.contains(
            "constructs.h:37:5: warning: function `log_printf` is variadic (`...`): left out of the exports"
        )),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|w| w
                .contains("constructs.h:38:12: warning: `debug_level` is a variable: left out")),
        "{w:?}"
    );
    // One line each.
    assert!(w.iter().all(|w| !w.contains('\n')), "{w:?}");
}

#[test]
fn simd_members_are_bytes_in_a_record_of_the_right_layout() {
    let m = parse(header("constructs.h"));
    let sample = m.struct_named("Sample").unwrap();
    assert_eq!((sample.size, sample.align), (16, 16));
    assert_eq!(sample.fields[0].ty, bytes(16));
    let frame = m.struct_named("Frame").unwrap();
    assert_eq!((frame.size, frame.align), (48, 16));
    let offsets: Vec<usize> = frame.fields.iter().map(|f| f.offset).collect();
    assert_eq!(offsets, [0, 16, 32]);
    assert_eq!(frame.fields[2].ty, bytes(16));
}

#[test]
fn functions_declared_through_a_typedef_keep_its_parameter_names() {
    let m = parse(header("constructs.h"));
    let init = m.function_named("plugin_init").unwrap();
    let names: Vec<&str> = init.sig.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["host", "flags", "provctx"]);
}

#[test]
fn include_reads_a_header_first() {
    let without = epy_codegen::parse(&header("needs_prelude.h"))
        .expect_err("snd_thing_t is unknown")
        .to_string();
    assert!(
        without.contains("unknown type name 'snd_thing_t'"),
        "{without}"
    );
    let m = parse(ParseOptions {
        includes: vec![headers()],
        force_includes: vec!["generic/prelude.h".into()],
        ..header("needs_prelude.h")
    });
    let open = m.function_named("open_device").unwrap();
    assert_eq!(open.sig.params.len(), 2);
    // What the prelude declares is not the header's own.
    assert!(m.structs.is_empty(), "{:?}", m.structs);
}

#[test]
fn a_wrapper_header_reads_what_it_includes_and_says_so() {
    let m = parse(header("wrapper.h"));
    assert!(m.function_named("sqlite3_create_function").is_some());
    assert!(m.functions.len() > 200, "{}", m.functions.len());
    let w = warnings(&m);
    assert!(
        w.iter()
            .any(|w| w.contains("wrapper.h declares nothing itself") && w.contains("sqlite3ext.h")),
        "{w:?}"
    );
}
