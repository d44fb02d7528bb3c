//! `[callbacks.NAME]` (Python callables as function pointers of a
//! prototype, and host functions that register them) and `[constants]`.
use super::apply::{constants, listing, on_error};
use super::{Annotations, CallbackAnn};
use crate::Diagnostic;
use crate::model::{Interface, Keep, Signature, Type};
use toml::Spanned;

/// Applies `[callbacks.NAME]`: NAME is a function-pointer typedef (every
/// use of it changes), `Struct.field` or `function.param`.
pub(super) fn apply_callbacks(
    ann: &Annotations,
    iface: &mut Interface,
    errors: &mut Vec<Diagnostic>,
) {
    let consts = constants(iface);
    for (name, ca) in &ann.file.callbacks {
        let n = name.get_ref();
        let found = if let Some((outer, inner)) = n.split_once('.') {
            by_member(iface, outer, inner)
        } else {
            iface.callbacks.iter().position(|c| c.name == *n).map(|i| {
                let old = iface.callbacks[i].sig.clone();
                Target::Typedef(i, old)
            })
        };
        let Some(target) = found else {
            let mut names: Vec<String> = iface.callbacks.iter().map(|c| c.name.clone()).collect();
            for s in &iface.structs {
                for f in s.fields.iter().filter(|f| matches!(f.ty, Type::FnPtr(_))) {
                    names.push(format!("{}.{}", s.name, f.name));
                }
            }
            for f in &iface.functions {
                for p in f
                    .sig
                    .params
                    .iter()
                    .filter(|p| matches!(p.ty, Type::FnPtr(_)))
                {
                    names.push(format!("{}.{}", f.name, p.name));
                }
            }
            let msg = format!(
                "[callbacks]: no function-pointer typedef, `Struct.field` or `function.param` named `{n}`; there are: {}",
                listing(n, &names, 20)
            );
            errors.push(ann.error(name, msg));
            continue;
        };
        let mut sig = match &target {
            Target::Typedef(_, old) => old.clone(),
            Target::Field(s, f) => fn_sig(&iface.structs[*s].fields[*f].ty),
            Target::Param(g, p) => fn_sig(&iface.functions[*g].sig.params[*p].ty),
        };
        annotate(ann, ca, &mut sig, &consts, errors);
        match target {
            Target::Typedef(i, old) => {
                iface.callbacks[i].sig = sig.clone();
                replace_everywhere(iface, &old, &sig);
            }
            Target::Field(s, f) => iface.structs[s].fields[f].ty = Type::FnPtr(Box::new(sig)),
            Target::Param(g, p) => iface.functions[g].sig.params[p].ty = Type::FnPtr(Box::new(sig)),
        }
    }
}

enum Target {
    Typedef(usize, Signature),
    Field(usize, usize),
    Param(usize, usize),
}

fn fn_sig(ty: &Type) -> Signature {
    match ty {
        Type::FnPtr(s) => (**s).clone(),
        _ => unreachable!("checked by by_member"),
    }
}

fn by_member(iface: &Interface, outer: &str, inner: &str) -> Option<Target> {
    let is_fn = |t: &Type| matches!(t, Type::FnPtr(_));
    if let Some(s) = iface.structs.iter().position(|s| s.name == outer) {
        let f = iface.structs[s]
            .fields
            .iter()
            .position(|f| f.name == inner && is_fn(&f.ty))?;
        return Some(Target::Field(s, f));
    }
    let g = iface.functions.iter().position(|f| f.name == outer)?;
    let p = iface.functions[g]
        .sig
        .params
        .iter()
        .position(|p| p.name == inner && is_fn(&p.ty))?;
    Some(Target::Param(g, p))
}

/// Every use of typedef signature `old` (fields, parameters, nested
/// prototypes) becomes `new`.
fn replace_everywhere(iface: &mut Interface, old: &Signature, new: &Signature) {
    fn fix(ty: &mut Type, old: &Signature, new: &Signature) {
        match ty {
            Type::FnPtr(s) if **s == *old => **s = new.clone(),
            Type::FnPtr(s) => {
                for p in &mut s.params {
                    fix(&mut p.ty, old, new);
                }
            }
            Type::Pointer { pointee, .. } => fix(pointee, old, new),
            Type::Array { elem, .. } => fix(elem, old, new),
            _ => {}
        }
    }
    for s in &mut iface.structs {
        for f in &mut s.fields {
            fix(&mut f.ty, old, new);
        }
    }
    for f in &mut iface.functions {
        for p in &mut f.sig.params {
            fix(&mut p.ty, old, new);
        }
        fix(&mut f.sig.ret, old, new);
    }
    for c in &mut iface.callbacks {
        for p in &mut c.sig.params {
            fix(&mut p.ty, old, new);
        }
    }
}

fn annotate(
    ann: &Annotations,
    ca: &CallbackAnn,
    sig: &mut Signature,
    consts: &std::collections::HashMap<String, crate::model::ConstValue>,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(v) = &ca.on_error {
        match on_error(v, &sig.ret, consts) {
            Ok(e) => sig.on_error = Some(e),
            Err(m) => errors.push(ann.error(v, m)),
        }
    }
    if let Some(n) = &ca.pool {
        sig.pool = Some(*n.get_ref());
    }
    let names: Vec<String> = sig.params.iter().map(|p| p.name.clone()).collect();
    for (pname, pa) in &ca.params {
        let Some(i) = names.iter().position(|n| n == pname.get_ref()) else {
            let msg = format!(
                "no parameter `{}`; its parameters: {}",
                pname.get_ref(),
                names.join(", ")
            );
            errors.push(ann.error(pname, msg));
            continue;
        };
        if let Some(u) = &pa.user_data {
            let ty = &sig.params[i].ty;
            let void_ptr = matches!(ty, Type::Pointer { pointee, .. } if **pointee == Type::Void);
            let fn_ptr = matches!(ty, Type::FnPtr(_));
            let allowed = void_ptr || (fn_ptr && !*u.get_ref());
            if !allowed {
                errors.push(ann.error(u, "`user-data` is for a `void *` parameter (or `false` on a function pointer: its callable does not get the user data)"));
            }
            sig.params[i].user_data = Some(*u.get_ref());
        }
        if let Some(k) = &pa.keep {
            match keep(k, sig, i) {
                Ok(v) => sig.params[i].keep = Some(v),
                Err(m) => errors.push(ann.error(k, m)),
            }
        }
    }
}

/// `keep = "unload" | "until:PARAM"` on parameter `i` of `sig`.
fn keep(k: &Spanned<String>, sig: &Signature, i: usize) -> Result<Keep, String> {
    if !matches!(sig.params[i].ty, Type::FnPtr(_)) {
        return Err("`keep` is for a function-pointer parameter".into());
    }
    match k.get_ref().as_str() {
        "unload" => Ok(Keep::Unload),
        s => match s.strip_prefix("until:") {
            Some(d)
                if sig
                    .params
                    .iter()
                    .any(|p| p.name == d && matches!(p.ty, Type::FnPtr(_))) =>
            {
                Ok(Keep::Until(d.to_owned()))
            }
            Some(d) => Err(format!(
                "`keep`: no function-pointer parameter `{d}` (the destroy callback) in this prototype"
            )),
            None => Err(
                "`keep` is \"unload\" or \"until:PARAM\" (PARAM: the destroy callback's parameter)"
                    .into(),
            ),
        },
    }
}

/// `[constants] prefixes = [...]`: only constants whose name starts with
/// one of them reach the stubs.
pub(super) fn apply_constants(ann: &Annotations, iface: &mut Interface) {
    let Some(c) = &ann.file.constants else {
        return;
    };
    if c.prefixes.is_empty() {
        return;
    }
    iface
        .constants
        .retain(|k| c.prefixes.iter().any(|p| k.name.starts_with(p.as_str())));
}
