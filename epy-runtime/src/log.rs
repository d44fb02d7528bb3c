//! Plugin log: every line goes to stderr and to `<library stem>.log` beside
//! the library, prefixed with the library's name. Python tracebacks are
//! formatted by Python itself (`traceback.format_exception`).
//!
//! Bounded: one message is cut to `MAX_MESSAGE` bytes (its head and tail,
//! with "… N bytes cut" between), and the file is renamed to
//! `<stem>.log.1` (replacing the previous one) before it would grow past
//! `MAX_FILE`, so the two files hold at most about 8 MiB. The file is opened
//! with `O_NOFOLLOW` and must be a regular file with one link owned by this
//! process's user or the library's owner; otherwise lines go to stderr only.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::obj::Obj;
use std::ffi::CStr;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// The most one logged message keeps, in bytes.
pub const MAX_MESSAGE: usize = 64 * 1024;
/// The size at which the log file is rotated to `<stem>.log.1`.
pub const MAX_FILE: u64 = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct Log {
    /// Library file name, e.g. `libbench.so`.
    pub name: String,
    /// `<dir>/<stem>.log`; `None` if the library's path is unknown.
    pub path: Option<PathBuf>,
    /// Who may own the log besides this process's user (the library's owner).
    owner: u32,
}

impl Log {
    /// The log of the library described by `files` (stderr only if unknown).
    pub fn for_files(files: Option<&crate::files::Files>) -> Log {
        Log {
            name: files
                .and_then(|f| f.library.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "plugin".into()),
            path: files.map(|f| f.log.clone()),
            owner: files.map_or(0, |f| f.owner.0),
        }
    }

    pub fn line(&self, msg: &str) {
        let text = format!(
            "[epy {} pid {}] {}\n",
            self.name,
            std::process::id(),
            cap(msg.trim_end())
        );
        let _ = std::io::stderr().write_all(text.as_bytes());
        if let Some(p) = &self.path {
            match self.open(p, text.len() as u64) {
                Ok(mut f) => {
                    let _ = f.write_all(text.as_bytes());
                }
                Err(why) => self.unsafe_log_once(p, &why),
            }
        }
    }

    /// The log file, rotated first if `len` more bytes would pass
    /// `MAX_FILE`; `Err` says why it is not safe to write.
    fn open(&self, path: &Path, len: u64) -> Result<std::fs::File, String> {
        let open = || {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o644)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .open(path)
                .map_err(|e| {
                    if e.raw_os_error() == Some(libc::ELOOP) {
                        "it is a symbolic link".to_owned()
                    } else {
                        e.to_string()
                    }
                })
        };
        let check = |f: &std::fs::File| -> Result<u64, String> {
            let meta = f.metadata().map_err(|e| e.to_string())?;
            // SAFETY: `geteuid` has no precondition.
            let euid = unsafe { libc::geteuid() };
            if !meta.is_file() {
                Err("it is not a regular file".into())
            } else if meta.nlink() != 1 {
                Err("it has other hard links".into())
            } else if meta.uid() != euid && meta.uid() != self.owner {
                Err(format!("it is owned by uid {}", meta.uid()))
            } else {
                Ok(meta.len())
            }
        };
        let mut f = open()?;
        let size = check(&f)?;
        if size > 0 && size + len > MAX_FILE {
            let mut old = path.as_os_str().to_owned();
            old.push(".1");
            std::fs::rename(path, &old).map_err(|e| format!("cannot rotate it: {e}"))?;
            f = open()?;
            check(&f)?;
        }
        Ok(f)
    }

    /// Says once per library (on stderr) that its log file is not used.
    fn unsafe_log_once(&self, path: &Path, why: &str) {
        use core::sync::atomic::{AtomicBool, Ordering};
        static SAID: AtomicBool = AtomicBool::new(false);
        if !SAID.swap(true, Ordering::Relaxed) {
            let _ = writeln!(
                std::io::stderr(),
                "[epy {}] not writing to {} ({why}): logging to stderr only",
                self.name,
                path.display()
            );
        }
    }

    /// Logs (and clears) the pending Python exception with its traceback.
    ///
    /// # Safety
    /// An interpreter is attached and an exception is set.
    pub unsafe fn exception(&self, context: &str) {
        // SAFETY: an interpreter is attached (this function's contract).
        let text = unsafe { format_exception() };
        self.line(&format!("{context}\n{text}"));
    }
}

/// `msg`, or its head and tail with "… N bytes cut …" between if it is
/// longer than `MAX_MESSAGE` (cut at character boundaries).
pub fn cap(msg: &str) -> std::borrow::Cow<'_, str> {
    if msg.len() <= MAX_MESSAGE {
        return msg.into();
    }
    let floor = |mut i: usize| {
        while !msg.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let head = floor(MAX_MESSAGE * 3 / 4);
    let tail = floor(msg.len() - MAX_MESSAGE / 4);
    let cut = tail - head;
    format!("{}\n… {cut} bytes cut …\n{}", &msg[..head], &msg[tail..]).into()
}

/// Fetches and clears the current exception, returning its formatted traceback.
///
/// # Safety
/// An interpreter is attached.
pub unsafe fn format_exception() -> String {
    use pyo3_ffi::*;
    // SAFETY: an interpreter is attached (this function's contract); every
    // result is checked for NULL before use.
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
    // SAFETY: an interpreter is attached and `s` is a `str` (contract); the
    // UTF-8 buffer is checked for NULL and lives as long as `s`.
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
    // SAFETY: an interpreter is attached (this function's contract).
    unsafe {
        Obj::from_owned(pyo3_ffi::PyErr_GetRaisedException()).ok()
    }
    #[cfg(not(Py_3_12))]
    #[allow(deprecated)]
    // SAFETY: an interpreter is attached (this function's contract).
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
