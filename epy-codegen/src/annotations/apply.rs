//! Checks annotations against the header and writes them into the model.
use super::{Annotations, EncodingName, FunctionAnn, HandleKind, OnError, ReceiverName};
use crate::model::{
    ConstValue, Descriptor, ErrorValue, Function, Interface, Method, Receiver, Role, Type,
};
use crate::{Diagnostic, Errors, Result};
use std::collections::HashMap;
use toml::Spanned;

/// Applies annotations to the model; names that match nothing are errors.
pub fn apply(ann: &Annotations, iface: &mut Interface) -> Result<()> {
    let consts = constants(iface);
    let all_names: Vec<String> = iface.functions.iter().map(|f| f.name.clone()).collect();
    let mut errors = Vec::new();
    descriptors(ann, iface, &consts, &mut errors);
    for (name, fa) in &ann.file.functions {
        match iface
            .functions
            .iter_mut()
            .find(|f| f.name == *name.get_ref())
        {
            Some(f) => function(ann, fa, f, &consts, &mut errors),
            None => {
                let msg = format!("no function `{}` in the header", name.get_ref());
                errors.push(unknown(ann, name, msg, "functions", &all_names));
            }
        }
    }
    let mut named = |name: &Spanned<String>, what: &str| {
        if !all_names.contains(name.get_ref()) {
            let msg = format!("{what}: no function `{}` in the header", name.get_ref());
            errors.push(unknown(ann, name, msg, "functions", &all_names));
        }
    };
    if let Some(ex) = &ann.file.exports {
        for n in ex.required.iter().chain(&ex.always) {
            named(n, "[exports]");
        }
        for set in &ex.one_of {
            for n in set.get_ref() {
                named(&Spanned::new(set.span(), n.clone()), "[exports] one-of");
            }
        }
    }
    for (name, sa) in &ann.file.structs {
        match iface.structs.iter_mut().find(|s| s.name == *name.get_ref()) {
            Some(s) => {
                if sa.packed.as_ref().is_some_and(|p| *p.get_ref()) {
                    s.packed = true;
                }
            }
            None => {
                let names: Vec<String> = iface.structs.iter().map(|s| s.name.clone()).collect();
                let msg = format!("no struct `{}` in the header", name.get_ref());
                errors.push(unknown(ann, name, msg, "structs", &names));
            }
        }
    }
    errors.sort_by_key(|d| d.loc.as_ref().map(|l| (l.line, l.col))); // in file order
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

/// Integer and float constants and enumerators, by name (for `on-error`).
pub(super) fn constants(iface: &Interface) -> HashMap<String, ConstValue> {
    let defines = iface
        .constants
        .iter()
        .map(|c| (c.name.clone(), c.value.clone()));
    let members = iface
        .enums
        .iter()
        .flat_map(|e| &e.members)
        .map(|(n, v)| (n.clone(), ConstValue::Int(*v)));
    defines.chain(members).collect()
}

fn function(
    ann: &Annotations,
    fa: &FunctionAnn,
    f: &mut Function,
    consts: &HashMap<String, ConstValue>,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(enc) = &fa.encoding {
        match string_type(&f.sig.ret, *enc.get_ref()) {
            Ok(ret) => {
                f.sig.ret = ret;
                f.ret_encoding = Some(enc.get_ref().model());
            }
            Err(need) => errors.push(ann.error(
                enc,
                format!("`{}` returns {}; {need}", f.name, c_type(&f.sig.ret)),
            )),
        }
    }
    if let Some(v) = &fa.on_error {
        match on_error(v, &f.sig.ret, consts) {
            Ok(value) => f.on_error = Some(value),
            Err(msg) => errors.push(ann.error(v, format!("`{}`: {msg}", f.name))),
        }
    }
    if let Some(k) = fa.length.as_ref() {
        errors.push(ann.error(
            k,
            "`length` is for struct fields; a parameter's goes under `params`",
        ));
    }
    if let Some(k) = fa.method.as_ref() {
        errors.push(ann.error(k, "`method` is for a descriptor's function-pointer fields"));
    }
    if let Some(d) = &fa.returns_descriptor {
        match &f.sig.ret {
            Type::Pointer { pointee, .. } if matches!(&**pointee, Type::Struct(_)) => {
                let Type::Struct(name) = &**pointee else {
                    unreachable!()
                };
                f.returns_descriptor = Some(name.clone());
            }
            other => errors.push(ann.error(
                d,
                format!(
                    "`returns-descriptor` needs a pointer to a struct; `{}` returns {}",
                    f.name,
                    c_type(other)
                ),
            )),
        }
    }
    if let Some(h) = &fa.returns_handle {
        if *h.get_ref() {
            if matches!(f.sig.ret, Type::Pointer { .. }) {
                f.returns_handle = true;
            } else {
                let msg = format!(
                    "`returns-handle` needs a pointer result; `{}` returns {}",
                    f.name,
                    c_type(&f.sig.ret)
                );
                errors.push(ann.error(h, msg));
            }
        }
    }
    let names: Vec<String> = f.sig.params.iter().map(|p| p.name.clone()).collect();
    for (pname, pa) in &fa.params {
        let Some(i) = names.iter().position(|n| *n == *pname.get_ref()) else {
            let msg = format!("`{}` has no parameter `{}`", f.name, pname.get_ref());
            errors.push(unknown(ann, pname, msg, "parameters", &names));
            continue;
        };
        if let Some(len) = &pa.length {
            let p = &f.sig.params[i];
            let other = f.sig.params.iter().find(|q| q.name == *len.get_ref());
            let problem = match other {
                _ if !matches!(p.ty, Type::Pointer { .. } | Type::Array { .. }) => Some(ann.error(
                    len,
                    format!(
                        "`length` needs a pointer; `{}` is {}",
                        p.name,
                        c_type(&p.ty)
                    ),
                )),
                None => {
                    let msg = format!("`{}` has no parameter `{}`", f.name, len.get_ref());
                    Some(unknown(ann, len, msg, "parameters", &names))
                }
                Some(q) if !matches!(q.ty, Type::Int { .. }) => Some(ann.error(
                    len,
                    format!(
                        "the length `{}` must be an integer; it is {}",
                        q.name,
                        c_type(&q.ty)
                    ),
                )),
                Some(_) => None,
            };
            match problem {
                Some(d) => errors.push(d),
                None => f.sig.params[i].length = Some((len.get_ref()).clone()),
            }
        }
        if let Some(r) = &pa.receiver {
            if *r.get_ref() == ReceiverName::Handle {
                f.sig.params[i].role = Some(Role::Handle { optional: false });
            }
        }
        if let Some(h) = &pa.handle {
            let p = &mut f.sig.params[i];
            if matches!(p.ty, Type::Pointer { .. }) {
                let optional = *h.get_ref() == HandleKind::Optional;
                p.role = Some(Role::Handle { optional });
            } else {
                let msg = format!(
                    "`handle` needs a pointer; `{}` is {}",
                    p.name,
                    c_type(&p.ty)
                );
                errors.push(ann.error(h, msg));
            }
        }
        if let Some(l) = &pa.string_list {
            let p = &mut f.sig.params[i];
            if !*l.get_ref() {
            } else if crate::model::string_encoding(
                &p.ty,
                p.encoding
                    .or(pa.encoding.as_ref().map(|e| e.get_ref().model())),
            )
            .is_some()
            {
                p.role = Some(Role::StringList);
            } else {
                let msg = format!(
                    "`string-list` needs a pointer to characters; `{}` is {}",
                    p.name,
                    c_type(&p.ty)
                );
                errors.push(ann.error(l, msg));
            }
        }
        if let Some(r) = &pa.rewrite {
            if let Err(msg) = super::rewrite::apply(f, i, pa, r.get_ref(), consts) {
                errors.push(ann.error(r, msg));
            }
        }
        if let Some(cap) = &pa.capacity {
            let enc = f.sig.params[i]
                .encoding
                .or(pa.encoding.as_ref().map(|e| e.get_ref().model()));
            let writable = matches!(
                f.sig.params[i].ty,
                Type::Pointer {
                    is_const: false,
                    ..
                }
            );
            let is_text = crate::model::string_encoding(&f.sig.params[i].ty, enc).is_some();
            let n = f.sig.params.iter().position(|q| q.name == *cap.get_ref());
            match n {
                Some(n)
                    if writable && is_text && matches!(f.sig.params[n].ty, Type::Int { .. }) =>
                {
                    f.sig.params[i].role = Some(Role::Output { capacity: n });
                }
                Some(_) | None => {
                    let msg = format!(
                        "`capacity` needs a writable pointer to characters and an integer parameter of `{}` with its capacity",
                        f.name,
                    );
                    let d = ann.error(cap, msg);
                    let d = if n.is_none() {
                        d.suggest(cap.get_ref(), &names)
                    } else {
                        d
                    };
                    errors.push(d.note(format!(
                        "its parameters: {}",
                        listing(cap.get_ref(), &names, 20)
                    )));
                }
            }
        }
        if let Some(enc) = &pa.encoding {
            let p = &mut f.sig.params[i];
            match string_type(&p.ty, *enc.get_ref()) {
                Ok(ty) => {
                    p.ty = ty;
                    p.encoding = Some(enc.get_ref().model());
                }
                Err(need) => errors
                    .push(ann.error(enc, format!("`{}` is {}; {need}", p.name, c_type(&p.ty)))),
            }
        }
    }
    releases(ann, fa, f, errors);
}

/// `[structs.NAME] descriptor = true`: the struct's function-pointer fields
/// become methods (annotated like functions under `fields`), its pointer
/// fields with a `length` become arrays.
fn descriptors(
    ann: &Annotations,
    iface: &mut Interface,
    consts: &HashMap<String, ConstValue>,
    errors: &mut Vec<Diagnostic>,
) {
    for (sname, sa) in &ann.file.structs {
        let is_descriptor = sa.descriptor.as_ref().is_some_and(|d| *d.get_ref());
        let Some(st) = iface
            .structs
            .iter()
            .find(|s| s.name == *sname.get_ref())
            .cloned()
        else {
            continue; // reported by `apply`
        };
        if !is_descriptor {
            if let Some((f, _)) = sa.fields.iter().next() {
                errors.push(ann.error(f, "`fields` need `descriptor = true` on the struct"));
            }
            continue;
        }
        let field_names: Vec<String> = st.fields.iter().map(|f| f.name.clone()).collect();
        for fname in sa.fields.keys() {
            if !field_names.contains(fname.get_ref()) {
                let msg = format!("`{}` has no field `{}`", st.name, fname.get_ref());
                errors.push(unknown(ann, fname, msg, "fields", &field_names));
            }
        }
        let mut d = Descriptor {
            name: st.name.clone(),
            lengths: vec![],
            methods: vec![],
        };
        let default = FunctionAnn::default();
        for field in &st.fields {
            let fa = sa
                .fields
                .iter()
                .find(|(n, _)| *n.get_ref() == field.name)
                .map(|(_, fa)| fa);
            if let Type::FnPtr(sig) = &field.ty {
                let fa = fa.unwrap_or(&default);
                let mut func = Function {
                    name: format!("{}.{}", st.name, field.name),
                    sig: (**sig).clone(),
                    doc: field.doc.clone(),
                    loc: field.loc.clone(),
                    on_error: None,
                    ret_encoding: None,
                    returns_handle: false,
                    releases: None,
                    returns_descriptor: None,
                    extern_decl: false,
                };
                let method = fa.method.as_ref().map(|m| m.get_ref().clone());
                let length = fa.length.as_ref();
                // `length`/`method` belong to the field, not to the function.
                let mut as_function = fa.clone();
                as_function.length = None;
                as_function.method = None;
                function(ann, &as_function, &mut func, consts, errors);
                if let Some(k) = length {
                    errors.push(
                        ann.error(k, "`length` is for pointer fields, not function pointers"),
                    );
                }
                let receiver = fa.params.iter().find_map(|(p, pa)| {
                    let kind = match pa.receiver.as_ref()?.get_ref() {
                        ReceiverName::Descriptor => Receiver::Descriptor,
                        ReceiverName::Handle => Receiver::Handle,
                    };
                    let i = func
                        .sig
                        .params
                        .iter()
                        .position(|q| q.name == *p.get_ref())?;
                    Some((i, kind))
                });
                let Some((receiver, receiver_kind)) = receiver else {
                    let at = sa
                        .fields
                        .keys()
                        .find(|n| *n.get_ref() == field.name)
                        .unwrap_or(sname);
                    errors.push(ann.error(
                        at,
                        format!(
                            "`{}.{}`: say which parameter identifies the object (`[structs.{}.fields.{}.params.NAME] receiver = \"descriptor\"` or `\"handle\"`)",
                            st.name, field.name, st.name, field.name
                        ),
                    ));
                    continue;
                };
                d.methods.push(Method {
                    field: field.name.clone(),
                    name: method.unwrap_or_else(|| field.name.clone()),
                    func,
                    receiver,
                    receiver_kind,
                });
            } else if let Some(fa) = fa {
                if let Some(len) = &fa.length {
                    let ok_ptr = matches!(field.ty, Type::Pointer { .. });
                    let ok_len = st
                        .fields
                        .iter()
                        .any(|f| f.name == *len.get_ref() && matches!(f.ty, Type::Int { .. }));
                    if ok_ptr && ok_len {
                        d.lengths.push((field.name.clone(), len.get_ref().clone()));
                    } else {
                        let msg = format!(
                            "`length` needs a pointer field and an integer field of `{}` holding its length",
                            st.name
                        );
                        errors.push(ann.error(len, msg));
                    }
                }
            }
        }
        iface.descriptors.push(d);
    }
}

/// Checks `releases = "PARAM"`: a handle parameter of the function.
fn releases(ann: &Annotations, fa: &FunctionAnn, f: &mut Function, errors: &mut Vec<Diagnostic>) {
    let Some(r) = &fa.releases else { return };
    match f.sig.params.iter().find(|p| p.name == *r.get_ref()) {
        Some(p) if matches!(p.role, Some(Role::Handle { .. })) => {
            f.releases = Some(r.get_ref().clone())
        }
        Some(p) => errors.push(ann.error(
            r,
            format!(
                "`releases` names `{}`, which is not a handle (add `handle = \"required\"` to it)",
                p.name
            ),
        )),
        None => {
            let names: Vec<String> = f.sig.params.iter().map(|p| p.name.clone()).collect();
            let msg = format!("`{}` has no parameter `{}`", f.name, r.get_ref());
            errors.push(unknown(ann, r, msg, "parameters", &names));
        }
    }
}

/// Checks that `ty` points to characters of the encoding's width and, for
/// UTF-16, makes them `WChar`. `Err` says what the encoding needs.
fn string_type(ty: &Type, enc: EncodingName) -> std::result::Result<Type, String> {
    let utf16 = enc == EncodingName::Utf16;
    let fits = |c: &Type| match c {
        Type::Int { bits: 16, .. } | Type::WChar => utf16,
        Type::Int { bits: 8, .. } | Type::Char => !utf16,
        _ => false,
    };
    let chars = |c: &Type| Box::new(if utf16 { Type::WChar } else { c.clone() });
    match ty {
        Type::Pointer { pointee, is_const } if fits(pointee) => Ok(Type::Pointer {
            pointee: chars(pointee),
            is_const: *is_const,
        }),
        Type::Array { elem, len } if fits(elem) => Ok(Type::Array {
            elem: chars(elem),
            len: *len,
        }),
        _ => {
            let width = if utf16 { 16 } else { 8 };
            Err(format!(
                "`encoding = \"{}\"` needs a pointer to {width}-bit characters",
                enc.as_str()
            ))
        }
    }
}

/// Resolves an `on-error` value against the function's return type.
pub(super) fn on_error(
    v: &Spanned<OnError>,
    ret: &Type,
    consts: &HashMap<String, ConstValue>,
) -> std::result::Result<ErrorValue, String> {
    let value = match v.get_ref() {
        OnError::Int(i) => ErrorValue::Int(*i),
        OnError::Float(x) => ErrorValue::Float(*x),
        OnError::Name(n) => match consts.get(n) {
            Some(ConstValue::Int(i)) => ErrorValue::Int(*i),
            Some(ConstValue::Float(x)) => ErrorValue::Float(*x),
            Some(ConstValue::Str(_)) => {
                return Err(format!("`on-error` constant `{n}` is a string"));
            }
            None => {
                return Err(format!(
                    "`on-error`: no constant or enumerator `{n}` in the header"
                ));
            }
        },
    };
    match (ret, value) {
        (Type::Float | Type::Double, ErrorValue::Int(i)) => Ok(ErrorValue::Float(i as f64)),
        (Type::Float | Type::Double, v @ ErrorValue::Float(_)) => Ok(v),
        (Type::Int { bits, .. }, ErrorValue::Int(i)) if !fits(i, *bits) => Err(format!(
            "`on-error` value {i} does not fit in {}",
            c_type(ret)
        )),
        (Type::Bool, ErrorValue::Int(i)) if !(0..=1).contains(&i) => {
            Err("`on-error` for a bool is 0 or 1".into())
        }
        (
            Type::Int { .. }
            | Type::Bool
            | Type::Char
            | Type::WChar
            | Type::Enum(_)
            | Type::Pointer { .. }
            | Type::FnPtr(_),
            v @ ErrorValue::Int(_),
        ) => Ok(v),
        (Type::Void, _) => Err("returns void: there is no value to return on error".into()),
        (
            Type::Int { .. } | Type::Bool | Type::Char | Type::WChar | Type::Enum(_),
            ErrorValue::Float(_),
        ) => Err(format!(
            "`on-error` is a float but the function returns {}",
            c_type(ret)
        )),
        _ => Err(format!(
            "`on-error` cannot be given for a function returning {}",
            c_type(ret)
        )),
    }
}

/// Whether `i` fits in `bits` bits, as signed or as unsigned.
fn fits(i: i64, bits: u8) -> bool {
    bits >= 64 || (-(1i64 << (bits - 1))..(1i64 << bits)).contains(&i)
}

/// A type as a C programmer would read it, for messages.
pub(crate) fn c_type(ty: &Type) -> String {
    match ty {
        Type::Void => "void".into(),
        Type::Bool => "bool".into(),
        Type::Char => "char".into(),
        Type::WChar => "a 16-bit character".into(),
        Type::Int { bits, signed: true } => format!("int{bits}_t"),
        Type::Int {
            bits,
            signed: false,
        } => format!("uint{bits}_t"),
        Type::Float => "float".into(),
        Type::Double => "double".into(),
        Type::Pointer { pointee, is_const } => {
            format!(
                "{}{} *",
                if *is_const { "const " } else { "" },
                c_type(pointee)
            )
        }
        Type::Array { elem, len } => format!("{}[{len}]", c_type(elem)),
        Type::Struct(n) => format!("struct {n}"),
        Type::Enum(n) => format!("enum {n}"),
        Type::FnPtr(_) => "a function pointer".into(),
    }
}

/// An error at a name that matches none of `names` (the `what` of the
/// item): the nearest as a `help:` line, the closest few as a `note:`.
fn unknown(
    ann: &Annotations,
    at: &Spanned<String>,
    message: String,
    what: &str,
    names: &[String],
) -> Diagnostic {
    let wanted = at.get_ref();
    ann.error(at, message)
        .label("not found")
        .suggest(wanted, names)
        .note(format!("its {what}: {}", listing(wanted, names, 20)))
}

/// "a, b, c and 3 more", the names closest to `wanted` first, at most `max`.
pub(super) fn listing(wanted: &str, names: &[String], max: usize) -> String {
    if names.is_empty() {
        return "none".into();
    }
    let mut sorted: Vec<&String> = names.iter().collect();
    sorted.sort_by_key(|n| (strsim::levenshtein(wanted, n), n.as_str()));
    let shown: Vec<&str> = sorted.iter().take(max).map(|n| n.as_str()).collect();
    let more = names.len().saturating_sub(max);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{}{tail}", shown.join(", "))
}
