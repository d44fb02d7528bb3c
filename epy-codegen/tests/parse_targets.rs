//! stdcall.h for Windows targets and the host: calling conventions and
//! target-dependent sizes come from the target libclang parses for.
use epy_codegen::ParseOptions;
use epy_codegen::model::{CallConv, Interface, Type};
use std::path::PathBuf;

fn parse(target: Option<&str>) -> Interface {
    let header = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/headers/stdcall.h");
    let opts = ParseOptions {
        header,
        target: target.map(str::to_owned),
        ..Default::default()
    };
    epy_codegen::parse(&opts).unwrap_or_else(|e| panic!("{target:?}: {e}"))
}

fn conv(m: &Interface, name: &str) -> CallConv {
    m.function_named(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .sig
        .conv
}

#[test]
fn i686_windows_is_stdcall() {
    let m = parse(Some("i686-pc-windows-msvc"));
    for f in ["OpenArchive", "GetVersion", "SetProgress", "ReadHeader"] {
        assert_eq!(conv(&m, f), CallConv::Stdcall, "{f}");
    }
    let sum = m.function_named("Sum").unwrap();
    assert_eq!((sum.sig.conv, sum.sig.variadic), (CallConv::C, true));
    assert_eq!(conv(&m, "Count"), CallConv::C);
    // The callback typedef, and its inline uses, carry the convention too.
    let cb = m
        .callbacks
        .iter()
        .find(|c| c.name == "ProgressProc")
        .unwrap();
    assert_eq!(cb.sig.conv, CallConv::Stdcall);
    let Type::FnPtr(sig) = &m.function_named("SetProgress").unwrap().sig.params[0].ty else {
        panic!()
    };
    assert_eq!(sig.conv, CallConv::Stdcall);
    let header = m.struct_named("Header").unwrap();
    assert_eq!((header.size, header.align), (12, 4));
}

#[test]
fn x86_64_windows_long_is_32_bit() {
    let m = parse(Some("x86_64-pc-windows-msvc"));
    // One calling convention on Win64: __stdcall is ignored.
    assert_eq!(conv(&m, "OpenArchive"), CallConv::C);
    let u32_ = Type::Int {
        bits: 32,
        signed: false,
    };
    assert_eq!(
        m.function_named("GetVersion").unwrap().sig.ret,
        u32_,
        "DWORD is unsigned long"
    );
    assert_eq!(
        m.function_named("Count").unwrap().sig.ret,
        Type::Int {
            bits: 32,
            signed: true
        }
    );
    let header = m.struct_named("Header").unwrap();
    assert_eq!((header.size, header.align), (16, 8));
}

#[test]
fn host_is_cdecl() {
    for target in [None, Some("x86_64-unknown-linux-gnu")] {
        let m = parse(target);
        assert_eq!(conv(&m, "OpenArchive"), CallConv::C);
        assert_eq!(
            m.function_named("Count").unwrap().sig.ret,
            Type::Int {
                bits: 64,
                signed: true
            }
        );
        assert_eq!(m.struct_named("Header").unwrap().size, 24);
        // WCHAR stays a 16-bit integer until an annotation says it is text.
        let cb = m
            .callbacks
            .iter()
            .find(|c| c.name == "ProgressProc")
            .unwrap();
        let wchar = Type::Pointer {
            pointee: Box::new(Type::Int {
                bits: 16,
                signed: false,
            }),
            is_const: true,
        };
        assert_eq!(cb.sig.params[0].ty, wchar);
        assert_eq!(
            cb.doc.as_deref(),
            Some("Reports progress; returns 0 to cancel.")
        );
    }
}
