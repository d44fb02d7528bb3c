//! The host's functions the script calls, typed as module-level functions
//! of the stub module: arguments as their invoker accepts them (those of a
//! callback), out-strings (`const char **`) returned after the result.
use super::pytypes::{PyTypes, c_signature};
use super::view::{FuncView, doc, joined, param_name};
use crate::emit::host_params::is_out_str;
use crate::model::{Function, Interface, Type};

pub(super) fn host_fn(t: &PyTypes, iface: &Interface, f: &Function) -> FuncView {
    let outs: Vec<_> = f.sig.params.iter().filter(|p| is_out_str(p)).collect();
    let params: Vec<(String, String)> = (f.sig.params.iter().enumerate())
        .filter(|&(i, _)| crate::emit::host_params::passed(&f.sig, i))
        .map(|(i, p)| {
            let ty = match crate::emit::host_params::length_of(&f.sig, i) {
                Some(_) => "bytes | str".to_owned(),
                None => t.invoker_arg(&f.sig, i),
            };
            (param_name(&p.name), ty)
        })
        .collect();
    let mut parts = vec!["str | None".to_owned(); outs.len()];
    if f.sig.ret != Type::Void || outs.is_empty() {
        let ret = match crate::emit::host_params::result_len(&f.sig) {
            Some(_) => "bytes | None".to_owned(),
            None => t.host_ret(&f.sig.ret),
        };
        parts.insert(0, ret);
    }
    let ret = match &parts[..] {
        [one] => one.clone(),
        _ => format!("tuple[{}]", parts.join(", ")),
    };
    let types: Vec<&str> = params.iter().map(|(_, ty)| ty.as_str()).collect();
    let fallback = format!(
        "`{}` of {}, a function of the host process.",
        f.name,
        crate::emit::header_name(iface)
    );
    let out_note = (!outs.is_empty()).then(|| {
        let names: Vec<&str> = outs.iter().map(|p| p.name.as_str()).collect();
        format!(
            "Out-parameters returned after the result, not passed: {}.",
            names.join(", ")
        )
    });
    let c = format!("C: `{}`", c_signature(&f.name, &f.sig, t.callbacks));
    let c = joined(out_note.as_deref(), Some(c));
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
            joined(Some(f.doc.as_deref().unwrap_or(&fallback)), c).as_deref(),
            "",
            4,
        ),
    }
}
