//! Host function pointers as Python callables: a heap type per interpreter
//! whose instances hold the pointer and the index of its signature; calling
//! one (vectorcall: no argument tuple) converts the arguments, calls the host
//! (GIL released) and converts the result back.
use super::pytype::{end, free, new_type, slot};
use super::shared::Shared;
use crate::Cx;
use crate::obj::raise;
use crate::obj::{Obj, PyResult};
use core::ffi::c_void;
use core::ptr::null_mut;
use pyo3_ffi::*;

#[repr(C)]
struct Callback {
    ob_base: PyObject,
    vectorcall: Option<vectorcallfunc>,
    fnptr: *const c_void,
    idx: usize,
    shared: *const Shared,
    /// The capsule owning `shared` (strong).
    owner: *mut PyObject,
}

pub(crate) unsafe fn new_type_object(module: &str) -> PyResult<Obj> {
    // CPython copies the member table into the type.
    let mut members = [
        PyMemberDef {
            name: c"__vectorcalloffset__".as_ptr(),
            type_code: Py_T_PYSSIZET,
            offset: core::mem::offset_of!(Callback, vectorcall) as Py_ssize_t,
            flags: Py_READONLY,
            doc: core::ptr::null(),
        },
        PyMemberDef {
            name: core::ptr::null(),
            type_code: 0,
            offset: 0,
            flags: 0,
            doc: core::ptr::null(),
        },
    ];
    let mut slots = [
        slot(Py_tp_dealloc, cb_dealloc as *mut c_void),
        slot(Py_tp_call, PyVectorcall_Call as *mut c_void),
        slot(Py_tp_members, members.as_mut_ptr() as *mut c_void),
        slot(Py_tp_repr, cb_repr as *mut c_void),
        slot(
            Py_tp_doc,
            c"A function of the host, callable from Python.".as_ptr() as *mut c_void,
        ),
        end(),
    ];
    // Only the runtime makes instances (one with a NULL pointer would crash
    // when called); immutable, so `__call__` cannot disagree with vectorcall.
    let flags = Py_TPFLAGS_DEFAULT
        | Py_TPFLAGS_HAVE_VECTORCALL
        | Py_TPFLAGS_DISALLOW_INSTANTIATION
        | Py_TPFLAGS_IMMUTABLETYPE;
    unsafe {
        new_type(
            format!("{module}.HostFunction"),
            size_of::<Callback>(),
            flags,
            &mut slots,
            null_mut(),
        )
    }
}

/// A host function pointer of callback signature `idx` → a Python callable
/// that converts its arguments, calls the host (GIL released) and converts
/// the result back. `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `fnptr` has signature `idx`.
pub unsafe fn callback_to_py(cx: &Cx, fnptr: *const c_void, idx: usize) -> PyResult<Obj> {
    unsafe { new_callback(&cx.types.shared, fnptr, idx) }
}

/// `callback_to_py` for code that has the shared types but no `Cx`.
pub(crate) unsafe fn new_callback(
    shared: &Shared,
    fnptr: *const c_void,
    idx: usize,
) -> PyResult<Obj> {
    unsafe {
        if fnptr.is_null() {
            return Ok(crate::obj::none());
        }
        let ty = shared.callback_type as *mut PyTypeObject;
        let o = Obj::from_owned(PyType_GenericAlloc(ty, 0))?;
        let c = o.as_ptr() as *mut Callback;
        (*c).vectorcall = Some(cb_vectorcall);
        (*c).fnptr = fnptr;
        (*c).idx = idx;
        (*c).shared = shared;
        (*c).owner = shared.capsule;
        Py_XINCREF(shared.capsule);
        Ok(o)
    }
}

/// The pointer inside a host function object (to hand it back to the host).
pub(crate) unsafe fn fnptr_of(o: *mut PyObject) -> Option<*const c_void> {
    unsafe {
        let c = o as *mut Callback;
        // Recognised by its dealloc, like views (the type is final).
        let dealloc = (*Py_TYPE(o)).tp_dealloc.map(|f| f as usize);
        (dealloc == Some(cb_dealloc as *const () as usize)).then(|| (*c).fnptr)
    }
}

unsafe extern "C" fn cb_vectorcall(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    unsafe {
        let c = o as *mut Callback;
        let shared = &*(*c).shared;
        let spec = &shared.spec.callbacks[(*c).idx];
        let n = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        let r = (|| -> PyResult<Obj> {
            if !kwnames.is_null() && PyTuple_Size(kwnames) > 0 {
                let msg = "host functions take positional arguments only";
                return raise(PyExc_TypeError, msg);
            }
            if n != spec.nargs {
                let name = spec.name.to_string_lossy();
                let msg = format!("{name}() takes {} arguments ({n} given)", spec.nargs);
                return raise(PyExc_TypeError, &msg);
            }
            let cx = shared.cx.get();
            if cx.is_null() {
                return raise(PyExc_RuntimeError, "the plugin is not loaded");
            }
            let argv = if n == 0 {
                &[]
            } else {
                core::slice::from_raw_parts(args, n)
            };
            (spec.invoke)(&*cx, (*c).fnptr, argv)
        })();
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

unsafe extern "C" fn cb_dealloc(o: *mut PyObject) {
    unsafe {
        Py_XDECREF((*(o as *mut Callback)).owner);
        free(o);
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

/// Runs `f` (a call into the host) with this thread's Python thread state
/// detached, so the host may call back into any plugin from any thread.
/// # Safety
/// The plugin's interpreter is attached on this thread.
#[inline]
pub unsafe fn without_gil<R>(f: impl FnOnce() -> R) -> R {
    /// Re-attaches even if `f` panics: the stub that catches the panic
    /// still uses Python.
    struct Reattach(*mut PyThreadState);
    impl Drop for Reattach {
        fn drop(&mut self) {
            unsafe { crate::threads::attach(self.0) }
        }
    }
    let _ts = Reattach(unsafe { PyEval_SaveThread() });
    f()
}
