//! Where Python callables become C function pointers (the plan's tables,
//! which both emitters read): which prototypes of the callback table get a pool of
//! trampolines, and which parameters of a host function take a callable
//! through its user data.
use crate::model::{Interface, POOL_DEFAULT, POOL_FIELDS, Signature, Type};

/// Per entry of the callback table: how many pool trampolines its
/// prototype gets (0: none; `pool` in the annotations overrides it).
/// Prototypes a script hands the host directly — parameters of host
/// functions (the callback table), function pointers exports return — get
/// `POOL_DEFAULT`; those only reached as fields of the structs host
/// functions take (`sqlite3_module`, but also an API table such as
/// `sqlite3_api_routines`) get `POOL_FIELDS`.
///
/// None at all when a pack's native code makes the entry points
/// (`[pack] rust`, sqlite): the script then defines no export and calls no
/// host function, so no callable of its can reach the host through a
/// pointer (the pack registers Python objects through its own C functions).
pub(crate) fn pooled(iface: &Interface, table: &[(String, Signature)]) -> Vec<usize> {
    if iface.native_rust.is_some() {
        return vec![0; table.len()];
    }
    let mut direct: Vec<&Signature> = Vec::new();
    let mut fields: Vec<&Signature> = Vec::new();
    let mut structs: Vec<&str> = Vec::new();
    for (_, sig) in table {
        let via = user_data_params(sig)
            .map(|(_, via)| via)
            .unwrap_or_default();
        for (i, p) in sig.params.iter().enumerate() {
            match &p.ty {
                // Served by the host function's user data instead.
                Type::FnPtr(_) if via.contains(&i) => {}
                Type::FnPtr(s) => direct.push(s),
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
            direct.push(s);
        }
    }
    let descriptor = |n: &str| iface.descriptors.iter().any(|d| d.name == n);
    for s in &iface.structs {
        if structs.contains(&s.name.as_str()) && !descriptor(&s.name) {
            for f in &s.fields {
                if let Type::FnPtr(sig) = &f.ty {
                    fields.push(sig);
                }
            }
        }
    }
    table
        .iter()
        .map(|(_, s)| {
            let default = if direct.contains(&s) {
                POOL_DEFAULT
            } else if fields.contains(&s) {
                POOL_FIELDS
            } else {
                0
            };
            if s.variadic {
                0
            } else {
                s.pool.unwrap_or(default)
            }
        })
        .collect()
}

/// For a host function of signature `sig`: the user-data parameter and
/// the function-pointer parameters that take a Python callable through it,
/// if `sig` has one. Those are the parameters whose prototype has a
/// user-data parameter too (`Signature::user_data`), and the destroy
/// callbacks `keep = "until:…"` names (`Signature::user_data_or_only`);
/// `user-data = false` on a function-pointer parameter keeps it out.
pub(crate) fn user_data_params(sig: &Signature) -> Option<(usize, Vec<usize>)> {
    let u = sig.user_data()?;
    let destroys = sig.destroy_params();
    let via: Vec<usize> = sig
        .params
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            let Type::FnPtr(s) = &p.ty else {
                return false;
            };
            let ud = if destroys.contains(i) {
                s.user_data_or_only()
            } else {
                s.user_data()
            };
            !s.variadic && p.user_data != Some(false) && ud.is_some()
        })
        .map(|(i, _)| i)
        .collect();
    (!via.is_empty()).then_some((u, via))
}

/// Appends the prototypes of function-pointer parameters of the table's
/// own entries (`xFunc` of a host function), named `<entry>_<param>`, so a
/// Python callable can be passed there; first occurrence wins.
pub(crate) fn add_nested(table: &mut Vec<(String, Signature)>) {
    let mut i = 0;
    while i < table.len() {
        let (name, sig) = table[i].clone();
        for p in &sig.params {
            if let Type::FnPtr(s) = &p.ty {
                if !table.iter().any(|(_, t)| t == &**s) {
                    table.push((format!("{name}_{}", p.name), (**s).clone()));
                }
            }
        }
        i += 1;
    }
}
