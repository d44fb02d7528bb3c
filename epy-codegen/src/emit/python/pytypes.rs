//! C types → the Python types the runtime's conversions produce or accept,
//! one function per direction (they differ: a struct pointer argument is a
//! view, a `void*` argument may be `None`, a returned enum may be any int).
use crate::emit::string_encoding as string;
use crate::model::{Encoding, Signature, Type};

/// How a struct field appears on its view.
pub enum Access {
    /// Read and written as `ty`.
    Plain,
    ReadOnly,
    /// Read as `ty`, written from this wider type.
    Setter(String),
}

pub struct Types<'a> {
    /// The callback table (`emit::callback_table`).
    pub callbacks: &'a [(String, Signature)],
}

impl Types<'_> {
    fn callback_name(&self, sig: &Signature) -> Option<&str> {
        self.callbacks
            .iter()
            .find(|(_, s)| s == sig)
            .map(|(n, _)| n.as_str())
    }

    /// A struct field (not a bitfield: those are `int`).
    pub fn field(&self, ty: &Type) -> (String, Access) {
        match ty {
            Type::Bool => ("bool".into(), Access::Plain),
            Type::Char | Type::Int { .. } | Type::WChar => ("int".into(), Access::Plain),
            Type::Float | Type::Double => ("float".into(), Access::Plain),
            Type::Array { elem, .. } => match &**elem {
                Type::Char | Type::WChar => ("str".into(), Access::Setter("str | bytes".into())),
                Type::Struct(s) => (format!("list[{s}]"), Access::ReadOnly),
                _ => ("memoryview".into(), Access::ReadOnly),
            },
            Type::Struct(s) => (s.clone(), Access::Plain),
            Type::Enum(e) => (e.clone(), Access::Setter("int".into())),
            Type::Pointer { pointee, .. } => match &**pointee {
                Type::Char | Type::WChar => ("str | None".into(), Access::ReadOnly),
                Type::Struct(s) => (format!("{s} | None"), Access::ReadOnly),
                _ => ("int | None".into(), Access::Plain),
            },
            Type::FnPtr(sig) => match self.callback_name(sig) {
                Some(name) => (format!("{name} | None"), Access::ReadOnly),
                None => ("int | None".into(), Access::Plain),
            },
            Type::Void => ("None".into(), Access::ReadOnly),
        }
    }

    /// What the script's function receives for a parameter.
    pub fn param(&self, ty: &Type, buffer: bool, enc: Option<Encoding>) -> String {
        if buffer {
            return "memoryview".into();
        }
        match string(ty, enc) {
            Some(Encoding::Bytes) => return "bytes | None".into(),
            Some(_) => return "str | None".into(),
            None => {}
        }
        match ty {
            Type::Bool => "bool".into(),
            Type::Char | Type::Int { .. } | Type::WChar => "int".into(),
            Type::Float | Type::Double => "float".into(),
            Type::Enum(n) | Type::Struct(n) => n.clone(),
            Type::Pointer { pointee, .. } => match &**pointee {
                Type::Struct(s) => s.clone(),
                _ => "int | None".into(),
            },
            Type::FnPtr(sig) => self
                .callback_name(sig)
                .map_or_else(|| "Callable[..., object]".into(), str::to_owned),
            Type::Array { .. } => "int | None".into(),
            Type::Void => "None".into(),
        }
    }

    /// What the script's function returns (enums: any int).
    pub fn ret(&self, ty: &Type, enc: Option<Encoding>) -> String {
        match string(ty, enc) {
            Some(Encoding::Bytes) => return "bytes | str | None".into(),
            Some(_) => return "str | None".into(),
            None => {}
        }
        match ty {
            Type::Void => "None".into(),
            Type::Bool => "bool".into(),
            Type::Char | Type::Int { .. } | Type::WChar | Type::Enum(_) => "int".into(),
            Type::Float | Type::Double => "float".into(),
            Type::Struct(s) => s.clone(),
            _ => "int | None".into(),
        }
    }

    /// A host callback as the script calls it: arguments as the invoker
    /// accepts them, the result as it converts it.
    pub fn callable(&self, sig: &Signature) -> String {
        let args: Vec<String> = sig
            .params
            .iter()
            .map(|p| {
                if string(&p.ty, p.encoding).is_some() {
                    return "str | None".into();
                }
                match &p.ty {
                    Type::Bool => "bool".into(),
                    Type::Char | Type::Int { .. } | Type::WChar | Type::Enum(_) => "int".into(),
                    Type::Float | Type::Double => "float".into(),
                    Type::Struct(s) => s.clone(),
                    // A view passes its address.
                    Type::Pointer { pointee, .. } => match &**pointee {
                        Type::Struct(s) => format!("{s} | int | None"),
                        _ => "int | None".into(),
                    },
                    _ => "int | None".into(),
                }
            })
            .collect();
        let ret = match &sig.ret {
            Type::Pointer { pointee, .. } if matches!(**pointee, Type::Struct(_)) => {
                self.field(&sig.ret).0
            }
            t => self.ret(t, None),
        };
        format!("Callable[[{}], {ret}]", args.join(", "))
    }
}
