//! Annotations the generic path infers from unambiguous shapes of a header
//! read without a pack, each listed by `epy-codegen HEADER --explain` and
//! overridden by any annotation of the same parameter (an empty
//! `[functions.F.params.P]` table keeps `P` as declared); `--no-infer`
//! turns them off. Rules, for exported functions:
//! - `output-buffer`: a writable `char *` (or 16-bit character pointer)
//!   followed by an integer named like a capacity (`maxlen`, `size`, `cb`, …):
//!   the script returns the text, epy writes it.
//! - `bytes`: a `const char *` / `const void *` followed by an integer named
//!   like a length: a read-only memoryview of bytes (binary data intact).
//! - `array`: a `T *` of numbers followed by an integer named like a
//!   count: a memoryview of `T` (read-only for `const T *`).
//! - `argv`: `int argc, char **argv` (or `nargs`, `xc`/`xv` pairs): a
//!   `list[str]` of `argc` strings.
//! - `strings` (`strings.rs`): a `char **` / `const char **` that can only
//!   be strings passed in (outer pointer `const`, or named like a list:
//!   `argv`, `envp`, `azKeep`, `keys`): a `list[str]` of the count beside
//!   it, else up to its NULL entry.
//! - `out-value`: a writable pointer to one number (`int *pnArg`,
//!   `CK_ULONG_PTR pulCount`; not named like an array: `frames`, `buf`, …):
//!   a typed pointer, `Ptr[int]` (`out.value = 5`), `None` for NULL.
//! - `pointer` (`typed_ptr.rs`): any other pointer to a number, or pointer
//!   to a pointer, of an exported function: a typed `Ptr[T]` (`.value`,
//!   `.array(n)`), `None` for NULL, never an integer address.
//! - `descriptor` (`descriptor.rs`): a function returning a pointer to a
//!   struct with function-pointer fields returns a descriptor built from the
//!   script's object, whose methods the host calls through those fields.
//! - `on-error` (`on_error.rs`): a function returning an enum whose members
//!   named like an error (`…ERR…`, `…FAIL…`) share one non-zero value
//!   returns it when the script raises, not 0.
//! - `utf16` (in `crate::clang`): a typedef named like a 16-bit character
//!   (`WCHAR`, `char16_t`, `Tcl_UniChar`, …) of 16 bits: UTF-16 strings.
mod descriptor;
pub mod names;
mod on_error;
mod strings;
mod typed_ptr;

use crate::annotations::Annotations;
use crate::model::{Function, Inferred, Interface, Role, Type};

/// Applies the parameter rules to every function of `iface` that the
/// annotations (if any) leave alone.
pub fn apply(iface: &mut Interface, ann: Option<&Annotations>) {
    let mut found = Vec::new();
    for f in iface.functions.iter_mut().filter(|f| !f.sig.variadic) {
        for i in 0..f.sig.params.len() {
            if annotated(ann, &f.name, &f.sig.params[i].name) {
                continue;
            }
            if let Some((rule, result)) = param(f, i)
                .or_else(|| strings::param(f, i))
                .or_else(|| typed_ptr::param(f, i))
            {
                found.push(Inferred {
                    rule,
                    subject: format!("{}({})", f.name, f.sig.params[i].name),
                    result,
                    loc: f.loc.clone(),
                });
            }
        }
    }
    for fi in 0..iface.functions.len() {
        let f = &iface.functions[fi];
        let named = ann.is_some_and(|a| {
            a.file.functions.keys().any(|k| *k.get_ref() == f.name)
                || a.file.structs.keys().any(|k| !k.get_ref().is_empty())
        });
        if !f.sig.variadic && !named {
            descriptor::apply(iface, fi, &mut found);
        }
    }
    on_error::apply(iface, &mut found);
    iface.inferred.extend(found);
}

/// Whether the annotations say anything about parameter `p` of `f`.
fn annotated(ann: Option<&Annotations>, f: &str, p: &str) -> bool {
    let Some(a) = ann else { return false };
    a.file
        .functions
        .iter()
        .filter(|(name, _)| name.get_ref() == f)
        .any(|(_, fa)| fa.params.keys().any(|k| k.get_ref() == p))
}

/// The index of the `argc` before parameter `i` when `i` is its `char **argv`.
fn argv_count(f: &Function, i: usize) -> Option<usize> {
    let p = &f.sig.params[i];
    let Type::Pointer { pointee, .. } = &p.ty else {
        return None;
    };
    if !matches!(&**pointee, Type::Pointer { pointee: c, .. } if **c == Type::Char) {
        return None;
    }
    let prev = f.sig.params.get(i.checked_sub(1)?)?;
    let ok = matches!(prev.ty, Type::Int { .. }) && names::is_argc(&prev.name, &p.name);
    ok.then_some(i - 1)
}

fn is_number(t: &Type) -> bool {
    matches!(
        t,
        Type::Int { .. } | Type::Float | Type::Double | Type::Bool | Type::Enum(_)
    )
}

/// One rule for parameter `i` of `f`, applied: (rule, what it became).
fn param(f: &mut Function, i: usize) -> Option<(&'static str, String)> {
    let p = &f.sig.params[i];
    if p.role.is_some() || p.length.is_some() || p.encoding.is_some() {
        return None;
    }
    if let Some(count) = argv_count(f, i) {
        let n = f.sig.params[count].name.clone();
        f.sig.params[i].role = Some(Role::Argv { count });
        return Some(("argv", format!("list[str] of `{n}` strings")));
    }
    let Type::Pointer { pointee, is_const } = &p.ty else {
        return None;
    };
    let Some(next) = f
        .sig
        .params
        .get(i + 1)
        .filter(|n| matches!(n.ty, Type::Int { .. }) && n.role.is_none())
    else {
        return out_value(f, i);
    };
    let n = next.name.clone();
    let length = names::is_length(&n, &p.name);
    // Not a buffer a function fills: memory it reallocates and returns.
    let fills = !matches!(f.sig.ret, Type::Pointer { .. });
    let (rule, result) = match (&**pointee, *is_const) {
        (Type::Char | Type::WChar, false) if fills && names::is_capacity(&n) => {
            let what = if **pointee == Type::WChar {
                "UTF-16"
            } else {
                "UTF-8"
            };
            f.sig.params[i].role = Some(Role::Output { capacity: i + 1 });
            let result = format!(
                "output buffer of `{n}` characters: the script returns the text ({what}), epy writes it"
            );
            return Some(("output-buffer", result));
        }
        (Type::Char | Type::Void | Type::Int { bits: 8, .. }, true) if length => {
            ("bytes", format!("read-only memoryview of `{n}` bytes"))
        }
        (t, true) if is_number(t) && length => {
            ("array", format!("read-only memoryview of `{n}` elements"))
        }
        (t, false) if is_number(t) && length => {
            ("array", format!("writable memoryview of `{n}` elements"))
        }
        _ => return out_value(f, i),
    };
    f.sig.params[i].length = Some(n);
    Some((rule, result))
}

/// The `out-value` rule for parameter `i` of `f`.
fn out_value(f: &mut Function, i: usize) -> Option<(&'static str, String)> {
    let p = &mut f.sig.params[i];
    let Type::Pointer {
        pointee,
        is_const: false,
    } = &p.ty
    else {
        return None;
    };
    // `unsigned char *` is bytes of unknown length, not one number.
    let byte = matches!(**pointee, Type::Int { bits: 8, .. });
    if !is_number(pointee) || byte || !names::is_one(&p.name) {
        return None;
    }
    p.role = Some(Role::Ptr);
    let result = format!(
        "{} (`{}.value = v`), None for NULL",
        crate::model::typed_ptr::py_type(&p.ty),
        p.name
    );
    Some(("out-value", result))
}
