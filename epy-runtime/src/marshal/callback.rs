//! Host function pointers as Python callables: a heap type per interpreter
//! whose instances hold the pointer and the index of its signature; calling
//! one converts the arguments, calls the host (GIL released) and converts
//! the result back.
use super::module::{Shared, leak_cstr};
use super::scalar::raise;
use crate::Cx;
use crate::obj::{Obj, PyResult};
use core::ffi::c_void;
use core::ptr::null_mut;
use pyo3_ffi::*;

#[repr(C)]
struct Callback {
    ob_base: PyObject,
    fnptr: *const c_void,
    idx: usize,
    shared: *const Shared,
}

pub(crate) unsafe fn new_type(module: &str) -> PyResult<Obj> {
    let mut slots = [
        PyType_Slot {
            slot: Py_tp_dealloc,
            pfunc: cb_dealloc as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_call,
            pfunc: cb_call as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_repr,
            pfunc: cb_repr as *mut c_void,
        },
        PyType_Slot {
            slot: Py_tp_doc,
            pfunc: c"A function of the host, callable from Python.".as_ptr() as *mut c_void,
        },
        PyType_Slot {
            slot: 0,
            pfunc: null_mut(),
        },
    ];
    let mut spec = PyType_Spec {
        name: leak_cstr(format!("{module}.HostFunction")),
        basicsize: core::mem::size_of::<Callback>() as _,
        itemsize: 0,
        flags: Py_TPFLAGS_DEFAULT as _,
        slots: slots.as_mut_ptr(),
    };
    unsafe { Obj::from_owned(PyType_FromSpec(&mut spec)) }
}

/// A host function pointer of callback signature `idx` → a Python callable
/// that converts its arguments, calls the host (GIL released) and converts
/// the result back. `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `fnptr` has signature `idx`.
pub unsafe fn callback_to_py(cx: &Cx, fnptr: *const c_void, idx: usize) -> PyResult<Obj> {
    unsafe {
        if fnptr.is_null() {
            return Ok(super::scalar::none());
        }
        let shared = &*cx.types.shared;
        let o = Obj::from_owned(PyType_GenericAlloc(
            shared.callback_type as *mut PyTypeObject,
            0,
        ))?;
        let c = o.as_ptr() as *mut Callback;
        (*c).fnptr = fnptr;
        (*c).idx = idx;
        (*c).shared = shared;
        Ok(o)
    }
}

unsafe extern "C" fn cb_call(
    o: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    unsafe {
        let c = o as *mut Callback;
        let shared = &*(*c).shared;
        let spec = &shared.spec.callbacks[(*c).idx];
        let r = (|| -> PyResult<Obj> {
            if !kwargs.is_null() && PyDict_Size(kwargs) > 0 {
                return raise(
                    PyExc_TypeError,
                    "host functions take positional arguments only",
                );
            }
            let n = PyTuple_Size(args) as usize;
            if n != spec.nargs {
                return raise(
                    PyExc_TypeError,
                    &format!(
                        "{}() takes {} arguments ({n} given)",
                        spec.name.to_string_lossy(),
                        spec.nargs
                    ),
                );
            }
            let cx = shared.cx.get();
            if cx.is_null() {
                return raise(PyExc_RuntimeError, "the plugin is not loaded");
            }
            let mut argv = [null_mut::<PyObject>(); 16];
            let mut heap = Vec::new();
            let argv: &[*mut PyObject] = if n <= 16 {
                for (i, a) in argv.iter_mut().enumerate().take(n) {
                    *a = PyTuple_GetItem(args, i as Py_ssize_t);
                }
                &argv[..n]
            } else {
                heap.extend((0..n).map(|i| PyTuple_GetItem(args, i as Py_ssize_t)));
                &heap
            };
            (spec.invoke)(&*cx, (*c).fnptr, argv)
        })();
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

unsafe extern "C" fn cb_repr(o: *mut PyObject) -> *mut PyObject {
    unsafe {
        let c = o as *mut Callback;
        let name = (*(*c).shared).spec.callbacks[(*c).idx]
            .name
            .to_string_lossy();
        let s = std::ffi::CString::new(format!("<host function {name} at {:p}>", (*c).fnptr))
            .unwrap_or_default();
        PyUnicode_FromString(s.as_ptr())
    }
}

unsafe extern "C" fn cb_dealloc(o: *mut PyObject) {
    unsafe {
        let ty = Py_TYPE(o);
        if let Some(free) = (*ty).tp_free {
            free(o as *mut c_void);
        }
        Py_DECREF(ty as *mut PyObject);
    }
}

/// Runs `f` (a call into the host) with this thread's Python thread state
/// detached, so the host may call back into any plugin from any thread.
/// # Safety
/// The plugin's interpreter is attached on this thread.
#[inline]
pub unsafe fn without_gil<R>(f: impl FnOnce() -> R) -> R {
    let ts = unsafe { pyo3_ffi::PyEval_SaveThread() };
    let r = f();
    unsafe { pyo3_ffi::PyEval_RestoreThread(ts) };
    r
}
