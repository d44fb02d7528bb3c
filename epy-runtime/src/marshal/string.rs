//! `char*` / `WCHAR*` strings in both directions.
use crate::Cx;
use crate::obj::{Obj, PyResult};
use crate::spec::Encoding;
use core::ffi::c_char;
use pyo3_ffi::PyObject;

/// NUL-terminated `char*` → `str` (Utf8; invalid bytes replaced) or `bytes`
/// (Bytes); `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or NUL-terminated.
pub unsafe fn str_to_py(p: *const c_char, enc: Encoding) -> PyResult<Obj> {
    todo!("{p:?} {enc:?}")
}

/// NUL-terminated 16-bit `WCHAR*` (UTF-16) → `str`; `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or NUL-terminated.
pub unsafe fn wstr_to_py(p: *const u16) -> PyResult<Obj> {
    todo!("{p:?}")
}

/// A returned `str`/`bytes`/`None` → `const char*` (NULL for None). The
/// encoded bytes stay alive in the export's return slot of `cx` until that
/// export returns again on any thread.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn str_from_py(
    cx: &Cx,
    export: usize,
    o: Obj,
    enc: Encoding,
) -> PyResult<*const c_char> {
    todo!("{:?} {export} {:?} {enc:?}", cx as *const Cx, o.as_ptr())
}

/// Borrowed `str`/`bytes`/`None` argument for a host callback → pointer valid
/// while `keep` lives (`keep` receives the encoded object).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn str_arg_from_py(
    o: *mut PyObject,
    enc: Encoding,
    keep: &mut Option<Obj>,
) -> PyResult<*const c_char> {
    todo!("{o:?} {enc:?} {}", keep.is_some())
}
