//! Unsigned `#define`s keep their unsigned value (`LUA_MAXUNSIGNED`,
//! `(~(lua_Unsigned)0)`, is 2^64 - 1, not -1): an expression with an
//! unsigned operand (a cast to an unsigned type, a `u`-suffixed literal) has
//! an unsigned type in C, so a negative result is read modulo 2^width of the
//! widest such operand.
use clang::{Entity, EntityKind, TypeKind};
use std::collections::HashMap;

/// Typedef name → bit width, for the typedefs of unsigned integer types.
pub(super) fn typedefs(top: &[Entity]) -> HashMap<String, u32> {
    top.iter()
        .filter(|e| e.get_kind() == EntityKind::TypedefDecl)
        .filter_map(|e| {
            let ty = e.get_typedef_underlying_type()?.get_canonical_type();
            let unsigned = matches!(
                ty.get_kind(),
                TypeKind::UChar
                    | TypeKind::CharU
                    | TypeKind::UShort
                    | TypeKind::UInt
                    | TypeKind::ULong
                    | TypeKind::ULongLong
                    | TypeKind::UInt128
            );
            let bits = ty.get_sizeof().ok()? * 8;
            Some((e.get_name()?, bits as u32)).filter(|_| unsigned)
        })
        .collect()
}

/// The width of a cast to an unsigned type (`(lua_Unsigned)`, `(unsigned
/// char)`), from its type words; `None` for a signed or unknown one.
pub(super) fn cast(words: &[&str], typedefs: &HashMap<String, u32>) -> Option<u32> {
    if let [one] = words {
        if let Some(&bits) = typedefs.get(*one) {
            return Some(bits);
        }
    }
    if !words.contains(&"unsigned") {
        return None;
    }
    let longs = words.iter().filter(|w| **w == "long").count();
    Some(if words.contains(&"char") {
        8
    } else if words.contains(&"short") {
        16
    } else if longs > 0 {
        64
    } else {
        32
    })
}

/// The width of a `u`-suffixed integer literal (`0u`, `1UL`).
pub(super) fn literal(lit: &str) -> Option<u32> {
    let lower = lit.to_ascii_lowercase();
    if lower.starts_with('\'') || lower.starts_with("0x") && lower.contains('p') {
        return None;
    }
    let suffix: String = lower
        .chars()
        .rev()
        .take_while(|c| matches!(c, 'u' | 'l'))
        .collect();
    suffix
        .contains('u')
        .then(|| if suffix.contains('l') { 64 } else { 32 })
}

/// `v` as an unsigned value of `bits` bits (C's conversion to unsigned).
pub(super) fn wrap(v: i128, bits: u32) -> i128 {
    if bits >= 128 {
        return v;
    }
    v & ((1i128 << bits) - 1)
}
