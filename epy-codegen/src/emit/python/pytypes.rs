//! C types → the Python types the runtime's conversions produce or accept,
//! one function per direction (they differ: a struct pointer argument is a
//! view, a `void*` argument may be `None`, a returned enum may be any int).
use crate::model::string_encoding as string;
use crate::model::{Encoding, Signature, Type};

/// How a struct field appears on its view.
pub enum Access {
    /// Read and written as `ty`.
    Plain,
    ReadOnly,
    /// Read as `ty`, written from this wider type.
    Setter(String),
}

pub struct PyTypes<'a> {
    /// The plan's callback table (`Plan::callbacks`).
    pub callbacks: &'a [(String, Signature)],
}

impl PyTypes<'_> {
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

/// The C type as the stubs' docstrings name it: exact widths (`int32_t`),
/// typedef names for records, enums and callbacks.
pub fn c_name(ty: &Type, callbacks: &[(String, Signature)]) -> String {
    match ty {
        Type::Void => "void".into(),
        Type::Bool => "bool".into(),
        Type::Char => "char".into(),
        Type::WChar => "WCHAR".into(),
        Type::Int { bits, signed } => format!("{}int{bits}_t", if *signed { "" } else { "u" }),
        Type::Float => "float".into(),
        Type::Double => "double".into(),
        Type::Pointer { pointee, is_const } => {
            let c = if *is_const { "const " } else { "" };
            format!("{c}{} *", c_name(pointee, callbacks))
        }
        Type::Array { elem, len } => format!("{}[{len}]", c_name(elem, callbacks)),
        Type::Struct(n) | Type::Enum(n) => n.clone(),
        Type::FnPtr(sig) => callbacks
            .iter()
            .find(|(_, s)| *s == **sig)
            .map_or_else(|| "function pointer".into(), |(n, _)| n.clone()),
    }
}

/// What an integer of C type `ty` (`bits`: a bitfield's width) holds, for a
/// docstring: "`int32_t`: -2147483648 to 2147483647". `None` if not an integer.
pub fn int_range(ty: &Type, bits: Option<u8>) -> Option<String> {
    let (width, signed, name) = match ty {
        Type::Int { bits: b, signed } => (*b, *signed, c_name(ty, &[])),
        Type::WChar => (16, false, "WCHAR".into()),
        _ => return None,
    };
    let (width, name) = match bits {
        Some(n) => (n, format!("{name} : {n}")),
        None => (width, name),
    };
    let width = u32::from(width.min(64));
    let (lo, hi) = if signed {
        (-(1i128 << (width - 1)), (1i128 << (width - 1)) - 1)
    } else {
        (0, (1i128 << width) - 1)
    };
    Some(format!("`{name}`: {lo} to {hi}"))
}

/// `int32_t add(int32_t a, int32_t b)`, for an export's docstring.
pub fn c_signature(name: &str, sig: &Signature, callbacks: &[(String, Signature)]) -> String {
    let params: Vec<String> = sig
        .params
        .iter()
        .map(|p| {
            let ty = c_name(&p.ty, callbacks);
            let sep = if ty.ends_with('*') { "" } else { " " };
            format!("{ty}{sep}{}", p.name)
        })
        .collect();
    let ret = c_name(&sig.ret, callbacks);
    let sep = if ret.ends_with('*') { "" } else { " " };
    format!("{ret}{sep}{name}({})", params.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ranges() {
        let int = |bits, signed| Type::Int { bits, signed };
        assert_eq!(
            int_range(&int(32, true), None).as_deref(),
            Some("`int32_t`: -2147483648 to 2147483647")
        );
        assert_eq!(
            int_range(&int(64, false), None).as_deref(),
            Some("`uint64_t`: 0 to 18446744073709551615")
        );
        assert_eq!(
            int_range(&int(32, false), Some(3)).as_deref(),
            Some("`uint32_t : 3`: 0 to 7")
        );
        assert_eq!(int_range(&Type::Double, None), None);
    }
}
