//! Struct layout from the model's own types, for when the host's layout is
//! not the one libclang computed from the header: a pack's `[types]` made a
//! typedef narrower (`DWORD` = 32 bits where the SDK says `unsigned long`) or
//! its `[structs]` says the host's record is packed.
use super::{Interface, Type};
use std::collections::HashMap;

/// Recomputes offsets, sizes and alignments of every struct and union
/// without bitfields (those keep libclang's layout). `target` decides the
/// pointer width and the alignment of 64-bit scalars.
pub fn relayout(iface: &mut Interface, target: Option<&str>) {
    let abi = Abi::of(target);
    let mut done: HashMap<String, (usize, usize)> = HashMap::new();
    let names: Vec<String> = iface.structs.iter().map(|s| s.name.clone()).collect();
    for name in names {
        abi.layout(iface, &name, &mut done, 0);
    }
}

struct Abi {
    pointer: usize,
    /// Alignment of `int64_t` and `double` inside records.
    align64: usize,
}

impl Abi {
    fn of(target: Option<&str>) -> Abi {
        let t = crate::triple::of(target);
        let bits32 = crate::triple::is_32bit(&t);
        Abi {
            pointer: if bits32 { 4 } else { 8 },
            // 32-bit x86 System V aligns 8-byte scalars to 4 in records.
            align64: if crate::triple::is_x86_32(&t) && !crate::triple::is_windows(&t) {
                4
            } else {
                8
            },
        }
    }

    /// (size, alignment) of a struct, computing (and storing) its layout first.
    fn layout(
        &self,
        iface: &mut Interface,
        name: &str,
        done: &mut HashMap<String, (usize, usize)>,
        depth: usize,
    ) -> (usize, usize) {
        if let Some(&sa) = done.get(name) {
            return sa;
        }
        let Some(i) = iface.structs.iter().position(|s| s.name == name) else {
            return (0, 1);
        };
        let s = &iface.structs[i];
        if s.fields.iter().any(|f| f.bits.is_some()) || depth > 64 {
            let sa = (s.size, s.align);
            done.insert(name.to_owned(), sa);
            return sa;
        }
        let (packed, is_union) = (s.packed, s.is_union);
        let types: Vec<Type> = s.fields.iter().map(|f| f.ty.clone()).collect();
        let mut offsets = Vec::with_capacity(types.len());
        let (mut size, mut align) = (0usize, 1usize);
        for ty in &types {
            let (fsize, falign) = self.size_align(iface, ty, done, depth + 1);
            let falign = if packed { 1 } else { falign.max(1) };
            align = align.max(falign);
            if is_union {
                offsets.push(0);
                size = size.max(fsize);
            } else {
                let at = size.next_multiple_of(falign);
                offsets.push(at);
                size = at + fsize;
            }
        }
        let size = size.next_multiple_of(align);
        let s = &mut iface.structs[i];
        for (f, at) in s.fields.iter_mut().zip(offsets) {
            f.offset = at;
        }
        s.size = size;
        s.align = align;
        done.insert(name.to_owned(), (size, align));
        (size, align)
    }

    fn size_align(
        &self,
        iface: &mut Interface,
        ty: &Type,
        done: &mut HashMap<String, (usize, usize)>,
        depth: usize,
    ) -> (usize, usize) {
        match ty {
            Type::Void | Type::Bool | Type::Char => (1, 1),
            Type::WChar => (2, 2),
            Type::Int { bits: 64, .. } | Type::Double => (8, self.align64),
            Type::Int { bits, .. } => {
                let n = usize::from(*bits / 8);
                (n, n)
            }
            Type::Float => (4, 4),
            Type::Pointer { .. } | Type::FnPtr(_) => (self.pointer, self.pointer),
            Type::Array { elem, len } => {
                let (s, a) = self.size_align(iface, elem, done, depth);
                (s * len, a)
            }
            Type::Struct(n) => self.layout(iface, n, done, depth),
            Type::Enum(n) => {
                let repr = iface.enum_named(n).map(|e| e.repr.clone());
                repr.map_or((4, 4), |r| self.size_align(iface, &r, done, depth))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Loc, Struct};

    fn field(name: &str, ty: Type) -> Field {
        Field {
            name: name.into(),
            ty,
            offset: 0,
            bits: None,
            doc: None,
            loc: Loc::default(),
        }
    }

    #[test]
    fn natural_and_packed_layouts() {
        let fields = vec![
            field("a", Type::Char),
            field(
                "p",
                Type::Pointer {
                    pointee: Box::new(Type::Void),
                    is_const: false,
                },
            ),
            field(
                "n",
                Type::Int {
                    bits: 32,
                    signed: true,
                },
            ),
        ];
        let rec = |name: &str, packed| Struct {
            name: name.into(),
            is_union: false,
            size: 0,
            align: 0,
            packed,
            fields: fields.clone(),
            doc: None,
            loc: Loc::default(),
        };
        let mut iface = Interface {
            structs: vec![rec("N", false), rec("P", true)],
            ..Interface::default()
        };
        relayout(&mut iface, Some("x86_64-unknown-linux-gnu"));
        let offs = |s: &Struct| s.fields.iter().map(|f| f.offset).collect::<Vec<_>>();
        assert_eq!(
            (offs(&iface.structs[0]), iface.structs[0].size),
            (vec![0, 8, 16], 24)
        );
        assert_eq!(
            (offs(&iface.structs[1]), iface.structs[1].size),
            (vec![0, 1, 9], 13)
        );
        relayout(&mut iface, Some("i686-pc-windows-msvc"));
        assert_eq!(
            (offs(&iface.structs[0]), iface.structs[0].size),
            (vec![0, 4, 8], 12)
        );
    }
}
