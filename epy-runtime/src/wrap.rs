//! Pack wrappers: a pack's Python layer may define `_epy_wrap_<export>` in
//! the stub module; at load the script's function for that export is
//! replaced by `_epy_wrap_<export>(fn)` (e.g. the wcx layer sets
//! `OpenResult` when `OpenArchive` raises). Runs once per load, never per call.
use pyo3_ffi::*;

/// `f` (owned, non-null), or what the stub module's wrapper for `export`
/// makes of it. A wrapper that fails keeps `f` and returns the error text.
///
/// # Safety
/// The plugin's interpreter is attached; `module` is the stub module.
pub(crate) unsafe fn apply(
    module: *mut PyObject,
    export: &core::ffi::CStr,
    f: *mut PyObject,
) -> Result<*mut PyObject, String> {
    // SAFETY: the caller attached the interpreter; `module` and `f` are live
    // and `f`'s reference is ours to pass on or drop.
    unsafe {
        let name = format!("_epy_wrap_{}\0", export.to_string_lossy());
        let w = PyObject_GetAttrString(module, name.as_ptr().cast());
        if w.is_null() {
            PyErr_Clear();
            return Ok(f);
        }
        let wrapped = PyObject_CallOneArg(w, f);
        Py_DECREF(w);
        if wrapped.is_null() {
            return Err(crate::log::format_exception());
        }
        Py_DECREF(f);
        Ok(wrapped)
    }
}
