//! When an export's exception was raised by epy converting a value (what
//! the script's function returned: a `TypeError` "expected an int for
//! int32_t, got str 'yes'"; or an argument: "0x0 is not a live handle"), not
//! by the script: the log line says so and points at the function's `def`
//! (`file:line`), which the exception's traceback cannot (no Python frame
//! ran). Which of the two it was, the exception's message tells. Error path
//! only.
use crate::obj::Obj;
use pyo3_ffi::*;

/// For the exception pending after export `name`'s call: when it carries no
/// traceback and is a conversion error (TypeError, ValueError,
/// OverflowError), the log's context line naming the result and where `func`
/// is defined; `None` for an exception the script raised. The exception
/// stays pending either way.
///
/// # Safety
/// The plugin's interpreter is attached, an exception is pending and
/// `func` is the export's live function object.
#[cold]
pub(crate) unsafe fn context(func: *mut PyObject, name: &str) -> Option<String> {
    // SAFETY: contract; every object is checked for NULL and owned by an
    // `Obj`; the exception is put back before returning.
    unsafe {
        if func.is_null() {
            return None;
        }
        let exc = crate::log::take_exception()?;
        let e = exc.as_ptr();
        let ours = PyException_GetTraceback(e).is_null()
            && [PyExc_TypeError, PyExc_ValueError, PyExc_OverflowError]
                .iter()
                .any(|&t| PyErr_GivenExceptionMatches(e, t) != 0);
        let at = if ours { defined_at(func) } else { None };
        crate::iface_error::restore(exc);
        let at = at?;
        Some(format!(
            "{name}() (def at {at}): a value could not be converted between the host and Python (an argument the host passed, or what the function returned)"
        ))
    }
}

/// `file:line` of `func`'s `def` (through a pack layer's `__wrapped__`).
unsafe fn defined_at(func: *mut PyObject) -> Option<String> {
    // SAFETY: the interpreter is attached; every result is checked.
    unsafe {
        let mut f = Obj::from_borrowed(func);
        if let Ok(inner) =
            Obj::from_owned(PyObject_GetAttrString(f.as_ptr(), c"__wrapped__".as_ptr()))
        {
            f = inner;
        }
        PyErr_Clear();
        let code = Obj::from_owned(PyObject_GetAttrString(f.as_ptr(), c"__code__".as_ptr())).ok();
        let file = code.as_ref().and_then(|c| {
            Obj::from_owned(PyObject_GetAttrString(c.as_ptr(), c"co_filename".as_ptr())).ok()
        });
        let line = code.as_ref().and_then(|c| {
            Obj::from_owned(PyObject_GetAttrString(
                c.as_ptr(),
                c"co_firstlineno".as_ptr(),
            ))
            .ok()
        });
        PyErr_Clear();
        let file = crate::log::utf8(file?.as_ptr())?;
        let line = PyLong_AsLong(line?.as_ptr());
        PyErr_Clear();
        Some(format!("{file}:{line}"))
    }
}
