//! Python in this test process: started once (main interpreter), one test at
//! a time holding the GIL, snippets run against a fresh globals dict.
use super::spec::SPEC;
use core::ffi::CStr;
use core::ptr::null_mut;
use epy_runtime::ffi::*;
use epy_runtime::{Cx, Obj};
use std::ffi::CString;
use std::sync::{Mutex, MutexGuard, Once, OnceLock};

static INIT: Once = Once::new();
static LOCK: Mutex<()> = Mutex::new(());
static CX: OnceLock<usize> = OnceLock::new();

/// The GIL and the test lock; dropping releases both (GIL first).
pub struct Gil {
    _lock: MutexGuard<'static, ()>,
    state: PyGILState_STATE,
}

impl Drop for Gil {
    fn drop(&mut self) {
        unsafe { PyGILState_Release(self.state) };
    }
}

pub fn gil() -> Gil {
    INIT.call_once(|| unsafe {
        Py_InitializeEx(0);
        let (module, types) = epy_runtime::marshal::module::build(&SPEC).expect("build");
        core::mem::forget(module); // kept in sys.modules anyway
        let cx = Box::into_raw(Cx::for_tests(&SPEC, types));
        CX.set(cx as usize).unwrap();
        PyEval_SaveThread();
    });
    // A failed test poisons the lock; the next one still runs.
    let lock = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let state = unsafe { PyGILState_Ensure() };
    Gil { _lock: lock, state }
}

/// The plugin context built over `SPEC`.
pub fn cx() -> &'static Cx {
    unsafe { &*(*CX.get().expect("gil() first") as *const Cx) }
}

/// The pending exception as `"TypeName: message"` (and clears it).
#[allow(deprecated)] // PyErr_Fetch: works on every version this builds for.
pub fn take_err() -> String {
    unsafe {
        let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
        PyErr_Fetch(&mut t, &mut v, &mut tb);
        assert!(!t.is_null(), "no exception is set");
        PyErr_NormalizeException(&mut t, &mut v, &mut tb);
        let name = CStr::from_ptr((*(t as *mut PyTypeObject)).tp_name).to_string_lossy();
        let msg = text(v);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
        format!("{name}: {msg}")
    }
}

/// `str(o)`.
pub fn text(o: *mut PyObject) -> String {
    unsafe {
        let s = Obj::from_owned(PyObject_Str(o)).expect("str()");
        let p = PyUnicode_AsUTF8AndSize(s.as_ptr(), null_mut());
        assert!(!p.is_null(), "str() is not UTF-8");
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// A result that must be `Ok`; the exception text otherwise.
pub fn ok<T>(r: epy_runtime::PyResult<T>) -> T {
    r.unwrap_or_else(|_| panic!("unexpected {}", take_err()))
}

/// A result that must be `Err`: its exception text.
pub fn err<T>(r: epy_runtime::PyResult<T>) -> String {
    match r {
        Ok(_) => panic!("expected an exception"),
        Err(_) => take_err(),
    }
}

/// A globals dict with the stub module's names imported.
pub struct Py {
    g: Obj,
}

impl Py {
    pub fn new() -> Py {
        let g = unsafe { Obj::from_owned(PyDict_New()).unwrap() };
        unsafe { PyDict_SetItemString(g.as_ptr(), c"__builtins__".as_ptr(), PyEval_GetBuiltins()) };
        let py = Py { g };
        py.run("import marsh, sys\nfrom marsh import *");
        py
    }

    pub fn set(&self, name: &str, o: &Obj) {
        let name = CString::new(name).unwrap();
        let r = unsafe { PyDict_SetItemString(self.g.as_ptr(), name.as_ptr(), o.as_ptr()) };
        assert_eq!(r, 0);
    }

    fn exec(&self, code: &str, start: i32) -> epy_runtime::PyResult<Obj> {
        let src = CString::new(code).unwrap();
        let g = self.g.as_ptr();
        unsafe { Obj::from_owned(PyRun_String(src.as_ptr(), start, g, g)) }
    }

    /// Runs statements; they must not raise.
    pub fn run(&self, code: &str) {
        if self.exec(code, Py_file_input).is_err() {
            panic!("{code}\nraised {}", take_err());
        }
    }

    /// Evaluates an expression; it must not raise.
    pub fn eval(&self, expr: &str) -> Obj {
        self.exec(expr, Py_eval_input)
            .unwrap_or_else(|_| panic!("{expr}\nraised {}", take_err()))
    }

    /// `str()` of an expression's value.
    pub fn show(&self, expr: &str) -> String {
        text(self.eval(expr).as_ptr())
    }

    /// Asserts that each line (an expression) is true.
    pub fn check(&self, lines: &str) {
        for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let v = self.eval(line);
            let truth = unsafe { PyObject_IsTrue(v.as_ptr()) };
            assert_eq!(truth, 1, "not true: {line}");
        }
    }

    /// Statements that must raise: the exception as `"TypeName: message"`.
    pub fn raises(&self, code: &str) -> String {
        match self.exec(code, Py_file_input) {
            Ok(_) => panic!("{code}\ndid not raise"),
            Err(_) => take_err(),
        }
    }
}

/// Asserts `haystack` contains `needle`, showing both otherwise.
#[track_caller]
pub fn contains(haystack: &str, needle: &str) {
    assert!(haystack.contains(needle), "{haystack:?} lacks {needle:?}");
}
