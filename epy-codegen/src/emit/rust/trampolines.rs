//! Python callables as C function pointers (`epy_runtime::marshal::trampoline`):
//! per prototype of the callback table a body (C arguments → Python, call,
//! result → C) and, when it takes callables without user data, a pool of
//! distinct `extern` trampolines; per host function with a user-data
//! parameter, one trampoline per function-pointer parameter that finds its
//! callable through the user data. Also the invoker's side: what a Python
//! argument for a function pointer becomes.
use super::stubs::{arg_to_py, error_value, ret_from_py};
use super::types::{Lookup, abi};
use crate::callables::user_data_params;
use crate::error::Result;
use crate::model::{Function, Loc, Signature, Type};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// A callback prototype seen as a function (for the shared conversions).
fn as_function(name: &str, sig: &Signature) -> Function {
    Function {
        name: name.to_owned(),
        sig: sig.clone(),
        doc: None,
        loc: Loc::default(),
        on_error: sig.on_error.clone(),
        ret_encoding: None,
        returns_handle: false,
        releases: None,
        returns_descriptor: None,
        extern_decl: false,
    }
}

/// Everything generated for the callback table.
pub fn emit_trampolines(cx: &Lookup) -> Result<TokenStream> {
    let mut out = Vec::new();
    for (k, (name, sig)) in cx.callbacks.iter().enumerate() {
        let needs_body = cx.pooled[k] > 0 || used_via_user_data(cx, k);
        if sig.variadic || !needs_body {
            continue;
        }
        out.push(body(cx, k, name, sig)?);
        if cx.pooled[k] > 0 {
            out.push(pool(cx, k, name, sig));
        }
    }
    for (k, (_, sig)) in cx.callbacks.iter().enumerate() {
        if let Some((_, via)) = user_data_params(sig) {
            for j in via {
                out.push(user_data_trampoline(cx, ud_name(k, j), sig, j));
            }
        }
    }
    for (k, f) in cx.host_fns.iter().enumerate() {
        if let Some((_, via)) = user_data_params(&f.sig) {
            for j in via {
                out.push(user_data_trampoline(cx, host_ud_name(k, j), &f.sig, j));
            }
        }
    }
    Ok(quote!(#(#out)*))
}

/// Is prototype `k` the type of a parameter taking callables through user data?
fn used_via_user_data(cx: &Lookup, k: usize) -> bool {
    let host = cx.host_fns.iter().map(|f| &f.sig);
    cx.callbacks.iter().map(|(_, s)| s).chain(host).any(|s| {
        user_data_params(s).is_some_and(|(_, via)| {
            via.iter().any(|&j| match &s.params[j].ty {
                Type::FnPtr(p) => cx.callback_index(p) == Some(k),
                _ => false,
            })
        })
    })
}

/// The C parameter list `a0: T0, …` of a prototype.
fn params(cx: &Lookup, sig: &Signature, prefix: &str) -> (Vec<TokenStream>, Vec<Ident>) {
    sig.params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let id = format_ident!("{}{}", prefix, i);
            let ty = cx.rust_param(&p.ty);
            (quote!(#id: #ty), id)
        })
        .unzip()
}

fn ret_type(cx: &Lookup, sig: &Signature) -> TokenStream {
    match &sig.ret {
        Type::Void => quote!(()),
        t => cx.rust_param(t),
    }
}

/// `unsafe fn __epy_cbody_k(cx, func, user, a0, …) -> PyResult<R>`: the
/// arguments to Python (the user-data pointer as the script's own object),
/// the callable, its result to C.
fn body(cx: &Lookup, k: usize, name: &str, sig: &Signature) -> Result<TokenStream> {
    let f = as_function(name, sig);
    let fname = format_ident!("__epy_cbody_{}", k);
    let (ps, _) = params(cx, sig, "a");
    let r = ret_type(cx, sig);
    // Pool calls give no closure: the pointer is looked up (an address
    // that is not one of ours stays an int).
    let ud = sig.user_data_or_only();
    let mut converts = Vec::new();
    let mut names = Vec::new();
    let mut releases = Vec::new();
    for i in 0..sig.params.len() {
        let a = format_ident!("a{}", i);
        let o = format_ident!("o{}", i);
        let (expr, release) = if Some(i) == ud {
            (
                quote!(match user {
                    ::core::option::Option::Some(c) => c.user(),
                    ::core::option::Option::None => ::epy_runtime::user_data_to_py(cx, #a as *mut ::core::ffi::c_void),
                }),
                false,
            )
        } else {
            arg_to_py(cx, &f, i, &a)?
        };
        converts.push(quote!(let #o = #expr?;));
        names.push(o.clone());
        releases.push(if release {
            quote!(::epy_runtime::release_arg(#o);)
        } else {
            quote!(::core::mem::drop(#o);)
        });
    }
    let result = match &sig.ret {
        // No per-export slot keeps a returned object alive here: the
        // script returns an address it keeps valid itself.
        Type::Pointer { .. } | Type::Array { .. } => quote! {
            let res = res?;
            ::epy_runtime::ptr_from_py(res.as_ptr()).map(|p| p as _)
        },
        Type::FnPtr(s) => {
            let pool = cx.pool_of(s);
            quote! {
                let res = res?;
                let p = ::epy_runtime::fnptr_from_py(cx, res.as_ptr(), #pool)?;
                ::core::result::Result::Ok(::core::mem::transmute::<*mut ::core::ffi::c_void, _>(p))
            }
        }
        _ => ret_from_py(cx, &f, &Literal::usize_unsuffixed(0)),
    };
    Ok(quote! {
        unsafe fn #fname(
            cx: &::epy_runtime::Cx,
            func: *mut ::epy_runtime::ffi::PyObject,
            user: ::core::option::Option<&::epy_runtime::Closure>,
            #(#ps),*
        ) -> ::epy_runtime::PyResult<#r> {
            let _ = user;
            unsafe {
                #(#converts)*
                let args = [#(#names),*];
                let res = cx.call(func, &args);
                let [#(#names),*] = args;
                #(#releases)*
                #result
            }
        }
    })
}

/// The pool of prototype `k`: `__epy_pool_k::<J>` for each slot (distinct
/// functions), the slot table, and the function they share.
fn pool(cx: &Lookup, k: usize, name: &str, sig: &Signature) -> TokenStream {
    let abi = abi(sig.conv);
    let (ps, args) = params(cx, sig, "a");
    let ret = cx.ret(&sig.ret);
    let f = as_function(name, sig);
    let on_error = error_value(cx, &f);
    let tramp = format_ident!("__epy_pool_{}", k);
    let shared = format_ident!("__epy_poolcall_{}", k);
    let bodyf = format_ident!("__epy_cbody_{}", k);
    let slots = format_ident!("__EPY_POOL_SLOTS_{}", k);
    let pool = Lookup::pool_static(k);
    let n = cx.pooled[k];
    let nlit = Literal::usize_unsuffixed(n);
    let kl = Literal::usize_unsuffixed(k);
    let label = Literal::string(name);
    let fns = (0..n).map(|j| {
        let j = Literal::usize_unsuffixed(j);
        quote!(::epy_runtime::FnAddr(#tramp::<#j> as *const ()))
    });
    quote! {
        unsafe extern #abi fn #tramp<const J: usize>(#(#ps),*) #ret {
            unsafe { #shared(J, #(#args),*) }
        }
        #[inline(never)]
        unsafe fn #shared(j: usize, #(#ps),*) #ret {
            __EPY_PLUGIN.call_callback(#kl, #on_error, |cx| unsafe {
                let (c, func) = ::epy_runtime::pool_closure(cx, &#pool, j)?;
                #bodyf(cx, c.func(func), ::core::option::Option::None, #(#args),*)
            })
        }
        static #slots: [::epy_runtime::Slot; #nlit] = [const { ::epy_runtime::Slot::new() }; #nlit];
        static #pool: ::epy_runtime::Pool = ::epy_runtime::Pool::new(#label, &#slots, &[#(#fns),*]);
    }
}

fn ud_name(k: usize, j: usize) -> Ident {
    format_ident!("__epy_ud_{}_{}", k, j)
}

/// The user-data trampoline of parameter `j` of the script's host function `k`.
pub(super) fn host_ud_name(k: usize, j: usize) -> Ident {
    format_ident!("__epy_hud_{}_{}", k, j)
}

/// The trampoline the host gets for parameter `j` of host function `k`
/// (which has a user-data parameter): the callable is in the closure the
/// host hands back; a destroy parameter releases the closure after its call.
fn user_data_trampoline(cx: &Lookup, name: Ident, sig: &Signature, j: usize) -> TokenStream {
    let Type::FnPtr(proto) = &sig.params[j].ty else {
        return quote!();
    };
    let Some(pk) = cx.callback_index(proto) else {
        return quote!();
    };
    let pu = proto.user_data_or_only().unwrap_or(0);
    let abi = abi(proto.conv);
    let (ps, args) = params(cx, proto, "b");
    let ret = cx.ret(&proto.ret);
    let f = as_function(&cx.callbacks[pk].0, proto);
    let on_error = error_value(cx, &f);
    let bodyf = format_ident!("__epy_cbody_{}", pk);
    let bu = format_ident!("b{}", pu);
    let jl = Literal::usize_unsuffixed(j);
    let pkl = Literal::usize_unsuffixed(pk);
    let release = sig
        .destroy_params()
        .contains(&j)
        .then(|| quote!(::epy_runtime::closure_release(cx, c);));
    quote! {
        unsafe extern #abi fn #name(#(#ps),*) #ret {
            __EPY_PLUGIN.call_callback(#pkl, #on_error, |cx| unsafe {
                let c = ::epy_runtime::closure_at(cx, #bu as *mut ::core::ffi::c_void)?;
                let func = c.func(#jl);
                let res = if func.is_null() {
                    ::core::result::Result::Ok(#on_error)
                } else {
                    #bodyf(cx, func, ::core::option::Option::Some(c), #(#args),*)
                };
                #release
                res
            })
        }
    }
}

/// The invoker's conversion of argument `i` (a function pointer) of host
/// function `k`, when a Python callable may be passed: `None` when the
/// plain pointer conversion applies.
pub fn invoker_fnptr(cx: &Lookup, k: usize, sig: &Signature, i: usize) -> Option<TokenStream> {
    let il = Literal::usize_unsuffixed(i);
    fnptr_arg(cx, sig, i, quote!(args[#il]), |j| ud_name(k, j))
}

/// `invoker_fnptr` for any function calling the host: `src` is the Python
/// argument, `ud(j)` the user-data trampoline of parameter `j`.
pub(super) fn fnptr_arg(
    cx: &Lookup,
    sig: &Signature,
    i: usize,
    src: TokenStream,
    ud: impl Fn(usize) -> Ident,
) -> Option<TokenStream> {
    let Type::FnPtr(proto) = &sig.params[i].ty else {
        return None;
    };
    let a = format_ident!("a{}", i);
    let il = Literal::usize_unsuffixed(i);
    let via_user_data = user_data_params(sig).is_some_and(|(_, via)| via.contains(&i))
        && cx.callback_index(proto).is_some();
    let callable = if via_user_data {
        let t = ud(i);
        quote!({ bind.bind(#il, #src); ::core::option::Option::Some(#t) })
    } else {
        let pk = cx.callback_index(proto)?;
        if cx.pooled[pk] == 0 {
            return None;
        }
        let pool = Lookup::pool_static(pk);
        quote!(::core::mem::transmute::<*const ::core::ffi::c_void, _>(bind.pool(#il, #src, &#pool)?))
    };
    let ty = cx.rust_param(&sig.params[i].ty);
    Some(quote! {
        let mut #a: #ty = match ::epy_runtime::fnptr_value(#src)? {
            ::core::option::Option::Some(p) => ::core::mem::transmute::<*mut ::core::ffi::c_void, _>(p),
            ::core::option::Option::None => #callable,
        };
    })
}

/// Does host function `sig` bind callables (so its invoker needs a `Binding`)?
pub fn invoker_binds(cx: &Lookup, k: usize, sig: &Signature) -> bool {
    (0..sig.params.len()).any(|i| invoker_fnptr(cx, k, sig, i).is_some())
}

/// After the arguments are converted: the destroy parameters get epy's
/// trampoline and the user-data parameter the closure, when a callable
/// was bound; without a user-data parameter the closure is kept until the
/// plugin unloads.
pub fn invoker_finish(k: usize, sig: &Signature) -> TokenStream {
    let ul = user_data_params(sig).map(|(u, _)| Literal::usize_unsuffixed(u));
    finish_binding(sig, quote!(args[#ul]), |j| ud_name(k, j))
}

/// `invoker_finish` for any function calling the host: `src` is the
/// Python argument of the user-data parameter, `ud(j)` as for `fnptr_arg`.
pub(super) fn finish_binding(
    sig: &Signature,
    src: TokenStream,
    ud: impl Fn(usize) -> Ident,
) -> TokenStream {
    let Some((u, via)) = user_data_params(sig) else {
        return quote!(bind.finish(););
    };
    let au = format_ident!("a{}", u);
    let destroys = sig
        .destroy_params()
        .into_iter()
        .filter(|d| via.contains(d))
        .map(|d| {
            let ad = format_ident!("a{}", d);
            let t = ud(d);
            quote!(if #ad.is_none() { #ad = ::core::option::Option::Some(#t); })
        });
    quote! {
        let #au = if bind.active() {
            #(#destroys)*
            bind.user(#src);
            bind.finish() as _
        } else {
            ::epy_runtime::ptr_from_py(#src)? as _
        };
    }
}

/// Whether parameter `i` of host function `sig` is its user-data pointer
/// (converted by `invoker_finish`).
pub fn is_user_data_param(sig: &Signature, i: usize) -> bool {
    user_data_params(sig).is_some_and(|(u, _)| u == i)
}
