//! libclang types → `model::Type`. Typedefs are looked through, except that
//! records and enums keep their model name and function-pointer typedefs
//! keep their parameter names. `Err` carries the spelling of a type the
//! model cannot express, for the caller's diagnostic.
use super::walk::{Walk, definition, param_decls};
use crate::model::{CallConv, Param, Signature, Type};
use clang::{CallingConvention, Entity, EntityKind, Type as CType, TypeKind};

/// Where a type is written: an incomplete array `T x[]` is a pointer as a
/// parameter and a zero-length array as a (flexible) struct member.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Placement {
    Param,
    Field,
    Other,
}

type Conv<T> = std::result::Result<T, String>;

/// Most levels a type may nest (a real header needs a handful).
const MAX_TYPE_DEPTH: usize = 64;

impl<'tu> Walk<'tu> {
    /// The type of a declaration (parameter, field, typedef): an inline
    /// function pointer takes its parameter names from the declaration.
    pub fn decl_type(&mut self, decl: Entity<'tu>, site: Placement) -> Conv<Type> {
        let ty = decl.get_type().ok_or("`<no type>`")?;
        let ty = match decl.get_kind() {
            EntityKind::TypedefDecl => decl.get_typedef_underlying_type().ok_or("`<no type>`")?,
            _ => ty,
        };
        self.convert(ty, site, &param_decls(decl))
    }

    /// A type of at most `MAX_TYPE_DEPTH` levels (`int ***…` in a hostile
    /// header is an error, not a stack overflow here or in the emitters).
    pub fn convert(
        &mut self,
        ty: CType<'tu>,
        site: Placement,
        names: &[Entity<'tu>],
    ) -> Conv<Type> {
        if self.type_depth == MAX_TYPE_DEPTH {
            return Err(format!(
                "(more than {MAX_TYPE_DEPTH} levels of pointers, arrays and typedefs)"
            ));
        }
        self.type_depth += 1;
        let t = self.convert_inner(ty, site, names);
        self.type_depth -= 1;
        t
    }

    fn convert_inner(
        &mut self,
        ty: CType<'tu>,
        site: Placement,
        names: &[Entity<'tu>],
    ) -> Conv<Type> {
        use TypeKind as K;
        Ok(match ty.get_kind() {
            K::Typedef => {
                let decl = ty.get_declaration().ok_or_else(|| shown(ty))?;
                // A pack's `[types]` says what the header gets wrong (`WCHAR`).
                if let Some(t) = decl.get_name().and_then(|n| self.overrides.get(&n)) {
                    return Ok(t.clone());
                }
                if let Some(t) = self.wide_char(decl) {
                    return Ok(t);
                }
                if let Some(sig) = self.fn_typedef(decl)? {
                    return Ok(Type::FnPtr(Box::new(sig)));
                }
                let under = decl
                    .get_typedef_underlying_type()
                    .ok_or_else(|| shown(ty))?;
                return self.convert(under, site, &[]);
            }
            K::Elaborated => {
                let named = ty.get_elaborated_type().ok_or_else(|| shown(ty))?;
                return self.convert(named, site, names);
            }
            K::Void => Type::Void,
            K::Bool => Type::Bool,
            K::CharS | K::CharU => Type::Char,
            K::SChar | K::Short | K::Int | K::Long | K::LongLong => int(ty, true)?,
            K::UChar | K::UShort | K::UInt | K::ULong | K::ULongLong | K::Char16 | K::Char32 => {
                int(ty, false)?
            }
            K::WChar => int(ty, ty.is_signed_integer())?,
            K::Float => Type::Float,
            K::Double => Type::Double,
            K::Pointer => self.pointer(ty, names)?,
            K::ConstantArray => {
                let elem = ty.get_element_type().ok_or_else(|| shown(ty))?;
                let len = ty.get_size().unwrap_or(0);
                Type::Array {
                    elem: Box::new(self.convert(elem, Placement::Other, &[])?),
                    len,
                }
            }
            K::IncompleteArray => {
                let elem = ty.get_element_type().ok_or_else(|| shown(ty))?;
                let is_const = elem.is_const_qualified();
                let elem = Box::new(self.convert(elem, Placement::Other, &[])?);
                match site {
                    Placement::Field => Type::Array { elem, len: 0 },
                    _ => Type::Pointer {
                        pointee: elem,
                        is_const,
                    },
                }
            }
            K::Record => Type::Struct(self.tag(ty)?),
            K::Enum => Type::Enum(self.tag(ty)?),
            // A bare function type (parameter `int f(int)`) is a pointer.
            K::FunctionPrototype => Type::FnPtr(Box::new(self.signature(ty, names)?)),
            K::FunctionNoPrototype => opaque_fn(),
            // SIMD types (`__m128`): their bytes; the record holding one
            // keeps its alignment (layout comes from clang).
            K::Vector | K::ExtVector => Type::Array {
                elem: Box::new(Type::Int {
                    bits: 8,
                    signed: false,
                }),
                len: ty.get_sizeof().map_err(|_| shown(ty))?,
            },
            // Sugar libclang does not name (parentheses, attributes): look through.
            K::Unexposed | K::Attributed => {
                let canon = ty.get_canonical_type();
                match canon.get_kind() {
                    K::Unexposed => return Err(shown(ty)),
                    K::FunctionNoPrototype => opaque_fn(),
                    // libclang reads a signature through sugar, names kept.
                    K::FunctionPrototype => Type::FnPtr(Box::new(self.signature(ty, names)?)),
                    _ => return self.convert(canon, site, names),
                }
            }
            _ => return Err(shown(ty)),
        })
    }

    fn pointer(&mut self, ty: CType<'tu>, names: &[Entity<'tu>]) -> Conv<Type> {
        let pointee = ty.get_pointee_type().ok_or_else(|| shown(ty))?;
        let is_const = pointee.is_const_qualified();
        let canon = pointee.get_canonical_type();
        match canon.get_kind() {
            TypeKind::FunctionPrototype => self.convert(pointee, Placement::Other, names), // a FnPtr
            // K&R `()`: the parameters are unknown, so no one here can call it.
            TypeKind::FunctionNoPrototype => Ok(opaque_fn()),
            // An opaque handle (`struct sqlite3 *`): only its address matters.
            TypeKind::Record
                if canon
                    .get_declaration()
                    .is_none_or(|d| d.get_definition().is_none()) =>
            {
                Ok(Type::Pointer {
                    pointee: Box::new(Type::Void),
                    is_const,
                })
            }
            _ => Ok(Type::Pointer {
                pointee: Box::new(self.convert(pointee, Placement::Other, &[])?),
                is_const,
            }),
        }
    }

    /// The model name of a record or enum type; queues its definition.
    fn tag(&mut self, ty: CType<'tu>) -> Conv<String> {
        let decl = ty.get_declaration().ok_or_else(|| shown(ty))?;
        let def = definition(decl);
        if def.get_kind() != EntityKind::EnumDecl && !def.is_definition() {
            return Err(format!("{} (incomplete)", shown(ty)));
        }
        let name = self.tag_name(def).ok_or_else(|| shown(ty))?;
        self.queue(def);
        Ok(name)
    }

    /// The signature of a function-pointer (or function) typedef, cached.
    pub fn fn_typedef(&mut self, decl: Entity<'tu>) -> Conv<Option<Signature>> {
        if let Some(sig) = self.fn_typedefs.get(&decl) {
            return Ok(Some(sig.clone()));
        }
        let Some(under) = decl.get_typedef_underlying_type() else {
            return Ok(None);
        };
        // `typedef LogFn LogFn2;`: the same signature, parameter names kept.
        if under.get_kind() == TypeKind::Typedef {
            return match under.get_declaration() {
                Some(inner) => self.fn_typedef(inner),
                None => Ok(None),
            };
        }
        let canon = under.get_canonical_type();
        let is_fn = |t: CType| {
            matches!(
                t.get_kind(),
                TypeKind::FunctionPrototype | TypeKind::FunctionNoPrototype
            )
        };
        let fn_ty = match canon.get_kind() {
            TypeKind::Pointer if canon.get_pointee_type().is_some_and(is_fn) => pointee_fn(under),
            _ if is_fn(canon) => under,
            _ => return Ok(None),
        };
        if fn_ty.get_canonical_type().get_kind() == TypeKind::FunctionNoPrototype {
            let name = decl.get_name().unwrap_or_default();
            let msg = format!(
                "`{name}` is a function type without a prototype (K&R `()`): an opaque pointer wherever it is used"
            );
            self.warn(super::walk::loc(decl), msg);
            return Ok(None);
        }
        let sig = self.signature(fn_ty, &param_decls(decl))?;
        self.fn_typedefs.insert(decl, sig.clone());
        Ok(Some(sig))
    }

    /// A function type's signature; `decls` name the parameters when they
    /// match in number (else `arg0`, `arg1`, …).
    pub fn signature(&mut self, fn_ty: CType<'tu>, decls: &[Entity<'tu>]) -> Conv<Signature> {
        if fn_ty.get_canonical_type().get_kind() == TypeKind::FunctionNoPrototype {
            let hint = "a K&R declaration without a prototype: write `(void)` for no parameters";
            return Err(format!("{} ({hint})", shown(fn_ty)));
        }
        let conv = match fn_ty.get_calling_convention() {
            Some(CallingConvention::Stdcall) => CallConv::Stdcall,
            Some(
                CallingConvention::Cdecl
                | CallingConvention::Win64
                | CallingConvention::SysV64
                | CallingConvention::Aapcs
                | CallingConvention::AapcsVfp,
            )
            | None => CallConv::C,
            Some(other) => return Err(format!("{} (calling convention {other:?})", shown(fn_ty))),
        };
        let ret_ty = fn_ty.get_result_type().ok_or_else(|| shown(fn_ty))?;
        by_reference(ret_ty)?;
        let ret = self.convert(ret_ty, Placement::Other, &[])?;
        let arg_types = fn_ty.get_argument_types().unwrap_or_default();
        let named = decls.len() == arg_types.len();
        let mut params = Vec::with_capacity(arg_types.len());
        for (i, arg) in arg_types.into_iter().enumerate() {
            by_reference(arg)?;
            let decl = decls.get(i).filter(|_| named);
            let name = decl.and_then(|d| d.get_name()).filter(|n| !n.is_empty());
            if let (Some(d), Some(n)) = (decl, &name) {
                self.spellable(*d, "parameter", n);
            }
            let ty = match decl {
                Some(d) => self.decl_type(*d, Placement::Param)?,
                None => self.convert(arg, Placement::Param, &[])?,
            };
            let opaque = opaque_name(arg);
            params.push(Param {
                opaque,
                name: name.unwrap_or_else(|| format!("arg{i}")),
                ty,
                length: None,
                encoding: None,
                role: None,
                user_data: None,
                keep: None,
            });
        }
        Ok(Signature {
            ret,
            params,
            conv,
            variadic: fn_ty.is_variadic(),
            on_error: None,
            pool: None,
        })
    }
}

/// The function type a function-pointer type points to, sugar kept (so its
/// return and parameter types keep their typedef names).
fn pointee_fn(ty: CType) -> CType {
    match ty.get_kind() {
        TypeKind::Pointer => ty.get_pointee_type().unwrap_or(ty),
        TypeKind::Typedef | TypeKind::Elaborated | TypeKind::Unexposed | TypeKind::Attributed => {
            let next = match ty.get_kind() {
                TypeKind::Typedef => ty
                    .get_declaration()
                    .and_then(|d| d.get_typedef_underlying_type()),
                TypeKind::Elaborated => ty.get_elaborated_type(),
                _ => Some(ty.get_canonical_type()).filter(|c| *c != ty),
            };
            next.map_or(ty, pointee_fn)
        }
        _ => ty,
    }
}

/// What a K&R function pointer (`int (*f)()`) is: an address, since no
/// one can know what to pass it.
fn opaque_fn() -> Type {
    Type::Pointer {
        pointee: Box::new(Type::Void),
        is_const: false,
    }
}

/// A vector (`__m128`) passed or returned by value travels in SIMD
/// registers, which the model's byte arrays cannot stand for.
fn by_reference(ty: CType) -> Conv<()> {
    match ty.get_canonical_type().get_kind() {
        TypeKind::Vector | TypeKind::ExtVector => {
            Err(format!("{} (a SIMD vector passed by value)", shown(ty)))
        }
        _ => Ok(()),
    }
}

/// A type as the diagnostics show it.
fn shown(ty: CType) -> String {
    format!("`{}`", ty.get_display_name())
}

/// An integer type of 8, 16, 32 or 64 bits (sizes from the target).
fn int(ty: CType, signed: bool) -> Conv<Type> {
    match ty.get_sizeof() {
        Ok(n @ (1 | 2 | 4 | 8)) => Ok(Type::Int {
            bits: (n * 8) as u8,
            signed,
        }),
        _ => Err(shown(ty)),
    }
}

/// The name of the incomplete struct a pointer parameter points to
/// (`lua_State` for `lua_State *L`, `sqlite3` for `struct sqlite3 *db`).
fn opaque_name(ty: CType) -> Option<String> {
    let pointee = ty.get_canonical_type().get_pointee_type()?;
    if pointee.get_kind() != TypeKind::Record {
        return None;
    }
    let decl = pointee.get_declaration()?;
    if decl.get_definition().is_some() {
        return None;
    }
    // The name the header spells (a typedef's), else the tag.
    let spelled = ty.get_pointee_type().map(|p| p.get_display_name());
    let name = spelled
        .as_deref()
        .map(|n| {
            n.trim_start_matches("const ")
                .trim_start_matches("struct ")
                .trim()
        })
        .filter(|n| super::walk::is_ident(n))
        .map(str::to_owned)
        .or_else(|| decl.get_name())?;
    super::walk::is_ident(&name).then_some(name)
}
