//! `#[repr(C)]` struct and union definitions whose layout equals libclang's,
//! checked by compile-time assertions (a mismatch fails the plugin's build,
//! never the host at run time).
//!
//! Bitfields become opaque byte arrays covering exactly the bytes their bits
//! occupy: a storage unit of the declared type would start where Rust puts
//! it, not where C does (`char c; unsigned b : 5;` shares the unit with `c`).
//! Python reads them through `Kind::Bits` in the spec.
use super::types::{Lookup, ident};
use crate::model::{Field, Struct};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// Where Rust has placed the end of the fields emitted so far.
enum Cursor {
    At(usize),
    /// After a field whose size depends on the target (a pointer).
    After {
        offset: usize,
        ty: TokenStream,
    },
}

struct Body {
    fields: Vec<TokenStream>,
    /// (field, C offset) pairs to assert.
    offsets: Vec<(TokenStream, Literal)>,
    cursor: Cursor,
}

/// One struct or union definition plus its layout assertions.
pub fn emit_struct(cx: &Lookup, s: &Struct) -> TokenStream {
    let name = ident(&s.name);
    let align = s.align.max(1);
    let body = if s.is_union {
        union_body(cx, s)
    } else {
        struct_body(cx, s)
    };
    let Body {
        fields, offsets, ..
    } = body;
    let align_lit = Literal::usize_unsuffixed(align);
    // Held by a packed struct: `packed(N)` at its own alignment, the layout
    // `align(N)` would give (`model::check_packed_holds`), which rustc
    // accepts inside a packed type (E0588).
    let repr = if s.packed || cx.held_by_packed.contains(&s.name) {
        quote!(#[repr(C, packed(#align_lit))])
    } else {
        quote!(#[repr(C, align(#align_lit))])
    };
    let keyword = if s.is_union {
        quote!(union)
    } else {
        quote!(struct)
    };
    let size = Literal::usize_unsuffixed(s.size);
    let doc = doc_attr(s.doc.as_deref());
    let offsets = offsets
        .iter()
        .map(|(field, off)| quote!(assert!(::core::mem::offset_of!(#name, #field) == #off);));
    quote! {
        #doc
        #repr
        #[derive(Clone, Copy)]
        pub #keyword #name { #(#fields,)* }
        const _: () = {
            let size = ::core::mem::size_of::<#name>();
            let align = ::core::mem::align_of::<#name>();
            assert!(size == #size);
            assert!(align == #align_lit);
            #(#offsets)*
        };
    }
}

fn struct_body(cx: &Lookup, s: &Struct) -> Body {
    let mut b = Body {
        fields: Vec::new(),
        offsets: Vec::new(),
        cursor: Cursor::At(0),
    };
    let mut anon = 0;
    let mut i = 0;
    while i < s.fields.len() {
        if s.fields[i].bits.is_some() {
            let n = s.fields[i..]
                .iter()
                .take_while(|f| f.bits.is_some())
                .count();
            bit_storage(&mut b, &s.fields[i..i + n]);
            i += n;
            continue;
        }
        let f = &s.fields[i];
        i += 1;
        let id = field_ident(f, &mut anon);
        let (size, natural) = match cx.size_align(&f.ty) {
            Some((size, a)) if s.packed => (Some(size), Some(a.min(s.align.max(1)))),
            Some((size, a)) => (Some(size), Some(a)),
            None => (None, None),
        };
        // Explicit padding only where alignment does not explain the gap
        // (`int : 0`, aligned attributes); pointers are taken as aligned.
        if let (&Cursor::At(c), Some(a)) = (&b.cursor, natural) {
            if f.offset > c && c.next_multiple_of(a) != f.offset {
                pad(&mut b, c, f.offset);
            }
        }
        let ty = cx.rust(&f.ty);
        let doc = doc_attr(f.doc.as_deref());
        b.fields.push(quote!(#doc pub #id: #ty));
        b.offsets
            .push((quote!(#id), Literal::usize_unsuffixed(f.offset)));
        b.cursor = match size {
            Some(size) => Cursor::At(f.offset + size),
            None => Cursor::After {
                offset: f.offset,
                ty,
            },
        };
    }
    if let Cursor::At(c) = b.cursor {
        if c.next_multiple_of(s.align.max(1)) < s.size {
            pad(&mut b, c, s.size);
        }
    }
    b
}

/// One byte array from the end of the previous field to the last byte of a
/// run of consecutive bitfields (zero-width ones only align what follows).
fn bit_storage(b: &mut Body, run: &[Field]) {
    let bits = run.iter().filter_map(|f| f.bits).filter(|&(_, w)| w > 0);
    let Some(end) = bits
        .map(|(bit, w)| (bit + usize::from(w)).div_ceil(8))
        .max()
    else {
        return;
    };
    match &b.cursor {
        Cursor::At(c) => {
            let c = *c;
            let id = format_ident!("_bits_{}", c);
            let n = Literal::usize_unsuffixed(end.saturating_sub(c));
            b.fields.push(quote!(pub #id: [u8; #n]));
            b.offsets.push((quote!(#id), Literal::usize_unsuffixed(c)));
        }
        Cursor::After { offset, ty } => {
            let start = run[0].offset;
            let id = format_ident!("_bits_{}", start);
            let (end, offset) = (
                Literal::usize_unsuffixed(end),
                Literal::usize_unsuffixed(*offset),
            );
            b.fields
                .push(quote!(pub #id: [u8; #end - (#offset + ::core::mem::size_of::<#ty>())]));
        }
    }
    b.cursor = Cursor::At(end);
}

fn pad(b: &mut Body, from: usize, to: usize) {
    let id = format_ident!("_pad_{}", from);
    let n = Literal::usize_unsuffixed(to - from);
    b.fields.push(quote!(pub #id: [u8; #n]));
    b.cursor = Cursor::At(to);
}

/// Every member of a union starts at 0; its bitfields share one byte array.
fn union_body(cx: &Lookup, s: &Struct) -> Body {
    let mut b = Body {
        fields: Vec::new(),
        offsets: Vec::new(),
        cursor: Cursor::At(0),
    };
    let mut anon = 0;
    let mut bits_done = false;
    for f in &s.fields {
        if f.bits.is_some() {
            if !bits_done {
                bits_done = true;
                let all: Vec<Field> = s
                    .fields
                    .iter()
                    .filter(|f| f.bits.is_some())
                    .cloned()
                    .collect();
                bit_storage(&mut b, &all);
                b.cursor = Cursor::At(0);
            }
            continue;
        }
        let id = field_ident(f, &mut anon);
        let ty = cx.rust(&f.ty);
        let doc = doc_attr(f.doc.as_deref());
        b.fields.push(quote!(#doc pub #id: #ty));
        b.offsets.push((quote!(#id), Literal::usize_unsuffixed(0)));
    }
    b
}

/// The Rust name of a field; anonymous members are `__anon0`, `__anon1`, ….
fn field_ident(f: &Field, anon: &mut usize) -> proc_macro2::Ident {
    if f.name.is_empty() {
        *anon += 1;
        format_ident!("__anon{}", *anon - 1)
    } else {
        ident(&f.name)
    }
}

/// `///` lines (one attribute per line, so prettyplease prints `///`).
pub fn doc_attr(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc.map(str::trim).filter(|d| !d.is_empty()) else {
        return quote!();
    };
    let lines = doc.lines().map(|l| {
        let l = if l.trim().is_empty() {
            String::new()
        } else {
            format!(" {}", l.trim_end())
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}
