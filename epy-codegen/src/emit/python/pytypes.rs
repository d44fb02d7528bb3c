//! C types → the Python types the runtime's conversions produce or accept,
//! one function per direction (they differ: a struct pointer argument is a
//! view, a `void*` argument may be `None`, a returned enum may be any int).
use crate::model::string_encoding as string;
use crate::model::{Encoding, Param, Role, Signature, Type};

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
    /// Per callback: its prototype's pool size (`Plan::pooled`).
    pub pooled: &'a [usize],
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
                Some(name) if self.takes_callable(sig) => (
                    format!("{name} | None"),
                    Access::Setter(format!("{} | int | None", self.python_callable(sig))),
                ),
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
            Type::FnPtr(s) if self.takes_callable(s) => {
                format!("{} | int | None", self.python_callable(s))
            }
            // A struct object's address (a view's: host memory; a new one's:
            // kept alive until the export returns again).
            Type::Pointer { pointee, .. } => match &**pointee {
                Type::Struct(s) => format!("{s} | None"),
                _ => "int | None".into(),
            },
            _ => "int | None".into(),
        }
    }

    /// Does a pointer of prototype `sig` take a Python callable anywhere
    /// (it has a pool of trampolines)?
    fn takes_callable(&self, sig: &Signature) -> bool {
        let k = self.callbacks.iter().position(|(_, s)| s == sig);
        k.is_some_and(|k| self.pooled.get(k).copied().unwrap_or(0) > 0)
    }

    /// A Python callable epy hands the host as a pointer of prototype
    /// `sig`: called with the arguments as an export gets them (the user
    /// data as the script's own object), returning what an export returns.
    pub fn python_callable(&self, sig: &Signature) -> String {
        self.python_callable_with(sig, sig.user_data())
    }

    /// `python_callable` with the user data (the script's own object) in
    /// parameter `ud`.
    fn python_callable_with(&self, sig: &Signature, ud: Option<usize>) -> String {
        let args: Vec<String> = sig
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if Some(i) == ud {
                    "Any".into()
                } else {
                    self.param(&p.ty, p.length.is_some(), p.encoding)
                }
            })
            .collect();
        let ret = self.ret(&sig.ret, None);
        format!("Callable[[{}], {ret}]", args.join(", "))
    }

    /// A host callback as the script calls it: arguments as the invoker
    /// accepts them, the result as it converts it.
    pub fn callable(&self, sig: &Signature) -> String {
        let binds = crate::callables::user_data_params(sig);
        let args: Vec<String> = sig
            .params
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if let Some((u, via)) = &binds {
                    if *u == i {
                        // Any object: the callables get it back.
                        return "object".into();
                    }
                    if let (true, Type::FnPtr(s)) = (via.contains(&i), &p.ty) {
                        let ud = s.user_data_or_only();
                        return format!("{} | int | None", self.python_callable_with(s, ud));
                    }
                }
                if let Type::FnPtr(s) = &p.ty {
                    if self.takes_callable(s) {
                        return format!("{} | int | None", self.python_callable(s));
                    }
                }
                self.host_arg(p)
            })
            .collect();
        format!(
            "Callable[[{}], {}]",
            args.join(", "),
            self.host_ret(&sig.ret)
        )
    }

    /// A parameter of a host function or callback as its invoker accepts it.
    pub fn host_arg(&self, p: &Param) -> String {
        if matches!(p.role, Some(Role::Argv { .. } | Role::Strv)) {
            return "list[str] | None".into();
        }
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
    }

    /// The result of a host function or callback as its invoker converts it.
    pub fn host_ret(&self, ret: &Type) -> String {
        match ret {
            Type::Pointer { pointee, .. } if matches!(**pointee, Type::Struct(_)) => {
                self.field(ret).0
            }
            t => self.ret(t, None),
        }
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
        // `const` of a pointer pointee follows its `*`: `const char *const *`.
        Type::Pointer { pointee, is_const } => match (&**pointee, is_const) {
            (Type::Pointer { .. }, true) => format!("{}const *", c_name(pointee, callbacks)),
            (_, true) => format!("const {} *", c_name(pointee, callbacks)),
            _ => format!("{} *", c_name(pointee, callbacks)),
        },
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
