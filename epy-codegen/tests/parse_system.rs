//! Real headers from /usr/include (libsqlite3-dev, ladspa-sdk).
use epy_codegen::ParseOptions;
use epy_codegen::model::{Interface, Type};
use std::path::Path;
use std::time::Instant;

fn parse(path: &str) -> Interface {
    assert!(
        Path::new(path).exists(),
        "{path} is missing: install libsqlite3-dev and ladspa-sdk"
    );
    let start = Instant::now();
    let m = epy_codegen::parse(&ParseOptions {
        header: path.into(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("{path}: {:?}", start.elapsed());
    m
}

#[test]
fn sqlite3ext() {
    let m = parse("/usr/include/sqlite3ext.h");
    assert_eq!(m.module, "sqlite3ext_h");
    // The functions are declared in sqlite3.h, included as "sqlite3.h".
    assert!(m.functions.len() > 200, "{} functions", m.functions.len());
    let open = m.function_named("sqlite3_open").unwrap();
    assert!(open.loc.file.ends_with("sqlite3.h"));
    // `sqlite3 **ppDb`: a pointer to an opaque handle.
    let handle = Type::Pointer {
        pointee: Box::new(Type::Void),
        is_const: false,
    };
    assert_eq!(
        open.sig.params[1].ty,
        Type::Pointer {
            pointee: Box::new(handle),
            is_const: false
        }
    );
    assert!(
        m.struct_named("sqlite3_api_routines")
            .is_some_and(|s| s.fields.len() > 200)
    );
    let version = m.constants.iter().find(|c| c.name == "SQLITE_OK").unwrap();
    assert_eq!(version.value, epy_codegen::model::ConstValue::Int(0));
    // Nothing from <stdarg.h> or other system headers is an item of its own.
    assert!(
        m.functions.iter().all(|f| f.name.starts_with("sqlite3")),
        "only sqlite3 functions"
    );
}

#[test]
fn ladspa() {
    let m = parse("/usr/include/ladspa.h");
    let d = m
        .struct_named("LADSPA_Descriptor")
        .expect("typedef name wins over `_LADSPA_Descriptor`");
    let fn_ptrs: Vec<&str> = d
        .fields
        .iter()
        .filter(|f| matches!(f.ty, Type::FnPtr(_)))
        .map(|f| f.name.as_str())
        .collect();
    assert!(
        fn_ptrs.contains(&"instantiate") && fn_ptrs.contains(&"run"),
        "{fn_ptrs:?}"
    );
    let Type::FnPtr(run) = &d.fields.iter().find(|f| f.name == "run").unwrap().ty else {
        unreachable!()
    };
    assert_eq!(
        run.params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["Instance", "SampleCount"]
    );
    let entry = m.function_named("ladspa_descriptor").unwrap();
    let ret = Type::Pointer {
        pointee: Box::new(Type::Struct("LADSPA_Descriptor".into())),
        is_const: true,
    };
    assert_eq!(entry.sig.ret, ret);
    assert!(
        m.callbacks
            .iter()
            .any(|c| c.name == "LADSPA_Descriptor_Function")
    );
}
