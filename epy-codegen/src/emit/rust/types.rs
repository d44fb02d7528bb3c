//! C types → Rust tokens, and the lookups every emitter needs (struct, enum
//! and callback indices in the runtime `Spec`).
pub use crate::model::string_encoding as string_pointee;
use crate::model::{CallConv, Encoding, Interface, Signature, Struct, Type};
use crate::plan::Plan;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use std::ffi::CString;

/// What the Rust emitters look up in the plan: the interface, the callback
/// table and the Python-visible structs (their order is the runtime's
/// struct index).
pub struct Lookup<'a> {
    pub iface: &'a Interface,
    pub callbacks: &'a [(String, Signature)],
    pub structs: Vec<&'a Struct>,
    /// Per callback: the size of its prototype's pool of trampolines.
    pub pooled: &'a [usize],
    /// Structs a packed struct holds by value (`model::held_by_packed`).
    pub held_by_packed: std::collections::HashSet<String>,
}

impl<'a> Lookup<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        Lookup {
            iface: &plan.iface,
            callbacks: &plan.callbacks,
            structs: plan.python_structs().collect(),
            pooled: &plan.pooled,
            held_by_packed: crate::model::held_by_packed(&plan.iface),
        }
    }

    pub fn callback_index(&self, sig: &Signature) -> Option<usize> {
        self.callbacks.iter().position(|(_, s)| s == sig)
    }

    /// Index of a struct in `Spec::structs`. Every `Type::Struct` names a
    /// struct of the interface, and only anonymous members (never passed or
    /// pointed to) are missing from the Python-visible list.
    pub fn struct_index(&self, name: &str) -> usize {
        self.structs
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("struct `{name}` is not in the interface"))
    }

    pub fn enum_index(&self, name: &str) -> usize {
        self.iface
            .enums
            .iter()
            .position(|e| e.name == name)
            .unwrap_or_else(|| panic!("enum `{name}` is not in the interface"))
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

    /// Size and alignment of a C type, when they do not depend on the
    /// target's pointer width (`None` for pointers and what contains them
    /// by value, except structs, whose layout the model records).
    pub fn size_align(&self, ty: &Type) -> Option<(usize, usize)> {
        let n = match ty {
            Type::Bool | Type::Char => 1,
            Type::WChar => 2,
            Type::Int { bits, .. } => usize::from(*bits) / 8,
            Type::Float => 4,
            Type::Double => 8,
            Type::Enum(e) => return self.size_align(&self.enum_repr(e)),
            Type::Array { elem, len } => {
                let (size, align) = self.size_align(elem)?;
                return Some((size * len, align));
            }
            Type::Struct(s) => {
                let s = self.iface.struct_named(s)?;
                return Some((s.size, s.align.max(1)));
            }
            Type::Void | Type::Pointer { .. } | Type::FnPtr(_) => return None,
        };
        Some((n, n))
    }

    /// The static holding the pool of trampolines of prototype `k`.
    pub fn pool_static(k: usize) -> Ident {
        format_ident!("__EPY_POOL_{}", k)
    }

    /// `Some(&__EPY_POOL_k)` or `None`: the pool of prototype `k`.
    pub fn pool_ref(&self, k: usize) -> TokenStream {
        if self.pooled[k] > 0 {
            let p = Self::pool_static(k);
            quote!(::core::option::Option::Some(&#p))
        } else {
            quote!(::core::option::Option::None)
        }
    }

    /// The pool of the prototype of `sig` (`None` when it has none).
    pub fn pool_of(&self, sig: &Signature) -> TokenStream {
        match self.callback_index(sig) {
            Some(k) => self.pool_ref(k),
            None => quote!(::core::option::Option::None),
        }
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

/// An integer constant of C type `ty` (an integer or enum repr): a plain
/// literal when it fits, else its two's-complement bit pattern
/// (`-1i64 as u32`, as C converts it).
pub fn int_value(v: i64, ty: &Type) -> TokenStream {
    let Type::Int { bits, signed } = *ty else {
        let lit = Literal::i64_unsuffixed(v);
        return quote!(#lit);
    };
    let fits = match (bits, signed) {
        (b, true) if b >= 64 => true,
        (b, false) if b >= 64 => v >= 0,
        (b, true) => (-(1i64 << (b - 1))..(1i64 << (b - 1))).contains(&v),
        (b, false) => (0..(1i64 << b)).contains(&v),
    };
    if fits {
        let lit = Literal::i64_unsuffixed(v);
        quote!(#lit)
    } else {
        let lit = Literal::i64_suffixed(v);
        let t = int_type(bits, signed);
        quote!(#lit as #t)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn int(bits: u8, signed: bool) -> Type {
        Type::Int { bits, signed }
    }

    #[test]
    fn int_values_are_literals_unless_they_wrap() {
        let s = |v, t: Type| int_value(v, &t).to_string();
        assert_eq!(s(-1, int(32, true)), "- 1");
        assert_eq!(s(255, int(8, false)), "255");
        assert_eq!(s(256, int(8, false)), "256i64 as u8");
        assert_eq!(s(-1, int(32, false)), "- 1i64 as u32");
        assert_eq!(s(-1, int(64, false)), "- 1i64 as u64");
        assert_eq!(s(i64::MIN, int(64, true)), "- 9223372036854775808");
    }
}
