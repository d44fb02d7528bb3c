//! Importing the plugin's script into its interpreter, after the venv's and
//! the build Python's site-packages are put on `sys.path`.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::log;
use crate::obj::Obj;
use std::ffi::CString;
use std::path::Path;

/// Runs the script as module `name` (registered in `sys.modules`), with its
/// directory first on `sys.path` so its sibling modules import.
///
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn import(path: &Path, name: &str) -> Result<Obj, String> {
    let source = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let c = |s: &str| CString::new(s).map_err(|_| format!("NUL byte in {s:?}"));
    let csrc = CString::new(source)
        .map_err(|_| format!("{}: the script contains a NUL byte", path.display()))?;
    let cpath = c(&path.to_string_lossy())?;
    let cname = c(name)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let cdir = c(&dir.to_string_lossy())?;
    // SAFETY: the plugin's interpreter is attached (this function's
    // contract); every C string outlives the calls, and each result is
    // checked for NULL before use.
    unsafe {
        use pyo3_ffi::*;
        let fail = |what: &str| format!("{what} {}:\n{}", path.display(), log::format_exception());
        // sys.path[0:0] = [dir]
        let sys_path = PySys_GetObject(c"path".as_ptr());
        if !sys_path.is_null() {
            let d = Obj::from_owned(PyUnicode_FromString(cdir.as_ptr()))
                .map_err(|_| fail("cannot set sys.path for"))?;
            if PyList_Insert(sys_path, 0, d.as_ptr()) != 0 {
                return Err(fail("cannot set sys.path for"));
            }
        }
        let code = Obj::from_owned(Py_CompileString(
            csrc.as_ptr(),
            cpath.as_ptr(),
            Py_file_input,
        ))
        .map_err(|_| fail("cannot compile"))?;
        Obj::from_owned(PyImport_ExecCodeModuleEx(
            cname.as_ptr(),
            code.as_ptr(),
            cpath.as_ptr(),
        ))
        .map_err(|_| with_mode_hint(fail("error while importing")))
    }
}

/// An extension module that refuses the interpreter it was imported in gets
/// a line saying which sidecar setting makes it work.
fn with_mode_hint(msg: String) -> String {
    if msg.contains("does not support loading in subinterpreters")
        || msg.contains("not compatible with subinterpreters")
    {
        format!(
            "{msg}\nan extension module refused this plugin's interpreter: put `interpreter = \"shared\"` (or `\"main\"`) in the [plugin] table of the <stem>.toml beside the library"
        )
    } else {
        msg
    }
}

/// Makes a virtual environment's site-packages importable in the attached
/// interpreter only (`site.addsitedir`, which also runs its `.pth` files).
///
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn add_venv(venv: &Path) -> Result<(), String> {
    let version = crate::interp::BUILT_FOR;
    let site = venv
        .join("lib")
        .join(format!("python{version}"))
        .join("site-packages");
    if !site.is_dir() {
        return Err(format!(
            "venv {}: no {} (is it a Python {version} virtual environment?)",
            venv.display(),
            site.display()
        ));
    }
    let csite = CString::new(site.to_string_lossy().as_bytes())
        .map_err(|_| "NUL in venv path".to_string())?;
    // SAFETY: the plugin's interpreter is attached (this function's
    // contract); every C string outlives the calls, and each result is
    // checked for NULL before use.
    unsafe {
        use pyo3_ffi::*;
        let fail = || {
            format!(
                "cannot add {}:\n{}",
                site.display(),
                log::format_exception()
            )
        };
        let m = Obj::from_owned(PyImport_ImportModule(c"site".as_ptr())).map_err(|_| fail())?;
        let arg = Obj::from_owned(PyUnicode_FromString(csite.as_ptr())).map_err(|_| fail())?;
        let name =
            Obj::from_owned(PyUnicode_FromString(c"addsitedir".as_ptr())).map_err(|_| fail())?;
        Obj::from_owned(PyObject_CallMethodOneArg(
            m.as_ptr(),
            name.as_ptr(),
            arg.as_ptr(),
        ))
        .map_err(|_| fail())?;
    }
    Ok(())
}

/// Puts `<prefix>/lib/pythonX.Y/site-packages` on `sys.path` if it is not
/// there (Python started by epy skips `site`; `.pth` files are not run —
/// name a `venv` in the sidecar for that).
///
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn add_site_packages() {
    // SAFETY: the plugin's interpreter is attached (this function's
    // contract); every C string outlives the calls, and each result is
    // checked for NULL before use.
    unsafe {
        use pyo3_ffi::*;
        let prefix = PySys_GetObject(c"prefix".as_ptr());
        let path = PySys_GetObject(c"path".as_ptr());
        if prefix.is_null() || path.is_null() {
            return;
        }
        let Some(prefix) = log::utf8(prefix) else {
            return;
        };
        let site = Path::new(&prefix)
            .join("lib")
            .join(format!("python{}", crate::interp::BUILT_FOR))
            .join("site-packages");
        if !site.is_dir() {
            return;
        }
        let Ok(csite) = CString::new(site.to_string_lossy().as_bytes()) else {
            return;
        };
        let Ok(entry) = Obj::from_owned(PyUnicode_FromString(csite.as_ptr())) else {
            PyErr_Clear();
            return;
        };
        if PySequence_Contains(path, entry.as_ptr()) == 0 {
            PyList_Append(path, entry.as_ptr());
        }
        PyErr_Clear();
    }
}
