//! Lowering a `Plan` to files: `rust` (the cdylib crate) and `python` (the
//! `.pyi` stubs). The tables both must agree on (callbacks, Python-visible
//! structs) come from the plan; the helpers here are what both lower alike
//! (bitfield storage units, the header's name).
pub mod python;
pub mod rust;

use crate::model::{Field, Interface};

/// The header's file name, as far as the model knows it.
pub(crate) fn header_name(iface: &Interface) -> String {
    if !iface.header.is_empty() {
        return iface.header.clone();
    }
    let from_loc = [
        iface.functions.first().map(|f| &f.loc),
        iface.structs.first().map(|s| &s.loc),
        iface.enums.first().map(|e| &e.loc),
        iface.callbacks.first().map(|c| &c.loc),
        iface.constants.first().map(|c| &c.loc),
    ];
    from_loc
        .into_iter()
        .flatten()
        .find_map(|l| l.file.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.h", iface.module))
}

/// Where Python reads and writes bitfield `f` of a record of `size` bytes:
/// `(byte offset, unit bytes)` of the narrowest 1/2/4/8-byte integer that
/// starts at or before the byte of its first bit, holds all its bits and
/// lies inside the record. Narrowest, so that writing it never rewrites a
/// neighbouring member's bytes (C forbids that of compilers too). `None`
/// when no unit fits (a packed record's wide field straddling an odd number
/// of bytes near its end): Python does not see that field.
pub(crate) fn bit_unit(f: &Field, size: usize) -> Option<(usize, usize)> {
    let (bit, width) = f.bits?;
    let end = bit + usize::from(width);
    [1, 2, 4, 8].into_iter().find_map(|n| {
        (0..=bit / 8)
            .rev()
            .find(|&at| end <= (at + n) * 8 && at + n <= size)
            .map(|at| (at, n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Loc, Type};

    fn field(name: &str, ty: Type, offset: usize, bits: Option<(usize, u8)>) -> Field {
        Field {
            name: name.into(),
            ty,
            offset,
            bits,
            doc: None,
            loc: Loc::default(),
        }
    }

    const U32: Type = Type::Int {
        bits: 32,
        signed: false,
    };

    #[test]
    fn bit_units_are_the_narrowest_inside_the_record() {
        // `char c; unsigned b : 5;`: b lives in byte 1 only.
        assert_eq!(bit_unit(&field("b", U32, 0, Some((8, 5))), 4), Some((1, 1)));
        // 20 bits from bit 32: bytes 4..7, read as a u32 at 4.
        assert_eq!(
            bit_unit(&field("d", U32, 4, Some((32, 20))), 8),
            Some((4, 4))
        );
        // Near the end of a record a wide unit starts earlier.
        assert_eq!(
            bit_unit(&field("e", U32, 4, Some((44, 12))), 7),
            Some((5, 2))
        );
        assert_eq!(
            bit_unit(&field("e", U32, 4, Some((36, 20))), 7),
            Some((3, 4))
        );
        // 30 bits over five bytes of a 7-byte packed record: no unit fits.
        assert_eq!(bit_unit(&field("w", U32, 1, Some((12, 30))), 7), None);
    }
}
