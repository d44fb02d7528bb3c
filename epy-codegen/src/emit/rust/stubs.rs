//! One `#[unsafe(export_name = "...")]` export stub per exported function: C arguments →
//! Python objects, the script's function, the result → C, and the declared
//! error value whenever anything fails.
use super::structs::doc_attr;
use super::types::{Lookup, abi, encoding, int_value, scalar_kind, string_pointee};
use crate::error::{Diagnostic, Result};
use crate::model::{ErrorValue, Function, Role, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

pub fn emit_export(cx: &Lookup, f: &Function, index: usize) -> Result<TokenStream> {
    if f.sig.variadic {
        return Err(Diagnostic::at(
            f.loc.clone(),
            format!(
                "`{}` is variadic (`...`): a Python plugin cannot export it",
                f.name
            ),
        )
        .into());
    }
    let abi = abi(f.sig.conv);
    let export_name = Literal::string(&f.name);
    let rust_name = format_ident!("__epy_export_{}", index);
    let idx = Literal::usize_unsuffixed(index);
    let params = c_params(cx, f, "a");
    let mut converts = Vec::new();
    let mut names = Vec::new();
    let mut releases = Vec::new();
    for i in 0..f.sig.params.len() {
        if matches!(f.sig.params[i].role, Some(Role::Output { .. })) {
            continue; // written from the script's result, below
        }
        let a = format_ident!("a{}", i);
        let o = format_ident!("o{}", i);
        let (expr, release) = arg_to_py(cx, f, i, &a)?;
        converts.push(quote!(let #o = #expr?;));
        names.push(o.clone());
        releases.push(if release {
            quote!(::epy_runtime::release_arg(#o);)
        } else {
            quote!(::core::mem::drop(#o);)
        });
    }
    let release_handle = release_handle(f);
    let output = output_params(f).or_else(|| rewrite_param(f));
    let ret_ty = cx.ret(&f.sig.ret);
    let result = ret_from_py(cx, f, &idx);
    let on_error = error_value(cx, f);
    let doc = doc_attr(f.doc.as_deref());
    // A returned struct may be an argument's view (`return b`): take its
    // address before the arguments are released.
    let early = matches!(&f.sig.ret, Type::Pointer { pointee, .. } if matches!(**pointee, Type::Struct(_)))
        && output.is_none()
        && f.returns_descriptor.is_none()
        && !f.returns_handle;
    let (before, result) = if early {
        // A closure: its `?` must not skip the releases.
        let ret = quote!(let ret = (|| { #result })(););
        (Some(ret), quote!(ret))
    } else {
        (None, result)
    };
    Ok(quote! {
        #doc
        #[unsafe(export_name = #export_name)]
        pub extern #abi fn #rust_name(#(#params),*) #ret_ty {
            __EPY_PLUGIN.call(#idx, #on_error, |cx, func| unsafe {
                #(#converts)*
                let args = [#(#names),*];
                let res = cx.call(func, &args);
                let [#(#names),*] = args;
                #before
                #(#releases)*
                #release_handle
                #output
                #result
            })
        }
    })
}

/// The handle a `releases` function ends: dropped whatever the script did.
pub(super) fn release_handle(f: &Function) -> Option<TokenStream> {
    let r = f.releases.as_ref()?;
    let i = f.sig.params.iter().position(|p| &p.name == r)?;
    let a = format_ident!("a{}", i);
    Some(quote!(cx.release_handle(#a as usize);))
}

/// The C parameter list `a0: T0, a1: T1, …` (named with `prefix`).
pub(super) fn c_params(cx: &Lookup, f: &Function, prefix: &str) -> Vec<TokenStream> {
    let params = f.sig.params.iter().enumerate();
    params
        .map(|(i, p)| {
            let id = format_ident!("{}{}", prefix, i);
            let ty = cx.rust_param(&p.ty);
            quote!(#id: #ty)
        })
        .collect()
}

/// For a function with output string buffers: the texts of the script's
/// result go into them, the value (if any) stays in `res`.
fn output_params(f: &Function) -> Option<TokenStream> {
    let bufs: Vec<TokenStream> = f
        .sig
        .params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let Some(Role::Output { capacity }) = p.role else {
                return None;
            };
            let (a, n) = (format_ident!("a{}", i), format_ident!("a{}", capacity));
            let enc = encoding(
                string_pointee(&p.ty, p.encoding).unwrap_or(crate::model::Encoding::Utf8),
            );
            let name = &p.name;
            Some(quote! {
                ::epy_runtime::OutBuf { ptr: #a as *mut ::core::ffi::c_void, cap: #n as usize, enc: #enc, name: #name }
            })
        })
        .collect();
    if bufs.is_empty() {
        return None;
    }
    let with_value = f.sig.ret != Type::Void;
    let name = &f.name;
    Some(quote! {
        let res = res.and_then(|r| ::epy_runtime::output_strs(r, &[#(#bufs),*], #with_value, #name));
    })
}

/// For a function that may replace a string parameter in place: the text of
/// a `(value, text)` result goes into it, the value stays in `res`.
fn rewrite_param(f: &Function) -> Option<TokenStream> {
    let (i, p, capacity) = f
        .sig
        .params
        .iter()
        .enumerate()
        .find_map(|(i, p)| match p.role {
            Some(Role::Rewrite { capacity }) => Some((i, p, capacity)),
            _ => None,
        })?;
    let a = format_ident!("a{}", i);
    let cap = Literal::usize_unsuffixed(capacity);
    let enc = encoding(string_pointee(&p.ty, p.encoding).unwrap_or(crate::model::Encoding::Utf8));
    let (name, with_value) = (&p.name, f.sig.ret != Type::Void);
    let func = &f.name;
    Some(quote! {
        let res = res.and_then(|r| ::epy_runtime::rewrite_str(r, &::epy_runtime::OutBuf { ptr: #a as *mut ::core::ffi::c_void, cap: #cap, enc: #enc, name: #name }, #with_value, #func));
    })
}

/// An export the host requires but the script does not define: it returns
/// the error value (nothing for `void`) without starting Python.
pub fn emit_noop(cx: &Lookup, f: &Function, index: usize) -> TokenStream {
    let abi = abi(f.sig.conv);
    let export_name = Literal::string(&f.name);
    let rust_name = format_ident!("__epy_noop_{}", index);
    let params = c_params(cx, f, "_a");
    let ret_ty = cx.ret(&f.sig.ret);
    let value = error_value(cx, f);
    quote! {
        /// Not defined by the script; the interface requires the export.
        #[unsafe(export_name = #export_name)]
        pub extern #abi fn #rust_name(#(#params),*) #ret_ty {
            #value
        }
    }
}

/// The expression converting argument `i` (and whether it is a view or
/// buffer to invalidate after the call).
pub(super) fn arg_to_py(
    cx: &Lookup,
    f: &Function,
    i: usize,
    a: &proc_macro2::Ident,
) -> Result<(TokenStream, bool)> {
    let p = &f.sig.params[i];
    match p.role {
        Some(Role::Handle { optional }) => {
            return Ok((
                quote!(::epy_runtime::handle_to_py(cx, #a as usize, #optional)),
                false,
            ));
        }
        Some(Role::Output { .. }) => {
            return Err(Diagnostic::at(
                f.loc.clone(),
                format!("`{}`: output buffers are for exported functions", f.name),
            )
            .into());
        }
        Some(Role::Ptr) => return Ok((super::typed_ptr::arg(cx, &p.ty, a), true)),
        // Passed as any string; the result may rewrite it (`rewrite_param`).
        Some(Role::Rewrite { .. }) => {}
        Some(Role::Argv { count }) => {
            let n = format_ident!("a{}", count);
            let e = encoding(p.encoding.unwrap_or(crate::model::Encoding::Utf8));
            return Ok((
                quote!(::epy_runtime::argv_to_py(#n as i64, #a as *const *const ::core::ffi::c_char, #e)),
                false,
            ));
        }
        Some(Role::Strv) => {
            let e = encoding(p.encoding.unwrap_or(crate::model::Encoding::Utf8));
            return Ok((
                quote!(::epy_runtime::strv_to_py(#a as *const *const ::core::ffi::c_char, #e)),
                false,
            ));
        }
        Some(Role::StringList) => {
            let enc = string_pointee(&p.ty, p.encoding).unwrap_or(crate::model::Encoding::Utf8);
            let e = encoding(enc);
            return Ok((
                quote!(::epy_runtime::str_list_to_py(#a as *const ::core::ffi::c_void, #e)),
                false,
            ));
        }
        None => {}
    }
    if let Some(len) = &p.length {
        let n = format_ident!(
            "a{}",
            f.sig
                .params
                .iter()
                .position(|q| &q.name == len)
                .unwrap_or(0)
        );
        let (elem, readonly) = match &p.ty {
            Type::Pointer { pointee, is_const } => (&**pointee, *is_const),
            Type::Array { elem, .. } => (&**elem, false),
            _ => (&Type::Void, true),
        };
        let kind = buffer_kind(cx, elem);
        return Ok((
            quote!(::epy_runtime::buffer_to_py(cx, #a as *mut ::core::ffi::c_void, #n as usize, #kind, #readonly)),
            true,
        ));
    }
    if let Some(enc) = string_pointee(&p.ty, p.encoding) {
        let e = encoding(enc);
        return Ok(if matches!(enc, crate::model::Encoding::Utf16) {
            (quote!(::epy_runtime::wstr_to_py(#a as *const u16)), false)
        } else {
            (
                quote!(::epy_runtime::str_to_py(#a as *const ::core::ffi::c_char, #e)),
                false,
            )
        });
    }
    Ok(match &p.ty {
        Type::Void => (
            quote!(::epy_runtime::PyResult::Ok(::epy_runtime::none())),
            false,
        ),
        Type::Enum(e) => {
            let idx = Literal::usize_unsuffixed(cx.enum_index(e));
            (
                quote!(::epy_runtime::enum_to_py(cx, #idx, #a as i64)),
                false,
            )
        }
        Type::Struct(s) => {
            let idx = Literal::usize_unsuffixed(cx.struct_index(s));
            (
                quote!(::epy_runtime::struct_val_to_py(cx, &#a as *const _ as *const ::core::ffi::c_void, #idx)),
                false,
            )
        }
        Type::Pointer { pointee, is_const } => match &**pointee {
            Type::Struct(s) => {
                let idx = Literal::usize_unsuffixed(cx.struct_index(s));
                (
                    quote!(::epy_runtime::struct_ptr_to_py(cx, #a as *const ::core::ffi::c_void, #idx, #is_const)),
                    true,
                )
            }
            _ => (
                quote!(::epy_runtime::ptr_to_py(#a as *const ::core::ffi::c_void)),
                false,
            ),
        },
        Type::Array { .. } => (
            quote!(::epy_runtime::ptr_to_py(#a as *const ::core::ffi::c_void)),
            false,
        ),
        Type::FnPtr(sig) => {
            let idx = Literal::usize_unsuffixed(cx.callback_index(sig).unwrap_or(0));
            (
                quote!(::epy_runtime::callback_to_py(cx, #a.map_or(::core::ptr::null(), |f| f as *const ::core::ffi::c_void), #idx)),
                false,
            )
        }
        scalar => {
            let t = cx.rust(scalar);
            (quote!(::epy_runtime::to_py::<#t>(#a)), false)
        }
    })
}

/// The memoryview element kind of a buffer of `elem` (bytes if not a number).
fn buffer_kind(cx: &Lookup, elem: &Type) -> TokenStream {
    match elem {
        Type::Char => Some(quote!(::epy_runtime::Kind::U8)),
        Type::Enum(e) => scalar_kind(&cx.enum_repr(e)),
        other => scalar_kind(other),
    }
    .unwrap_or(quote!(::epy_runtime::Kind::U8))
}

/// The expression turning `res` (the script's result) into the C return value.
pub(super) fn ret_from_py(cx: &Lookup, f: &Function, idx: &Literal) -> TokenStream {
    let ty = &f.sig.ret;
    if let Some(d) = &f.returns_descriptor {
        let fill = format_ident!("__epy_fill_{}", d);
        return quote! {
            ::epy_runtime::descriptor_from_py(cx, res?, #fill).map(|p| p as _)
        };
    }
    if f.returns_handle {
        return quote! {
            ::epy_runtime::handle_from_py(cx, res?).map(|h| h as *mut ::core::ffi::c_void as _)
        };
    }
    if let Some(enc) = string_pointee(ty, f.ret_encoding) {
        let e = encoding(enc);
        return quote!(::epy_runtime::str_from_py(cx, #idx, res?, #e).map(|p| p as _));
    }
    match ty {
        Type::Void => quote!(res.map(::core::mem::drop)),
        Type::Enum(e) => {
            let t = cx.rust(&cx.enum_repr(e));
            quote!(::epy_runtime::from_py::<#t>(res?))
        }
        Type::Struct(s) => {
            let sidx = Literal::usize_unsuffixed(cx.struct_index(s));
            let t = cx.rust(ty);
            quote! {
                let res = res?;
                let mut out = ::core::mem::MaybeUninit::<#t>::zeroed();
                ::epy_runtime::struct_val_from_py(cx, res.as_ptr(), #sidx, out.as_mut_ptr() as *mut ::core::ffi::c_void)?;
                ::core::result::Result::Ok(out.assume_init())
            }
        }
        Type::Pointer { .. } | Type::Array { .. } => quote! {
            // The object a returned pointer points into stays alive until
            // this export returns again.
            let res = res?;
            let p = ::epy_runtime::ptr_from_py(res.as_ptr())?;
            cx.keep_return(#idx, res);
            ::core::result::Result::Ok(p as _)
        },
        Type::FnPtr(sig) => {
            let pool = cx.pool_of(sig);
            quote! {
            let res = res?;
            let p = ::epy_runtime::fnptr_from_py(cx, res.as_ptr(), #pool)?;
            ::core::result::Result::Ok(::core::mem::transmute::<*mut ::core::ffi::c_void, _>(p))
            }
        }
        scalar => {
            let t = cx.rust(scalar);
            quote!(::epy_runtime::from_py::<#t>(res?))
        }
    }
}

/// The value returned to the host when anything fails: the annotation's
/// `on-error`, else 0 / 0.0 / false / NULL / all-zero.
pub(super) fn error_value(cx: &Lookup, f: &Function) -> TokenStream {
    let ty = match &f.sig.ret {
        Type::Enum(e) => cx.enum_repr(e),
        t => t.clone(),
    };
    let int = match f.on_error {
        Some(ErrorValue::Int(v)) => v,
        Some(ErrorValue::Float(x)) => x as i64,
        None => 0,
    };
    match &ty {
        Type::Void => quote!(()),
        Type::Bool => {
            let b = int != 0;
            quote!(#b)
        }
        Type::Float | Type::Double => {
            let x = match f.on_error {
                Some(ErrorValue::Float(x)) => x,
                _ => int as f64,
            };
            let t = cx.rust(&ty);
            if x.is_finite() {
                let lit = Literal::f64_unsuffixed(x);
                quote!(#lit as #t)
            } else {
                let bits = Literal::u64_suffixed(x.to_bits());
                quote!(f64::from_bits(#bits) as #t)
            }
        }
        Type::Int { .. } => int_value(int, &ty),
        // `c_char` is signed on some targets, unsigned on others.
        Type::Char if (0..128).contains(&int) => int_value(int, &ty),
        Type::Char => {
            let lit = Literal::i64_suffixed(int);
            quote!(#lit as ::core::ffi::c_char)
        }
        Type::WChar => int_value(
            int,
            &Type::Int {
                bits: 16,
                signed: false,
            },
        ),
        Type::Pointer { .. } | Type::Array { .. } if int != 0 => {
            // An address such as Windows' INVALID_HANDLE_VALUE (-1).
            let lit = Literal::i64_suffixed(int);
            quote!(#lit as usize as *mut ::core::ffi::c_void as _)
        }
        Type::Pointer { .. } | Type::Array { .. } => {
            quote!(::core::ptr::null_mut::<::core::ffi::c_void>() as _)
        }
        Type::FnPtr(_) => quote!(::core::option::Option::None),
        Type::Struct(_) | Type::Enum(_) => quote!(unsafe { ::core::mem::zeroed() }),
    }
}
