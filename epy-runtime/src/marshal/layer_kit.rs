//! What epy lends a pack's layer besides `buffer_at` (all removed from the
//! module once the layer ran, `instance::run_layer`):
//! `_epy_memo(text=None, /)`, one string per plugin library that outlives
//! live reloads (a static of the library, not of an interpreter), where the
//! layer keeps what the host was told (the wdx field order the host read at
//! load, so a reloaded script is still read in that order); and
//! `_epy_log(text, /)`, one line in the plugin's log. Slow path only: layers
//! call them when the host (re)reads a list.
use super::descriptor::MethodDef;
use crate::log::Log;
use crate::obj::{Obj, PyErr, PyResult, none, raise};
use pyo3_ffi::*;
use std::sync::Mutex;

static MEMO: Mutex<Option<String>> = Mutex::new(None);
/// The plugin's log, set by each (re)load before the layer runs.
static LOG: Mutex<Option<Log>> = Mutex::new(None);

/// Sets the log `_epy_log` writes to (at each load, before the layer runs).
pub(crate) fn set_log(log: &Log) {
    *LOG.lock().unwrap_or_else(|e| e.into_inner()) = Some(log.clone());
}

/// Given to a pack's layer only (`module::build`).
pub(crate) static LOG_DEF: MethodDef = MethodDef(PyMethodDef {
    ml_name: c"_epy_log".as_ptr(),
    ml_meth: PyMethodDefPointer {
        PyCFunctionFast: log,
    },
    ml_flags: METH_FASTCALL,
    ml_doc: c"_epy_log(text, /)\n--\n\nOne line in the plugin's log.".as_ptr(),
});

unsafe extern "C" fn log(
    _module: *mut PyObject,
    args: *mut *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: CPython calls this with its interpreter attached and `nargs`
    // valid arguments at `args`.
    unsafe {
        let r = (|| -> PyResult<Obj> {
            if nargs != 1 {
                return raise(PyExc_TypeError, "_epy_log(text, /)");
            }
            let text = text(*args)?;
            if let Some(l) = LOG.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
                l.line(&text);
            }
            Ok(none())
        })();
        r.map_or(core::ptr::null_mut(), Obj::into_ptr)
    }
}

/// A str's text.
/// # Safety
/// An interpreter is attached; `o` is a live object.
unsafe fn text(o: *mut PyObject) -> PyResult<String> {
    // SAFETY: contract; CPython's UTF-8 buffer holds `n` bytes while `o` lives.
    unsafe {
        let mut n: Py_ssize_t = 0;
        let p = PyUnicode_AsUTF8AndSize(o, &mut n);
        if p.is_null() {
            return Err(PyErr);
        }
        let b = core::slice::from_raw_parts(p as *const u8, n as usize);
        Ok(String::from_utf8_lossy(b).into_owned())
    }
}

/// Given to a pack's layer only (`module::build`).
pub(crate) static MEMO_DEF: MethodDef = MethodDef(PyMethodDef {
    ml_name: c"_epy_memo".as_ptr(),
    ml_meth: PyMethodDefPointer { PyCFunctionFast: memo },
    ml_flags: METH_FASTCALL,
    ml_doc: c"_epy_memo(text=None, /)\n--\n\nWith text: keeps it for this library (surviving reloads) and returns the previous one; without: the kept text or None.".as_ptr(),
});

unsafe extern "C" fn memo(
    _module: *mut PyObject,
    args: *mut *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    // SAFETY: CPython calls this with its interpreter attached and `nargs`
    // valid arguments at `args`.
    unsafe {
        let r = (|| -> PyResult<Obj> {
            if nargs > 1 {
                return raise(PyExc_TypeError, "_epy_memo(text=None, /)");
            }
            let new = if nargs == 1 { Some(text(*args)?) } else { None };
            let old = {
                let mut m = MEMO.lock().unwrap_or_else(|e| e.into_inner());
                match new {
                    Some(s) => m.replace(s),
                    None => m.clone(),
                }
            };
            match old {
                Some(s) => Obj::from_owned(PyUnicode_FromStringAndSize(
                    s.as_ptr() as *const _,
                    s.len() as Py_ssize_t,
                )),
                None => Ok(none()),
            }
        })();
        r.map_or(core::ptr::null_mut(), Obj::into_ptr)
    }
}
