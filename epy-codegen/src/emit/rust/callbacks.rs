//! Host function pointers called from Python: one `invoke` function per
//! callback signature, converting Python arguments to C, calling the host
//! with the GIL released, converting the result back.
use super::trampolines;
use super::types::{Lookup, abi, encoding, string_pointee};
use crate::model::{Encoding, Param, Role, Signature, Type};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

pub fn emit_invoker(cx: &Lookup, index: usize, sig: &Signature) -> TokenStream {
    let name = format_ident!("__epy_invoke_{}", index);
    let abi = abi(sig.conv);
    let ptypes: Vec<_> = sig.params.iter().map(|p| cx.rust_param(&p.ty)).collect();
    let ret = cx.ret(&sig.ret);
    let mut converts = Vec::new();
    let mut args = Vec::new();
    // Python callables for function pointers (`trampolines.rs`).
    let binds = trampolines::invoker_binds(cx, index, sig);
    if binds {
        let n = Literal::usize_unsuffixed(sig.params.len());
        converts.push(quote!(let mut bind = ::epy_runtime::Binding::new(cx, #n);));
    }
    for (i, p) in sig.params.iter().enumerate() {
        let a = format_ident!("a{}", i);
        let k = format_ident!("k{}", i);
        if binds && trampolines::is_user_data_param(sig, i) {
            args.push(a);
            continue;
        }
        if let Some(conv) = trampolines::invoker_fnptr(cx, index, sig, i) {
            converts.push(conv);
            args.push(a);
            continue;
        }
        let i = Literal::usize_unsuffixed(i);
        converts.push(convert_arg(cx, p, &a, &k, quote!(args[#i])));
        args.push(a);
    }
    if binds {
        converts.push(trampolines::invoker_finish(index, sig));
    }
    let result = convert_result(cx, &sig.ret);
    wrap(name, abi, ptypes, ret, converts, args, result)
}

/// `let a = …;` converting the Python object `src` to C parameter `p`
/// (`k` names a local that must outlive the call).
pub(super) fn convert_arg(
    cx: &Lookup,
    p: &Param,
    a: &Ident,
    k: &Ident,
    src: TokenStream,
) -> TokenStream {
    if matches!(p.role, Some(Role::Argv { .. } | Role::Strv)) {
        // A list of strings (the `strings`/`argv` rules): NULL-terminated.
        let e = encoding(p.encoding.unwrap_or(Encoding::Utf8));
        quote!(let mut #k = ::core::option::Option::None; let #a = ::epy_runtime::strs_arg_from_py(#src, #e, &mut #k)? as _;)
    } else if let Some(enc) = string_pointee(&p.ty, p.encoding) {
        let e = encoding(enc);
        quote!(let mut #k = ::core::option::Option::None; let #a = ::epy_runtime::str_arg_from_py(#src, #e, &mut #k)? as _;)
    } else {
        match &p.ty {
            Type::Enum(e) => {
                let t = cx.rust(&cx.enum_repr(e));
                quote!(let #a = <#t as ::epy_runtime::Scalar>::from_py(#src)?;)
            }
            Type::Struct(s) => {
                let t = cx.rust(&p.ty);
                let idx = Literal::usize_unsuffixed(cx.struct_index(s));
                quote! {
                    let mut #k = ::core::mem::MaybeUninit::<#t>::zeroed();
                    ::epy_runtime::struct_val_from_py(cx, #src, #idx, #k.as_mut_ptr() as *mut ::core::ffi::c_void)?;
                    let #a = #k.assume_init();
                }
            }
            Type::Pointer { .. } | Type::Array { .. } => {
                quote!(let #a = ::epy_runtime::ptr_from_py(#src)? as _;)
            }
            Type::FnPtr(_) => {
                quote!(let #a = ::core::mem::transmute::<*mut ::core::ffi::c_void, _>(::epy_runtime::ptr_from_py(#src)?);)
            }
            scalar => {
                let t = cx.rust(scalar);
                quote!(let #a = <#t as ::epy_runtime::Scalar>::from_py(#src)?;)
            }
        }
    }
}

/// The Python object for the C result `r` of type `ret`.
pub(super) fn convert_result(cx: &Lookup, ret: &Type) -> TokenStream {
    match ret {
        Type::Void => quote!(::epy_runtime::PyResult::Ok(::epy_runtime::none())),
        Type::Enum(_)
        | Type::Bool
        | Type::Char
        | Type::WChar
        | Type::Int { .. }
        | Type::Float
        | Type::Double => {
            quote!(::epy_runtime::to_py(r))
        }
        Type::Struct(s) => {
            let idx = Literal::usize_unsuffixed(cx.struct_index(s));
            quote!(::epy_runtime::struct_val_to_py(cx, &r as *const _ as *const ::core::ffi::c_void, #idx))
        }
        Type::Pointer { pointee, is_const } => match (&**pointee, string_pointee(ret, None)) {
            (_, Some(Encoding::Utf16)) => quote!(::epy_runtime::wstr_to_py(r as *const u16)),
            (_, Some(enc)) => {
                let e = encoding(enc);
                quote!(::epy_runtime::str_to_py(r as *const ::core::ffi::c_char, #e))
            }
            (Type::Struct(s), None) => {
                let idx = Literal::usize_unsuffixed(cx.struct_index(s));
                quote!(::epy_runtime::struct_ptr_to_py(cx, r as *const ::core::ffi::c_void, #idx, #is_const))
            }
            _ => quote!(::epy_runtime::ptr_to_py(r as *const ::core::ffi::c_void)),
        },
        Type::FnPtr(_) => quote!(::epy_runtime::ptr_to_py(
            r.map_or(::core::ptr::null(), |f| f as *const ::core::ffi::c_void)
        )),
        _ => quote!(::epy_runtime::ptr_to_py(r as *const ::core::ffi::c_void)),
    }
}

/// The invoker around its conversions (`value`: the Python result from `r`): host function
/// pointers and the host's own functions (`host_fns.rs`).
pub(super) fn wrap(
    name: Ident,
    abi: Literal,
    ptypes: Vec<TokenStream>,
    ret: TokenStream,
    converts: Vec<TokenStream>,
    args: Vec<Ident>,
    value: TokenStream,
) -> TokenStream {
    quote! {
        unsafe fn #name(
            cx: &::epy_runtime::Shared,
            fnptr: *const ::core::ffi::c_void,
            args: &[*mut ::epy_runtime::ffi::PyObject],
        ) -> ::epy_runtime::PyResult<::epy_runtime::Obj> {
            let _ = cx;
            unsafe {
                let f: unsafe extern #abi fn(#(#ptypes),*) #ret = ::core::mem::transmute(fnptr);
                #(#converts)*
                let r = ::epy_runtime::without_gil(|| f(#(#args),*));
                #value
            }
        }
    }
}
