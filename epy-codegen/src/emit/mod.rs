//! Lowering the interface model to files: `rust` (the cdylib crate) and
//! `python` (the `.pyi` stubs). The two must agree on which callback
//! signatures and which structs Python sees; those tables are computed here.
pub(crate) mod callables;
pub mod python;
pub mod rust;

use crate::model::{Encoding, Field, Interface, Signature, Struct, Type};

/// Every callback signature Python can meet: the header's typedefs first,
/// then inline function-pointer types of parameters and struct fields (named
/// `<function>_<param>` / `<struct>_<field>`), first occurrence wins.
pub(crate) fn callback_table(iface: &Interface) -> Vec<(String, Signature)> {
    let mut table: Vec<(String, Signature)> = iface
        .callbacks
        .iter()
        .map(|c| (c.name.clone(), c.sig.clone()))
        .collect();
    let mut note = |ty: &Type, name: String| {
        if let Type::FnPtr(sig) = ty {
            if !table.iter().any(|(_, s)| s == &**sig) {
                table.push((name, (**sig).clone()));
            }
        }
    };
    for f in &iface.functions {
        for p in &f.sig.params {
            note(&p.ty, format!("{}_{}", f.name, p.name));
        }
    }
    for s in &iface.structs {
        for fld in &s.fields {
            note(&fld.ty, format!("{}_{}", s.name, fld.name));
        }
    }
    callables::add_nested(&mut table);
    table
}

/// The structs Python sees as classes, in interface order: all but the
/// synthesized types of anonymous members (`union { … };`), whose fields
/// Python reaches through the parent. Indices into this list are the
/// runtime's struct indices.
pub(crate) fn python_structs(iface: &Interface) -> Vec<&Struct> {
    let named_use = |name: &str| {
        let is = |t: &Type| refers_to(t, name);
        iface
            .structs
            .iter()
            .any(|s| s.fields.iter().any(|f| !f.name.is_empty() && is(&f.ty)))
            || iface.functions.iter().any(|f| sig_refers(&f.sig, name))
            || iface.callbacks.iter().any(|c| sig_refers(&c.sig, name))
    };
    let anonymous_only = |s: &Struct| {
        let unnamed_use = iface.structs.iter().any(|p| {
            p.fields
                .iter()
                .any(|f| f.name.is_empty() && f.ty == Type::Struct(s.name.clone()))
        });
        unnamed_use && !named_use(&s.name)
    };
    iface
        .structs
        .iter()
        .filter(|s| !anonymous_only(s))
        .collect()
}

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

/// The encoding of a string pointer (`char*`, or an integer pointer the
/// annotations call a string); `None` for other types.
pub fn string_encoding(ty: &Type, enc: Option<Encoding>) -> Option<Encoding> {
    let Type::Pointer { pointee, .. } = ty else {
        return None;
    };
    match (&**pointee, enc) {
        (Type::Char, e) => Some(e.unwrap_or(Encoding::Utf8)),
        (Type::Int { bits: 8, .. }, Some(e)) => Some(e),
        (Type::WChar, _) | (Type::Int { bits: 16, .. }, Some(Encoding::Utf16)) => {
            Some(Encoding::Utf16)
        }
        _ => None,
    }
}

fn sig_refers(sig: &Signature, name: &str) -> bool {
    refers_to(&sig.ret, name) || sig.params.iter().any(|p| refers_to(&p.ty, name))
}

fn refers_to(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Struct(n) => n == name,
        Type::Pointer { pointee: t, .. } | Type::Array { elem: t, .. } => refers_to(t, name),
        Type::FnPtr(sig) => sig_refers(sig, name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Loc;

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

    fn record(name: &str, fields: Vec<Field>) -> Struct {
        Struct {
            name: name.into(),
            is_union: false,
            size: 8,
            align: 4,
            packed: false,
            fields,
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

    #[test]
    fn anonymous_member_types_are_not_python_classes() {
        let anon = record("R__anon0", vec![field("x", U32, 0, None)]);
        let named = record("Named", vec![field("y", U32, 0, None)]);
        let parent = record(
            "R",
            vec![
                field("", Type::Struct("R__anon0".into()), 0, None),
                field("n", Type::Struct("Named".into()), 4, None),
            ],
        );
        let iface = Interface {
            structs: vec![parent, anon, named],
            ..Default::default()
        };
        let names: Vec<&str> = python_structs(&iface)
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["R", "Named"]);
    }
}
