//! Descriptors (`[structs.NAME] descriptor = true`): a fill function that
//! builds the C struct from a Python object's attributes (named as the C
//! fields), and one trampoline per function-pointer field that calls the
//! receiver's Python method with the field's calling convention.
use super::stubs::{arg_to_py, c_params, error_value, release_handle, ret_from_py};
use super::types::{Lookup, abi, cstr, ident};
use crate::error::{Diagnostic, Result};
use crate::model::{Descriptor, Method, Receiver, Struct, Type};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The fill function and the trampolines of descriptor `d`, whose first
/// method has runtime index `first`.
pub fn emit_descriptor(cx: &Lookup, d: &Descriptor, first: usize) -> Result<TokenStream> {
    let Some(s) = cx.iface.struct_named(&d.name) else {
        return Err(Diagnostic::plain(format!("no struct `{}`", d.name)).into());
    };
    let mut items = Vec::new();
    let mut records = Vec::new();
    let name = ident(&s.name);
    let fill = format_ident!("__epy_fill_{}", s.name);
    let (mut scalars, mut arrays, mut methods) = (Vec::new(), Vec::new(), Vec::new());
    for f in &s.fields {
        let field = ident(&f.name);
        let attr = cstr(&f.name);
        if let Some(k) = d.methods.iter().position(|m| m.field == f.name) {
            let m = &d.methods[k];
            let tramp = format_ident!("__epy_method_{}", first + k);
            let mname = cstr(&m.name);
            methods.push(quote! {
                d.#field = if ::epy_runtime::has_attr(obj, #mname) { ::core::option::Option::Some(#tramp) } else { ::core::option::Option::None };
            });
            items.push(trampoline(cx, m, first + k)?);
            continue;
        }
        if let Some((_, len)) = d.lengths.iter().find(|(a, _)| *a == f.name) {
            let len = ident(len);
            let n = quote!(d.#len as usize);
            let Type::Pointer { pointee, .. } = &f.ty else {
                continue;
            };
            arrays.push(match &**pointee {
                Type::Pointer { pointee: c, .. } if matches!(**c, Type::Char) => {
                    quote!(d.#field = ::epy_runtime::attr_str_array(obj, #attr, #n)? as _;)
                }
                Type::Struct(r) => {
                    let rs = cx.iface.struct_named(r).expect("model struct");
                    let rec_fill = format_ident!("__epy_record_{}", r);
                    if !records.iter().any(|(n, _)| n == r) {
                        records.push((r.clone(), record_fill(cx, rs)?));
                    }
                    let rname = ident(r);
                    quote!(d.#field = ::epy_runtime::attr_records::<#rname>(cx, obj, #attr, #n, #rec_fill)? as _;)
                }
                scalar => {
                    let t = cx.rust(scalar);
                    quote!(d.#field = ::epy_runtime::attr_array::<#t>(obj, #attr, #n)? as _;)
                }
            });
            continue;
        }
        scalars.push(scalar_field(cx, s, &f.name, &f.ty)?);
    }
    let records = records.into_iter().map(|(_, t)| t);
    Ok(quote! {
        #(#records)*
        unsafe fn #fill(cx: &::epy_runtime::Cx, obj: *mut ::epy_runtime::ffi::PyObject) -> ::epy_runtime::PyResult<*mut ::core::ffi::c_void> {
            unsafe {
                // Lives as long as the process: the host keeps descriptor pointers.
                let mut d: ::std::boxed::Box<#name> = ::std::boxed::Box::new(::core::mem::zeroed());
                #(#scalars)*
                #(#arrays)*
                #(#methods)*
                ::core::result::Result::Ok(::std::boxed::Box::into_raw(d) as *mut ::core::ffi::c_void)
            }
        }
        #(#items)*
    })
}

/// One scalar, string or opaque-pointer field from `obj.<field>`.
fn scalar_field(cx: &Lookup, s: &Struct, fname: &str, ty: &Type) -> Result<TokenStream> {
    let field = ident(fname);
    let attr = cstr(fname);
    Ok(match ty {
        Type::Pointer { pointee, .. } if matches!(**pointee, Type::Char) => {
            quote!(d.#field = ::epy_runtime::attr_cstr(obj, #attr)? as _;)
        }
        // Opaque pointers (`ImplementationData`): NULL, the plugin's state
        // lives in Python.
        Type::Pointer { .. } | Type::FnPtr(_) => quote!(),
        Type::Int { .. } | Type::Float | Type::Double | Type::Bool | Type::Char => {
            let t = cx.rust(ty);
            quote!(d.#field = ::epy_runtime::attr_scalar::<#t>(obj, #attr)?;)
        }
        Type::Enum(e) => {
            let t = cx.rust(&cx.enum_repr(e));
            quote!(d.#field = ::core::mem::transmute(::epy_runtime::attr_scalar::<#t>(obj, #attr)?);)
        }
        other => {
            return Err(Diagnostic::plain(format!(
                "descriptor `{}`: field `{fname}` ({other:?}) cannot be filled from Python",
                s.name
            ))
            .into());
        }
    })
}

/// `unsafe fn __epy_record_T(cx, obj, out)`: a record of an array field.
fn record_fill(cx: &Lookup, s: &Struct) -> Result<TokenStream> {
    let name = ident(&s.name);
    let fill = format_ident!("__epy_record_{}", s.name);
    let fields = s
        .fields
        .iter()
        .map(|f| scalar_field(cx, s, &f.name, &f.ty))
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        unsafe fn #fill(cx: &::epy_runtime::Cx, obj: *mut ::epy_runtime::ffi::PyObject, out: *mut #name) -> ::epy_runtime::PyResult<()> {
            unsafe {
                let d = &mut *out;
                #(#fields)*
                ::core::result::Result::Ok(())
            }
        }
    })
}

/// The function the host calls through the field: receiver first, then the
/// other arguments, to the receiver's Python method.
fn trampoline(cx: &Lookup, m: &Method, index: usize) -> Result<TokenStream> {
    let f = &m.func;
    let abi = abi(f.sig.conv);
    let rust_name = format_ident!("__epy_method_{}", index);
    let idx = Literal::usize_unsuffixed(index);
    let params = c_params(cx, f, "a");
    let mut order: Vec<usize> = vec![m.receiver];
    order.extend((0..f.sig.params.len()).filter(|&i| i != m.receiver));
    let mut converts = Vec::new();
    let mut names = Vec::new();
    let mut releases = Vec::new();
    for &i in &order {
        let a = format_ident!("a{}", i);
        let o = format_ident!("o{}", i);
        let (expr, release) = if i == m.receiver && m.receiver_kind == Receiver::Descriptor {
            (
                quote!(::epy_runtime::descriptor_to_py(cx, #a as *const ::core::ffi::c_void)),
                false,
            )
        } else {
            arg_to_py(cx, f, i, &a)?
        };
        converts.push(quote!(let #o = #expr?;));
        names.push(o.clone());
        releases.push(if release {
            quote!(::epy_runtime::release_arg(#o);)
        } else {
            quote!(::core::mem::drop(#o);)
        });
    }
    let release_handle = release_handle(f);
    if matches!(f.sig.ret, Type::Pointer { .. }) && !f.returns_handle {
        return Err(Diagnostic::at(
            f.loc.clone(),
            format!("`{}` returns a pointer: mark it `returns-handle`", f.name),
        )
        .into());
    }
    let ret_ty = cx.ret(&f.sig.ret);
    let result = ret_from_py(cx, f, &idx);
    let on_error = error_value(cx, f);
    Ok(quote! {
        unsafe extern #abi fn #rust_name(#(#params),*) #ret_ty {
            __EPY_PLUGIN.call_method(#idx, #on_error, |cx| unsafe {
                #(#converts)*
                let args = [#(#names),*];
                let res = cx.call_method(#idx, &args);
                let [#(#names),*] = args;
                #(#releases)*
                #release_handle
                #result
            })
        }
    })
}
