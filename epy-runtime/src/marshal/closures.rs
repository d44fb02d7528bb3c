//! The records behind Python callables handed to the host as function
//! pointers (`trampoline.rs` makes and finds them): a `Closure` per call
//! that handed callables over, the `Pool`s of trampolines of prototypes
//! without user data, and the per-interpreter registry (`Closures`, in
//! `Shared`). Plain data: nothing here knows a `Cx` or the spec.
use crate::obj::{PyResult, raise};
use core::cell::RefCell;
use core::ffi::c_void;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use pyo3_ffi::*;
use std::collections::HashSet;

pub(super) const MAGIC: u64 = u64::from_le_bytes(*b"epy-clos");

/// The Python side of callbacks handed out by one call: the callables, by
/// parameter index of the function that registered them, and the script's
/// own user data.
#[repr(C)]
pub struct Closure {
    pub(super) magic: u64,
    /// The `Shared` tables of the interpreter that owns the objects.
    pub(super) shared: *const c_void,
    /// Strong references (NULL: no Python callable at that parameter).
    pub(super) funcs: Box<[*mut PyObject]>,
    /// The script's own user data (strong), NULL for none.
    pub(super) user: *mut PyObject,
    /// Pool slots pointing at this closure, emptied when it is released.
    pub(super) slots: Vec<&'static Slot>,
}

/// One trampoline of a pool: which closure (and which of its callables) it
/// calls now.
pub struct Slot {
    pub(super) closure: AtomicPtr<Closure>,
    pub(super) func: AtomicUsize,
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
    pub(super) slots: &'static [Slot],
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
    pub(super) fn take(
        &'static self,
        closure: &mut Closure,
        func: usize,
    ) -> PyResult<*const c_void> {
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

    pub(super) fn insert(&self, p: usize) {
        self.live
            .borrow_mut()
            .get_or_insert_with(HashSet::new)
            .insert(p);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn remove(&self, p: usize) -> bool {
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

    pub(super) fn contains(&self, p: usize) -> bool {
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

pub(super) unsafe fn free(c: *mut Closure) {
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
