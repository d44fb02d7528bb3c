//! Annotated buffers: zero-copy memoryviews over host memory, valid for the call.
use super::copy::{host_exporter, is_copy};
use super::exporter::{
    format_of, of_memoryview, recycle, release_memoryview, revoke, with_saved_error,
};
use crate::Cx;
use crate::obj::{Obj, PyResult};
use crate::obj::{none, raise};
use crate::spec::Kind;
use core::ffi::c_void;
use core::ptr::null_mut;
use pyo3_ffi::*;

/// `len` elements of scalar kind `elem` at `p` → a 1-D memoryview with the
/// element's format (`'i'`, `'d'`, `'f'`, …), writable unless `readonly`,
/// over an exporter that `release_arg` revokes after the call (in copy
/// mode, over a copy that `release_arg` writes back: `copy.rs`).
/// NULL with `len == 0` gives an empty memoryview; NULL with `len > 0`, `None`.
/// A negative host length (cast to `usize` by the stub) is a ValueError: it
/// never reaches CPython.
/// # Safety
/// The plugin's interpreter is attached; `p` points to `len` valid elements.
#[inline]
pub unsafe fn buffer_to_py(
    cx: &Cx,
    p: *mut c_void,
    len: usize,
    elem: Kind,
    readonly: bool,
) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` points to `len` valid
    // elements (this function's contract).
    unsafe {
        if len > isize::MAX as usize {
            return negative(len, "buffer length");
        }
        if p.is_null() && len > 0 {
            return Ok(none());
        }
        let shared = &*cx.types.shared;
        // The previous call's exporter, if nothing kept it: no allocation.
        let reuse = shared
            .buffer_cache
            .iter()
            .map(|c| c.replace(null_mut()))
            .find(|o| !o.is_null())
            .unwrap_or(null_mut());
        let e = host_exporter(shared, reuse, non_null(p), len, elem, readonly)?;
        Obj::from_owned(PyMemoryView_FromObject(e.as_ptr()))
    }
}

/// After the call: releases an argument memoryview made by `buffer_to_py`
/// and revokes its exporter (see `exporter`), which is kept for the next
/// call if nothing else holds it. Keeps a pending exception.
/// # Safety
/// The plugin's interpreter is attached; `o` is a memoryview.
#[inline]
pub(crate) unsafe fn release_buffer(o: Obj) {
    // SAFETY: the plugin's interpreter is attached; `o` is a memoryview (this
    // function's contract).
    unsafe {
        let mv = o.as_ptr();
        let e = of_memoryview(mv);
        if e.is_null() {
            return;
        }
        Py_INCREF(e);
        // A kept view over a copy stays usable: numpy arrays hold it as
        // their base and read its address, released or not.
        if Py_REFCNT(mv) > 1 && !is_copy(e) {
            with_saved_error(|| {
                release_memoryview(mv);
            });
        }
        drop(o);
        revoke(e);
        recycle(e);
    }
}

/// The error for a host length or capacity that was negative before the
/// stub's cast to `usize`.
/// # Safety
/// An interpreter is attached.
#[cold]
pub(crate) unsafe fn negative<T>(len: usize, what: &str) -> PyResult<T> {
    // SAFETY: an interpreter is attached (contract).
    unsafe {
        raise(
            PyExc_ValueError,
            &format!(
                "the host gave a negative {what} ({}): refused",
                len as isize
            ),
        )
    }
}

/// CPython refuses a NULL `buf`; an empty view never dereferences it.
fn non_null(p: *mut c_void) -> *mut c_void {
    if p.is_null() {
        core::ptr::NonNull::<u64>::dangling().as_ptr() as *mut c_void
    } else {
        p
    }
}

/// A memoryview straight over `len` elements at `p`, never revoked: for
/// addresses a pack's layer manages itself (`buffer_at`).
/// # Safety
/// The plugin's interpreter is attached; `p` points to `len` valid elements.
pub(crate) unsafe fn raw_memoryview(
    p: *mut c_void,
    len: usize,
    elem: Kind,
    readonly: bool,
) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` points to `len` valid
    // elements (this function's contract).
    unsafe {
        let (format, itemsize) = format_of(elem);
        // Locals are fine: `PyMemoryView_FromBuffer` copies `*view` into its
        // managed buffer, and `mbuf_add_view` copies shape and strides into
        // the memoryview's own arrays (CPython's memoryobject.c); the copy of
        // the struct is never read again. `format` must (and does) outlive it.
        let mut shape = len as Py_ssize_t;
        let mut strides = itemsize as Py_ssize_t;
        let view = Py_buffer {
            buf: non_null(p),
            obj: null_mut(),
            len: (len * itemsize) as Py_ssize_t,
            itemsize: itemsize as Py_ssize_t,
            readonly: readonly as i32,
            ndim: 1,
            format: format.as_ptr() as *mut _,
            shape: &mut shape,
            strides: &mut strides,
            suboffsets: null_mut(),
            internal: null_mut(),
        };
        Obj::from_owned(PyMemoryView_FromBuffer(&view))
    }
}
