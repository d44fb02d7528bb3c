//! A user's SDK header against the pack's own header: the pack's header
//! says what the host allocates (`interfaces/<pack>/README.md` names the
//! host versions). A record the SDK header lays out differently (another
//! size, a field at another offset or of another type, a field the host
//! does not have, such as the `MfileTime` newer Double Commander SDKs
//! append to `tHeaderDataExW`) is replaced by the pack's, with a warning;
//! constants the pack's header defines and the SDK header lacks (older
//! copies have no `BACKGROUND_*`) are added. `plan` parses the pack's
//! header and calls these.
use crate::model::{Interface, Role, Struct, Warning};
use crate::pack::Pack;

/// Adds the host's constants `iface` lacks (before the pack's annotations,
/// which may name them).
pub fn add_constants(host: &Interface, iface: &mut Interface) {
    for c in &host.constants {
        if !iface.constants.iter().any(|k| k.name == c.name) {
            iface.constants.push(c.clone());
        }
    }
}

/// Replaces each record `iface` lays out unlike the host by the host's;
/// returns a warning per record replaced.
pub fn keep_records(host: &Interface, pack: &Pack, iface: &mut Interface) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for s in iface.structs.iter_mut() {
        let Some(h) = host.struct_named(&s.name) else {
            continue;
        };
        if let Some(diff) = difference(s, h) {
            warnings.push(Warning::at(
                s.loc.clone(),
                format!(
                    "`{}` is laid out differently here than the host allocates it ({diff}); \
                     epy uses the `{}` pack's layout ({} bytes, {})",
                    s.name,
                    pack.name(),
                    h.size,
                    h.loc
                ),
            ));
            replace(s, h);
        } else if s.align != h.align {
            // Same bytes, another alignment (packed or not): the host's, so
            // records that embed it lay out as the host's do; no warning.
            replace(s, h);
        }
    }
    warnings
}

/// `s` becomes the host's record `h`, keeping where and how it is documented.
fn replace(s: &mut Struct, h: &Struct) {
    let (loc, doc) = (s.loc.clone(), s.doc.clone());
    *s = h.clone();
    s.loc = loc;
    s.doc = doc.or(s.doc.take());
}

/// What differs between the header's record `s` and the host's `host`.
fn difference(s: &Struct, host: &Struct) -> Option<String> {
    if s.size != host.size {
        let extra: Vec<&str> = s
            .fields
            .iter()
            .filter(|f| host.fields.iter().all(|h| h.name != f.name))
            .map(|f| f.name.as_str())
            .collect();
        let also = if extra.is_empty() {
            String::new()
        } else {
            format!("; the host has no {}", extra.join(", "))
        };
        return Some(format!("{} bytes, the host's {}{also}", s.size, host.size));
    }
    for f in &s.fields {
        match host.fields.iter().find(|h| h.name == f.name) {
            None => return Some(format!("the host has no field `{}`", f.name)),
            Some(h) if h.offset != f.offset || h.ty != f.ty || h.bits != f.bits => {
                return Some(format!(
                    "`{}` at offset {}, the host's at {}",
                    f.name, f.offset, h.offset
                ));
            }
            _ => {}
        }
    }
    None
}

/// Strings rewritten in place (`rewrite = "MAX_PATH"`) get the capacity of
/// the host's buffer, as the pack's own header says (an SDK header's
/// `MAX_PATH` may be another host's).
pub fn keep_rewrite_capacities(host: &Interface, iface: &mut Interface) {
    for f in iface.functions.iter_mut() {
        let Some(h) = host.function_named(&f.name) else {
            continue;
        };
        for (p, hp) in f.sig.params.iter_mut().zip(&h.sig.params) {
            if let (Some(Role::Rewrite { .. }), Some(Role::Rewrite { capacity })) =
                (p.role, hp.role)
            {
                p.role = Some(Role::Rewrite { capacity });
            }
        }
    }
}
