//! Python callables as C function pointers: which parameter of a prototype
//! carries the user data, and how long a callable handed to the host lives.
use super::{Param, Signature, Type};
use serde::Serialize;

/// How long a Python callable passed as a function pointer lives
/// (annotation `keep`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Keep {
    /// Until the host calls the destroy callback passed in this parameter
    /// of the same call (`keep = "until:xDestroy"`).
    Until(String),
    /// Until the plugin unloads (`keep = "unload"`, the default).
    Unload,
}

/// Names that make a `void*` parameter the user data, compared in lower
/// case: the host hands the pointer back to the callback unchanged.
pub const USER_DATA_NAMES: &[&str] = &[
    "arg",
    "parg",
    "data",
    "pdata",
    "userdata",
    "user_data",
    "puserdata",
    "udata",
    "user",
    "ctx",
    "pctx",
    "context",
    "closure",
    "app",
    "papp",
    "aux",
    "paux",
    "clientdata",
    "client_data",
    "pclientdata",
    "cookie",
    "opaque",
];

/// Pool trampolines of a prototype a script hands the host directly
/// (`pool` overrides it).
pub const POOL_DEFAULT: usize = 32;
/// Pool trampolines of a prototype only reached as a struct field.
pub const POOL_FIELDS: usize = 4;

impl Param {
    fn is_void_ptr(&self) -> bool {
        matches!(&self.ty, Type::Pointer { pointee, .. } if **pointee == Type::Void)
    }
}

impl Signature {
    /// The parameter carrying the user data, if any: the `void*` annotated
    /// `user-data = true`; else the first `void*` named as in
    /// `USER_DATA_NAMES` and not annotated `user-data = false`.
    pub fn user_data(&self) -> Option<usize> {
        let ptrs = || {
            self.params
                .iter()
                .enumerate()
                .filter(|(_, p)| p.is_void_ptr())
        };
        if let Some((i, _)) = ptrs().find(|(_, p)| p.user_data == Some(true)) {
            return Some(i);
        }
        ptrs()
            .find(|(_, p)| {
                p.user_data.is_none() && USER_DATA_NAMES.contains(&p.name.to_lowercase().as_str())
            })
            .map(|(i, _)| i)
    }

    /// `user_data`, or for a destroy callback (a parameter another's
    /// `keep = "until:…"` names) whose only parameter is a `void*`, that one
    /// (`void (*xDestroy)(void*)`). Not by shape alone: `void (*xFinal)
    /// (sqlite3_context*)` has that shape too.
    pub fn user_data_or_only(&self) -> Option<usize> {
        self.user_data().or_else(|| {
            let only = self.params.len() == 1
                && self.params[0].is_void_ptr()
                && self.params[0].user_data != Some(false);
            only.then_some(0)
        })
    }

    /// Parameters named as destroy callbacks by another's `keep = "until:…"`.
    pub fn destroy_params(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .params
            .iter()
            .filter_map(|p| match &p.keep {
                Some(Keep::Until(d)) => self.params.iter().position(|q| &q.name == d),
                _ => None,
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
