//! What Python passes to a host function, for both emitters: not an
//! out-string (`const char **user`, returned after the result), nor the
//! length of a buffer (`lua_pushlstring(L, s, len)`, inferred or annotated
//! `length`): the script passes one `bytes`/`str` value and the length comes
//! from it (`epy_runtime::sized_arg_from_py`), never from the script.
use crate::model::{Param, Role, Signature, Type};

/// For parameter `i` of a host function: the index of its length
/// parameter, when `i` is a byte buffer with one.
pub(crate) fn length_of(sig: &Signature, i: usize) -> Option<usize> {
    let p = &sig.params[i];
    let name = p.length.as_deref()?;
    if !is_bytes_ptr(p) || matches!(p.role, Some(Role::Output { .. })) {
        return None;
    }
    let li = sig.params.iter().position(|q| q.name == name)?;
    matches!(sig.params[li].ty, Type::Int { .. }).then_some(li)
}

/// Whether parameter `i` is the length of a buffer (`length_of`).
pub(crate) fn is_derived(sig: &Signature, i: usize) -> bool {
    (0..sig.params.len()).any(|j| length_of(sig, j) == Some(i))
}

/// A `const` pointer to bytes: `char`, `void` or 8-bit integers.
fn is_bytes_ptr(p: &Param) -> bool {
    let Type::Pointer {
        pointee,
        is_const: true,
    } = &p.ty
    else {
        return false;
    };
    matches!(
        **pointee,
        Type::Char | Type::Void | Type::Int { bits: 8, .. }
    )
}

/// `const char **p` (the outer pointer writable, the string not, no length
/// or role from the annotations): the host stores a string pointer through it.
pub fn is_out_str(p: &Param) -> bool {
    let Type::Pointer {
        pointee,
        is_const: false,
    } = &p.ty
    else {
        return false;
    };
    matches!(&**pointee, Type::Pointer { pointee, is_const: true } if **pointee == Type::Char)
        && p.length.is_none()
        && p.role.is_none()
}

/// Whether Python passes parameter `i` of a host function.
pub fn passed(sig: &Signature, i: usize) -> bool {
    !is_out_str(&sig.params[i]) && !is_derived(sig, i) && result_len(sig) != Some(i)
}

/// A `const char *` result whose length the host stores through a
/// `size_t *len` parameter (`lua_tolstring(L, idx, &len)`): that parameter,
/// which Python does not pass; the result is `bytes` of exactly that length.
pub fn result_len(sig: &Signature) -> Option<usize> {
    let is_cstr =
        matches!(&sig.ret, Type::Pointer { pointee, is_const: true } if **pointee == Type::Char);
    if !is_cstr {
        return None;
    }
    let mut lens = sig.params.iter().enumerate().filter(|(_, p)| {
        let out_int = matches!(&p.ty, Type::Pointer { pointee, is_const: false }
            if matches!(**pointee, Type::Int { bits: 32 | 64, signed: false }));
        let named = ["len", "length", "size", "sz", "plen", "lenp"]
            .contains(&p.name.to_lowercase().as_str());
        out_int && named && p.length.is_none() && matches!(p.role, None | Some(Role::Ptr))
    });
    match (lens.next(), lens.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}
