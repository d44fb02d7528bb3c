//! The `strings` rule: a `const char **` / `char **` parameter of an
//! exported function that can only be an array of strings the host passes
//! in — the outer pointer `const` (`const char *const names[]`), or named
//! like a list (`argv`, `envp`, `azKeep`, a plural such as `keys`) — is a
//! `list[str]`: of the length an integer beside it names (`keys, keys_num`,
//! `items, labels`), else up to its NULL entry. Out-strings (`const char
//! **pzTail`, `user`, `termPtr`) keep their shape, and so does a list
//! beside an integer named like a count of something else (sqlite's
//! `nParam, azParam` holds 2·`nParam` strings): nothing is guessed.
use super::names;
use crate::model::{Function, Role, Type};

/// Whether `ty` is `char **` / `const char **` (either pointer `const`),
/// and whether the outer pointer is `const`.
fn strings_ptr(ty: &Type) -> Option<bool> {
    let Type::Pointer { pointee, is_const } = ty else {
        return None;
    };
    matches!(&**pointee, Type::Pointer { pointee: c, .. } if **c == Type::Char).then_some(*is_const)
}

/// The index of an integer parameter beside `i` (after it, else before it)
/// that counts its strings; `Err` when an integer beside it is named like a
/// count of something else.
fn count(f: &Function, i: usize) -> Result<Option<usize>, ()> {
    let list = &f.sig.params[i].name;
    let beside = [i + 1, i.wrapping_sub(1)];
    let ints = beside.iter().filter_map(|&j| {
        let p = f.sig.params.get(j)?;
        (matches!(p.ty, Type::Int { .. }) && p.role.is_none()).then_some((j, &p.name))
    });
    let mut other = false;
    for (j, n) in ints {
        if names::is_strings_count(n, list) {
            return Ok(Some(j));
        }
        other |= names::is_count_like(n);
    }
    if other { Err(()) } else { Ok(None) }
}

/// The rule for parameter `i` of `f`, applied.
pub(super) fn param(f: &mut Function, i: usize) -> Option<(&'static str, String)> {
    let p = &f.sig.params[i];
    if p.role.is_some() || p.length.is_some() || p.encoding.is_some() {
        return None;
    }
    let outer_const = strings_ptr(&p.ty)?;
    if !outer_const && !names::is_string_list(&p.name) {
        return None;
    }
    let (role, result) = match count(f, i).ok()? {
        Some(n) => (
            Role::Argv { count: n },
            format!("list[str] of `{}` strings", f.sig.params[n].name),
        ),
        None => (Role::Strv, "list[str] up to its NULL entry".to_owned()),
    };
    f.sig.params[i].role = Some(role);
    Some(("strings", result))
}
