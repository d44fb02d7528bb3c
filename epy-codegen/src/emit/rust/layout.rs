//! `#[repr(C)]` struct and union definitions with compile-time layout
//! assertions (Rust's layout of the emitted fields must equal libclang's),
//! and the runtime `StructSpec` table (anonymous members flattened).
use super::types::{Ctx, cstr, encoding, ident, scalar_kind};
use crate::model::{Encoding, Field, Struct, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// One struct or union definition plus its assertions.
pub fn emit_struct(cx: &Ctx, s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let align = Literal::usize_unsuffixed(s.align.max(1));
    let repr = if s.packed {
        quote!(#[repr(C, packed(#align))])
    } else {
        quote!(#[repr(C, align(#align))])
    };
    let mut fields = Vec::new();
    let mut asserts = Vec::new();
    let mut seen_units = Vec::new();
    let mut anon = 0usize;
    for f in &s.fields {
        if f.bits.is_some() {
            // Bitfields: one opaque storage field per storage unit.
            if !seen_units.contains(&f.offset) {
                seen_units.push(f.offset);
                let id = format_ident!("_bits_{}", f.offset);
                let ty = cx.rust(&f.ty);
                fields.push(quote!(pub #id: #ty));
            }
            continue;
        }
        let id = if f.name.is_empty() {
            anon += 1;
            format_ident!("__anon{}", anon - 1)
        } else {
            ident(&f.name)
        };
        let ty = cx.rust(&f.ty);
        let doc = doc_attr(f.doc.as_deref());
        fields.push(quote!(#doc pub #id: #ty));
        let off = Literal::usize_unsuffixed(f.offset);
        asserts.push(quote!(assert!(::core::mem::offset_of!(#name, #id) == #off);));
    }
    let size = Literal::usize_unsuffixed(s.size);
    let doc = doc_attr(s.doc.as_deref());
    let keyword = if s.is_union {
        quote!(union)
    } else {
        quote!(struct)
    };
    quote! {
        #doc
        #repr
        #[derive(Clone, Copy)]
        pub #keyword #name { #(#fields,)* }
        const _: () = {
            assert!(::core::mem::size_of::<#name>() == #size);
            assert!(::core::mem::align_of::<#name>() == #align);
            #(#asserts)*
        };
    }
}

pub fn doc_attr(doc: Option<&str>) -> TokenStream {
    match doc {
        Some(d) if !d.trim().is_empty() => {
            let d = format!(" {}", d.trim());
            quote!(#[doc = #d])
        }
        _ => quote!(),
    }
}

/// `StructSpec` entries for every struct, in interface order.
pub fn struct_specs(cx: &Ctx) -> TokenStream {
    let specs = cx.iface.structs.iter().map(|s| {
        let mut fields = Vec::new();
        flatten(cx, s, 0, &mut fields);
        let name = cstr(&s.name);
        let size = Literal::usize_unsuffixed(s.size);
        let align = Literal::usize_unsuffixed(s.align.max(1));
        let doc = cstr(s.doc.as_deref().unwrap_or(""));
        quote!(::epy_runtime::StructSpec { name: #name, size: #size, align: #align, fields: &[#(#fields),*], doc: #doc })
    });
    quote!(#(#specs),*)
}

/// Field specs of `s` at `base`, anonymous members' fields inlined.
fn flatten(cx: &Ctx, s: &Struct, base: usize, out: &mut Vec<TokenStream>) {
    for f in &s.fields {
        if f.name.is_empty() {
            if let Type::Struct(inner) = &f.ty {
                if let Some(inner) = cx.iface.struct_named(inner) {
                    flatten(cx, inner, base + f.offset, out);
                }
            }
            continue;
        }
        let name = cstr(&f.name);
        let offset = Literal::usize_unsuffixed(base + f.offset);
        let kind = field_kind(cx, f);
        let doc = cstr(f.doc.as_deref().unwrap_or(""));
        out.push(quote!(::epy_runtime::FieldSpec { name: #name, offset: #offset, kind: #kind, doc: #doc }));
    }
}

/// The runtime `Kind` of a struct field.
pub fn field_kind(cx: &Ctx, f: &Field) -> TokenStream {
    if let Some((bit, width)) = f.bits {
        let storage = match &f.ty {
            Type::Enum(e) => scalar_kind(&cx.enum_repr(e)),
            t => scalar_kind(t),
        }
        .unwrap_or(quote!(::epy_runtime::Kind::U32));
        let shift = Literal::u8_unsuffixed((bit - f.offset * 8) as u8);
        let width = Literal::u8_unsuffixed(width);
        let signed = matches!(f.ty, Type::Int { signed: true, .. } | Type::Char);
        return quote!(::epy_runtime::Kind::Bits { storage: &#storage, shift: #shift, width: #width, signed: #signed });
    }
    value_kind(cx, &f.ty)
}

fn value_kind(cx: &Ctx, ty: &Type) -> TokenStream {
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
