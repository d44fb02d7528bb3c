//! The `descriptor` rule: a function returning a pointer to a struct with
//! function-pointer fields (`lv2_descriptor`, `gdb_init_reader` style) returns
//! a descriptor filled from the Python object the script returns; each
//! function-pointer field whose receiver is clear calls a method of it:
//! - a parameter pointing to the struct itself: the object (a method that
//!   returns `void *` then makes a handle: `instantiate`);
//! - else, when some method makes handles, a first `void *` parameter: the
//!   object that method returned (`run(LV2_Handle instance, …)`), released
//!   by a `void` method named like `cleanup`/`destroy`/`free`/`close`.
//!
//! Other function-pointer fields stay NULL, listed by `--explain`. As with
//! packs, a field is set only if the returned object has the method: the
//! usual script returns a class whose classmethod `instantiate` makes the
//! instances the handle methods run on (tests/scripts/descriptor.py).
use crate::model::{Descriptor, Function, Inferred, Interface, Method, Receiver, Role, Type};

const RELEASERS: &[&str] = &[
    "cleanup", "destroy", "free", "release", "close", "fini", "deinit",
];

fn is_ptr_to(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Pointer { pointee, .. } if **pointee == Type::Struct(name.to_owned()))
}

fn is_void_ptr(ty: &Type) -> bool {
    matches!(ty, Type::Pointer { pointee, .. } if **pointee == Type::Void)
}

/// Whether the fill function can set every field from Python.
fn fillable(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Int { .. }
            | Type::Float
            | Type::Double
            | Type::Bool
            | Type::Char
            | Type::Enum(_)
            | Type::Pointer { .. }
            | Type::FnPtr(_)
    )
}

/// Applies the rule to function `fi` of `iface` (not annotated).
pub(super) fn apply(iface: &mut Interface, fi: usize, found: &mut Vec<Inferred>) {
    let f = &iface.functions[fi];
    if f.returns_descriptor.is_some() || f.returns_handle {
        return;
    }
    let Type::Pointer { pointee, .. } = &f.sig.ret else {
        return;
    };
    let Type::Struct(sname) = &**pointee else {
        return;
    };
    let sname = sname.clone();
    let (fname, floc) = (f.name.clone(), f.loc.clone());
    if iface.descriptor_named(&sname).is_none() {
        let Some(d) = descriptor(iface, &sname, found) else {
            return;
        };
        iface.descriptors.push(d);
    }
    iface.functions[fi].returns_descriptor = Some(sname.clone());
    found.push(Inferred {
        rule: "descriptor",
        subject: format!("{fname}()"),
        result: format!("returns a `{sname}` filled from the object the script returns"),
        loc: floc,
    });
}

/// The descriptor of struct `sname`, if it has a method with a receiver.
fn descriptor(iface: &Interface, sname: &str, found: &mut Vec<Inferred>) -> Option<Descriptor> {
    let s = iface.struct_named(sname)?;
    if !s.fields.iter().all(|f| fillable(&f.ty)) || s.is_union {
        return None;
    }
    let fn_fields: Vec<_> = s
        .fields
        .iter()
        .filter_map(|f| match &f.ty {
            Type::FnPtr(sig) => Some((f, (**sig).clone())),
            _ => None,
        })
        .collect();
    let method = |field: &crate::model::Field, sig: &crate::model::Signature| Function {
        name: format!("{sname}.{}", field.name),
        sig: sig.clone(),
        doc: field.doc.clone(),
        loc: field.loc.clone(),
        on_error: None,
        ret_encoding: None,
        returns_handle: false,
        releases: None,
        returns_descriptor: None,
    };
    let mut methods = Vec::new();
    let mut left = Vec::new();
    for (field, sig) in &fn_fields {
        let Some(r) = sig.params.iter().position(|p| is_ptr_to(&p.ty, sname)) else {
            left.push((*field, sig));
            continue;
        };
        let mut func = method(field, sig);
        func.returns_handle = is_void_ptr(&sig.ret);
        if matches!(sig.ret, Type::Pointer { .. }) && !func.returns_handle {
            left.push((*field, sig));
            continue;
        }
        methods.push(Method {
            field: field.name.clone(),
            name: field.name.clone(),
            func,
            receiver: r,
            receiver_kind: Receiver::Descriptor,
        });
    }
    let makes_handles = methods.iter().any(|m| m.func.returns_handle);
    let mut skipped = Vec::new();
    for (field, sig) in left {
        let handle_first = sig.params.first().is_some_and(|p| is_void_ptr(&p.ty));
        if !makes_handles || !handle_first || matches!(sig.ret, Type::Pointer { .. }) {
            skipped.push(field.name.clone());
            continue;
        }
        let mut func = method(field, sig);
        func.sig.params[0].role = Some(Role::Handle { optional: false });
        if sig.ret == Type::Void && RELEASERS.contains(&field.name.to_lowercase().as_str()) {
            func.releases = Some(func.sig.params[0].name.clone());
        }
        methods.push(Method {
            field: field.name.clone(),
            name: field.name.clone(),
            func,
            receiver: 0,
            receiver_kind: Receiver::Handle,
        });
    }
    if methods.is_empty() {
        return None;
    }
    for m in &methods {
        let p = &m.func.sig.params[m.receiver].name;
        let what = match (m.receiver_kind, m.func.returns_handle, &m.func.releases) {
            (Receiver::Descriptor, true, _) => {
                format!(
                    "method `{}` of the object (`{p}`); what it returns is the handle",
                    m.name
                )
            }
            (Receiver::Descriptor, false, _) => {
                format!("method `{}` of the object (`{p}`)", m.name)
            }
            (Receiver::Handle, _, Some(_)) => {
                format!("method `{}` of the handle `{p}`, which it releases", m.name)
            }
            (Receiver::Handle, _, None) => format!("method `{}` of the handle `{p}`", m.name),
        };
        found.push(Inferred {
            rule: "descriptor",
            subject: format!("{sname}.{}", m.field),
            result: what,
            loc: m.func.loc.clone(),
        });
    }
    for name in skipped {
        let loc = s
            .fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.loc.clone());
        found.push(Inferred {
            rule: "descriptor",
            subject: format!("{sname}.{name}"),
            result: "NULL: no parameter says which object it belongs to".into(),
            loc: loc.unwrap_or_default(),
        });
    }
    Some(Descriptor {
        name: sname.to_owned(),
        lengths: vec![],
        methods,
    })
}
