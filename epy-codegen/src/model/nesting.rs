//! How deeply structs hold structs by value. rustc gives up on a chain of
//! about 128 structs each ending in the next ("reached the recursion limit
//! finding the struct tail"), so a deeper header is refused here, at the
//! struct, instead of failing the plugin's build.
use super::{Interface, Type};
use crate::{Diagnostic, Errors, Result};
use std::collections::HashMap;

/// Most levels of structs/unions held by value, the outermost included.
pub const MAX_NESTING: usize = 100;

/// An error at each struct that is the first to nest deeper than `MAX_NESTING`.
pub fn check_nesting(iface: &Interface) -> Result<()> {
    let index: HashMap<&str, usize> = iface
        .structs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    // The structs each one holds by value (directly or in arrays).
    let inner: Vec<Vec<usize>> = iface
        .structs
        .iter()
        .map(|s| {
            s.fields
                .iter()
                .filter_map(|f| by_value(&f.ty))
                .filter_map(|n| index.get(n).copied())
                .collect()
        })
        .collect();
    // Relaxation, capped just past the limit: no recursion (a chain can be
    // thousands long) and an end even if a pack made a cycle.
    let cap = MAX_NESTING + 1;
    let mut depth = vec![1usize; inner.len()];
    let mut changed = true;
    while changed {
        changed = false;
        for (i, held) in inner.iter().enumerate() {
            let d = held
                .iter()
                .map(|&j| depth[j] + 1)
                .max()
                .unwrap_or(1)
                .min(cap);
            if d > depth[i] {
                depth[i] = d;
                changed = true;
            }
        }
    }
    let errors: Vec<Diagnostic> = iface
        .structs
        .iter()
        .enumerate()
        .filter(|&(i, _)| depth[i] == cap && inner[i].iter().all(|&j| depth[j] < cap))
        .map(|(_, s)| {
            let msg = format!(
                "struct `{}` nests structs by value more than {MAX_NESTING} levels deep, which the generated Rust cannot compile (rustc's recursion limit): hold one level by pointer",
                s.name
            );
            Diagnostic::at(s.loc.clone(), msg)
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
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
