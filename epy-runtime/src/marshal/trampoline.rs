//! Python callables handed to the host as C function pointers.
//!
//! The host gets a generated native function of the pointer's exact
//! prototype (a *trampoline*, emitted by `epy-codegen`) that enters the
//! plugin like an export does and calls the Python callable. It finds the
//! callable one of two ways:
//! - *user data*: the host function that registers the callback also takes
//!   a user-data pointer (`void *pApp`) that the host hands back to the
//!   callback; epy passes a [`Closure`] there (the script's own user data
//!   is kept in it and given to the callable in the pointer's place);
//! - *pool*: otherwise each prototype has a bounded pool of distinct
//!   trampolines ([`Pool`]), one slot per callable handed out (so a
//!   bounded number at once: a Python error names the prototype when none
//!   is left).
//!
//! A closure lives until the host calls the destroy callback it was given
//! (`keep = "until:PARAM"`), else until the plugin unloads; while any is
//! live, a live reload waits (the host may still call them).
pub use super::closures::{Closure, FnAddr, Pool, Slot};
use super::closures::{MAGIC, free};
use super::shared::Shared;
use crate::Cx;
use crate::obj::{Obj, PyErr, PyResult, none, raise, type_name};
use core::ffi::c_void;
use core::ptr::null_mut;
use core::sync::atomic::Ordering;
use pyo3_ffi::*;

/// What a Python argument for a function pointer is: `Ok(Some(p))` for a
/// pointer value (None, an int address such as a pointer-valued constant,
/// a host function), `Ok(None)` for a Python callable to bind.
///
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn fnptr_value(o: *mut PyObject) -> PyResult<Option<*mut c_void>> {
    unsafe {
        if o == Py_None() {
            return Ok(Some(null_mut()));
        }
        if PyLong_Check(o) != 0 {
            let p = PyLong_AsVoidPtr(o);
            if p.is_null() && !PyErr_Occurred().is_null() {
                return Err(PyErr);
            }
            return Ok(Some(p));
        }
        if let Some(p) = super::callback::fnptr_of(o) {
            return Ok(Some(p as *mut c_void));
        }
        if PyCallable_Check(o) != 0 {
            return Ok(None);
        }
        let msg = format!(
            "expected a callable, a host function, an int address or None for a function pointer, got {}",
            type_name(o)
        );
        raise(PyExc_TypeError, &msg)
    }
}

/// The callables of one call into the host, made into one closure once the
/// call has them all (`finish`).
pub struct Binding<'a> {
    shared: &'a Shared,
    closure: Option<Box<Closure>>,
    nparams: usize,
}

impl<'a> Binding<'a> {
    pub fn new(cx: &'a Cx, nparams: usize) -> Self {
        Binding::in_shared(&cx.types.shared, nparams)
    }

    fn in_shared(shared: &'a Shared, nparams: usize) -> Self {
        Binding {
            shared,
            closure: None,
            nparams,
        }
    }

    fn closure(&mut self) -> &mut Closure {
        let (shared, n) = (self.shared as *const Shared as *const c_void, self.nparams);
        self.closure.get_or_insert_with(|| {
            Box::new(Closure {
                magic: MAGIC,
                shared,
                funcs: vec![null_mut(); n].into_boxed_slice(),
                user: null_mut(),
                slots: Vec::new(),
            })
        })
    }

    /// Parameter `param` gets callable `f` through the user-data pointer.
    ///
    /// # Safety
    /// The plugin's interpreter is attached; `f` is a live object.
    pub unsafe fn bind(&mut self, param: usize, f: *mut PyObject) {
        unsafe { Py_INCREF(f) };
        let c = self.closure();
        let old = core::mem::replace(&mut c.funcs[param], f);
        unsafe { Py_XDECREF(old) };
    }

    /// Parameter `param` gets callable `f` through a trampoline of `pool`;
    /// the trampoline's address.
    ///
    /// # Safety
    /// The plugin's interpreter is attached; `f` is a live object.
    pub unsafe fn pool(
        &mut self,
        param: usize,
        f: *mut PyObject,
        pool: &'static Pool,
    ) -> PyResult<*const c_void> {
        unsafe { self.bind(param, f) };
        pool.take(self.closure(), param)
    }

    /// The script's own user data (any object; `None` keeps none).
    ///
    /// # Safety
    /// The plugin's interpreter is attached; `o` is a live object.
    pub unsafe fn user(&mut self, o: *mut PyObject) {
        if o == unsafe { Py_None() } {
            return;
        }
        unsafe { Py_INCREF(o) };
        let c = self.closure();
        let old = core::mem::replace(&mut c.user, o);
        unsafe { Py_XDECREF(old) };
    }

    /// True once a callable is bound: the call needs the closure.
    pub fn active(&self) -> bool {
        self.closure
            .as_ref()
            .is_some_and(|c| c.funcs.iter().any(|f| !f.is_null()))
    }

    /// Hands the closure to the host: registered with the context (the
    /// reload waits while it lives); its address, the user-data pointer to
    /// pass. NULL when nothing was bound.
    pub fn finish(mut self) -> *mut c_void {
        if !self.active() {
            return null_mut();
        }
        let Some(c) = self.closure.take() else {
            return null_mut();
        };
        let p = Box::into_raw(c);
        self.shared.closures.insert(p as usize);
        p as *mut c_void
    }
}

impl Drop for Binding<'_> {
    fn drop(&mut self) {
        // Not handed out (an argument failed to convert): undo.
        if let Some(c) = self.closure.take() {
            unsafe { free(Box::into_raw(c)) };
        }
    }
}

/// A Python value for a function pointer of a pool prototype, where no
/// call can release it (a returned pointer, a host function without user
/// data or destroy callback): a pointer value as it is, a callable through
/// a trampoline kept until the plugin unloads.
///
/// # Safety
/// The plugin's interpreter is attached; `o` is a live object.
pub unsafe fn fnptr_from_py(
    cx: &Cx,
    o: *mut PyObject,
    pool: Option<&'static Pool>,
) -> PyResult<*mut c_void> {
    unsafe { fnptr_in(&cx.types.shared, o, pool) }
}

/// `fnptr_from_py` with the interpreter's tables (a struct field set
/// while the script is imported has no `Cx` yet).
///
/// # Safety
/// As `fnptr_from_py`.
pub(crate) unsafe fn fnptr_in(
    shared: &Shared,
    o: *mut PyObject,
    pool: Option<&'static Pool>,
) -> PyResult<*mut c_void> {
    unsafe {
        if let Some(p) = fnptr_value(o)? {
            return Ok(p);
        }
        let Some(pool) = pool else {
            let msg = "this function pointer's prototype has no trampolines: a Python callable cannot be passed here";
            return raise(PyExc_TypeError, msg);
        };
        let mut b = Binding::in_shared(shared, 1);
        let p = b.pool(0, o, pool)?;
        b.finish();
        Ok(p as *mut c_void)
    }
}

/// The closure behind a user-data pointer the host passed back.
///
/// # Safety
/// The plugin's interpreter is attached; `p` is what the host was given.
#[inline]
pub unsafe fn closure_at<'c>(cx: &Cx, p: *mut c_void) -> PyResult<&'c Closure> {
    let c = p as *const Closure;
    unsafe {
        if c.is_null()
            || (*c).magic != MAGIC
            || !core::ptr::eq(
                (*c).shared,
                &*cx.types.shared as *const Shared as *const c_void,
            )
        {
            return stale();
        }
        Ok(&*c)
    }
}

/// The closure a pool trampoline is bound to, and which callable.
///
/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn pool_closure<'c>(cx: &Cx, pool: &Pool, i: usize) -> PyResult<(&'c Closure, usize)> {
    let s = &pool.slots[i];
    let c = s.closure.load(Ordering::Acquire);
    unsafe {
        if c.is_null()
            || !core::ptr::eq(
                (*c).shared,
                &*cx.types.shared as *const Shared as *const c_void,
            )
        {
            return stale();
        }
        Ok((&*c, s.func.load(Ordering::Acquire)))
    }
}

#[cold]
unsafe fn stale<T>() -> PyResult<T> {
    let msg =
        "the host called a callback that was released (or belongs to an interpreter that ended)";
    unsafe { raise(PyExc_RuntimeError, msg) }
}

impl Closure {
    /// The callable of parameter `param` (borrowed), NULL for none.
    #[inline]
    pub fn func(&self, param: usize) -> *mut PyObject {
        self.funcs.get(param).copied().unwrap_or(null_mut())
    }

    /// The script's own user data (a new reference; `None` for none).
    ///
    /// # Safety
    /// The plugin's interpreter is attached.
    #[inline]
    pub unsafe fn user(&self) -> PyResult<Obj> {
        unsafe {
            if self.user.is_null() {
                Ok(none())
            } else {
                Ok(Obj::from_borrowed(self.user))
            }
        }
    }
}

/// The host called the destroy callback: the closure, its callables and
/// its pool slots are released.
///
/// # Safety
/// The plugin's interpreter is attached; `c` came from `closure_at` and
/// is not used afterwards.
pub unsafe fn closure_release(cx: &Cx, c: &Closure) {
    let p = c as *const Closure as *mut Closure;
    let set = &cx.types.shared.closures;
    if !set.remove(p as usize) {
        return;
    }
    unsafe { free(p) };
    if set.count.load(Ordering::Relaxed) == 0 {
        cx.host_let_go();
    }
}

/// A user-data pointer as the callable sees it: the script's own object
/// when it is one of this context's closures, else the address (`None` for
/// NULL).
///
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn user_data_to_py(cx: &Cx, p: *mut c_void) -> PyResult<Obj> {
    unsafe {
        if !p.is_null() && cx.types.shared.closures.contains(p as usize) {
            return (*(p as *const Closure)).user();
        }
        if p.is_null() {
            return Ok(none());
        }
        Obj::from_owned(PyLong_FromVoidPtr(p))
    }
}

/// A method table entry CPython only reads (its pointers are to statics).
pub(crate) struct UserDataDef(pub PyMethodDef);
// SAFETY: read-only after construction; every pointer in it is 'static.
unsafe impl Sync for UserDataDef {}

/// `<module>.user_data(address)`: the script's own object behind a
/// user-data pointer epy gave the host (what a host API such as
/// `sqlite3_user_data` hands back); its `self` is the `Shared` capsule.
pub(crate) static USER_DATA: UserDataDef = UserDataDef(PyMethodDef {
    ml_name: c"user_data".as_ptr(),
    ml_meth: PyMethodDefPointer { PyCFunction: user_data },
    ml_flags: METH_O,
    ml_doc: c"user_data(address, /)\n--\n\nThe object the script gave as user data when epy passed the host `address` in its place; any other address unchanged.".as_ptr(),
});

unsafe extern "C" fn user_data(cap: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    unsafe {
        let shared = Shared::from_capsule(cap);
        if shared.is_null() {
            return null_mut();
        }
        if arg != Py_None() && PyLong_Check(arg) != 0 {
            let p = PyLong_AsVoidPtr(arg);
            if p.is_null() && !PyErr_Occurred().is_null() {
                return null_mut();
            }
            if !p.is_null() && (*shared).closures.contains(p as usize) {
                return (*(p as *const Closure))
                    .user()
                    .map_or(null_mut(), Obj::into_ptr);
            }
        }
        Py_INCREF(arg);
        arg
    }
}
