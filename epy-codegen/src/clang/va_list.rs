//! `va_list` parameters (`lua_pushvfstring(L, fmt, va_list argp)`): Python
//! cannot build one, so such a function is left out with a warning, as a
//! variadic one is.
use clang::Type as CType;

/// Whether a parameter of type `ty` is a `va_list` (whatever the target
/// makes of it: `__va_list_tag[1]`, `char *`, `struct __va_list`).
pub(super) fn is_va_list(ty: CType) -> bool {
    let names = [
        ty.get_display_name(),
        ty.get_canonical_type().get_display_name(),
    ];
    names.iter().any(|n| {
        let n = n.trim_start_matches("const ").trim();
        n == "va_list"
            || n == "__gnuc_va_list"
            || n.contains("__builtin_va_list")
            || n.contains("__va_list_tag")
    })
}
