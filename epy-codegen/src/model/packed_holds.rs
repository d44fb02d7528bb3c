//! Records a packed record holds by value. Rust refuses a `#[repr(align)]`
//! type inside a `#[repr(packed)]` one (E0588), so a record held by a
//! packed record is emitted `#[repr(C, packed(N))]` with N its own alignment
//! (the same layout as `#[repr(C)]` when its fields give it that alignment),
//! and a record they do not (an aligned attribute, bitfields stored as
//! bytes) is refused here, at the packed record's field, instead of failing
//! the plugin's build.
use super::{Interface, Type};
use crate::{Diagnostic, Errors, Result};
use std::collections::HashSet;

/// The structs held by value, directly or through other structs and
/// arrays, by some packed struct (not the packed ones themselves).
pub fn held_by_packed(iface: &Interface) -> HashSet<String> {
    let mut held = HashSet::new();
    let mut todo: Vec<&str> = iface
        .structs
        .iter()
        .filter(|s| s.packed)
        .flat_map(|s| s.fields.iter().filter_map(|f| by_value(&f.ty)))
        .collect();
    while let Some(name) = todo.pop() {
        let Some(s) = iface.struct_named(name) else {
            continue;
        };
        if s.packed || !held.insert(name.to_owned()) {
            continue;
        }
        todo.extend(s.fields.iter().filter_map(|f| by_value(&f.ty)));
    }
    held
}

/// An error at each packed struct's field holding (through arrays and
/// structs) a struct whose alignment its fields do not give it.
pub fn check_packed_holds(iface: &Interface, target: Option<&str>) -> Result<()> {
    let t = crate::triple::of(target);
    let abi = Abi {
        pointer: if crate::triple::is_32bit(&t) { 4 } else { 8 },
        // 32-bit x86 System V aligns 8-byte scalars to 4 in records.
        align64: if crate::triple::is_x86_32(&t) && !crate::triple::is_windows(&t) {
            4
        } else {
            8
        },
    };
    let held = held_by_packed(iface);
    let mut errors = Vec::new();
    for p in iface.structs.iter().filter(|s| s.packed) {
        for f in &p.fields {
            let Some(inner) = by_value(&f.ty) else {
                continue;
            };
            // The first over-aligned struct along what this field holds.
            let mut seen = HashSet::new();
            let mut todo = vec![inner];
            while let Some(name) = todo.pop() {
                let Some(s) = iface.struct_named(name) else {
                    continue;
                };
                if s.packed || !seen.insert(name) || !held.contains(name) {
                    continue;
                }
                let fields = natural_align(iface, s, &abi);
                if fields != s.align.max(1) {
                    let via = if name == inner {
                        String::new()
                    } else {
                        format!(" (inside `{inner}`)")
                    };
                    errors.push(Diagnostic::at(
                        f.loc.clone(),
                        format!(
                            "packed record `{}` holds `{name}`{via} by value, which is aligned to {} \
                             where its fields give {fields} (an aligned attribute, or bitfields): the \
                             generated Rust cannot lay a type aligned beyond its fields out inside a \
                             packed one (rustc E0588); hold it by pointer, pack `{name}` too \
                             (`[structs.{name}] packed = true`) or drop its aligned attribute",
                            p.name, s.align
                        ),
                    ));
                    break;
                }
                todo.extend(s.fields.iter().filter_map(|f| by_value(&f.ty)));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

/// Pointer width and the alignment of 8-byte scalars in records.
struct Abi {
    pointer: usize,
    align64: usize,
}

/// The alignment `s`'s fields give it as epy emits them (bitfield runs are
/// byte arrays).
fn natural_align(iface: &Interface, s: &super::Struct, abi: &Abi) -> usize {
    s.fields
        .iter()
        .map(|f| {
            if f.bits.is_some() {
                1
            } else {
                align_of(iface, &f.ty, abi)
            }
        })
        .max()
        .unwrap_or(1)
}

fn align_of(iface: &Interface, ty: &Type, abi: &Abi) -> usize {
    match ty {
        Type::Void | Type::Bool | Type::Char => 1,
        Type::WChar => 2,
        Type::Int { bits: 64, .. } | Type::Double => abi.align64,
        Type::Int { bits, .. } => usize::from(*bits / 8).max(1),
        Type::Float => 4,
        Type::Pointer { .. } | Type::FnPtr(_) => abi.pointer,
        Type::Array { elem, .. } => align_of(iface, elem, abi),
        Type::Struct(n) => iface.struct_named(n).map_or(1, |s| s.align.max(1)),
        Type::Enum(n) => iface
            .enum_named(n)
            .map_or(4, |e| align_of(iface, &e.repr, abi)),
    }
}

/// The struct a field of this type holds by value.
fn by_value(ty: &Type) -> Option<&str> {
    match ty {
        Type::Struct(name) => Some(name),
        Type::Array { elem, .. } => by_value(elem),
        _ => None,
    }
}
