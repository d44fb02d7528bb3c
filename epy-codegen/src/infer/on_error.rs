//! The `on-error` rule: an export returning an enum with exactly one error
//! value — its members named like an error (`…ERR…`, `…FAIL…`) all have one
//! value, not 0 — returns that value when the script raises, not 0 (which
//! is usually the enum's success). Two different error values are a
//! choice the header does not make: the build warns instead
//! (`crate::error_defaults`).
use crate::model::{ErrorValue, Inferred, Interface, Type};

fn is_error_name(member: &str) -> bool {
    let m = member.to_ascii_uppercase();
    m.contains("ERR") || m.contains("FAIL")
}

/// Sets the error value of every function of `iface` that returns such an
/// enum and has none from the annotations.
pub(super) fn apply(iface: &mut Interface, found: &mut Vec<Inferred>) {
    let Interface {
        functions, enums, ..
    } = iface;
    for f in functions
        .iter_mut()
        .filter(|f| f.on_error.is_none() && !f.sig.variadic)
    {
        let Type::Enum(name) = &f.sig.ret else {
            continue;
        };
        let Some(e) = enums.iter().find(|e| &e.name == name) else {
            continue;
        };
        let errors: Vec<&(String, i64)> =
            e.members.iter().filter(|(m, _)| is_error_name(m)).collect();
        let Some((member, value)) = errors.first() else {
            continue;
        };
        if *value == 0 || errors.iter().any(|(_, v)| v != value) {
            continue;
        }
        f.on_error = Some(ErrorValue::Int(*value));
        found.push(Inferred {
            rule: "on-error",
            subject: format!("{}(result)", f.name),
            result: format!("`{member}` ({value}) when the script raises, not 0"),
            loc: f.loc.clone(),
        });
    }
}
