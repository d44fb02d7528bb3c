//! View structs for the `.pyi` templates: Python type strings and cleaned
//! docstrings are computed here, so templates hold no logic.
use crate::model::{ConstValue, Encoding, Interface, Signature, Type};
use askama::Template;

#[derive(Template)]
#[template(path = "module.pyi", escape = "none")]
pub struct ModuleView {
    pub header: String,
    pub module: String,
    pub constants: Vec<ConstView>,
    pub enums: Vec<EnumView>,
    pub structs: Vec<StructView>,
    pub callbacks: Vec<CallbackView>,
    pub exports: Vec<FuncView>,
}

pub struct ConstView {
    pub name: String,
    pub ty: &'static str,
    pub doc: String,
}

pub struct EnumView {
    pub name: String,
    pub doc: String,
    pub members: Vec<(String, i64)>,
}

pub struct StructView {
    pub name: String,
    pub doc: String,
    pub fields: Vec<FieldView>,
}

pub struct FieldView {
    pub name: String,
    pub ty: String,
    pub readonly: bool,
    pub doc: String,
}

pub struct CallbackView {
    pub name: String,
    pub ty: String,
}

pub struct FuncView {
    pub name: String,
    /// `a: int, b: int` (without `self`).
    pub params: String,
    pub ret: String,
    pub doc: String,
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn py_name(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// A docstring body: no triple quotes, no backslash escapes, never empty.
fn doc(d: Option<&str>, fallback: &str) -> String {
    let d = d
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(fallback);
    d.replace('\\', "\\\\")
        .replace("\"\"\"", "'''")
        .replace('\n', "\n    ")
}

struct Lower<'a> {
    iface: &'a Interface,
    callbacks: Vec<(String, Signature)>,
}

impl Lower<'_> {
    fn callback_name(&self, sig: &Signature) -> Option<&str> {
        self.callbacks
            .iter()
            .find(|(_, s)| s == sig)
            .map(|(n, _)| n.as_str())
    }

    /// What Python reads from a struct field (and whether it is read-only).
    fn field(&self, ty: &Type) -> (String, bool) {
        match ty {
            Type::Bool => ("bool".into(), false),
            Type::Char | Type::Int { .. } | Type::WChar => ("int".into(), false),
            Type::Float | Type::Double => ("float".into(), false),
            Type::Array { elem, .. } => match &**elem {
                Type::Char | Type::WChar => ("str".into(), false),
                Type::Struct(s) => (format!("list[{s}]"), true),
                _ => ("memoryview".into(), true),
            },
            Type::Struct(s) => (s.clone(), false),
            Type::Enum(e) => (e.clone(), false),
            Type::Pointer { pointee, .. } => match &**pointee {
                Type::Char | Type::WChar => ("str | None".into(), true),
                Type::Struct(s) => (format!("{s} | None"), true),
                _ => ("int".into(), false),
            },
            Type::FnPtr(sig) => (
                format!(
                    "{} | None",
                    self.callback_name(sig)
                        .map(str::to_owned)
                        .unwrap_or_else(|| "Callable[..., object]".into())
                ),
                true,
            ),
            Type::Void => ("None".into(), true),
        }
    }

    /// What the script's function receives for a parameter.
    fn param(&self, ty: &Type, length: bool, enc: Option<Encoding>) -> String {
        if length {
            return "memoryview".into();
        }
        if let Some(e) = string(ty, enc) {
            return if e == Encoding::Bytes {
                "bytes | None".into()
            } else {
                "str | None".into()
            };
        }
        match ty {
            Type::Bool => "bool".into(),
            Type::Char | Type::Int { .. } | Type::WChar => "int".into(),
            Type::Float | Type::Double => "float".into(),
            Type::Enum(e) | Type::Struct(e) => e.clone(),
            Type::Pointer { pointee, .. } => match &**pointee {
                Type::Struct(s) => s.clone(),
                _ => "int | None".into(),
            },
            Type::FnPtr(sig) => self
                .callback_name(sig)
                .unwrap_or("Callable[..., object]")
                .to_owned(),
            Type::Array { .. } => "int | None".into(),
            Type::Void => "None".into(),
        }
    }

    /// What the script's function returns.
    fn ret(&self, ty: &Type, enc: Option<Encoding>) -> String {
        if let Some(e) = string(ty, enc) {
            return if e == Encoding::Bytes {
                "bytes | str | None".into()
            } else {
                "str | None".into()
            };
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

    /// A host callback as the script calls it.
    fn callable(&self, sig: &Signature) -> String {
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
                    _ => "int | None".into(),
                }
            })
            .collect();
        let ret = match &sig.ret {
            Type::Void => "None".to_owned(),
            Type::Pointer { pointee, .. } if matches!(**pointee, Type::Struct(_)) => {
                self.field(&sig.ret).0
            }
            t => self.ret(t, None),
        };
        format!("Callable[[{}], {ret}]", args.join(", "))
    }
}

fn string(ty: &Type, enc: Option<Encoding>) -> Option<Encoding> {
    let Type::Pointer { pointee, .. } = ty else {
        return None;
    };
    match (&**pointee, enc) {
        (Type::Char, e) => Some(e.unwrap_or(Encoding::Utf8)),
        (Type::WChar, _) => Some(Encoding::Utf16),
        (Type::Int { bits: 8, .. } | Type::Int { bits: 16, .. }, Some(e)) => Some(e),
        _ => None,
    }
}

/// Collects a struct's Python-visible fields (anonymous members flattened).
fn fields(l: &Lower, s: &crate::model::Struct, out: &mut Vec<FieldView>) {
    for f in &s.fields {
        if f.name.is_empty() {
            if let Type::Struct(inner) = &f.ty {
                if let Some(inner) = l.iface.struct_named(inner) {
                    fields(l, inner, out);
                }
            }
            continue;
        }
        if KEYWORDS.contains(&f.name.as_str()) {
            continue; // not expressible in a stub; still reachable with getattr
        }
        let (ty, readonly) = if f.bits.is_some() {
            ("int".into(), false)
        } else {
            l.field(&f.ty)
        };
        out.push(FieldView {
            name: f.name.clone(),
            ty,
            readonly,
            doc: doc(f.doc.as_deref(), ""),
        });
    }
}

pub fn lower(iface: &Interface) -> ModuleView {
    let mut callbacks: Vec<(String, Signature)> = iface
        .callbacks
        .iter()
        .map(|c| (c.name.clone(), c.sig.clone()))
        .collect();
    let mut note = |ty: &Type, name: String| {
        if let Type::FnPtr(sig) = ty {
            if !callbacks.iter().any(|(_, s)| s == &**sig) {
                callbacks.push((name, (**sig).clone()));
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
    let l = Lower { iface, callbacks };
    let constants = iface
        .constants
        .iter()
        .map(|c| ConstView {
            name: c.name.clone(),
            ty: match c.value {
                ConstValue::Int(_) => "int",
                ConstValue::Float(_) => "float",
                ConstValue::Str(_) => "str",
            },
            doc: doc(c.doc.as_deref(), ""),
        })
        .collect();
    let enums = iface
        .enums
        .iter()
        .map(|e| EnumView {
            name: e.name.clone(),
            doc: doc(e.doc.as_deref(), &format!("C enum `{}`.", e.name)),
            members: e.members.clone(),
        })
        .collect();
    let structs = iface
        .structs
        .iter()
        .map(|s| {
            let mut fv = Vec::new();
            fields(&l, s, &mut fv);
            let kind = if s.is_union { "union" } else { "struct" };
            StructView {
                name: s.name.clone(),
                doc: doc(
                    s.doc.as_deref(),
                    &format!("A live view of C {kind} `{}` ({} bytes).", s.name, s.size),
                ),
                fields: fv,
            }
        })
        .collect();
    let callbacks = l
        .callbacks
        .iter()
        .map(|(name, sig)| CallbackView {
            name: name.clone(),
            ty: l.callable(sig),
        })
        .collect();
    let exports = iface
        .functions
        .iter()
        .filter(|f| !f.sig.variadic)
        .map(|f| FuncView {
            name: py_name(&f.name),
            params: f
                .sig
                .params
                .iter()
                .map(|p| {
                    format!(
                        "{}: {}",
                        py_name(&p.name),
                        l.param(&p.ty, p.length.is_some(), p.encoding)
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
            ret: l.ret(&f.sig.ret, f.ret_encoding),
            doc: doc(
                f.doc.as_deref(),
                &format!("`{}` of {}.", f.name, iface.module),
            ),
        })
        .collect();
    let header = iface
        .functions
        .first()
        .and_then(|f| f.loc.file.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("{}.h", iface.module));
    ModuleView {
        header,
        module: iface.module.clone(),
        constants,
        enums,
        structs,
        callbacks,
        exports,
    }
}
