//! `T[N]` struct fields as memoryviews, over an exporter (see `exporter`).
//! Over host memory the exporter is recorded on the root view, so
//! `release_arg` revokes it with the view; over Python-owned memory
//! (`Record()`) the exporter keeps the owner alive instead. In copy mode
//! (`copy.rs`) each access is a copy, written back at release; a new access
//! first writes back the older ones, so it sees what they wrote.
use super::copy::{host_exporter, sync_all};
use super::exporter::{exporter, reusable, revoke};
use super::view::{View, root};
use crate::obj::{Obj, PyErr, PyResult};
use crate::spec::Kind;
use core::ffi::c_void;
use core::ptr::null_mut;
use pyo3_ffi::*;

/// A memoryview of the `n` elements of kind `elem` at `p`, inside view `v`.
pub(crate) unsafe fn field_array(v: *mut View, p: *mut u8, elem: Kind, n: usize) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view; `p` is struct memory of the kind
    // read or written (the caller's contract).
    unsafe {
        let r = root(v);
        let readonly = (*v).readonly;
        let shared = (*v).shared;
        let e = if (*r).storage.is_null() {
            if (*shared).copy_buffers.get() && !(*r).arrays.is_null() {
                sync_all((*r).arrays);
            }
            track(r, |reuse| {
                host_exporter(shared, reuse, p as *mut c_void, n, elem, readonly)
            })?
        } else {
            let owner = r as *mut PyObject;
            exporter(
                shared,
                null_mut(),
                p as *mut c_void,
                n,
                elem,
                readonly,
                owner,
            )?
        };
        Obj::from_owned(PyMemoryView_FromObject(e.as_ptr()))
    }
}

/// Makes an exporter with `make` and records it on root `r`. An exporter
/// that only the list still holds is dead, so it is refilled in place:
/// `r.samples[i]` in a loop neither grows the list nor allocates.
unsafe fn track(r: *mut View, make: impl FnOnce(*mut PyObject) -> PyResult<Obj>) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `r` is a live view (the caller's contract).
    unsafe {
        if (*r).arrays.is_null() {
            (*r).arrays = Obj::from_owned(PyList_New(0))?.into_ptr();
        }
        let list = (*r).arrays;
        let n = PyList_GET_SIZE(list);
        if n > 0 && reusable(PyList_GET_ITEM(list, n - 1)) {
            let last = PyList_GET_ITEM(list, n - 1);
            Py_INCREF(last);
            let e = make(last)?;
            return Ok(e);
        }
        let e = make(null_mut())?;
        if PyList_Append(list, e.as_ptr()) != 0 {
            return Err(PyErr);
        }
        Ok(e)
    }
}

/// Revokes the exporters made over `v`'s arrays (after the call).
pub(crate) unsafe fn release_all(v: *mut View) {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view (the caller's contract).
    unsafe {
        let list = core::mem::replace(&mut (*v).arrays, null_mut());
        for i in 0..PyList_GET_SIZE(list) {
            revoke(PyList_GET_ITEM(list, i));
        }
        Py_DECREF(list);
    }
}
