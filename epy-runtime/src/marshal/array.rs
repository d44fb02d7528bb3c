//! `T[N]` struct fields as memoryviews. Over host memory the memoryview is
//! bare (zero copy) and is recorded on the root view, so `release_arg`
//! releases it with the view; over Python-owned memory (`Record()`) a small
//! exporter object keeps the owner alive instead.
use super::buffer::{buffer_to_py, format_of};
use super::pytype::{end, free, new_type, slot};
use super::view::{View, root};
use crate::obj::{Obj, PyErr, PyResult};
use crate::spec::Kind;
use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;
use pyo3_ffi::*;

/// Buffer exporter for an array inside a Python-owned struct.
#[repr(C)]
struct Hold {
    ob_base: PyObject,
    buf: *mut c_void,
    shape: Py_ssize_t,
    itemsize: Py_ssize_t,
    format: *const c_char,
    readonly: bool,
    /// The root view owning the memory (strong).
    owner: *mut PyObject,
}

pub(crate) unsafe fn new_hold_type(module: &str) -> PyResult<Obj> {
    let mut slots = [
        slot(Py_tp_dealloc, hold_dealloc as *mut c_void),
        slot(Py_bf_getbuffer, hold_getbuffer as *mut c_void),
        end(),
    ];
    // Not instantiable from Python: a Hold with no memory would export NULL.
    let flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION;
    unsafe {
        new_type(
            format!("{module}._Array"),
            size_of::<Hold>(),
            flags,
            &mut slots,
            null_mut(),
        )
    }
}

/// A memoryview of the `n` elements of kind `elem` at `p`, inside view `v`.
pub(crate) unsafe fn field_array(v: *mut View, p: *mut u8, elem: Kind, n: usize) -> PyResult<Obj> {
    unsafe {
        let r = root(v);
        let readonly = (*v).readonly;
        if (*r).storage.is_null() {
            let mv = buffer_to_py(p as *mut c_void, n, elem, readonly)?;
            track(r, &mv)?;
            return Ok(mv);
        }
        let (format, itemsize) = format_of(elem);
        let ty = (*(*v).shared).hold_type as *mut PyTypeObject;
        let h = Obj::from_owned(PyType_GenericAlloc(ty, 0))?;
        let hp = h.as_ptr() as *mut Hold;
        (*hp).buf = p as *mut c_void;
        (*hp).shape = n as Py_ssize_t;
        (*hp).itemsize = itemsize as Py_ssize_t;
        (*hp).format = format.as_ptr();
        (*hp).readonly = readonly;
        (*hp).owner = r as *mut PyObject;
        Py_INCREF(r as *mut PyObject);
        Obj::from_owned(PyMemoryView_FromObject(h.as_ptr()))
    }
}

/// Records `mv` on root `r`. A memoryview that only the list still holds is
/// dead, so its slot is reused: `r.samples[i]` in a loop does not grow it.
unsafe fn track(r: *mut View, mv: &Obj) -> PyResult<()> {
    unsafe {
        if (*r).arrays.is_null() {
            (*r).arrays = Obj::from_owned(PyList_New(0))?.into_ptr();
        }
        let list = (*r).arrays;
        let n = PyList_GET_SIZE(list);
        if n > 0 && Py_REFCNT(PyList_GET_ITEM(list, n - 1)) == 1 {
            Py_INCREF(mv.as_ptr());
            PyList_SetItem(list, n - 1, mv.as_ptr());
            return Ok(());
        }
        if PyList_Append(list, mv.as_ptr()) != 0 {
            return Err(PyErr);
        }
        Ok(())
    }
}

/// Releases the memoryviews made over `v`'s arrays that someone kept.
pub(crate) unsafe fn release_all(v: *mut View) {
    unsafe {
        let list = core::mem::replace(&mut (*v).arrays, null_mut());
        for i in 0..PyList_GET_SIZE(list) {
            let mv = PyList_GET_ITEM(list, i);
            if Py_REFCNT(mv) > 1 {
                release_memoryview(mv);
            }
        }
        Py_DECREF(list);
    }
}

/// `mv.release()`. Fails (BufferError) if something, e.g. a numpy array,
/// still exports it; that object then keeps pointing at host memory.
/// Slices taken from `mv` share its buffer and are not released either.
pub(crate) unsafe fn release_memoryview(mv: *mut PyObject) {
    unsafe {
        let r = PyObject_CallMethod(mv, c"release".as_ptr(), core::ptr::null());
        if r.is_null() {
            PyErr_Clear();
        } else {
            Py_DECREF(r);
        }
    }
}

unsafe extern "C" fn hold_getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    unsafe {
        let h = o as *mut Hold;
        if (flags & PyBUF_WRITABLE) != 0 && (*h).readonly {
            PyErr_SetString(PyExc_BufferError, c"read-only array".as_ptr());
            return -1;
        }
        (*view).buf = (*h).buf;
        (*view).obj = o;
        Py_INCREF(o);
        (*view).len = (*h).shape * (*h).itemsize;
        (*view).itemsize = (*h).itemsize;
        (*view).readonly = (*h).readonly as c_int;
        (*view).ndim = 1;
        (*view).format = if (flags & PyBUF_FORMAT) != 0 {
            (*h).format as *mut _
        } else {
            null_mut()
        };
        // Point into the exporter, which outlives every buffer it exports.
        (*view).shape = &mut (*h).shape;
        (*view).strides = &mut (*h).itemsize;
        (*view).suboffsets = null_mut();
        (*view).internal = null_mut();
        0
    }
}

unsafe extern "C" fn hold_dealloc(o: *mut PyObject) {
    unsafe {
        Py_XDECREF((*(o as *mut Hold)).owner);
        free(o);
    }
}
