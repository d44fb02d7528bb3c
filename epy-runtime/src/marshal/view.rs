//! Live views of C structs: field reads and writes go straight to the host's
//! memory. One heap type per struct per interpreter (built by `module`).
use crate::Cx;
use crate::obj::{Obj, PyResult};
use core::ffi::c_void;

/// Pointer to a struct → a live view (read-only when `readonly`), `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or points to a valid
/// struct `idx` that outlives the view's use (see `release_arg`).
pub unsafe fn struct_ptr_to_py(
    cx: &Cx,
    p: *const c_void,
    idx: usize,
    readonly: bool,
) -> PyResult<Obj> {
    todo!("{:?} {p:?} {idx} {readonly}", cx as *const Cx)
}

/// Struct by value → a view over a private copy (owned by the Python object).
/// # Safety
/// The plugin's interpreter is attached; `p` points to a valid struct `idx`.
pub unsafe fn struct_val_to_py(cx: &Cx, p: *const c_void, idx: usize) -> PyResult<Obj> {
    todo!("{:?} {p:?} {idx}", cx as *const Cx)
}

/// A view of struct `idx` (any view: owned or live) → copies its bytes to `out`.
/// TypeError for any other object.
/// # Safety
/// The plugin's interpreter is attached; `out` has room for struct `idx`.
pub unsafe fn struct_val_from_py(
    cx: &Cx,
    o: *mut pyo3_ffi::PyObject,
    idx: usize,
    out: *mut c_void,
) -> PyResult<()> {
    todo!("{:?} {o:?} {idx} {out:?}", cx as *const Cx)
}

/// After the call: an argument view or memoryview that the script kept
/// (refcount > 1) is invalidated so later use raises instead of touching
/// freed host memory. Drops `o`.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn release_arg(o: Obj) {
    todo!("{:?}", o.as_ptr())
}
