//! C types → Rust tokens, and the lookups every emitter needs (struct, enum
//! and callback indices in the runtime `Spec`).
use crate::model::{CallConv, Encoding, Interface, Signature, Type};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use std::ffi::CString;

/// Everything the emitters share: the interface and the callback table
/// (header typedefs first, then signatures met inline).
pub struct Ctx<'a> {
    pub iface: &'a Interface,
    pub callbacks: Vec<(String, Signature)>,
}

impl<'a> Ctx<'a> {
    pub fn new(iface: &'a Interface) -> Self {
        let mut cx = Ctx {
            iface,
            callbacks: iface
                .callbacks
                .iter()
                .map(|c| (c.name.clone(), c.sig.clone()))
                .collect(),
        };
        // Inline function-pointer types (no typedef) get a synthesized entry.
        for f in &iface.functions {
            for p in &f.sig.params {
                cx.note_inline(&p.ty, &format!("{}_{}", f.name, p.name));
            }
        }
        for s in &iface.structs {
            for fld in &s.fields {
                cx.note_inline(&fld.ty, &format!("{}_{}", s.name, fld.name));
            }
        }
        cx
    }

    fn note_inline(&mut self, ty: &Type, name: &str) {
        if let Type::FnPtr(sig) = ty {
            if self.callback_index(sig).is_none() {
                self.callbacks.push((name.to_owned(), (**sig).clone()));
            }
        }
    }

    pub fn callback_index(&self, sig: &Signature) -> Option<usize> {
        self.callbacks.iter().position(|(_, s)| s == sig)
    }

    pub fn struct_index(&self, name: &str) -> usize {
        self.iface
            .structs
            .iter()
            .position(|s| s.name == name)
            .unwrap_or(0)
    }

    pub fn enum_index(&self, name: &str) -> usize {
        self.iface
            .enums
            .iter()
            .position(|e| e.name == name)
            .unwrap_or(0)
    }

    /// The integer type an enum is stored as.
    pub fn enum_repr(&self, name: &str) -> Type {
        self.iface
            .enum_named(name)
            .map(|e| e.repr.clone())
            .unwrap_or(Type::Int {
                bits: 32,
                signed: false,
            })
    }

    /// Rust type of a C type (arrays as arrays: struct fields).
    pub fn rust(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::Void => quote!(()),
            Type::Bool => quote!(bool),
            Type::Char => quote!(::core::ffi::c_char),
            Type::Int { bits, signed } => int_type(*bits, *signed),
            Type::Float => quote!(f32),
            Type::Double => quote!(f64),
            Type::WChar => quote!(u16),
            Type::Pointer { pointee, is_const } => {
                let inner = match &**pointee {
                    Type::Void => quote!(::core::ffi::c_void),
                    other => self.rust(other),
                };
                if *is_const {
                    quote!(*const #inner)
                } else {
                    quote!(*mut #inner)
                }
            }
            Type::Array { elem, len } => {
                let elem = self.rust(elem);
                let len = Literal::usize_unsuffixed(*len);
                quote!([#elem; #len])
            }
            Type::Struct(name) | Type::Enum(name) => {
                let id = ident(name);
                quote!(#id)
            }
            Type::FnPtr(sig) => self.fn_ptr(sig),
        }
    }

    /// Rust type of a parameter (arrays decay to pointers).
    pub fn rust_param(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::Array { elem, .. } => {
                let elem = self.rust(elem);
                quote!(*mut #elem)
            }
            other => self.rust(other),
        }
    }

    pub fn fn_ptr(&self, sig: &Signature) -> TokenStream {
        let abi = abi(sig.conv);
        let params = sig.params.iter().map(|p| self.rust_param(&p.ty));
        let ret = self.ret(&sig.ret);
        quote!(::core::option::Option<unsafe extern #abi fn(#(#params),*) #ret>)
    }

    /// `-> T`, or nothing for void.
    pub fn ret(&self, ty: &Type) -> TokenStream {
        match ty {
            Type::Void => quote!(),
            other => {
                let t = self.rust_param(other);
                quote!(-> #t)
            }
        }
    }
}

pub fn abi(conv: CallConv) -> Literal {
    Literal::string(match conv {
        CallConv::C => "C",
        CallConv::Stdcall => "system",
    })
}

pub fn int_type(bits: u8, signed: bool) -> TokenStream {
    match (bits, signed) {
        (8, true) => quote!(i8),
        (16, true) => quote!(i16),
        (32, true) => quote!(i32),
        (64, true) => quote!(i64),
        (8, false) => quote!(u8),
        (16, false) => quote!(u16),
        (32, false) => quote!(u32),
        (64, false) => quote!(u64),
        (_, true) => quote!(i128),
        (_, false) => quote!(u128),
    }
}

/// A Rust identifier for a C name (keywords become raw or get a `_`).
pub fn ident(name: &str) -> Ident {
    const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];
    if NOT_RAW.contains(&name) {
        return format_ident!("{}_", name);
    }
    if syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, Span::call_site())
    } else {
        Ident::new_raw(name, Span::call_site())
    }
}

/// A `c"..."` literal.
pub fn cstr(s: &str) -> Literal {
    let s: String = s.chars().filter(|&c| c != '\0').collect();
    Literal::c_string(&CString::new(s).unwrap_or_default())
}

pub fn encoding(e: Encoding) -> TokenStream {
    match e {
        Encoding::Utf8 => quote!(::epy_runtime::Encoding::Utf8),
        Encoding::Utf16 => quote!(::epy_runtime::Encoding::Utf16),
        Encoding::Bytes => quote!(::epy_runtime::Encoding::Bytes),
    }
}

/// The runtime `Kind` of a scalar C type (buffer and array elements).
pub fn scalar_kind(ty: &Type) -> Option<TokenStream> {
    Some(match ty {
        Type::Int {
            bits: 8,
            signed: true,
        }
        | Type::Char => quote!(::epy_runtime::Kind::I8),
        Type::Int {
            bits: 16,
            signed: true,
        } => quote!(::epy_runtime::Kind::I16),
        Type::Int {
            bits: 32,
            signed: true,
        } => quote!(::epy_runtime::Kind::I32),
        Type::Int {
            bits: 64,
            signed: true,
        } => quote!(::epy_runtime::Kind::I64),
        Type::Int {
            bits: 8,
            signed: false,
        } => quote!(::epy_runtime::Kind::U8),
        Type::Int {
            bits: 16,
            signed: false,
        }
        | Type::WChar => quote!(::epy_runtime::Kind::U16),
        Type::Int {
            bits: 32,
            signed: false,
        } => quote!(::epy_runtime::Kind::U32),
        Type::Int {
            bits: 64,
            signed: false,
        } => quote!(::epy_runtime::Kind::U64),
        Type::Float => quote!(::epy_runtime::Kind::F32),
        Type::Double => quote!(::epy_runtime::Kind::F64),
        Type::Bool => quote!(::epy_runtime::Kind::Bool),
        _ => return None,
    })
}

/// Is `ty` a string pointer (char or 16-bit char)?
pub fn string_pointee(ty: &Type, enc: Option<Encoding>) -> Option<Encoding> {
    let Type::Pointer { pointee, .. } = ty else {
        return None;
    };
    match (&**pointee, enc) {
        (Type::Char, e) => Some(e.unwrap_or(Encoding::Utf8)),
        (Type::Int { bits: 8, .. }, Some(e)) => Some(e),
        (Type::WChar, _) | (Type::Int { bits: 16, .. }, Some(Encoding::Utf16)) => {
            Some(Encoding::Utf16)
        }
        _ => None,
    }
}
