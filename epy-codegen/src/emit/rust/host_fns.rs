//! Functions of the host the script calls (declared in the header, not
//! defined by the script): one invoker each, like a callback's, except that
//! an out-string parameter (`const char **user`) is not passed from Python:
//! the invoker passes the address of a local and returns what the host
//! stored there, as `(result, str | None)`.
use super::callbacks::{convert_arg, convert_result};
use super::types::{Lookup, abi, cstr};
pub use crate::emit::host_params::is_out_str;
use crate::emit::host_params::passed;
use crate::model::{Function, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// `unsafe fn __epy_host_<index>(cx, fnptr, args)`.
pub fn emit_host_fn(cx: &Lookup, index: usize, f: &Function) -> TokenStream {
    let name = format_ident!("__epy_host_{}", index);
    let abi = abi(f.sig.conv);
    let ptypes: Vec<_> = f.sig.params.iter().map(|p| cx.rust_param(&p.ty)).collect();
    let ret = cx.ret(&f.sig.ret);
    let (mut converts, mut args, mut outs) = (Vec::new(), Vec::new(), Vec::new());
    let mut lens = Vec::new();
    // Python callables for function pointers, as an invoker takes them.
    let binds = super::host_callables::binds(cx, index, f);
    if binds {
        let n = Literal::usize_unsuffixed(f.sig.params.len());
        converts.push(quote!(let mut bind = ::epy_runtime::Binding::new(cx, #n);));
    }
    let mut from = 0usize;
    for (i, p) in f.sig.params.iter().enumerate() {
        let a = format_ident!("a{}", i);
        let k = format_ident!("k{}", i);
        if binds && super::trampolines::is_user_data_param(&f.sig, i) {
            from += 1;
        } else if let Some(conv) = super::host_callables::fnptr(cx, index, f, i) {
            converts.push(conv);
            from += 1;
        } else if crate::emit::host_params::is_derived(&f.sig, i) {
            // Set from its buffer, after every argument is converted.
        } else if let Some(li) = crate::emit::host_params::length_of(&f.sig, i) {
            let j = Literal::usize_unsuffixed(from);
            let n = format_ident!("n{}", i);
            let al = format_ident!("a{}", li);
            let lt = cx.rust_param(&f.sig.params[li].ty);
            converts.push(quote! {
                let mut #k = ::core::option::Option::None;
                let (#a, #n) = ::epy_runtime::sized_arg_from_py(args[#j], &mut #k)?;
                let #a = #a as _;
            });
            lens.push(quote! {
                let #al = match <#lt as ::core::convert::TryFrom<usize>>::try_from(#n) {
                    ::core::result::Result::Ok(n) => n,
                    ::core::result::Result::Err(_) => {
                        ::epy_runtime::ffi::PyErr_SetString(::epy_runtime::ffi::PyExc_OverflowError, c"buffer too long for its length parameter".as_ptr());
                        return ::core::result::Result::Err(::epy_runtime::PyErr);
                    }
                };
            });
            from += 1;
        } else if crate::emit::host_params::result_len(&f.sig) == Some(i) {
            let t = match &p.ty {
                Type::Pointer { pointee, .. } => cx.rust(pointee),
                _ => quote!(usize),
            };
            converts.push(quote! {
                let mut #k: #t = 0;
                let #a = &mut #k as *mut #t as _;
            });
        } else if is_out_str(p) {
            converts.push(quote! {
                let mut #k: *const ::core::ffi::c_char = ::core::ptr::null();
                let #a = &mut #k as *mut *const ::core::ffi::c_char as _;
            });
            outs.push(quote!(::epy_runtime::str_to_py(#k, ::epy_runtime::Encoding::Utf8)?));
        } else {
            let j = Literal::usize_unsuffixed(from);
            converts.push(convert_arg(cx, p, &a, &k, quote!(args[#j])));
            from += 1;
        }
        args.push(a);
    }
    converts.extend(lens);
    if binds {
        converts.push(super::host_callables::finish(index, f));
    }
    let result = match crate::emit::host_params::result_len(&f.sig) {
        // Exactly the bytes the host says, NULs included.
        Some(li) => {
            let k = format_ident!("k{}", li);
            quote! {
                if r.is_null() {
                    ::epy_runtime::PyResult::Ok(::epy_runtime::none())
                } else {
                    ::epy_runtime::Obj::from_owned(::epy_runtime::ffi::PyBytes_FromStringAndSize(r as *const ::core::ffi::c_char, #k as ::epy_runtime::ffi::Py_ssize_t))
                }
            }
        }
        None => convert_result(cx, &f.sig.ret),
    };
    let value = if outs.is_empty() {
        result
    } else {
        let mut items = Vec::new();
        if f.sig.ret != Type::Void {
            items.push(quote!(#result?));
        }
        items.extend(outs);
        if let [one] = &items[..] {
            return super::callbacks::wrap(
                name,
                abi,
                ptypes,
                ret,
                converts,
                args,
                quote!(::epy_runtime::PyResult::Ok(#one)),
            );
        }
        let n = Literal::isize_unsuffixed(items.len() as isize);
        let sets = items.iter().enumerate().map(|(i, item)| {
            let i = Literal::isize_unsuffixed(i as isize);
            quote!(::epy_runtime::ffi::PyTuple_SetItem(t.as_ptr(), #i, #item.into_ptr());)
        });
        quote! {{
            let t = ::epy_runtime::Obj::from_owned(::epy_runtime::ffi::PyTuple_New(#n))?;
            #(#sets)*
            ::epy_runtime::PyResult::Ok(t)
        }}
    };
    super::callbacks::wrap(name, abi, ptypes, ret, converts, args, value)
}

/// The `CallbackSpec` of host function `index` (`nargs` counts what Python passes).
pub fn host_fn_spec(index: usize, f: &Function) -> TokenStream {
    let name = cstr(&f.name);
    let nargs = (0..f.sig.params.len())
        .filter(|&i| passed(&f.sig, i))
        .count();
    let nargs = Literal::usize_unsuffixed(nargs);
    let invoke = format_ident!("__epy_host_{}", index);
    quote!(::epy_runtime::CallbackSpec { name: #name, nargs: #nargs, invoke: #invoke, pool: ::core::option::Option::None })
}
