//! The `utf16` inference (see `crate::infer`): a typedef named like a
//! 16-bit character and 16 bits wide is `WChar`, so pointers to it are
//! UTF-16 strings.
use super::walk::{Walk, loc};
use crate::infer::names::is_wide_char;
use crate::model::{Inferred, Type};
use clang::Entity;

impl<'tu> Walk<'tu> {
    /// `WChar` for typedef `decl` when the rule applies (noted once).
    pub fn wide_char(&mut self, decl: Entity<'tu>) -> Option<Type> {
        if !self.infer_wide {
            return None;
        }
        let name = decl.get_name()?;
        let under = decl.get_typedef_underlying_type()?.get_canonical_type();
        if !is_wide_char(&name) || !under.is_integer() || under.get_sizeof().ok()? != 2 {
            return None;
        }
        if !self.iface.inferred.iter().any(|i| i.subject == name) {
            self.iface.inferred.push(Inferred {
                rule: "utf16",
                subject: name,
                result: "a 16-bit character: pointers to it are UTF-16 strings (`str`)".into(),
                loc: loc(decl),
            });
        }
        Some(Type::WChar)
    }
}
