//! The static `Spec` the runtime builds the script's module from: exports,
//! struct field tables (anonymous members flattened into their parent),
//! enums, constants and host-callback invokers.
use super::types::{Lookup, cstr, encoding, int_value, scalar_kind};
use crate::model::{ConstValue, Encoding, Field, Struct, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `static __EPY_SPEC` and `static __EPY_PLUGIN`.
pub fn emit_spec(cx: &Lookup, exports: &[String], host_fns: &[TokenStream]) -> TokenStream {
    let module = cstr(&cx.iface.module);
    let exports = exports.iter().map(|e| cstr(e));
    let structs = cx.structs.iter().map(|s| struct_spec(cx, s));
    let enums = cx.iface.enums.iter().map(|e| {
        let name = cstr(&e.name);
        let doc = cstr(e.doc.as_deref().unwrap_or(""));
        let members = e.members.iter().map(|(n, v)| {
            let (n, v) = (cstr(n), Literal::i64_unsuffixed(*v));
            quote!((#n, #v))
        });
        quote!(::epy_runtime::EnumSpec { name: #name, members: &[#(#members),*], doc: #doc })
    });
    let consts = cx.iface.constants.iter().map(|c| {
        let name = cstr(&c.name);
        let value = match &c.value {
            ConstValue::Int(v) => {
                let v = Literal::i64_unsuffixed(*v);
                quote!(::epy_runtime::ConstValue::Int(#v))
            }
            ConstValue::UInt(v) => {
                let v = Literal::u64_suffixed(*v);
                quote!(::epy_runtime::ConstValue::UInt(#v))
            }
            ConstValue::Float(v) => {
                let v = Literal::f64_unsuffixed(if v.is_finite() { *v } else { 0.0 });
                quote!(::epy_runtime::ConstValue::Float(#v))
            }
            ConstValue::Str(s) => {
                let s = cstr(s);
                quote!(::epy_runtime::ConstValue::Str(#s))
            }
        };
        quote!(::epy_runtime::ConstSpec { name: #name, value: #value })
    });
    let callbacks = cx.callbacks.iter().enumerate().map(|(i, (name, sig))| {
        let name = cstr(name);
        let nargs = Literal::usize_unsuffixed(sig.params.len());
        let invoke = format_ident!("__epy_invoke_{}", i);
        let pool = cx.pool_ref(i);
        quote!(::epy_runtime::CallbackSpec { name: #name, nargs: #nargs, invoke: #invoke, pool: #pool })
    });
    let methods = cx.iface.methods().map(|m| {
        let (name, site) = (cstr(&m.name), cstr(&m.func.name));
        quote!(::epy_runtime::MethodSpec { name: #name, site: #site })
    });
    let layer = cstr(&format!(
        "{}{}{}",
        cx.iface.python_layer.as_deref().unwrap_or(""),
        crate::opaque::layer(cx.iface),
        crate::emit::python::RUNTIME_LAYER
    ));
    quote! {
        static __EPY_SPEC: ::epy_runtime::Spec = ::epy_runtime::Spec {
            module: #module,
            exports: &[#(#exports),*],
            structs: &[#(#structs),*],
            enums: &[#(#enums),*],
            consts: &[#(#consts),*],
            callbacks: &[#(#callbacks),*],
            methods: &[#(#methods),*],
            layer: #layer,
            host_fns: &[#(#host_fns),*],
        };
        static __EPY_PLUGIN: ::epy_runtime::Plugin = ::epy_runtime::Plugin::new(&__EPY_SPEC);
    }
}

/// `pub type Color = u32;` and one `pub const` per member (except one
/// named like a local of the generated functions: a constant in scope would
/// turn that `let` into a pattern match).
pub fn emit_enum(cx: &Lookup, e: &crate::model::Enum) -> TokenStream {
    let name = super::types::ident(&e.name);
    let repr = cx.rust(&e.repr);
    let doc = super::structs::doc_attr(e.doc.as_deref());
    let members = e
        .members
        .iter()
        .filter(|(m, _)| !is_local(m))
        .map(|(m, v)| {
            let m = super::types::ident(m);
            let v = int_value(*v, &e.repr);
            quote!(pub const #m: #name = #v;)
        });
    quote! {
        #doc
        pub type #name = #repr;
        #(#members)*
    }
}

fn is_local(name: &str) -> bool {
    const LOCALS: &[&str] = &["cx", "func", "args", "res", "out", "p", "f", "r", "fnptr"];
    let numbered = |c: char| {
        name.strip_prefix(c)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    LOCALS.contains(&name) || numbered('a') || numbered('o') || numbered('k')
}

fn struct_spec(cx: &Lookup, s: &Struct) -> TokenStream {
    let mut fields = Vec::new();
    flatten(cx, s, 0, &mut fields);
    let name = cstr(&s.name);
    let size = Literal::usize_unsuffixed(s.size);
    let align = Literal::usize_unsuffixed(s.align.max(1));
    let doc = cstr(s.doc.as_deref().unwrap_or(""));
    quote!(::epy_runtime::StructSpec { name: #name, size: #size, align: #align, fields: &[#(#fields),*], doc: #doc })
}

/// Field specs of `s` at `base`, anonymous members' fields inlined; unnamed
/// bitfields (padding) are not fields.
fn flatten(cx: &Lookup, s: &Struct, base: usize, out: &mut Vec<TokenStream>) {
    for f in &s.fields {
        if f.name.is_empty() {
            if let Type::Struct(inner) = &f.ty {
                if let Some(inner) = cx.iface.struct_named(inner) {
                    flatten(cx, inner, base + f.offset, out);
                }
            }
            continue;
        }
        let (offset, kind) = if f.bits.is_some() {
            match bits_kind(cx, f, s.size) {
                Some(k) => k,
                None => continue,
            }
        } else {
            (f.offset, value_kind(cx, &f.ty))
        };
        let name = cstr(&f.name);
        let offset = Literal::usize_unsuffixed(base + offset);
        let doc = cstr(f.doc.as_deref().unwrap_or(""));
        out.push(quote!(::epy_runtime::FieldSpec { name: #name, offset: #offset, kind: #kind, doc: #doc }));
    }
}

/// A bitfield: its storage unit (see `emit::bit_unit`) and place in it.
fn bits_kind(cx: &Lookup, f: &Field, size: usize) -> Option<(usize, TokenStream)> {
    let (offset, bytes) = crate::emit::bit_unit(f, size)?;
    let (bit, width) = f.bits?;
    let signed = match &f.ty {
        Type::Enum(e) => matches!(cx.enum_repr(e), Type::Int { signed: true, .. }),
        t => matches!(t, Type::Int { signed: true, .. } | Type::Char),
    };
    let storage = match bytes {
        1 => quote!(::epy_runtime::Kind::U8),
        2 => quote!(::epy_runtime::Kind::U16),
        4 => quote!(::epy_runtime::Kind::U32),
        _ => quote!(::epy_runtime::Kind::U64),
    };
    let shift = Literal::u8_unsuffixed((bit - offset * 8) as u8);
    let width = Literal::u8_unsuffixed(width);
    Some((
        offset,
        quote!(::epy_runtime::Kind::Bits { storage: &#storage, shift: #shift, width: #width, signed: #signed }),
    ))
}

/// The runtime `Kind` of a value of type `ty` inside a struct.
fn value_kind(cx: &Lookup, ty: &Type) -> TokenStream {
    if let Some(k) = scalar_kind(ty) {
        return k;
    }
    match ty {
        Type::Array { elem, len } => {
            let n = Literal::usize_unsuffixed(*len);
            match &**elem {
                Type::Char => {
                    quote!(::epy_runtime::Kind::CharArray(#n, ::epy_runtime::Encoding::Utf8))
                }
                Type::WChar => {
                    quote!(::epy_runtime::Kind::CharArray(#n, ::epy_runtime::Encoding::Utf16))
                }
                Type::Array { .. } => {
                    // Nested arrays: one flat view of the innermost elements.
                    let (inner, total) = innermost(elem, *len);
                    let k = value_kind(cx, inner);
                    let n = Literal::usize_unsuffixed(total);
                    quote!(::epy_runtime::Kind::Array(&#k, #n))
                }
                other => {
                    let k = value_kind(cx, other);
                    quote!(::epy_runtime::Kind::Array(&#k, #n))
                }
            }
        }
        Type::Struct(s) => {
            let i = Literal::usize_unsuffixed(cx.struct_index(s));
            quote!(::epy_runtime::Kind::Struct(#i))
        }
        Type::Enum(e) => {
            let i = Literal::usize_unsuffixed(cx.enum_index(e));
            let repr = scalar_kind(&cx.enum_repr(e)).unwrap_or(quote!(::epy_runtime::Kind::U32));
            quote!(::epy_runtime::Kind::Enum(#i, &#repr))
        }
        Type::Pointer { pointee, .. } => match &**pointee {
            Type::Char => quote!(::epy_runtime::Kind::CStr(::epy_runtime::Encoding::Utf8)),
            Type::WChar => {
                let e = encoding(Encoding::Utf16);
                quote!(::epy_runtime::Kind::CStr(#e))
            }
            Type::Struct(s) => {
                let i = Literal::usize_unsuffixed(cx.struct_index(s));
                quote!(::epy_runtime::Kind::StructPtr(#i))
            }
            _ => quote!(::epy_runtime::Kind::Ptr),
        },
        Type::FnPtr(sig) => match cx.callback_index(sig) {
            Some(i) => {
                let i = Literal::usize_unsuffixed(i);
                quote!(::epy_runtime::Kind::FnPtr(#i))
            }
            None => quote!(::epy_runtime::Kind::Ptr),
        },
        _ => quote!(::epy_runtime::Kind::Ptr),
    }
}

fn innermost(ty: &Type, len: usize) -> (&Type, usize) {
    match ty {
        Type::Array { elem, len: n } => innermost(elem, len * n),
        other => (other, len),
    }
}
