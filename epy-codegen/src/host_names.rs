//! A script `def` named like one of the host's functions (`lua_gettop`,
//! declared in a header the user's header includes, or `extern` beside the
//! plugin's own): the build exports it, which is rarely what the author
//! meant, so it says so at the `def`. Functions the user's header declares
//! as the plugin's (`luaopen_pyext`) are not the host's and never warned.
use crate::model::{Interface, Warning};
use crate::plan::Plan;
use crate::script::ScriptFunction;

/// The functions a script may export: the plan's, and the host's (a
/// script defining one exports it, with `warnings`).
pub fn candidates(plan: &Plan) -> Vec<String> {
    let mut all = plan.exports.clone();
    let host = plan
        .iface
        .exportable()
        .filter(|f| plan.iface.is_included(&f.name));
    all.extend(
        host.map(|f| f.name.clone())
            .filter(|n| !plan.exports.contains(n)),
    );
    all
}

/// One warning per exported `def` the header declares as the host's.
pub fn warnings(funcs: &[ScriptFunction], exports: &[String], iface: &Interface) -> Vec<Warning> {
    let host: Vec<_> = iface.host_declared().collect();
    funcs
        .iter()
        .filter(|d| !d.alias && exports.contains(&d.name))
        .filter_map(|d| {
            let f = host.iter().find(|f| f.name == d.name)?;
            let msg = format!(
                "`{0}` is the host's function (declared at {1}): this def becomes an export of the plugin, which the host may call instead of its own; name a helper `_{0}`",
                d.name, f.loc
            );
            Some(Warning::at(d.loc.clone(), msg))
        })
        .collect()
}
