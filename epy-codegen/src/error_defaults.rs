//! Exports whose error value nobody chose: when the script raises, an
//! export returning an integer gives the host 0 — for many interfaces
//! success (`PAM_SUCCESS`, `SQLITE_OK`, `CKR_OK`). Without a pack, `build`
//! names each one with the annotation that sets it.
use crate::model::Type;
use crate::plan::Plan;
use std::path::Path;

/// The warning for the plan's exports that return an integer (or an enum)
/// and have no `on-error` value (from the annotations, or inferred from
/// the header by `infer::on_error`); `None` with a pack (it sets them) or
/// when there is none. `settings` is the annotations file the build reads.
pub fn warning(plan: &Plan, settings: &Path) -> Option<String> {
    if plan.pack.is_some() {
        return None;
    }
    let lines: Vec<String> = plan
        .iface
        .functions
        .iter()
        .filter(|f| plan.exports.contains(&f.name) && f.on_error.is_none())
        .filter(|f| matches!(f.sig.ret, Type::Int { .. } | Type::Enum(_)))
        .map(|f| {
            format!(
                "  {}: {} → `[functions.{}] on-error = N`",
                f.loc, f.name, f.name
            )
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    Some(format!(
        "warning: when the script raises, these exports return 0 to the host, which may mean success (PAM_SUCCESS, SQLITE_OK): set the value each returns on error in {} (`on-error`: the host's error code, a number or a constant the header defines)\n{}",
        settings.display(),
        lines.join("\n")
    ))
}
