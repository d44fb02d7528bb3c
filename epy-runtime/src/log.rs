//! Plugin log: every line goes to stderr and to `<library stem>.log` beside
//! the library, prefixed with the library's name. Python tracebacks are
//! formatted by Python itself (`traceback.format_exception`).
use crate::obj::Obj;
use std::ffi::CStr;
use std::io::Write;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Log {
    /// Library file name, e.g. `libbench.so`.
    pub name: String,
    /// `<dir>/<stem>.log`; `None` if the library's path is unknown.
    pub path: Option<PathBuf>,
}

impl Log {
    /// The log of the library described by `files` (stderr only if unknown).
    pub fn for_files(files: Option<&crate::script::Files>) -> Log {
        Log {
            name: files
                .and_then(|f| f.library.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "plugin".into()),
            path: files.map(|f| f.log.clone()),
        }
    }

    pub fn line(&self, msg: &str) {
        let text = format!(
            "[epy {} pid {}] {}\n",
            self.name,
            std::process::id(),
            msg.trim_end()
        );
        let _ = std::io::stderr().write_all(text.as_bytes());
        if let Some(p) = &self.path {
            if let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(p)
            {
                let _ = f.write_all(text.as_bytes());
            }
        }
    }

    /// Logs (and clears) the pending Python exception with its traceback.
    ///
    /// # Safety
    /// An interpreter is attached and an exception is set.
    pub unsafe fn exception(&self, context: &str) {
        let text = unsafe { format_exception() };
        self.line(&format!("{context}\n{text}"));
    }
}

/// Fetches and clears the current exception, returning its formatted traceback.
///
/// # Safety
/// An interpreter is attached.
pub unsafe fn format_exception() -> String {
    use pyo3_ffi::*;
    unsafe {
        let Some(exc) = take_exception() else {
            return "(no exception set)".into();
        };
        let text = (|| -> Option<String> {
            let tb = Obj::from_owned(PyImport_ImportModule(c"traceback".as_ptr())).ok()?;
            let func = Obj::from_owned(PyObject_GetAttrString(
                tb.as_ptr(),
                c"format_exception".as_ptr(),
            ))
            .ok()?;
            let lines = Obj::from_owned(PyObject_CallOneArg(func.as_ptr(), exc.as_ptr())).ok()?;
            let empty = Obj::from_owned(PyUnicode_FromString(c"".as_ptr())).ok()?;
            let joined = Obj::from_owned(PyUnicode_Join(empty.as_ptr(), lines.as_ptr())).ok()?;
            utf8(joined.as_ptr())
        })();
        text.unwrap_or_else(|| {
            PyErr_Clear();
            let s = Obj::from_owned(PyObject_Str(exc.as_ptr())).ok();
            let msg = s.and_then(|s| utf8(s.as_ptr())).unwrap_or_default();
            PyErr_Clear();
            format!("exception (traceback unavailable): {msg}")
        })
    }
}

/// A `str` object's text (lossy on error).
///
/// # Safety
/// An interpreter is attached; `s` is a `str`.
pub unsafe fn utf8(s: *mut pyo3_ffi::PyObject) -> Option<String> {
    unsafe {
        let p = pyo3_ffi::PyUnicode_AsUTF8AndSize(s, core::ptr::null_mut());
        if p.is_null() {
            pyo3_ffi::PyErr_Clear();
            return None;
        }
        Some(CStr::from_ptr(p).to_string_lossy().into_owned())
    }
}

/// Takes the pending exception (normalized, with its traceback attached).
///
/// # Safety
/// An interpreter is attached.
pub unsafe fn take_exception() -> Option<Obj> {
    #[cfg(Py_3_12)]
    unsafe {
        Obj::from_owned(pyo3_ffi::PyErr_GetRaisedException()).ok()
    }
    #[cfg(not(Py_3_12))]
    #[allow(deprecated)]
    unsafe {
        use pyo3_ffi::*;
        let (mut t, mut v, mut tb) = (
            core::ptr::null_mut(),
            core::ptr::null_mut(),
            core::ptr::null_mut(),
        );
        PyErr_Fetch(&mut t, &mut v, &mut tb);
        if t.is_null() {
            return None;
        }
        PyErr_NormalizeException(&mut t, &mut v, &mut tb);
        if !tb.is_null() && !v.is_null() {
            PyException_SetTraceback(v, tb);
        }
        Py_XDECREF(t);
        Py_XDECREF(tb);
        Obj::from_owned(v).ok()
    }
}
