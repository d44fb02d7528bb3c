//! ANSI and Unicode (`W`) forms of one export (`FsFindFirst` /
//! `FsFindFirstW`): a host that finds the `W` form calls it instead of the
//! ANSI one, so a script that defines both has one that never runs there,
//! and one that mixes the forms (`FsFindFirst` with `FsFindNextW`) gets
//! paths in two encodings and half of a set. Both are build warnings at the
//! script's `def`, each with its fix; the build goes on.
use crate::model::{Interface, Loc, Warning};
use crate::script::ScriptFunction;

/// The warnings for `exports` (bound in the script as `funcs` says) against
/// the pairs `X`/`XW` that `iface` declares.
pub fn warnings(iface: &Interface, funcs: &[ScriptFunction], exports: &[String]) -> Vec<Warning> {
    let declared = |n: &str| iface.functions.iter().any(|f| f.name == n);
    let exported = |n: &str| exports.iter().any(|e| e == n);
    // The script's own `def` (not a name imported from the stub module).
    let own = |n: &str| funcs.iter().find(|f| f.name == n && f.from.is_none());
    let at = |n: &str| funcs.iter().find(|f| f.name == n).map(|f| f.loc.clone());
    // The ANSI names of the pairs the script exports either form of.
    let mut pairs: Vec<String> = Vec::new();
    for e in exports {
        let ansi = e.strip_suffix('W').filter(|a| declared(a)).unwrap_or(e);
        if declared(&format!("{ansi}W")) && !pairs.iter().any(|p| p == ansi) {
            pairs.push(ansi.to_owned());
        }
    }
    let mut out = Vec::new();
    let (mut both, mut ansi_only, mut wide_only) = (Vec::new(), Vec::new(), Vec::new());
    for ansi in &pairs {
        let wide = format!("{ansi}W");
        match (exported(ansi), exported(&wide)) {
            // The pack layer's imported pairs (FsInit/FsInitW) are meant to be both.
            (true, true) if own(ansi).is_some() || own(&wide).is_some() => both.push(ansi.clone()),
            (true, false) => ansi_only.push(ansi.clone()),
            (false, true) => wide_only.push(wide),
            _ => {}
        }
    }
    let list = |v: &[String]| {
        v.iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(first) = both.first() {
        let loc = own(first)
            .or(own(&format!("{first}W")))
            .map(|f| f.loc.clone());
        let wides: Vec<String> = both.iter().map(|n| format!("{n}W")).collect();
        out.push(warning(
            loc,
            format!(
                "both forms are exported of {}: a host that finds the W form calls it \
                 instead of the ANSI one (Double Commander; Total Commander 7.5 and later), \
                 so the ANSI form runs only in a host without Unicode support; help: keep \
                 {} (Unicode paths) and remove the ANSI forms, unless you target such a host",
                list(&both),
                list(&wides),
            ),
        ));
    }
    if let (Some(a), false) = (ansi_only.first(), wide_only.is_empty()) {
        let widened: Vec<String> = ansi_only.iter().map(|n| format!("{n}W")).collect();
        out.push(warning(
            at(a),
            format!(
                "the exports mix ANSI and Unicode forms: {} (ANSI only) with {} (Unicode \
                 only): a host calls the W form where there is one and the ANSI form \
                 elsewhere, so paths arrive in two encodings and a listing can start in one \
                 form and go on in the other; help: use one set: define {} instead of {}",
                list(&ansi_only),
                list(&wide_only),
                list(&widened),
                list(&ansi_only),
            ),
        ));
    }
    out
}

fn warning(loc: Option<Loc>, message: String) -> Warning {
    match loc {
        Some(l) => Warning::at(l, message),
        None => Warning { loc: None, message },
    }
}
