//! The `static epy_runtime::PtrType` a typed pointer argument is made with
//! (see `emit::typed_ptr`).
use super::types::{Lookup, scalar_kind};
use crate::model::Type;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `::epy_runtime::typed_ptr_to_py(cx, a, &PTR_TYPE)` for argument `a` of type `ty`.
pub(super) fn arg(cx: &Lookup, ty: &Type, a: &proc_macro2::Ident) -> TokenStream {
    let t = ptr_type(cx, ty);
    quote! {{
        static TY: ::epy_runtime::PtrType = #t;
        ::epy_runtime::typed_ptr_to_py(cx, #a as *mut ::core::ffi::c_void, &TY)
    }}
}

/// The typed handle for an opaque-handle argument `a` (`crate::opaque`).
pub(super) fn opaque_arg(a: &proc_macro2::Ident) -> TokenStream {
    quote! {{
        static TY: ::epy_runtime::PtrType = ::epy_runtime::PtrType { pointee: ::epy_runtime::Pointee::Opaque, readonly: true };
        ::epy_runtime::typed_ptr_to_py(cx, #a as *mut ::core::ffi::c_void, &TY)
    }}
}

fn ptr_type(cx: &Lookup, ty: &Type) -> TokenStream {
    let (pointee, readonly) = match ty {
        Type::Pointer { pointee, is_const } => (&**pointee, *is_const),
        _ => (&Type::Void, true),
    };
    let p = match pointee {
        Type::Struct(s) => match cx.structs.iter().position(|x| &x.name == s) {
            Some(i) => {
                let i = Literal::usize_unsuffixed(i);
                quote!(::epy_runtime::Pointee::Struct(#i))
            }
            None => quote!(::epy_runtime::Pointee::Void),
        },
        inner @ Type::Pointer { .. } => {
            let t = ptr_type(cx, inner);
            quote!(::epy_runtime::Pointee::Ptr(&#t))
        }
        Type::Enum(e) => scalar(&cx.enum_repr(e)),
        t => scalar(t),
    };
    quote!(::epy_runtime::PtrType { pointee: #p, readonly: #readonly })
}

fn scalar(t: &Type) -> TokenStream {
    match scalar_kind(t) {
        Some(k) => quote!(::epy_runtime::Pointee::Scalar(#k)),
        None => quote!(::epy_runtime::Pointee::Void),
    }
}
