//! Where Python callables become C function pointers (both emitters agree
//! on it): which prototypes of the callback table get a pool of
//! trampolines, and which parameters of a host function take a callable
//! through its user data.
use crate::model::{Interface, Signature, Type};

/// Per entry of the callback table: does the prototype get a pool of
/// trampolines? Those a script can hand the host: parameters of host
/// functions (the callback table), function pointers the exports return,
/// and fields of the structs host functions take (`sqlite3_module`).
pub(crate) fn pooled(iface: &Interface, table: &[(String, Signature)]) -> Vec<bool> {
    let mut wanted: Vec<&Signature> = Vec::new();
    let mut structs: Vec<&str> = Vec::new();
    for (_, sig) in table {
        let via = user_data_params(sig)
            .map(|(_, via)| via)
            .unwrap_or_default();
        for (i, p) in sig.params.iter().enumerate() {
            match &p.ty {
                // Served by the host function's user data instead.
                Type::FnPtr(_) if via.contains(&i) => {}
                Type::FnPtr(s) => wanted.push(s),
                Type::Pointer { pointee, .. } => {
                    if let Type::Struct(n) = &**pointee {
                        structs.push(n);
                    }
                }
                Type::Struct(n) => structs.push(n),
                _ => {}
            }
        }
    }
    for f in &iface.functions {
        if let Type::FnPtr(s) = &f.sig.ret {
            wanted.push(s);
        }
    }
    let descriptor = |n: &str| iface.descriptors.iter().any(|d| d.name == n);
    for s in &iface.structs {
        if structs.contains(&s.name.as_str()) && !descriptor(&s.name) {
            for f in &s.fields {
                if let Type::FnPtr(sig) = &f.ty {
                    wanted.push(sig);
                }
            }
        }
    }
    table
        .iter()
        .map(|(_, s)| !s.variadic && s.pool_size() > 0 && wanted.contains(&s))
        .collect()
}

/// For a host function of signature `sig`: the user-data parameter and
/// the function-pointer parameters that take a Python callable through it
/// (their prototype has a user-data parameter too), if `sig` has one.
pub(crate) fn user_data_params(sig: &Signature) -> Option<(usize, Vec<usize>)> {
    let u = sig.user_data()?;
    let via: Vec<usize> = sig
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(&p.ty, Type::FnPtr(s) if !s.variadic && s.user_data().is_some()))
        .map(|(i, _)| i)
        .collect();
    (!via.is_empty()).then_some((u, via))
}
