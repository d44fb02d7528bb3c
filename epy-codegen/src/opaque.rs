//! Opaque handles: a pointer to an incomplete struct (`lua_State *L`,
//! `pam_handle_t *pamh`) is the host's handle. Without a pack, and with
//! inference on, every such parameter — of exports, of the prototypes of
//! Python callables the host calls, of the host's functions — is a typed
//! handle (`Role::Ptr` on a `Param::opaque`): the script gets `Ptr[lua_State]`
//! (no `.value`, no `.array`), revoked when the call that lent it returns,
//! and hands it back to host functions, which refuse `None` for it.
use crate::annotations::Annotations;
use crate::model::{Interface, Role, Signature, Type};

/// Marks every opaque-handle parameter of `iface` a typed handle, or with
/// `on = false` (a pack, `--no-infer`) forgets which are: they stay addresses.
/// A function parameter the annotations name (even an empty
/// `[functions.F.params.P]`) stays an address too: `None` (NULL) passes.
pub(crate) fn apply(iface: &mut Interface, on: bool, ann: Option<&Annotations>) {
    for f in &mut iface.functions {
        let keep: Vec<bool> = (f.sig.params.iter())
            .map(|p| on && p.opaque.is_some() && annotated(ann, &f.name, &p.name))
            .collect();
        sig(&mut f.sig, on);
        // Annotated: still typed `Ptr[T] | None`, but an address that may be NULL.
        for (p, keep) in f.sig.params.iter_mut().zip(keep) {
            if keep && p.role == Some(Role::Ptr) {
                p.role = None;
            }
        }
    }
    for c in &mut iface.callbacks {
        sig(&mut c.sig, on);
    }
    for s in &mut iface.structs {
        for f in &mut s.fields {
            ty(&mut f.ty, on);
        }
    }
}

/// Whether the annotations have a table for parameter `p` of function `f`.
fn annotated(ann: Option<&Annotations>, f: &str, p: &str) -> bool {
    ann.is_some_and(|a| {
        (a.file.functions.iter())
            .filter(|(name, _)| name.get_ref() == f)
            .any(|(_, fa)| fa.params.keys().any(|k| k.get_ref() == p))
    })
}

fn sig(s: &mut Signature, on: bool) {
    for p in &mut s.params {
        let plain = p.role.is_none() && p.length.is_none() && p.encoding.is_none();
        if !on || !plain || p.user_data == Some(true) {
            p.opaque = None;
        } else if p.opaque.is_some() {
            p.role = Some(Role::Ptr);
        }
        ty(&mut p.ty, on);
    }
    ty(&mut s.ret, on);
}

fn ty(t: &mut Type, on: bool) {
    match t {
        Type::FnPtr(s) => sig(s, on),
        Type::Pointer { pointee, .. } => ty(pointee, on),
        Type::Array { elem, .. } => ty(elem, on),
        _ => {}
    }
}

/// The stub type of an opaque handle parameter (`Ptr[lua_State]`, or with
/// `None` when the annotations allow NULL), if `p` is one.
pub(crate) fn py_type(p: &crate::model::Param) -> Option<String> {
    match (&p.opaque, p.role) {
        (Some(name), Some(Role::Ptr)) => Some(format!("Ptr[{name}]")),
        (Some(name), None) => Some(format!("Ptr[{name}] | None")),
        _ => None,
    }
}

/// The names of the opaque types handles of `iface` point to, sorted.
pub(crate) fn names(iface: &Interface) -> Vec<String> {
    fn of_sig(s: &Signature, out: &mut Vec<String>) {
        for p in &s.params {
            if let Some(n) = &p.opaque {
                out.push(n.clone());
            }
            of_ty(&p.ty, out);
        }
        of_ty(&s.ret, out);
    }
    fn of_ty(t: &Type, out: &mut Vec<String>) {
        match t {
            Type::FnPtr(s) => of_sig(s, out),
            Type::Pointer { pointee, .. } => of_ty(pointee, out),
            Type::Array { elem, .. } => of_ty(elem, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    iface
        .functions
        .iter()
        .for_each(|f| of_sig(&f.sig, &mut out));
    iface
        .callbacks
        .iter()
        .for_each(|c| of_sig(&c.sig, &mut out));
    let fields = iface.structs.iter().flat_map(|s| &s.fields);
    fields.for_each(|f| of_ty(&f.ty, &mut out));
    out.sort();
    out.dedup();
    out
}

/// Python run in the stub module: a class per opaque type, so annotations
/// such as `Ptr[lua_State]` evaluate at run time as the stubs declare them.
pub(crate) fn layer(iface: &Interface) -> String {
    names(iface)
        .iter()
        .map(|n| format!("class {n}:\n    \"\"\"An opaque C type of the host.\"\"\"\n\n"))
        .collect()
}
