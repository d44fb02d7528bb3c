//! What the host holds into one interpreter: handles (`handle.rs`) and
//! filled descriptors (`descriptor.rs`). A reload waits while there are any
//! (`Cx::host_refs`).
use crate::obj::Obj;
use core::cell::RefCell;
use pyo3_ffi::{Py_DECREF, PyObject};

/// One interpreter's handles. Used with that interpreter attached only.
///
/// A value is `generation << 16 | slot + 1`. Each reuse of a slot takes the
/// next generation, and a slot whose generations are used up is never
/// reused, so a closed handle can never name a live object again. On 64-bit
/// targets that is 2^48 reuses per slot (years of opening at one a
/// microsecond); on 32-bit targets 65,534 per slot, then the next of 65,535
/// slots (a table used up that way refuses to open more).
#[derive(Default)]
pub struct Handles {
    /// Per slot: generation and object (NULL = free).
    pub(super) slots: RefCell<Vec<(usize, *mut PyObject)>>,
    pub(super) free: RefCell<Vec<usize>>,
    /// Handles the host holds (read without the GIL, by the reload logic).
    pub(crate) live: core::sync::atomic::AtomicUsize,
}

/// Live handles at most (the slot number is the low 16 bits of a value).
pub(super) const MAX: usize = 0xffff;

/// The last generation: every value keeps a zero bit (never -1).
pub(super) const LAST_GEN: usize = (usize::MAX >> 16) - 1;

impl Handles {
    /// Value for slot `i` of generation `g`: never 0, never -1.
    pub(super) fn value(i: usize, g: usize) -> usize {
        (g << 16) | (i + 1)
    }

    pub(super) fn slot(&self, h: usize) -> Option<usize> {
        let i = (h & 0xffff).checked_sub(1)?;
        let g = h >> 16;
        let slots = self.slots.borrow();
        let (gen_, obj) = *slots.get(i)?;
        (gen_ == g && !obj.is_null()).then_some(i)
    }

    /// Drops every object (the interpreter is attached).
    pub(crate) unsafe fn clear(&self) {
        let objs: Vec<*mut PyObject> = self
            .slots
            .borrow_mut()
            .drain(..)
            .map(|(_, o)| o)
            .filter(|o| !o.is_null())
            .collect();
        self.free.borrow_mut().clear();
        self.live.store(0, core::sync::atomic::Ordering::Relaxed);
        for o in objs {
            unsafe { Py_DECREF(o) };
        }
    }
}

/// Filled descriptors of one interpreter: the object and its C struct.
#[derive(Default)]
pub struct Descriptors {
    pub(super) list: core::cell::RefCell<Vec<(Obj, usize)>>,
    /// How many the host was given (read without the GIL by the reload logic).
    pub(crate) given: core::sync::atomic::AtomicUsize,
}

impl Descriptors {
    /// Drops the objects; the C structs stay (the host may still hold them).
    pub(crate) fn clear(&self) {
        self.list.borrow_mut().clear();
    }
}
