//! Plugin-owned handles: a function the pack marks `returns-handle` gives the
//! host an opaque value for any Python object; later calls with that value
//! get the same object back; the `releases` function drops it. A value that
//! is not a live handle of this plugin (stale, foreign, forged) is a Python
//! error, so the host gets the export's error value, never a crash.
use super::scalar::{none, raise};
use crate::Cx;
use crate::obj::{Obj, PyResult};
use core::cell::RefCell;
use pyo3_ffi::{Py_DECREF, Py_None, PyExc_ValueError, PyObject};

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
    slots: RefCell<Vec<(usize, *mut PyObject)>>,
    free: RefCell<Vec<usize>>,
    /// Handles the host holds (read without the GIL, by the reload logic).
    pub(crate) live: core::sync::atomic::AtomicUsize,
}

/// Live handles at most (the slot number is the low 16 bits of a value).
const MAX: usize = 0xffff;

/// The last generation: every value keeps a zero bit (never -1).
const LAST_GEN: usize = (usize::MAX >> 16) - 1;

impl Handles {
    /// Value for slot `i` of generation `g`: never 0, never -1.
    fn value(i: usize, g: usize) -> usize {
        (g << 16) | (i + 1)
    }

    fn slot(&self, h: usize) -> Option<usize> {
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

/// A handle from the host → the object it stands for (new reference).
/// `optional`: NULL and -1 (`INVALID_HANDLE_VALUE`) are `None`.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn handle_to_py(cx: &Cx, h: usize, optional: bool) -> PyResult<Obj> {
    unsafe {
        if optional && (h == 0 || h == usize::MAX) {
            return Ok(none());
        }
        match cx.handles.slot(h) {
            Some(i) => Ok(Obj::from_borrowed(cx.handles.slots.borrow()[i].1)),
            None => raise(
                PyExc_ValueError,
                &format!(
                    "{h:#x} is not a live handle of this plugin (closed already, or never given out)"
                ),
            ),
        }
    }
}

/// The object a `returns-handle` function returned → a new handle; `None`
/// → 0 (NULL: the host's sign of failure).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn handle_from_py(cx: &Cx, o: Obj) -> PyResult<usize> {
    unsafe {
        if o.as_ptr() == Py_None() {
            return Ok(0);
        }
        let mut slots = cx.handles.slots.borrow_mut();
        let i = match cx.handles.free.borrow_mut().pop() {
            Some(i) => i,
            None if slots.len() < MAX => {
                // Generations start from the context's address, so another
                // plugin's values are unlikely to look live here.
                let seed = ((cx as *const Cx as usize) >> 4) & (LAST_GEN >> 16);
                slots.push((seed, core::ptr::null_mut()));
                slots.len() - 1
            }
            None => {
                drop(slots);
                return raise(PyExc_ValueError, "too many open handles (65535)");
            }
        };
        let g = slots[i].0 + 1; // free slots are below LAST_GEN
        slots[i] = (g, o.into_ptr());
        cx.handles
            .live
            .fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        Ok(Handles::value(i, g))
    }
}

impl Cx {
    /// Drops the object behind handle `h` (nothing when `h` is not live).
    /// # Safety
    /// The plugin's interpreter is attached.
    pub unsafe fn release_handle(&self, h: usize) {
        let Some(i) = self.handles.slot(h) else {
            return;
        };
        let p = {
            let mut slots = self.handles.slots.borrow_mut();
            core::mem::replace(&mut slots[i].1, core::ptr::null_mut())
        };
        if self.handles.slots.borrow()[i].0 < LAST_GEN {
            self.handles.free.borrow_mut().push(i);
        }
        let before = self
            .handles
            .live
            .fetch_sub(1, core::sync::atomic::Ordering::Relaxed);
        if before == 1 {
            self.host_let_go();
        }
        // Last: the object's finalizer may run Python code that opens handles.
        unsafe { Py_DECREF(p) };
    }
}
