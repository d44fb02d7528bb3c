//! Structs, unions and enums, with layout from libclang (so `#pragma pack`,
//! `packed` attributes and the target's sizes are what the compiler sees).
use super::docs;
use super::types::Placement;
use super::walk::{Walk, definition, loc};
use crate::model::{Enum, Field, Struct, Type};
use clang::{Entity, EntityKind, Type as CType, TypeKind};

impl<'tu> Walk<'tu> {
    /// Converts the queued definitions until none is left (converting one
    /// may queue the types it uses).
    pub fn drain(&mut self) {
        while let Some(def) = self.pending.pop_front() {
            if def.get_kind() == EntityKind::EnumDecl {
                self.convert_enum(def);
            } else {
                self.convert_record(def);
            }
        }
    }

    fn convert_record(&mut self, def: Entity<'tu>) {
        let (name, ty, at) = (
            self.tag_name(def).unwrap_or_default(),
            def.get_type(),
            loc(def),
        );
        let Some(ty) = ty else { return };
        if !self.type_spellable(def, "struct", &name) {
            return;
        }
        let (Ok(size), Ok(align)) = (ty.get_sizeof(), ty.get_alignof()) else {
            return self.error(at, format!("struct `{name}` has no layout"));
        };
        let mut fields = Vec::new();
        let mut natural_align = 1;
        let mut anon = 0;
        for f in ty.get_fields().unwrap_or_default() {
            let fname = f.get_name().unwrap_or_default();
            let Some(fty) = f.get_type() else { continue };
            natural_align = natural_align.max(fty.get_alignof().unwrap_or(1));
            if fname.is_empty() && f.is_bit_field() {
                continue; // unnamed padding bitfield (`int : 3;`)
            }
            if !fname.is_empty() && !self.spellable(f, "field", &fname) {
                continue;
            }
            // Inline anonymous types get names from their parent.
            let suffix = if fname.is_empty() {
                anon += 1;
                format!("anon{}", anon - 1)
            } else {
                fname.clone()
            };
            self.name_inline_tag(fty, &format!("{name}__{suffix}"));
            let ty = match self.decl_type(f, Placement::Field) {
                Ok(t) => t,
                Err(t) => {
                    self.error(
                        loc(f),
                        format!("field `{name}.{fname}` has unsupported type {t}"),
                    );
                    continue;
                }
            };
            let bit_offset = f.get_offset_of_field().unwrap_or(0);
            let (offset, bits) = match f.get_bit_field_width() {
                Some(width) => (
                    storage_offset(bit_offset, width, fty, size),
                    Some((bit_offset, width as u8)),
                ),
                None => (bit_offset / 8, None),
            };
            fields.push(Field {
                name: fname,
                ty,
                offset,
                bits,
                doc: docs::of(f),
                loc: loc(f),
            });
        }
        let packed = align < natural_align
            || def
                .get_children()
                .iter()
                .any(|c| c.get_kind() == EntityKind::PackedAttr);
        self.iface.structs.push(Struct {
            name,
            is_union: def.get_kind() == EntityKind::UnionDecl,
            size,
            align,
            packed,
            fields,
            doc: docs::of(def),
            loc: at,
        });
    }

    /// Names an anonymous struct/union/enum written inline in a field
    /// (`union {…};`, `struct {…} pos;`, also behind pointers and arrays).
    fn name_inline_tag(&mut self, ty: CType<'tu>, name: &str) {
        let inner = match ty.get_kind() {
            TypeKind::Elaborated => ty.get_elaborated_type(),
            TypeKind::Pointer => ty.get_pointee_type(),
            TypeKind::ConstantArray | TypeKind::IncompleteArray => ty.get_element_type(),
            TypeKind::Record | TypeKind::Enum => {
                if let Some(decl) = ty.get_declaration() {
                    let def = definition(decl);
                    if self.tag_name(def).is_none() {
                        self.names.insert(def, name.to_string());
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(inner) = inner {
            self.name_inline_tag(inner, name);
        }
    }

    fn convert_enum(&mut self, def: Entity<'tu>) {
        let name = self.tag_name(def).unwrap_or_default();
        let repr = def
            .get_enum_underlying_type()
            .map(|t| self.convert(t, Placement::Other, &[]));
        let repr = match repr {
            Some(Ok(t @ Type::Int { .. })) => t,
            _ => Type::Int {
                bits: 32,
                signed: true,
            },
        };
        let unsigned = matches!(repr, Type::Int { signed: false, .. });
        self.type_spellable(def, "enum", &name);
        let members = enum_members(def)
            .filter(|(c, n, _)| self.spellable(*c, "enumerator", n))
            .map(|(_, n, (s, u))| (n, if unsigned { u as i64 } else { s }))
            .collect();
        self.iface.enums.push(Enum {
            name,
            repr,
            members,
            doc: docs::of(def),
            loc: loc(def),
        });
    }
}

/// Declaration, name and (signed, unsigned) value of each enumerator.
fn enum_members(def: Entity) -> impl Iterator<Item = (Entity, String, (i64, u64))> {
    def.get_children()
        .into_iter()
        .filter(|c| c.get_kind() == EntityKind::EnumConstantDecl)
        .filter_map(|c| {
            let name = c.get_name()?;
            Some((c, name, c.get_enum_constant_value()?))
        })
}

/// The byte offset of the storage unit (the declared type, aligned to its
/// size) that holds a bitfield, so the emitters read one unit and shift. A
/// bitfield straddling units or the record's end (packed records) gets the
/// byte of its first bit.
fn storage_offset(bit_offset: usize, width: usize, ty: CType, record_size: usize) -> usize {
    let unit = ty.get_canonical_type().get_sizeof().unwrap_or(1).max(1) * 8;
    let start = bit_offset / unit * unit;
    let fits = bit_offset + width <= start + unit && (start + unit) / 8 <= record_size;
    if fits { start / 8 } else { bit_offset / 8 }
}
