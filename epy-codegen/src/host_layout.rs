//! A user's SDK header against the pack's own header: the pack's header
//! says what the host allocates (`interfaces/<pack>/README.md` names the
//! host versions). A record the SDK header lays out differently (another
//! size, a field at another offset or of another type, a field the host
//! does not have, such as the `MfileTime` newer Double Commander SDKs
//! append to `tHeaderDataExW`) is replaced by the pack's, with a warning;
//! constants the pack's header defines and the SDK header lacks (older
//! copies have no `BACKGROUND_*`) are added.
use crate::model::{Interface, Struct};
use crate::pack::Pack;
use crate::{ParseOptions, Result};

/// Brings `iface` (parsed from a header that is not the pack's own) to the
/// host's layouts and constants; returns the warnings to print.
pub fn reconcile(pack: &Pack, opts: &ParseOptions, iface: &mut Interface) -> Result<Vec<String>> {
    let own = crate::parse(&ParseOptions {
        header: pack.header(),
        includes: vec![],
        defines: opts.defines.clone(),
        target: opts.target.clone(),
        annotations: None,
        pack: opts.pack.clone(),
    })?;
    let mut warnings = Vec::new();
    for s in iface.structs.iter_mut() {
        let Some(host) = own.struct_named(&s.name) else {
            continue;
        };
        if let Some(diff) = difference(s, host) {
            warnings.push(format!(
                "{}: warning: `{}` is laid out differently here than the host allocates it ({diff}); \
                 epy uses the `{}` pack's layout ({} bytes, {})",
                s.loc,
                s.name,
                pack.name(),
                host.size,
                host.loc
            ));
            let (name, loc, doc) = (s.name.clone(), s.loc.clone(), s.doc.clone());
            *s = host.clone();
            s.name = name;
            s.loc = loc;
            s.doc = doc.or(s.doc.take());
        }
    }
    for c in &own.constants {
        if !iface.constants.iter().any(|k| k.name == c.name) {
            iface.constants.push(c.clone());
        }
    }
    Ok(warnings)
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
