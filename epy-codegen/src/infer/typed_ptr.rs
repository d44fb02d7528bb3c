//! The `pointer` rule: a parameter pointer no other rule marshals — to a
//! number (`uint32_t *outframe`), or to a pointer (`T **out`) — becomes a
//! typed `Ptr[T]`. Only parameters of exported functions: the pointer is
//! lent for the call. (Descriptor methods such as LADSPA's `connect_port`
//! get pointers a plugin keeps, which stay addresses.)
use crate::model::{Function, Role, Type};

fn is_number(t: &Type) -> bool {
    matches!(
        t,
        Type::Int { .. } | Type::Float | Type::Double | Type::Bool | Type::Enum(_)
    )
}

/// Whether `ty` is a pointer the rule types: to a number, or to a pointer
/// whose pointee is not a function or an array.
pub(crate) fn is_typed(ty: &Type) -> bool {
    let Type::Pointer { pointee, .. } = ty else {
        return false;
    };
    match &**pointee {
        t if is_number(t) => true,
        inner @ Type::Pointer { .. } => inner_ok(inner),
        _ => false,
    }
}

fn inner_ok(ty: &Type) -> bool {
    let Type::Pointer { pointee, .. } = ty else {
        return false;
    };
    match &**pointee {
        Type::Array { .. } | Type::FnPtr(_) => false,
        inner @ Type::Pointer { .. } => inner_ok(inner),
        _ => true,
    }
}

/// The rule for parameter `i` of `f`, applied.
pub(super) fn param(f: &mut Function, i: usize) -> Option<(&'static str, String)> {
    let p = &mut f.sig.params[i];
    if p.role.is_some() || p.length.is_some() || p.encoding.is_some() || !is_typed(&p.ty) {
        return None;
    }
    // `const char **out`: the host's out-string, which host functions
    // return as a `str` (`emit::rust::host_fns`).
    let out_string = match &p.ty {
        Type::Pointer { pointee, .. } => {
            matches!(&**pointee, Type::Pointer { pointee: c, is_const: true } if **c == Type::Char)
        }
        _ => false,
    };
    if out_string {
        return None;
    }
    p.role = Some(Role::Ptr);
    let ty = crate::model::typed_ptr::py_type(&p.ty);
    Some((
        "pointer",
        format!("{ty}: `.value` is the pointee, `.array(n)` n elements; None for NULL"),
    ))
}
