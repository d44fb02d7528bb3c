//! Host function pointers as Python callables.
use crate::Cx;
use crate::obj::{Obj, PyResult};
use core::ffi::c_void;

/// A host function pointer of callback signature `idx` → a Python callable
/// that converts its arguments, calls the host (GIL released) and converts
/// the result back. `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `fnptr` has signature `idx`.
pub unsafe fn callback_to_py(cx: &Cx, fnptr: *const c_void, idx: usize) -> PyResult<Obj> {
    todo!("{:?} {fnptr:?} {idx}", cx as *const Cx)
}

/// Runs `f` (a call into the host) with this thread's Python thread state
/// detached, so the host may call back into any plugin from any thread.
/// # Safety
/// The plugin's interpreter is attached on this thread.
pub unsafe fn without_gil<R>(f: impl FnOnce() -> R) -> R {
    let ts = unsafe { pyo3_ffi::PyEval_SaveThread() };
    let r = f();
    unsafe { pyo3_ffi::PyEval_RestoreThread(ts) };
    r
}
