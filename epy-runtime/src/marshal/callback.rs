//! Host function pointers as Python callables: a heap type per interpreter
//! whose instances hold the pointer and the index of its signature; calling
//! one (vectorcall: no argument tuple) converts the arguments, calls the host
//! (GIL released) and converts the result back.
use super::pytype::{end, free, new_type, slot};
use super::shared::CallbackSpec;
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
    /// NULL until a host function's first call resolves it.
    fnptr: *const c_void,
    spec: *const CallbackSpec,
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
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`) (the caller's contract).
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
    // SAFETY: the plugin's interpreter is attached; `fnptr` has signature `idx`
    // (this function's contract).
    unsafe { new_callback(&cx.types.shared, fnptr, idx) }
}

/// `callback_to_py` for code that has the shared types but no `Cx`.
pub(crate) unsafe fn new_callback(
    shared: &Shared,
    fnptr: *const c_void,
    idx: usize,
) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `fnptr` is valid for the C type it stands for (the
    // caller's contract).
    unsafe {
        if fnptr.is_null() {
            return Ok(crate::obj::none());
        }
        new_object(shared, fnptr, &shared.spec.callbacks[idx])
    }
}

/// The host function `spec` (a C symbol of the host process, resolved at
/// its first call) as a Python callable.
pub(crate) unsafe fn new_host_fn(shared: &Shared, spec: &'static CallbackSpec) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached (the caller's contract); a NULL
    // pointer is resolved at the first call (`host_fn::resolve`).
    unsafe { new_object(shared, core::ptr::null(), spec) }
}

unsafe fn new_object(
    shared: &Shared,
    fnptr: *const c_void,
    spec: *const CallbackSpec,
) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached (the callers' contract); the type is
    // this interpreter's host-function type, so the allocation is a `Callback`.
    unsafe {
        let ty = shared.callback_type as *mut PyTypeObject;
        let o = Obj::from_owned(PyType_GenericAlloc(ty, 0))?;
        let c = o.as_ptr() as *mut Callback;
        (*c).vectorcall = Some(cb_vectorcall);
        (*c).fnptr = fnptr;
        (*c).spec = spec;
        (*c).shared = shared;
        (*c).owner = shared.capsule;
        Py_XINCREF(shared.capsule);
        Ok(o)
    }
}

/// The pointer inside a host function object (to hand it back to the host).
pub(crate) unsafe fn fnptr_of(o: *mut PyObject) -> Option<*const c_void> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
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
    // SAFETY: CPython calls this vectorcall with the interpreter attached, `o`
    // a host function object (`Callback`) and `args` holding the `nargsf` live
    // arguments.
    unsafe {
        let c = o as *mut Callback;
        let shared = &*(*c).shared;
        let spec = &*(*c).spec;
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
            if !shared.loaded.get() {
                return raise(PyExc_RuntimeError, "the plugin is not loaded");
            }
            let argv = if n == 0 {
                &[]
            } else {
                core::slice::from_raw_parts(args, n)
            };
            if (*c).fnptr.is_null() {
                (*c).fnptr = super::host_fn::resolve(spec.name)?;
            }
            (spec.invoke)(shared, (*c).fnptr, argv)
        })();
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

unsafe extern "C" fn cb_dealloc(o: *mut PyObject) {
    // SAFETY: CPython calls dealloc with the interpreter attached, on a host
    // function object nothing references any more.
    unsafe {
        Py_XDECREF((*(o as *mut Callback)).owner);
        free(o);
    }
}

unsafe extern "C" fn cb_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: CPython calls `tp_repr` with the interpreter attached and `o` a
    // host function object.
    unsafe {
        let c = o as *mut Callback;
        let name = (*(*c).spec).name.to_string_lossy();
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
            // SAFETY: `self.0` is the thread state this thread detached below
            // and has not attached since.
            unsafe { crate::threads::attach(self.0) }
        }
    }
    // SAFETY: the plugin's interpreter is attached on this thread (this
    // function's contract); `Reattach` attaches it again.
    let _ts = Reattach(unsafe { PyEval_SaveThread() });
    f()
}
