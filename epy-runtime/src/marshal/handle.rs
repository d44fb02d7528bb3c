//! Plugin-owned handles: a function the pack marks `returns-handle` gives the
//! host an opaque value for any Python object; later calls with that value
//! get the same object back; the `releases` function drops it. A value that
//! is not a live handle of this plugin (stale, foreign, forged) is a Python
//! error, so the host gets the export's error value, never a crash.
use super::host_refs::{Handles, LAST_GEN, MAX};
use crate::Cx;
use crate::obj::{Obj, PyResult};
use crate::obj::{none, raise};
use pyo3_ffi::{Py_DECREF, Py_None, PyExc_ValueError};

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
