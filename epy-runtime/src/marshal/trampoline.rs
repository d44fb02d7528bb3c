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
use super::scalar::raise;
use super::shared::Shared;
use crate::Cx;
use crate::obj::{Obj, PyResult};
use core::cell::RefCell;
use core::ffi::c_void;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use pyo3_ffi::*;
use std::collections::HashSet;

const MAGIC: u64 = u64::from_le_bytes(*b"epy-clos");

/// The Python side of callbacks handed out by one call: the callables, by
/// parameter index of the function that registered them, and the script's
/// own user data.
#[repr(C)]
pub struct Closure {
    magic: u64,
    /// The tables of the interpreter that owns the objects.
    shared: *const Shared,
    /// Strong references (NULL: no Python callable at that parameter).
    funcs: Box<[*mut PyObject]>,
    /// The script's own user data (strong), NULL for none.
    user: *mut PyObject,
    /// Pool slots pointing at this closure, emptied when it is released.
    slots: Vec<&'static Slot>,
}

/// One trampoline of a pool: which closure (and which of its callables) it
/// calls now.
pub struct Slot {
    closure: AtomicPtr<Closure>,
    func: AtomicUsize,
}

/// The address of a generated trampoline (a fn item cast in a `static`).
#[derive(Clone, Copy)]
#[repr(transparent)]
pub struct FnAddr(pub *const ());
unsafe impl Sync for FnAddr {}
unsafe impl Send for FnAddr {}

/// The pool of one prototype: distinct trampolines and what each is bound
/// to. A `static` of the generated crate (its size is the prototype's
/// `pool` annotation).
pub struct Pool {
    slots: &'static [Slot],
    fns: &'static [FnAddr],
    /// The prototype's name, for the error when the pool is used up.
    name: &'static str,
}

impl Slot {
    pub const fn new() -> Slot {
        Slot {
            closure: AtomicPtr::new(null_mut()),
            func: AtomicUsize::new(0),
        }
    }
}

impl Default for Slot {
    fn default() -> Self {
        Slot::new()
    }
}

impl Pool {
    /// `fns[i]` is the trampoline that calls what `slots[i]` is bound to.
    pub const fn new(name: &'static str, slots: &'static [Slot], fns: &'static [FnAddr]) -> Pool {
        assert!(slots.len() == fns.len());
        Pool { slots, fns, name }
    }

    /// Binds a free trampoline to callable `func` of `closure`; its address.
    fn take(&'static self, closure: &mut Closure, func: usize) -> PyResult<*const c_void> {
        let c = closure as *mut Closure;
        for (i, s) in self.slots.iter().enumerate() {
            // The host gets the address only after this returns, so `func`
            // is set before any call can read it.
            if s.closure
                .compare_exchange(null_mut(), c, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                s.func.store(func, Ordering::Release);
                closure.slots.push(s);
                return Ok(self.fns[i].0 as *const c_void);
            }
        }
        let n = self.slots.len();
        let msg = format!(
            "all {n} trampolines for {} are in use: without a user-data parameter epy can hand the host at most {n} Python callables of this prototype at once (release some, or raise `pool` in [callbacks.{}] of the annotations)",
            self.name, self.name
        );
        unsafe { raise(PyExc_RuntimeError, &msg) }
    }
}

/// The closures one interpreter has handed out (in its `Shared`, so the
/// script may set function-pointer fields while it is imported).
pub struct Closures {
    live: RefCell<Option<HashSet<usize>>>,
    /// How many are live (read by the reload gate from any thread).
    pub(crate) count: AtomicUsize,
}

impl Closures {
    pub(crate) const fn new() -> Closures {
        Closures {
            live: RefCell::new(None),
            count: AtomicUsize::new(0),
        }
    }

    fn insert(&self, p: usize) {
        self.live
            .borrow_mut()
            .get_or_insert_with(HashSet::new)
            .insert(p);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn remove(&self, p: usize) -> bool {
        let removed = self
            .live
            .borrow_mut()
            .as_mut()
            .is_some_and(|s| s.remove(&p));
        if removed {
            self.count.fetch_sub(1, Ordering::Relaxed);
        }
        removed
    }

    fn contains(&self, p: usize) -> bool {
        self.live.borrow().as_ref().is_some_and(|s| s.contains(&p))
    }

    /// Releases every closure (the interpreter ends).
    ///
    /// # Safety
    /// The plugin's interpreter is attached.
    pub(crate) unsafe fn clear(&self) {
        let all: Vec<usize> = self
            .live
            .borrow_mut()
            .take()
            .unwrap_or_default()
            .into_iter()
            .collect();
        for c in all {
            unsafe { free(c as *mut Closure) };
        }
        self.count.store(0, Ordering::Relaxed);
    }
}

unsafe fn free(c: *mut Closure) {
    unsafe {
        let b = Box::from_raw(c);
        for s in &b.slots {
            s.closure.store(null_mut(), Ordering::Release);
        }
        for &f in b.funcs.iter() {
            Py_XDECREF(f);
        }
        Py_XDECREF(b.user);
    }
}

/// What a Python argument for a function pointer is: `Ok(Some(p))` for a
/// pointer value (None, an int address, a host function), `Ok(None)` for a
/// Python callable to bind.
///
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn fnptr_value(o: *mut PyObject) -> PyResult<Option<*mut c_void>> {
    unsafe {
        if o == Py_None() || PyLong_Check(o) != 0 || super::callback::fnptr_of(o).is_some() {
            return super::scalar::ptr_from_py(o).map(Some);
        }
        if PyCallable_Check(o) != 0 {
            return Ok(None);
        }
        super::scalar::ptr_from_py(o).map(Some)
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
        let (shared, n) = (self.shared as *const Shared, self.nparams);
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
        if c.is_null() || (*c).magic != MAGIC || !core::ptr::eq((*c).shared, &*cx.types.shared) {
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
        if c.is_null() || !core::ptr::eq((*c).shared, &*cx.types.shared) {
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
                Ok(super::scalar::none())
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
        super::scalar::ptr_to_py(p)
    }
}
