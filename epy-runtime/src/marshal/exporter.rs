//! The object behind every memoryview epy hands a script over C memory
//! (buffer arguments, array fields): a small buffer exporter, one heap type
//! per interpreter, so epy sees every `Py_buffer` taken from that memory.
//!
//! Slices, casts and `memoryview(mv)` re-wraps share the memoryview's
//! managed buffer (CPython's `mbuf`), which holds one export of ours, so
//! after the call `exports > 0` means something derived survived. `revoke`
//! then finds the memoryviews on our managed buffers through the GC and
//! releases them (a later use raises `ValueError: operation forbidden on
//! released memoryview`); a view that refuses (it has exports of its own)
//! is pointed at a private copy the exporter owns. New exports of a revoked
//! exporter fail. Not covered, because nothing records them: raw addresses
//! that a consumer copied out of a `Py_buffer` and released (numpy arrays,
//! ctypes `from_buffer` objects) — such objects must not outlive the call.
//! Hence copy mode (`copy.rs`, the default in the main interpreter, where
//! numpy loads): the exporter serves a copy it owns, written back to the
//! host at release, and nothing derived ever sees host memory.
use super::pytype::{end, free, new_type, slot};
use super::shared::Shared;
use crate::obj::raise;
use crate::obj::{Obj, PyResult};
use crate::spec::Kind;
use core::ffi::{CStr, c_char, c_int, c_void};
use core::ptr::null_mut;
use pyo3_ffi::*;

#[repr(C)]
pub(crate) struct Exporter {
    ob_base: PyObject,
    /// Start of the memory; NULL once revoked.
    pub(super) buf: *mut c_void,
    pub(super) shape: Py_ssize_t,
    pub(super) itemsize: Py_ssize_t,
    format: *const c_char,
    pub(super) readonly: bool,
    /// `Py_buffer`s handed out and not yet released.
    exports: Py_ssize_t,
    /// The Python object owning the memory (strong), NULL for host memory.
    owner: *mut PyObject,
    /// The private copy (malloc'd) that views which could not be released
    /// point at after the call, or NULL.
    copy: *mut c_void,
    shared: *const Shared,
    /// Copy mode (`copy.rs`): the host memory `buf` (the copy) stands for,
    /// written back at release; NULL otherwise and once written back.
    pub(super) host: *mut c_void,
    /// Copy mode: the copy (and, if writable, the snapshot after it),
    /// malloc'd, `own_cap` bytes, freed with the exporter.
    pub(super) own: *mut c_void,
    pub(super) own_cap: usize,
}

pub(crate) unsafe fn new_exporter_type(module: &str) -> PyResult<Obj> {
    let mut slots = [
        slot(Py_tp_dealloc, dealloc as *mut c_void),
        slot(Py_bf_getbuffer, getbuffer as *mut c_void),
        slot(Py_bf_releasebuffer, releasebuffer as *mut c_void),
        end(),
    ];
    // Not instantiable from Python: an exporter with no memory exports NULL.
    let flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION | Py_TPFLAGS_IMMUTABLETYPE;
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`) (the caller's contract).
    unsafe {
        new_type(
            format!("{module}._Buffer"),
            size_of::<Exporter>(),
            flags,
            &mut slots,
            null_mut(),
        )
    }
}

/// An exporter of `len` elements of kind `elem` at `p` (never NULL),
/// owned by `owner` (strong) or, for NULL, host memory valid until `revoke`.
/// Reuses `reuse` (an unshared, unexported exporter) if given.
pub(crate) unsafe fn exporter(
    shared: *const Shared,
    reuse: *mut PyObject,
    p: *mut c_void,
    len: usize,
    elem: Kind,
    readonly: bool,
    owner: *mut PyObject,
) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `shared` is live; `reuse` is a live object; `p` is
    // valid for the C type it stands for; `owner` is a live object (the
    // caller's contract).
    unsafe {
        let o = if reuse.is_null() {
            let ty = (*shared).exporter_type as *mut PyTypeObject;
            Obj::from_owned(PyType_GenericAlloc(ty, 0))?
        } else {
            Obj::from_owned(reuse)?
        };
        let (format, itemsize) = format_of(elem);
        let e = o.as_ptr() as *mut Exporter;
        if !(*e).host.is_null() {
            // A reused copy-mode exporter (an array field's, mid-call).
            write_back(e);
        }
        (*e).buf = p;
        (*e).shape = len as Py_ssize_t;
        (*e).itemsize = itemsize as Py_ssize_t;
        (*e).format = format.as_ptr();
        (*e).readonly = readonly;
        (*e).shared = shared;
        if !owner.is_null() {
            Py_INCREF(owner);
        }
        Py_XDECREF(core::mem::replace(&mut (*e).owner, owner));
        Ok(o)
    }
}

/// Is `o` an exporter (of any interpreter)?
#[inline]
pub(crate) unsafe fn is_exporter(o: *mut PyObject) -> bool {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe { (*Py_TYPE(o)).tp_dealloc.map(|f| f as usize) == Some(dealloc as *const () as usize) }
}

/// Whether `o` (an exporter) can be refilled: nobody else holds or exports it.
#[inline]
pub(crate) unsafe fn reusable(o: *mut PyObject) -> bool {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        let e = o as *mut Exporter;
        Py_REFCNT(o) == 1 && (*e).exports == 0 && (*e).copy.is_null()
    }
}

/// Drops a reference to `o` (an exporter), keeping it for the next call's
/// buffer argument if it was the last one.
#[inline]
pub(crate) unsafe fn recycle(o: *mut PyObject) {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        if reusable(o) {
            let shared = &*(*(o as *mut Exporter)).shared;
            if let Some(slot) = shared.buffer_cache.iter().find(|c| c.get().is_null()) {
                slot.set(o);
                return;
            }
        }
        Py_DECREF(o);
    }
}

/// The exporter behind an argument memoryview made by `buffer_to_py`, or NULL.
#[inline]
pub(crate) unsafe fn of_memoryview(mv: *mut PyObject) -> *mut PyObject {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `mv` is a live object (the caller's contract).
    unsafe {
        let o = (*(mv as *mut MemoryView)).view.obj;
        if !o.is_null() && is_exporter(o) {
            o
        } else {
            null_mut()
        }
    }
}

/// After the call: makes host memory unreachable through `o` (an exporter
/// over host memory) and everything derived from it.
pub(crate) unsafe fn revoke(o: *mut PyObject) {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        let e = o as *mut Exporter;
        if !(*e).host.is_null() {
            // Copy mode: everything derived keeps the copy.
            write_back(e);
            return;
        }
        if (*e).exports > 0 {
            with_saved_error(|| revoke_derived(e));
        }
        if (*e).copy.is_null() {
            (*e).buf = null_mut();
        }
    }
}

/// Keeps the pending exception (the script's, to be logged) across `f`,
/// which may run Python code.
pub(crate) unsafe fn with_saved_error(f: impl FnOnce()) {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`) (the caller's contract).
    unsafe {
        #[cfg(Py_3_12)]
        {
            let exc = PyErr_GetRaisedException();
            f();
            PyErr_Clear();
            PyErr_SetRaisedException(exc);
        }
        #[cfg(not(Py_3_12))]
        #[allow(deprecated)]
        {
            let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            f();
            PyErr_Clear();
            PyErr_Restore(t, v, tb);
        }
    }
}

/// `mv.release()`; false (error cleared) if it has exports of its own.
pub(crate) unsafe fn release_memoryview(mv: *mut PyObject) -> bool {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `mv` is a live object (the caller's contract).
    unsafe {
        let r = PyObject_CallMethod(mv, c"release".as_ptr(), core::ptr::null());
        if r.is_null() {
            PyErr_Clear();
            return false;
        }
        Py_DECREF(r);
        true
    }
}

/// CPython's `_PyManagedBufferObject` (Include/cpython/memoryobject.h,
/// unchanged 3.11–3.13).
#[repr(C)]
struct ManagedBuffer {
    ob_base: PyObject,
    flags: c_int,
    exports: Py_ssize_t,
    master: Py_buffer,
}

/// CPython's `PyMemoryViewObject` (same header), up to `view`.
#[repr(C)]
struct MemoryView {
    ob_base: PyVarObject,
    mbuf: *mut ManagedBuffer,
    hash: Py_hash_t,
    flags: c_int,
    exports: Py_ssize_t,
    view: Py_buffer,
}

/// The slow path: something derived from `e` survived the call. Runs
/// Python (the GC's referrer search): with the script's exception saved.
unsafe fn revoke_derived(e: *mut Exporter) {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `e` is a live exporter (the caller's contract).
    unsafe {
        let found = referrers_of(e);
        PyErr_Clear();
        let (mbufs, views, _keep) = found.unwrap_or_default();
        // Released where they allow it; the rest is pointed at a copy.
        let mut stuck = Vec::new();
        for v in views {
            if !release_memoryview(v) {
                stuck.push(v);
            }
        }
        if (*e).exports > 0 {
            copy_out(e, &mbufs, &stuck);
        }
    }
}

type Found = (Vec<*mut PyObject>, Vec<*mut PyObject>, Vec<Obj>);

/// The managed buffers holding an export of `e`, the memoryviews on them,
/// and the lists that keep both alive.
unsafe fn referrers_of(e: *mut Exporter) -> PyResult<Found> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `e` is a live exporter (the caller's contract).
    unsafe {
        let gc = Obj::from_owned(PyImport_ImportModule(c"gc".as_ptr()))?;
        let get = Obj::from_owned(PyObject_GetAttrString(
            gc.as_ptr(),
            c"get_referrers".as_ptr(),
        ))?;
        let args = Obj::from_owned(PyTuple_Pack(1, e as *mut PyObject))?;
        let refs = Obj::from_owned(PyObject_Call(get.as_ptr(), args.as_ptr(), null_mut()))?;
        let mut mbufs = Vec::new();
        for i in 0..PyList_GET_SIZE(refs.as_ptr()) {
            let r = PyList_GET_ITEM(refs.as_ptr(), i);
            let name = CStr::from_ptr((*Py_TYPE(r)).tp_name);
            if name == c"managedbuffer" && (*(r as *mut ManagedBuffer)).master.obj == e as _ {
                mbufs.push(r);
            }
        }
        let args = Obj::from_owned(PyTuple_New(mbufs.len() as Py_ssize_t))?;
        for (i, &m) in mbufs.iter().enumerate() {
            Py_INCREF(m);
            PyTuple_SetItem(args.as_ptr(), i as Py_ssize_t, m);
        }
        let list = Obj::from_owned(PyObject_Call(get.as_ptr(), args.as_ptr(), null_mut()))?;
        let mut views = Vec::new();
        for i in 0..PyList_GET_SIZE(list.as_ptr()) {
            let v = PyList_GET_ITEM(list.as_ptr(), i);
            if PyMemoryView_Check(v) != 0
                && mbufs.contains(&((*(v as *mut MemoryView)).mbuf as *mut PyObject))
            {
                views.push(v);
            }
        }
        Ok((mbufs, views, vec![refs, list]))
    }
}

/// Points the managed buffers `mbufs` that still export `e`, and the
/// memoryviews `views` on them, at a private copy of `e`'s memory.
unsafe fn copy_out(e: *mut Exporter, mbufs: &[*mut PyObject], views: &[*mut PyObject]) {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `e` is a live exporter (the caller's contract).
    unsafe {
        let len = ((*e).shape * (*e).itemsize) as usize;
        let copy = libc_malloc(len.max(1));
        if copy.is_null() {
            // Nothing sound is left to do: leave the exports pointing at
            // nothing new (they keep the host's address).
            return;
        }
        let old = (*e).buf as usize;
        core::ptr::copy_nonoverlapping((*e).buf as *const u8, copy as *mut u8, len);
        let rebase = |b: &mut *mut c_void| {
            let at = *b as usize;
            if (old..=old + len).contains(&at) {
                *b = (copy as usize + (at - old)) as *mut c_void;
            }
        };
        for &m in mbufs {
            let m = m as *mut ManagedBuffer;
            if (*m).master.obj == e as _ {
                rebase(&mut (*m).master.buf);
            }
        }
        for &v in views {
            rebase(&mut (*(v as *mut MemoryView)).view.buf);
        }
        (*e).copy = copy;
        (*e).buf = copy;
    }
}

unsafe extern "C" {
    #[link_name = "malloc"]
    pub(super) fn libc_malloc(n: usize) -> *mut c_void;
    #[link_name = "free"]
    pub(super) fn libc_free(p: *mut c_void);
}

unsafe extern "C" fn getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    // SAFETY: CPython calls `bf_getbuffer` with the interpreter attached, `o`
    // an exporter and `view` writable.
    unsafe {
        let e = o as *mut Exporter;
        if (*e).buf.is_null() {
            let _ = raise::<()>(
                PyExc_ValueError,
                "this buffer was used after the call that received it returned; \
                 copy the values you need during the call",
            );
            return -1;
        }
        if (flags & PyBUF_WRITABLE) != 0 && (*e).readonly {
            PyErr_SetString(PyExc_BufferError, c"read-only buffer".as_ptr());
            return -1;
        }
        (*view).buf = (*e).buf;
        (*view).obj = o;
        Py_INCREF(o);
        (*view).len = (*e).shape * (*e).itemsize;
        (*view).itemsize = (*e).itemsize;
        (*view).readonly = (*e).readonly as c_int;
        (*view).ndim = 1;
        (*view).format = if (flags & PyBUF_FORMAT) != 0 {
            (*e).format as *mut _
        } else {
            null_mut()
        };
        // Point into the exporter, which outlives every buffer it exports.
        (*view).shape = &mut (*e).shape;
        (*view).strides = &mut (*e).itemsize;
        (*view).suboffsets = null_mut();
        (*view).internal = null_mut();
        (*e).exports += 1;
        0
    }
}

unsafe extern "C" fn releasebuffer(o: *mut PyObject, _view: *mut Py_buffer) {
    // SAFETY: CPython calls `bf_releasebuffer` with the interpreter attached,
    // once per buffer `o` (an exporter) exported.
    unsafe {
        let e = o as *mut Exporter;
        (*e).exports -= 1;
        if (*e).exports == 0 && !(*e).host.is_null() {
            // The last view of a copy is gone: its writes reach the host now
            // (array fields of views no call releases, e.g. a struct a host
            // function returned).
            write_back(e);
        }
    }
}

unsafe extern "C" fn dealloc(o: *mut PyObject) {
    // SAFETY: CPython calls dealloc with the interpreter attached, on an
    // exporter nothing references any more.
    unsafe {
        let e = o as *mut Exporter;
        Py_XDECREF((*e).owner);
        if !(*e).copy.is_null() {
            libc_free((*e).copy);
        }
        if !(*e).own.is_null() {
            libc_free((*e).own);
        }
        free(o);
    }
}

/// Format character and item size of a scalar kind.
pub(crate) fn format_of(kind: Kind) -> (&'static CStr, usize) {
    match kind {
        Kind::I8 => (c"b", 1),
        Kind::U8 => (c"B", 1),
        Kind::I16 => (c"h", 2),
        Kind::U16 => (c"H", 2),
        Kind::I32 => (c"i", 4),
        Kind::U32 => (c"I", 4),
        Kind::I64 => (c"q", 8),
        Kind::U64 => (c"Q", 8),
        Kind::F32 => (c"f", 4),
        Kind::F64 => (c"d", 8),
        Kind::Bool => (c"?", 1),
        Kind::Enum(_, repr) => format_of(*repr),
        _ => (c"P", core::mem::size_of::<*const c_void>()),
    }
}

/// Writes what the script changed in `e`'s copy back to the host and
/// detaches the copy from host memory (later writes stay in the copy).
pub(super) unsafe fn write_back(e: *mut Exporter) {
    // SAFETY: `e` is a live copy-mode exporter (`host` non-NULL), its host
    // memory still valid (release happens before the call returns); the
    // copy and snapshot are `len` bytes each inside `own`.
    unsafe {
        let host = core::mem::replace(&mut (*e).host, core::ptr::null_mut());
        if (*e).readonly {
            return;
        }
        let len = ((*e).shape * (*e).itemsize) as usize;
        let own = (*e).own as *const u8;
        let copy = core::slice::from_raw_parts(own, len);
        let snap = core::slice::from_raw_parts(own.add(len), len);
        let host = core::slice::from_raw_parts_mut(host as *mut u8, len);
        const CHUNK: usize = 64;
        for ((c, s), h) in copy
            .chunks(CHUNK)
            .zip(snap.chunks(CHUNK))
            .zip(host.chunks_mut(CHUNK))
        {
            if c != s {
                for ((c, s), h) in c.iter().zip(s).zip(h) {
                    if c != s {
                        *h = *c;
                    }
                }
            }
        }
    }
}
