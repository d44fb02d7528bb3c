//! Copy mode (`[plugin] buffers = "copy"`, the default in the main
//! interpreter): buffer arguments, array fields and `Ptr.array(n)` are
//! memoryviews over a copy the exporter owns, not over host memory. Raw
//! addresses that consumers copy out of a `Py_buffer` (numpy arrays, ctypes
//! `from_buffer`) then point at the copy, which lives as long as the
//! exporter, i.e. as long as any memoryview (numpy keeps one as its base) or
//! derived view: kept past the call they read and write the copy, never the
//! host's freed memory.
//!
//! Writable memory is written back at release (or when the last view of
//! the copy goes away, if earlier), byte by byte where the copy
//! differs from a snapshot taken with it: two copies of the same host bytes
//! (aliased arguments, two accesses of one array field) each write back only
//! what the script changed through them.
use super::exporter::{Exporter, exporter, libc_free, libc_malloc, write_back};
use super::shared::Shared;
use crate::obj::{Obj, PyResult, raise};
use crate::spec::Kind;
use core::ffi::c_void;
use pyo3_ffi::*;

/// An exporter of `len` elements of kind `elem` at host address `p`: over
/// a copy in copy mode (`shared.copy_buffers`), else over `p` itself.
/// Reuses `reuse` as `exporter` does (and its copy's allocation).
#[inline]
pub(crate) unsafe fn host_exporter(
    shared: *const Shared,
    reuse: *mut PyObject,
    p: *mut c_void,
    len: usize,
    elem: Kind,
    readonly: bool,
) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `shared` is live; `p` points to `len` valid
    // elements of `elem` (the caller's contract).
    unsafe {
        let o = exporter(shared, reuse, p, len, elem, readonly, core::ptr::null_mut())?;
        if (*shared).copy_buffers.get() {
            copy_in(o.as_ptr() as *mut Exporter)?;
        }
        Ok(o)
    }
}

/// Whether `o` (an exporter) serves a copy not yet written back.
#[inline]
pub(crate) unsafe fn is_copy(o: *mut PyObject) -> bool {
    // SAFETY: `o` is a live exporter (the caller's contract).
    unsafe { !(*(o as *mut Exporter)).host.is_null() }
}

/// Points `e` (just filled over host memory) at a copy of it.
unsafe fn copy_in(e: *mut Exporter) -> PyResult<()> {
    // SAFETY: the interpreter is attached; `e` is a live exporter whose `buf`
    // holds `shape * itemsize` readable bytes (the caller's contract).
    unsafe {
        let len = ((*e).shape * (*e).itemsize) as usize;
        let need = if (*e).readonly { len } else { 2 * len }.max(1);
        if (*e).own_cap < need {
            let p = libc_malloc(need);
            if p.is_null() {
                return raise(PyExc_MemoryError, "no memory for a copy of a host buffer");
            }
            libc_free(core::mem::replace(&mut (*e).own, p));
            (*e).own_cap = need;
        }
        let own = (*e).own as *mut u8;
        core::ptr::copy_nonoverlapping((*e).buf as *const u8, own, len);
        if !(*e).readonly {
            core::ptr::copy_nonoverlapping(own, own.add(len), len);
        }
        (*e).host = (*e).buf;
        (*e).buf = own as *mut c_void;
        Ok(())
    }
}

/// Mid-call: writes back each live copy in `list` (exporters of one
/// struct's array fields), then refreshes them all from the host, so a new
/// copy of the same bytes sees what the script wrote through the older ones.
pub(super) unsafe fn sync_all(list: *mut PyObject) {
    // SAFETY: the interpreter is attached; `list` is a list of exporters,
    // those with `host` set over host memory valid during the call.
    unsafe {
        let n = PyList_GET_SIZE(list);
        let mut live = Vec::new();
        for i in 0..n {
            let e = PyList_GET_ITEM(list, i) as *mut Exporter;
            if !(*e).host.is_null() {
                live.push(((*e).host, e));
                write_back(e);
            }
        }
        for (host, e) in live {
            (*e).buf = host;
            // Same size as before: the allocation is reused, nothing fails.
            let _ = copy_in(e);
        }
    }
}
