//! View structs for the `.pyi` templates and the lowering that fills them:
//! Python type strings, declarations and indented docstrings are final
//! here, so the templates only place them.
use super::pytypes::{Access, PyTypes, c_signature, int_range};
use crate::model::{ConstValue, Encoding, Function, Interface, Role, Signature, Struct, Type};
use crate::plan::Plan;
use askama::Template;

#[derive(Template)]
#[template(path = "module.pyi", escape = "none")]
pub struct ModuleView {
    pub header: String,
    pub module: String,
    /// `from … import …` lines.
    pub imports: Vec<String>,
    /// Whether an export takes a typed pointer (`ptr.pyi` is included).
    pub ptr: bool,
    pub constants: Vec<ConstView>,
    pub enums: Vec<EnumView>,
    pub structs: Vec<StructView>,
    pub callbacks: Vec<CallbackView>,
    pub exports: Vec<FuncView>,
    /// The host's functions the script calls (`Plan::host_fns`).
    pub host_fns: Vec<FuncView>,
    /// The interface pack's stubs for its Python layer (may be empty).
    pub layer: String,
    /// Some host function takes callables through user data: declare
    /// `user_data(address)` (the runtime defines it in every module).
    pub user_data: bool,
}

pub struct ConstView {
    pub name: String,
    /// What follows `NAME: ` (`Final = 1000`).
    pub decl: String,
    pub doc: String,
}

pub struct EnumView {
    pub name: String,
    pub doc: String,
    pub members: Vec<(String, i64)>,
    /// Members also named at module level, as C names them (skipping
    /// names the module already has).
    pub aliases: Vec<String>,
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
    /// Type a property setter accepts when wider than `ty`; empty if none.
    pub setter: String,
    pub doc: String,
}

pub struct CallbackView {
    pub name: String,
    pub ty: String,
    pub doc: String,
}

pub struct FuncView {
    pub name: String,
    /// `a: int, b: int` (without `self`).
    pub params: String,
    /// `Callable[[int, int], int]`.
    pub callable: String,
    pub ret: String,
    pub doc: String,
}

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// A parameter name Python accepts (`from` → `from_`; `self` is taken).
pub(super) fn param_name(name: &str) -> String {
    if KEYWORDS.contains(&name) || name == "self" {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// A docstring body for a docstring opened at `indent` spaces: continuation
/// lines indented to match, no `"""` or trailing backslash inside, blank
/// lines empty. `fallback` when the header has no comment.
pub(super) fn doc(d: Option<&str>, fallback: &str, indent: usize) -> String {
    let d = d
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(fallback);
    let d = d.replace('\\', "\\\\").replace("\"\"\"", "'''");
    let pad = " ".repeat(indent);
    let mut lines = d.lines().map(str::trim_end);
    let mut out = lines.next().unwrap_or_default().to_owned();
    let rest: Vec<&str> = lines.collect();
    // Common indentation goes (as `inspect.cleandoc` would), relative stays.
    let common = rest
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    for l in rest {
        out.push('\n');
        if !l.is_empty() {
            out.push_str(&pad);
            out.push_str(&l[common..]);
        }
    }
    if out.ends_with('"') {
        out.push(' '); // `""""` would close the docstring early
    }
    out
}

/// A Python string literal.
fn py_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn constant(c: &crate::model::Constant) -> ConstView {
    let decl = match &c.value {
        ConstValue::Int(v) => format!("Final = {v}"),
        ConstValue::Float(v) if v.is_finite() => format!("Final = {v:?}"),
        ConstValue::Float(_) => "Final[float]".into(),
        ConstValue::Str(s) => format!("Final = {}", py_str(s)),
    };
    ConstView {
        name: c.name.clone(),
        decl,
        doc: doc(c.doc.as_deref(), "", 0),
    }
}

/// A struct's Python-visible fields: anonymous members flattened, unnamed
/// and unmappable bitfields and keyword-named fields left out (the last are
/// still reachable with `getattr`).
fn fields(iface: &Interface, t: &PyTypes, s: &Struct, out: &mut Vec<FieldView>) {
    for f in &s.fields {
        if f.name.is_empty() {
            if let Type::Struct(inner) = &f.ty {
                if let Some(inner) = iface.struct_named(inner) {
                    fields(iface, t, inner, out);
                }
            }
            continue;
        }
        if KEYWORDS.contains(&f.name.as_str()) {
            continue;
        }
        let (ty, access) = if f.bits.is_some() {
            if crate::emit::bit_unit(f, s.size).is_none() {
                continue;
            }
            ("int".into(), Access::Plain)
        } else {
            t.field(&f.ty)
        };
        let (readonly, setter) = match access {
            Access::Plain => (false, String::new()),
            Access::ReadOnly => (true, String::new()),
            Access::Setter(s) => (false, s),
        };
        let indent = if readonly || !setter.is_empty() { 8 } else { 4 };
        // Integers say what C holds: a value out of range fails at run time.
        let range = int_range(&f.ty, f.bits.map(|b| b.1));
        out.push(FieldView {
            name: f.name.clone(),
            ty,
            readonly,
            setter,
            doc: doc(joined(f.doc.as_deref(), range).as_deref(), "", indent),
        });
    }
}

/// `a` and `b` as one docstring, a blank line between.
pub(super) fn joined(a: Option<&str>, b: Option<String>) -> Option<String> {
    match (a.map(str::trim).filter(|a| !a.is_empty()), b) {
        (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
        (a, b) => b.or(a.map(str::to_owned)),
    }
}

/// An export as the script defines it: Python parameters (output buffers
/// are returned instead), the result, the header's doc and C signature.
fn export(
    t: &PyTypes,
    callbacks: &[(String, Signature)],
    iface: &Interface,
    f: &Function,
) -> FuncView {
    let params: Vec<(String, String)> = f
        .sig
        .params
        .iter()
        .filter(|p| !matches!(p.role, Some(Role::Output { .. })))
        .map(|p| {
            let ty = match p.role {
                // Whatever object the script returned for it.
                Some(Role::Handle { .. }) => "Any".to_owned(),
                Some(Role::StringList)
                    if crate::model::string_encoding(&p.ty, p.encoding)
                        == Some(Encoding::Bytes) =>
                {
                    "list[bytes]".to_owned()
                }
                Some(Role::StringList | Role::Argv { .. } | Role::Strv) => "list[str]".to_owned(),
                Some(Role::Ptr) => format!("{} | None", crate::model::typed_ptr::py_type(&p.ty)),
                Some(Role::Output { .. }) => unreachable!("filtered above"),
                Some(Role::Rewrite { .. }) | None => t.param(&p.ty, p.length.is_some(), p.encoding),
            };
            (param_name(&p.name), ty)
        })
        .collect();
    let ret = if f.returns_handle || f.returns_descriptor.is_some() {
        "object".to_owned()
    } else if let n @ 1.. = outputs(f) {
        // One text per host buffer, after the value if any.
        let mut parts = vec!["str"; n];
        let value = t.ret(&f.sig.ret, f.ret_encoding);
        if f.sig.ret != Type::Void {
            parts.insert(0, &value);
        }
        match parts[..] {
            [one] => one.to_owned(),
            _ => format!("tuple[{}]", parts.join(", ")),
        }
    } else if rewrites(f) {
        // The value, or the value and the parameter's new text.
        let value = t.ret(&f.sig.ret, f.ret_encoding);
        if f.sig.ret == Type::Void {
            "str | None".to_owned()
        } else {
            format!("{value} | tuple[{value}, str]")
        }
    } else {
        t.ret(&f.sig.ret, f.ret_encoding)
    };
    let types: Vec<&str> = params.iter().map(|(_, ty)| ty.as_str()).collect();
    let fallback = format!("`{}` of {}.", f.name, crate::emit::header_name(iface));
    let c = format!("C: `{}`", c_signature(&f.name, &f.sig, callbacks));
    FuncView {
        name: param_name(&f.name),
        params: params
            .iter()
            .map(|(n, ty)| format!("{n}: {ty}"))
            .collect::<Vec<_>>()
            .join(", "),
        callable: format!("Callable[[{}], {ret}]", types.join(", ")),
        ret,
        doc: doc(
            joined(Some(f.doc.as_deref().unwrap_or(&fallback)), Some(c)).as_deref(),
            "",
            8,
        ),
    }
}

/// How many output string buffers (`capacity`) `f` has.
fn outputs(f: &Function) -> usize {
    let params = f.sig.params.iter();
    params
        .filter(|p| matches!(p.role, Some(Role::Output { .. })))
        .count()
}

/// Whether `f` may replace a string parameter in place (`Role::Rewrite`).
fn rewrites(f: &Function) -> bool {
    f.sig
        .params
        .iter()
        .any(|p| matches!(p.role, Some(Role::Rewrite { .. })))
}

pub fn lower(plan: &Plan) -> ModuleView {
    let (iface, callbacks) = (&plan.iface, &plan.callbacks);
    let t = PyTypes {
        callbacks,
        pooled: &plan.pooled,
    };
    let structs: Vec<StructView> = plan
        .python_structs()
        .map(|s| {
            let mut fv = Vec::new();
            fields(iface, &t, s, &mut fv);
            let kind = if s.is_union { "union" } else { "struct" };
            let fallback = format!("A live view of C {kind} `{}` ({} bytes).", s.name, s.size);
            StructView {
                name: s.name.clone(),
                doc: doc(s.doc.as_deref(), &fallback, 4),
                fields: fv,
            }
        })
        .collect();
    let callback_views: Vec<CallbackView> = callbacks
        .iter()
        .map(|(name, sig)| CallbackView {
            name: name.clone(),
            ty: t.callable(sig),
            doc: doc(
                iface
                    .callbacks
                    .iter()
                    .find(|c| &c.name == name)
                    .and_then(|c| c.doc.as_deref()),
                "",
                0,
            ),
        })
        .collect();
    let exports: Vec<FuncView> = iface
        .exportable()
        .map(|f| export(&t, callbacks, iface, f))
        .collect();
    let host_fns: Vec<FuncView> = plan
        .host_fns
        .iter()
        .filter_map(|n| iface.function_named(n))
        .map(|f| super::host_fns::host_fn(&t, iface, f))
        .collect();
    let mut imports = Vec::new();
    let uses = |s: &str| {
        let in_fields = structs
            .iter()
            .flat_map(|s| &s.fields)
            .any(|f| f.ty.contains(s) || f.setter.contains(s));
        in_fields
            || callback_views.iter().any(|c| c.ty.contains(s))
            || exports
                .iter()
                .chain(&host_fns)
                .any(|f| f.params.contains(s) || f.ret.contains(s))
    };
    if uses("Callable[") || !exports.is_empty() {
        imports.push("from collections.abc import Callable".to_owned());
    }
    if !iface.enums.is_empty() {
        imports.push("from enum import IntEnum".to_owned());
    }
    let any = if exports.iter().any(|f| f.params.contains(": Any")) || uses("Any") {
        "Any, "
    } else {
        ""
    };
    // Enumerators are module-level names in C too (the runtime's
    // `marshal/module.rs` adds the same ones).
    let mut taken: std::collections::HashSet<String> = iface
        .constants
        .iter()
        .map(|c| c.name.clone())
        .chain(structs.iter().map(|s| s.name.clone()))
        .chain(iface.enums.iter().map(|e| e.name.clone()))
        .chain(callbacks.iter().map(|(n, _)| n.clone()))
        .chain(["Exports".to_owned(), "check_exports".to_owned()])
        .collect();
    let fin = if iface.constants.is_empty() && iface.enums.iter().all(|e| e.members.is_empty()) {
        ""
    } else {
        "Final, "
    };
    let ptr = uses("Ptr[");
    let generic = if ptr { "Generic, " } else { "" };
    let tv = if ptr { ", TypeVar" } else { "" };
    imports.push(format!(
        "from typing import {any}{fin}{generic}Protocol{tv}"
    ));
    ModuleView {
        header: crate::emit::header_name(iface),
        module: iface.module.clone(),
        imports,
        ptr,
        // Keyword names cannot be declared; at run time they exist all the
        // same (`getattr(module, "None")`, `Clash["None"]`).
        constants: iface
            .constants
            .iter()
            .filter(|c| !KEYWORDS.contains(&c.name.as_str()))
            .map(constant)
            .collect(),
        enums: iface
            .enums
            .iter()
            .map(|e| {
                let members: Vec<(String, i64)> = e
                    .members
                    .iter()
                    .filter(|(m, _)| !KEYWORDS.contains(&m.as_str()))
                    .cloned()
                    .collect();
                let aliases = members
                    .iter()
                    .filter(|(m, _)| taken.insert(m.clone()))
                    .map(|(m, _)| m.clone())
                    .collect();
                EnumView {
                    name: e.name.clone(),
                    doc: doc(e.doc.as_deref(), &format!("C enum `{}`.", e.name), 4),
                    members,
                    aliases,
                }
            })
            .collect(),
        structs,
        callbacks: callback_views,
        exports,
        host_fns,
        user_data: callbacks
            .iter()
            .any(|(_, s)| crate::callables::user_data_params(s).is_some()),
        layer: iface
            .python_stubs
            .clone()
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docstrings_stay_inside_their_quotes() {
        assert_eq!(doc(Some(" a\n\n  b \n    c"), "", 4), "a\n\n    b\n      c");
        assert_eq!(doc(Some(r#"say """hi""#), "", 0), r#"say '''hi" "#);
        assert_eq!(doc(Some(r"C:\dir"), "", 0), r"C:\\dir");
        assert_eq!(doc(None, "fallback", 0), "fallback");
    }

    #[test]
    fn string_constants_are_python_literals() {
        assert_eq!(py_str("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\x01""#);
    }
}
