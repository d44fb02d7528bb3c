//! `[functions.F.params.P] rewrite = "MAX_PATH"`: a string parameter the
//! function may replace in place (Total Commander's `FsExecuteFile` writes
//! a symlink's target into `RemoteName` and returns `FS_EXEC_SYMLINK`).
//! Python gets the text as usual and returns the value, or `(value, new
//! text)`; the new text must fit the host's buffer (never cut).
use super::ParamAnn;
use crate::model::{ConstValue, Function, Role, Type};
use std::collections::HashMap;

/// Marks parameter `i` of `f` rewritable in a buffer of `capacity`
/// characters (a number or an integer constant's name), or says why not.
pub fn apply(
    f: &mut Function,
    i: usize,
    pa: &ParamAnn,
    capacity: &str,
    consts: &HashMap<String, ConstValue>,
) -> Result<(), String> {
    let n = match capacity.parse::<i64>() {
        Ok(n) => n,
        Err(_) => match consts.get(capacity) {
            Some(ConstValue::Int(n)) => *n,
            _ => {
                return Err(format!(
                    "`rewrite` is the buffer's capacity in characters: a number or an integer \
                     constant of the header; `{capacity}` is neither"
                ));
            }
        },
    };
    let p = &f.sig.params[i];
    let enc = p
        .encoding
        .or(pa.encoding.as_ref().map(|e| e.get_ref().model()));
    let writable = matches!(
        p.ty,
        Type::Pointer {
            is_const: false,
            ..
        }
    );
    if !writable || crate::model::string_encoding(&p.ty, enc).is_none() {
        return Err(format!(
            "`rewrite` needs a writable pointer to characters; `{}` of `{}` is not one",
            p.name, f.name
        ));
    }
    if n < 1 {
        return Err(format!(
            "`rewrite` needs a capacity of at least 1; it is {n}"
        ));
    }
    f.sig.params[i].role = Some(Role::Rewrite {
        capacity: n as usize,
    });
    Ok(())
}
