//! The `.pyi` stub module for the script's author (askama templates).
use crate::model::Interface;

/// The text of `<module>.pyi`.
pub fn emit_pyi(iface: &Interface) -> String {
    todo!("{}", iface.module)
}
