// The sqlite pack's native code, appended to the generated crate: the entry
// points SQLite looks for, the API table (SQLITE_EXTENSION_INIT2: one per
// plugin library), and the functions SQLite calls for what the script
// registered through `sqlite.scalar/aggregate/table` (the layer's
// `_epy_registry`). Each registration's user-data pointer is a `Reg`: a
// handle to its Python object (so a live reload waits while SQLite holds
// it) and the name and `file:line` that messages give; SQLite's destroy
// callback releases it. Values convert here, in Rust: a row costs
// the values and the Python call, nothing else.

/// `.load ./x.so` with an explicit entry point, or any name.
#[unsafe(export_name = "sqlite3_extension_init")]
pub unsafe extern "C" fn __epy_sqlite3_extension_init(
    db: *mut ::core::ffi::c_void,
    err: *mut *mut ::core::ffi::c_char,
    api: *const sqlite3_api_routines,
) -> i32 {
    unsafe { __epy_sqlite::init(db, err, api) }
}

/// `.load ./regexp`: SQLite tries `sqlite3_<letters of the file name>_init`.
#[unsafe(export_name = "sqlite3_@LOAD_STEM@_init")]
pub unsafe extern "C" fn __epy_sqlite3_named_init(
    db: *mut ::core::ffi::c_void,
    err: *mut *mut ::core::ffi::c_char,
    api: *const sqlite3_api_routines,
) -> i32 {
    unsafe { __epy_sqlite::init(db, err, api) }
}

// PyErr_Fetch/PyErr_Restore: deprecated from 3.12, and the calls that work on 3.11 too.
#[allow(deprecated)]
mod __epy_sqlite {
    use super::{
        __EPY_PLUGIN, __EPY_SPEC, sqlite3_api_routines, sqlite3_index_info, sqlite3_module,
        sqlite3_vtab, sqlite3_vtab_cursor,
    };
    use ::core::ffi::{c_char, c_void};
    use ::core::ptr::null_mut;
    use ::core::sync::atomic::{AtomicPtr, Ordering};
    use ::epy_runtime::ffi::*;
    use ::epy_runtime::{Cx, Kind, Obj, PyErr, PyResult};

    const SQLITE_OK: i32 = 0;
    const SQLITE_ERROR: i32 = 1;
    const SQLITE_NOMEM: i32 = 7;
    const SQLITE_INTEGER: i32 = 1;
    const SQLITE_FLOAT: i32 = 2;
    const SQLITE_TEXT: i32 = 3;
    const SQLITE_BLOB: i32 = 4;
    /// Registration kinds, as the layer writes them.
    const SCALAR: i64 = 0;
    const AGGREGATE: i64 = 1;
    const WINDOW: i64 = 2;
    const TABLE: i64 = 3;
    /// Arguments converted on the stack (more go to the heap).
    const STACK_ARGS: usize = 8;

    /// SQLITE_EXTENSION_INIT2: the host's API table, for this library.
    static API: AtomicPtr<sqlite3_api_routines> = AtomicPtr::new(null_mut());

    #[inline(always)]
    fn api() -> &'static sqlite3_api_routines {
        // Set by `init` before SQLite can call anything else of ours.
        unsafe { &*API.load(Ordering::Relaxed) }
    }

    /// Calls an API routine by field name.
    macro_rules! sq {
        ($f:ident($($a:expr),*)) => {
            (api().$f.expect(concat!("sqlite3_api_routines.", stringify!($f))))($($a),*)
        };
    }

    /// SQLITE_TRANSIENT: SQLite copies the text or blob before returning.
    fn transient() -> Option<unsafe extern "C" fn(*mut c_void)> {
        unsafe { ::core::mem::transmute::<isize, Option<unsafe extern "C" fn(*mut c_void)>>(-1) }
    }

    /// `text` in memory from the API's `sqlite3_malloc` (SQLite frees it).
    unsafe fn sqlite_str(text: &str) -> *mut c_char {
        unsafe {
            let bytes = text.as_bytes();
            let n = bytes.len().min(i32::MAX as usize - 1);
            let p = sq!(malloc((n + 1) as i32)) as *mut u8;
            if !p.is_null() {
                ::core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, n);
                *p.add(n) = 0;
            }
            p as *mut c_char
        }
    }

    /// The pending exception's message (`str(exc)`, else its type's name),
    /// leaving it pending (to be logged).
    unsafe fn pending_message() -> String {
        unsafe {
            let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            PyErr_NormalizeException(&mut t, &mut v, &mut tb);
            let mut msg = text_of(PyObject_Str(v)).unwrap_or_default();
            if msg.is_empty() && !t.is_null() {
                msg = text_of(PyObject_GetAttrString(t, c"__name__".as_ptr())).unwrap_or_default();
            }
            PyErr_Restore(t, v, tb);
            msg
        }
    }

    /// A new reference to a `str` → its text (None on any error, cleared).
    unsafe fn text_of(s: *mut PyObject) -> Option<String> {
        unsafe {
            if s.is_null() {
                PyErr_Clear();
                return None;
            }
            let mut n: Py_ssize_t = 0;
            let p = PyUnicode_AsUTF8AndSize(s, &mut n);
            let out = if p.is_null() {
                PyErr_Clear();
                None
            } else {
                let b = ::core::slice::from_raw_parts(p as *const u8, n as usize);
                Some(String::from_utf8_lossy(b).into_owned())
            };
            Py_DECREF(s);
            out
        }
    }

    unsafe fn raise<T>(exc: *mut PyObject, msg: &str) -> PyResult<T> {
        unsafe {
            let m = Obj::from_owned(PyUnicode_FromStringAndSize(
                msg.as_ptr() as *const c_char,
                msg.len() as Py_ssize_t,
            ))?;
            PyErr_SetObject(exc, m.as_ptr());
            Err(PyErr)
        }
    }

    // --- loading -----------------------------------------------------------

    pub unsafe fn init(
        db: *mut c_void,
        err: *mut *mut c_char,
        a: *const sqlite3_api_routines,
    ) -> i32 {
        if a.is_null() {
            return SQLITE_ERROR;
        }
        API.store(a as *mut sqlite3_api_routines, Ordering::Release);
        let mut msg = None;
        let ok = __EPY_PLUGIN.call_native(false, |cx| unsafe {
            register_all(cx, db).map_err(|e| {
                msg = Some(pending_message());
                e
            })?;
            Ok(true)
        });
        if ok {
            return SQLITE_OK;
        }
        let text = msg
            .or_else(|| __EPY_PLUGIN.load_error().map(|e| load_failure(&e)))
            .unwrap_or_else(|| "the epy plugin could not load (see its log)".into());
        if !err.is_null() {
            unsafe { *err = sqlite_str(&text) };
        }
        SQLITE_ERROR
    }

    /// A failed load's log text (a traceback) as one line for the shell:
    /// `file:line: Type: message`, the place the innermost frame names
    /// (for a SyntaxError, the offending line of the script).
    fn load_failure(log: &str) -> String {
        let mut lines = log.lines().filter(|l| !l.trim().is_empty());
        let Some(last) = lines.next_back() else {
            return "the epy plugin could not load (see its log)".into();
        };
        // `  File "/dir/x.py", line 3` (`, in f` after it but for syntax
        // errors); not the pack layer's (`File "<epy interface layer>"`).
        let place = log.lines().rev().find_map(|l| {
            let rest = l.trim_start().strip_prefix("File \"")?;
            if rest.starts_with('<') {
                return None;
            }
            let (path, rest) = rest.split_once("\", line ")?;
            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let file = path.rsplit('/').next().unwrap_or(path);
            (!n.is_empty()).then(|| format!("{file}:{n}"))
        });
        match place {
            Some(p) => format!("{p}: {}", last.trim()),
            None => last.trim().to_owned(),
        }
    }

    /// Registers every function, aggregate and table the script declared.
    unsafe fn register_all(cx: &Cx, db: *mut c_void) -> PyResult<()> {
        unsafe {
            let m = Obj::from_owned(PyImport_ImportModule(__EPY_SPEC.module.as_ptr()))?;
            let reg = Obj::from_owned(PyObject_GetAttrString(
                m.as_ptr(),
                c"_epy_registry".as_ptr(),
            ))?;
            let items = Obj::from_owned(PySequence_Tuple(reg.as_ptr()))?;
            for i in 0..PyTuple_Size(items.as_ptr()) {
                let item = PyTuple_GetItem(items.as_ptr(), i);
                let field = |j| PyTuple_GetItem(item, j);
                if PyTuple_Check(item) == 0 || PyTuple_Size(item) != 6 {
                    return raise(PyExc_TypeError, "_epy_registry holds (kind, name, nargs, flags, object, origin)");
                }
                let kind = PyLong_AsLongLong(field(0));
                let name = PyUnicode_AsUTF8(field(1));
                let nargs = PyLong_AsLong(field(2)) as i32;
                let flags = PyLong_AsLong(field(3)) as i32;
                if name.is_null() || !PyErr_Occurred().is_null() {
                    return Err(PyErr);
                }
                let origin = text_of(PyObject_Str(field(5))).unwrap_or_default();
                let handle = ::epy_runtime::handle_from_py(cx, Obj::from_borrowed(field(4)))?;
                let reg = Reg {
                    handle,
                    name: std::ffi::CStr::from_ptr(name).to_string_lossy().into_owned(),
                    origin,
                };
                let h = Box::into_raw(Box::new(reg)) as *mut c_void;
                // On failure SQLite calls `x_destroy` (releasing `h`) itself.
                let rc = match kind {
                    SCALAR => sq!(create_function_v2(
                        db, name, nargs, flags, h, Some(x_func), None, None, Some(x_destroy)
                    )),
                    AGGREGATE => sq!(create_function_v2(
                        db, name, nargs, flags, h, None, Some(x_step), Some(x_final), Some(x_destroy)
                    )),
                    WINDOW => sq!(create_window_function(
                        db, name, nargs, flags, h, Some(x_step), Some(x_final), Some(x_value),
                        Some(x_inverse), Some(x_destroy)
                    )),
                    TABLE => sq!(create_module_v2(db, name, &MODULE, h, Some(x_destroy))),
                    _ => {
                        cx.release_handle(Box::from_raw(h as *mut Reg).handle);
                        return raise(PyExc_ValueError, "unknown registration kind");
                    }
                };
                if rc != SQLITE_OK {
                    let why = std::ffi::CStr::from_ptr(sq!(errmsg(db))).to_string_lossy().into_owned();
                    let name = std::ffi::CStr::from_ptr(name).to_string_lossy().into_owned();
                    return raise(PyExc_RuntimeError, &format!("cannot register {name}: {why}"));
                }
            }
            Ok(())
        }
    }

    /// A registration, SQLite's user data for it.
    struct Reg {
        /// The handle of the Python function or class.
        handle: usize,
        /// The SQL name (log lines and messages name it).
        name: String,
        /// Where the script registers it (`file:line`).
        origin: String,
    }

    /// The registration of the SQL function `ctx` runs.
    #[inline]
    unsafe fn reg_of<'a>(ctx: *mut c_void) -> &'a Reg {
        // SAFETY: every function we register has a `Reg` as user data, alive
        // until SQLite calls `x_destroy`, after its last call.
        unsafe { &*(sq!(user_data(ctx)) as *const Reg) }
    }

    /// SQLite drops a registration (connection closed, name replaced).
    unsafe extern "C" fn x_destroy(h: *mut c_void) {
        let reg = unsafe { Box::from_raw(h as *mut Reg) };
        __EPY_PLUGIN.call_native((), |cx| unsafe {
            cx.release_handle(reg.handle);
            Ok(())
        });
    }

    /// The pending exception, raised again with `what` (e.g. "the result of
    /// SQL function f (f.py:3)") before its message: for conversions, whose
    /// traceback would name no Python line. Keeps TypeError and
    /// OverflowError; anything else becomes a ValueError caused by it.
    #[cold]
    unsafe fn annotate(what: &str) -> PyErr {
        unsafe {
            let msg = pending_message();
            let (mut t, mut v, mut tb) = (null_mut(), null_mut(), null_mut());
            PyErr_Fetch(&mut t, &mut v, &mut tb);
            PyErr_NormalizeException(&mut t, &mut v, &mut tb);
            let keep = t == PyExc_TypeError || t == PyExc_OverflowError;
            let new = if keep { t } else { PyExc_ValueError };
            let _ = raise::<()>(new, &format!("{what}: {msg}"));
            if !keep && !v.is_null() {
                let (mut t2, mut v2, mut tb2) = (null_mut(), null_mut(), null_mut());
                PyErr_Fetch(&mut t2, &mut v2, &mut tb2);
                PyErr_NormalizeException(&mut t2, &mut v2, &mut tb2);
                if !v2.is_null() {
                    Py_INCREF(v);
                    PyException_SetCause(v2, v);
                }
                PyErr_Restore(t2, v2, tb2);
            }
            for p in [t, v, tb] {
                if !p.is_null() {
                    Py_DECREF(p);
                }
            }
            PyErr
        }
    }

    // --- values --------------------------------------------------------------

    /// An SQLite value → None/int/float/str, or a read-only memoryview of a
    /// BLOB (valid during the call: `release_args` revokes it).
    #[inline]
    unsafe fn value_to_py(cx: &Cx, v: *mut c_void) -> PyResult<Obj> {
        unsafe {
            match sq!(value_type(v)) {
                SQLITE_INTEGER => Obj::from_owned(PyLong_FromLongLong(sq!(value_int64(v)))),
                SQLITE_FLOAT => Obj::from_owned(PyFloat_FromDouble(sq!(value_double(v)))),
                SQLITE_TEXT => {
                    let p = sq!(value_text(v));
                    let n = sq!(value_bytes(v));
                    Obj::from_owned(PyUnicode_DecodeUTF8(p as *const c_char, n as Py_ssize_t, null_mut()))
                }
                SQLITE_BLOB => {
                    let p = sq!(value_blob(v)) as *mut c_void;
                    let n = sq!(value_bytes(v)) as usize;
                    ::epy_runtime::buffer_to_py(cx, p, n, Kind::U8, true)
                }
                _ => Ok(Obj::from_borrowed(Py_None())),
            }
        }
    }

    /// Calls `f(first?, *values)` with the arguments converted on the stack
    /// and hands the result to `then` while the arguments still live (a
    /// BLOB argument returned as is, or a slice of it, is still readable);
    /// `reg` names the function in conversion errors.
    #[inline]
    unsafe fn call_values<T>(
        cx: &Cx,
        reg: &Reg,
        f: *mut PyObject,
        first: Option<*mut PyObject>,
        argc: i32,
        argv: *mut *mut c_void,
        then: impl FnOnce(*mut PyObject) -> PyResult<T>,
    ) -> PyResult<T> {
        unsafe {
            let skip = first.is_some() as usize;
            let n = argc.max(0) as usize + skip;
            let mut stack = [null_mut::<PyObject>(); STACK_ARGS + 1];
            let mut heap = Vec::new();
            let args: &mut [*mut PyObject] = if n <= stack.len() {
                &mut stack[..n]
            } else {
                heap.resize(n, null_mut());
                &mut heap[..]
            };
            if let Some(s) = first {
                args[0] = s;
            }
            for i in skip..n {
                match value_to_py(cx, *argv.add(i - skip)) {
                    Ok(o) => args[i] = o.into_ptr(),
                    Err(_) => {
                        let e = annotate(&format!(
                            "argument {} of SQL function {} ({})",
                            i - skip + 1,
                            reg.name,
                            reg.origin
                        ));
                        release_args(&args[skip..i]);
                        return Err(e);
                    }
                }
            }
            let r = Obj::from_owned(PyObject_Vectorcall(f, args.as_ptr(), n, null_mut()));
            let out = r.and_then(|r| then(r.as_ptr()));
            release_args(&args[skip..]);
            out
        }
    }

    /// Drops converted arguments; BLOB views are revoked (a pending
    /// exception survives).
    #[inline]
    unsafe fn release_args(args: &[*mut PyObject]) {
        for &p in args {
            unsafe {
                if PyMemoryView_Check(p) != 0 {
                    // Hands our reference over: revoked, recycled if not kept.
                    ::epy_runtime::release_arg(Obj::from_owned(p).unwrap_or_else(|_| unreachable!()));
                } else {
                    Py_DECREF(p);
                }
            }
        }
    }

    /// A Python value → the SQL result of SQL function `reg`'s `ctx`
    /// (copied: SQLITE_TRANSIENT); a conversion error names the function.
    #[inline]
    unsafe fn set_result_of(ctx: *mut c_void, reg: &Reg, r: *mut PyObject) -> PyResult<()> {
        unsafe {
            set_result(ctx, r).map_err(|_| {
                annotate(&format!("the result of SQL function {} ({})", reg.name, reg.origin))
            })
        }
    }

    /// A Python value → the SQL result of `ctx`.
    #[inline]
    unsafe fn set_result(ctx: *mut c_void, r: *mut PyObject) -> PyResult<()> {
        unsafe {
            if r == Py_None() {
                sq!(result_null(ctx));
            } else if PyLong_Check(r) != 0 {
                let mut overflow = 0;
                let v = PyLong_AsLongLongAndOverflow(r, &mut overflow);
                if overflow != 0 {
                    return raise(PyExc_OverflowError, "Python int too large for an SQLite INTEGER");
                }
                if v == -1 && !PyErr_Occurred().is_null() {
                    return Err(PyErr);
                }
                sq!(result_int64(ctx, v));
            } else if PyFloat_Check(r) != 0 {
                sq!(result_double(ctx, PyFloat_AsDouble(r)));
            } else if PyUnicode_Check(r) != 0 {
                let mut n: Py_ssize_t = 0;
                let p = PyUnicode_AsUTF8AndSize(r, &mut n);
                if p.is_null() {
                    return Err(PyErr);
                }
                if n > i32::MAX as Py_ssize_t {
                    return raise(PyExc_OverflowError, "text too long for SQLite");
                }
                sq!(result_text(ctx, p, n as i32, transient()));
            } else if PyObject_CheckBuffer(r) != 0 {
                let mut view: Py_buffer = ::core::mem::zeroed();
                if PyObject_GetBuffer(r, &mut view, PyBUF_SIMPLE) != 0 {
                    return Err(PyErr);
                }
                if view.len > i32::MAX as Py_ssize_t {
                    PyBuffer_Release(&mut view);
                    return raise(PyExc_OverflowError, "blob too long for SQLite");
                }
                sq!(result_blob(ctx, view.buf as *const c_void, view.len as i32, transient()));
                PyBuffer_Release(&mut view);
            } else {
                let t = text_of(PyObject_GetAttrString(Py_TYPE(r) as *mut PyObject, c"__name__".as_ptr()))
                    .unwrap_or_default();
                return raise(
                    PyExc_TypeError,
                    &format!("an SQL value is None, int, float, str or bytes, not {t}"),
                );
            }
            Ok(())
        }
    }

    /// The statement fails with the pending exception's message; the
    /// exception stays pending, to be logged.
    #[cold]
    unsafe fn result_error(ctx: *mut c_void) {
        unsafe {
            let msg = pending_message();
            sq!(result_error(ctx, msg.as_ptr() as *const c_char, msg.len() as i32));
        }
    }

    /// Runs `f` in the plugin's interpreter for a function call of `ctx`:
    /// an exception fails the statement with its message.
    #[inline]
    unsafe fn run_ctx(ctx: *mut c_void, reg: &Reg, f: impl FnOnce(&Cx) -> PyResult<()>) {
        let mut ran = false;
        __EPY_PLUGIN.call_native_as(&reg.name, (), |cx| {
            ran = true;
            f(cx).inspect_err(|_| unsafe { result_error(ctx) })
        });
        if !ran {
            let msg = "the epy plugin is not loaded (see its log)";
            unsafe { sq!(result_error(ctx, msg.as_ptr() as *const c_char, msg.len() as i32)) };
        }
    }

    // --- scalar functions ----------------------------------------------------

    unsafe extern "C" fn x_func(ctx: *mut c_void, argc: i32, argv: *mut *mut c_void) {
        unsafe {
            let reg = reg_of(ctx);
            run_ctx(ctx, reg, |cx| {
                let f = ::epy_runtime::handle_to_py(cx, reg.handle, false)?;
                call_values(cx, reg, f.as_ptr(), None, argc, argv, |r| set_result_of(ctx, reg, r))
            });
        }
    }

    // --- aggregates and window functions -----------------------------------

    /// What SQLite keeps for one group (its aggregate context, zeroed at
    /// first): the object and its bound `step` (and `inverse`).
    #[repr(C)]
    struct Group {
        obj: *mut PyObject,
        step: *mut PyObject,
        inverse: *mut PyObject,
    }

    /// The group's object, made by calling the registered class.
    unsafe fn group_start(cx: &Cx, ctx: *mut c_void, g: *mut Group) -> PyResult<()> {
        unsafe {
            let cls = ::epy_runtime::handle_to_py(cx, reg_of(ctx).handle, false)?;
            let obj = Obj::from_owned(PyObject_CallNoArgs(cls.as_ptr()))?;
            let step = Obj::from_owned(PyObject_GetAttrString(obj.as_ptr(), c"step".as_ptr()))?;
            let inverse = PyObject_GetAttrString(obj.as_ptr(), c"inverse".as_ptr());
            if inverse.is_null() {
                PyErr_Clear();
            }
            (*g).inverse = inverse;
            (*g).step = step.into_ptr();
            (*g).obj = obj.into_ptr();
            Ok(())
        }
    }

    unsafe fn group_of(ctx: *mut c_void, make: bool) -> *mut Group {
        let size = if make { ::core::mem::size_of::<Group>() as i32 } else { 0 };
        unsafe { sq!(aggregate_context(ctx, size)) as *mut Group }
    }

    unsafe extern "C" fn x_step(ctx: *mut c_void, argc: i32, argv: *mut *mut c_void) {
        unsafe {
            let g = group_of(ctx, true);
            if g.is_null() {
                sq!(result_error_nomem(ctx));
                return;
            }
            let reg = reg_of(ctx);
            run_ctx(ctx, reg, |cx| {
                if (*g).obj.is_null() {
                    group_start(cx, ctx, g)?;
                }
                call_values(cx, reg, (*g).step, None, argc, argv, |_| Ok(()))
            });
        }
    }

    unsafe extern "C" fn x_inverse(ctx: *mut c_void, argc: i32, argv: *mut *mut c_void) {
        unsafe {
            let g = group_of(ctx, true);
            if g.is_null() {
                sq!(result_error_nomem(ctx));
                return;
            }
            let reg = reg_of(ctx);
            run_ctx(ctx, reg, |cx| {
                if (*g).obj.is_null() {
                    group_start(cx, ctx, g)?;
                }
                if (*g).inverse.is_null() {
                    return raise(PyExc_AttributeError, "the aggregate has no inverse()");
                }
                call_values(cx, reg, (*g).inverse, None, argc, argv, |_| Ok(()))
            });
        }
    }

    /// `obj.<method>()` → the result; `obj` is the group's, or a fresh
    /// object for a group without rows.
    unsafe fn group_result(cx: &Cx, ctx: *mut c_void, g: *mut Group, method: &::core::ffi::CStr) -> PyResult<()> {
        unsafe {
            if g.is_null() || (*g).obj.is_null() {
                let mut fresh = Group { obj: null_mut(), step: null_mut(), inverse: null_mut() };
                group_start(cx, ctx, &mut fresh)?;
                let out = call_method0(fresh.obj, method).and_then(|r| set_result_of(ctx, reg_of(ctx), r.as_ptr()));
                group_end(&mut fresh);
                return out;
            }
            let r = call_method0((*g).obj, method)?;
            set_result_of(ctx, reg_of(ctx), r.as_ptr())
        }
    }

    unsafe fn call_method0(obj: *mut PyObject, method: &::core::ffi::CStr) -> PyResult<Obj> {
        unsafe {
            let m = Obj::from_owned(PyObject_GetAttrString(obj, method.as_ptr()))?;
            Obj::from_owned(PyObject_CallNoArgs(m.as_ptr()))
        }
    }

    unsafe fn group_end(g: *mut Group) {
        unsafe {
            for p in [&mut (*g).obj, &mut (*g).step, &mut (*g).inverse] {
                if !p.is_null() {
                    Py_DECREF(*p);
                    *p = null_mut();
                }
            }
        }
    }

    unsafe extern "C" fn x_final(ctx: *mut c_void) {
        unsafe {
            let g = group_of(ctx, false);
            run_ctx(ctx, reg_of(ctx), |cx| {
                let out = group_result(cx, ctx, g, c"final");
                if !g.is_null() {
                    group_end(g);
                }
                out
            });
        }
    }

    unsafe extern "C" fn x_value(ctx: *mut c_void) {
        unsafe {
            let g = group_of(ctx, false);
            run_ctx(ctx, reg_of(ctx), |cx| group_result(cx, ctx, g, c"value"));
        }
    }

    // --- virtual tables ------------------------------------------------------

    /// Our `sqlite3_vtab`: SQLite's part first, then the table object and
    /// the module's name and `file:line` (for messages).
    #[repr(C)]
    struct VTab {
        base: sqlite3_vtab,
        table: *mut PyObject,
        name: String,
        origin: String,
    }

    /// Our `sqlite3_vtab_cursor`, with the cursor's bound methods.
    #[repr(C)]
    struct Cursor {
        base: sqlite3_vtab_cursor,
        filter: *mut PyObject,
        next: *mut PyObject,
        eof: *mut PyObject,
        column: *mut PyObject,
        rowid: *mut PyObject,
    }

    static MODULE: sqlite3_module = {
        let mut m: sqlite3_module = unsafe { ::core::mem::zeroed() };
        m.iVersion = 1;
        m.xCreate = Some(x_connect);
        m.xConnect = Some(x_connect);
        m.xBestIndex = Some(x_best_index);
        m.xDisconnect = Some(x_disconnect);
        m.xDestroy = Some(x_disconnect);
        m.xOpen = Some(x_open);
        m.xClose = Some(x_close);
        m.xFilter = Some(x_filter);
        m.xNext = Some(x_next);
        m.xEof = Some(x_eof);
        m.xColumn = Some(x_column);
        m.xRowid = Some(x_rowid);
        m
    };

    /// The pending exception's message → the table's error message.
    #[cold]
    unsafe fn vtab_error(vt: *mut sqlite3_vtab) -> i32 {
        unsafe {
            let msg = pending_message();
            if !(*vt).zErrMsg.is_null() {
                sq!(free((*vt).zErrMsg as *mut c_void));
            }
            (*vt).zErrMsg = sqlite_str(&msg);
        }
        SQLITE_ERROR
    }

    /// Runs `f` for virtual table `vt`: an exception is the table's error.
    #[inline]
    unsafe fn run_vtab(vt: *mut sqlite3_vtab, f: impl FnOnce(&Cx) -> PyResult<i32>) -> i32 {
        // SAFETY: `vt` is one of ours (`connect`), alive until xDisconnect.
        let name = unsafe { &(*(vt as *mut VTab)).name };
        __EPY_PLUGIN.call_native_as(name, SQLITE_ERROR, |cx| {
            f(cx).inspect_err(|_| unsafe {
                vtab_error(vt);
            })
        })
    }

    unsafe extern "C" fn x_connect(
        db: *mut c_void,
        aux: *mut c_void,
        argc: i32,
        argv: *const *const c_char,
        out: *mut *mut sqlite3_vtab,
        err: *mut *mut c_char,
    ) -> i32 {
        let mut msg = None;
        // SAFETY: the module's user data is its `Reg` (`register_all`).
        let reg = unsafe { &*(aux as *const Reg) };
        let rc = __EPY_PLUGIN.call_native_as(&reg.name, SQLITE_ERROR, |cx| unsafe {
            connect(cx, db, reg, argc, argv, out).inspect_err(|_| msg = Some(pending_message()))
        });
        if rc != SQLITE_OK && !err.is_null() {
            let text = msg.unwrap_or_else(|| "the epy plugin is not loaded (see its log)".into());
            unsafe { *err = sqlite_str(&text) };
        }
        rc
    }

    unsafe fn connect(
        cx: &Cx,
        db: *mut c_void,
        reg: &Reg,
        argc: i32,
        argv: *const *const c_char,
        out: *mut *mut sqlite3_vtab,
    ) -> PyResult<i32> {
        unsafe {
            let factory = ::epy_runtime::handle_to_py(cx, reg.handle, false)?;
            // argv: module name, database, table name, then the arguments.
            let n = (argc - 3).max(0) as Py_ssize_t;
            let args = Obj::from_owned(PyTuple_New(n))?;
            for i in 0..n {
                let a = Obj::from_owned(PyUnicode_FromString(*argv.add(3 + i as usize)))?;
                PyTuple_SET_ITEM(args.as_ptr(), i, a.into_ptr());
            }
            let table = Obj::from_owned(PyObject_Call(factory.as_ptr(), args.as_ptr(), null_mut()))?;
            let schema = Obj::from_owned(PyObject_GetAttrString(table.as_ptr(), c"schema".as_ptr()))?;
            let sql = PyUnicode_AsUTF8(schema.as_ptr());
            if sql.is_null() {
                return Err(PyErr);
            }
            if sq!(declare_vtab(db, sql)) != SQLITE_OK {
                let why = std::ffi::CStr::from_ptr(sq!(errmsg(db))).to_string_lossy().into_owned();
                let (name, origin) = (&reg.name, &reg.origin);
                return raise(PyExc_ValueError, &format!("table {name} ({origin}): bad schema: {why}"));
            }
            let vt = Box::into_raw(Box::new(VTab {
                base: ::core::mem::zeroed(),
                table: table.into_ptr(),
                name: reg.name.clone(),
                origin: reg.origin.clone(),
            }));
            *out = vt as *mut sqlite3_vtab;
            Ok(SQLITE_OK)
        }
    }

    unsafe extern "C" fn x_disconnect(vt: *mut sqlite3_vtab) -> i32 {
        __EPY_PLUGIN.call_native((), |_| unsafe {
            let vt = Box::from_raw(vt as *mut VTab);
            if !vt.base.zErrMsg.is_null() {
                sq!(free(vt.base.zErrMsg as *mut c_void));
            }
            Py_DECREF(vt.table);
            Ok(())
        });
        SQLITE_OK
    }

    unsafe extern "C" fn x_best_index(vt: *mut sqlite3_vtab, info: *mut sqlite3_index_info) -> i32 {
        unsafe { run_vtab(vt, |_| best_index(&*(vt as *mut VTab), &mut *info)) }
    }

    unsafe fn best_index(vt: &VTab, info: &mut sqlite3_index_info) -> PyResult<i32> {
        unsafe {
            let n = info.nConstraint.max(0) as usize;
            let cons = Obj::from_owned(PyList_New(n as Py_ssize_t))?;
            for i in 0..n {
                let c = &*info.aConstraint.add(i);
                let t = Obj::from_owned(Py_BuildValue(
                    c"(iiO)".as_ptr(),
                    c.iColumn,
                    c.op as i32,
                    if c.usable != 0 { Py_True() } else { Py_False() },
                ))?;
                PyList_SET_ITEM(cons.as_ptr(), i as Py_ssize_t, t.into_ptr());
            }
            let m = info.nOrderBy.max(0) as usize;
            let order = Obj::from_owned(PyList_New(m as Py_ssize_t))?;
            for i in 0..m {
                let o = &*info.aOrderBy.add(i);
                let t = Obj::from_owned(Py_BuildValue(
                    c"(iO)".as_ptr(),
                    o.iColumn,
                    if o.desc != 0 { Py_True() } else { Py_False() },
                ))?;
                PyList_SET_ITEM(order.as_ptr(), i as Py_ssize_t, t.into_ptr());
            }
            let r = Obj::from_owned(PyObject_CallMethod(
                vt.table,
                c"best_index".as_ptr(),
                c"(OO)".as_ptr(),
                cons.as_ptr(),
                order.as_ptr(),
            ))?;
            // (argv indexes, idx_num, idx_str, cost, order consumed)
            let (mut used, mut num, mut s, mut cost, mut consumed) =
                (null_mut(), 0i32, null_mut(), 0f64, 0i32);
            if PyArg_ParseTuple(
                r.as_ptr(),
                c"OiOdp;best_index returns (argv indexes, idx_num, idx_str, cost, order consumed)".as_ptr(),
                &mut used,
                &mut num,
                &mut s,
                &mut cost,
                &mut consumed,
            ) == 0
            {
                return Err(PyErr);
            }
            let used = Obj::from_owned(PySequence_Tuple(used))?;
            if PyTuple_Size(used.as_ptr()) as usize != n {
                return raise(PyExc_ValueError, "best_index: one argv index (or None) per constraint");
            }
            for i in 0..n {
                let u = PyTuple_GetItem(used.as_ptr(), i as Py_ssize_t);
                let usage = &mut *info.aConstraintUsage.add(i);
                if u != Py_None() {
                    let k = PyLong_AsLong(u);
                    if k == -1 && !PyErr_Occurred().is_null() {
                        return Err(PyErr);
                    }
                    usage.argvIndex = k as i32;
                    usage.omit = 1;
                }
            }
            info.idxNum = num;
            if s != Py_None() {
                let p = PyUnicode_AsUTF8(s);
                if p.is_null() {
                    return Err(PyErr);
                }
                info.idxStr = sqlite_str(&std::ffi::CStr::from_ptr(p).to_string_lossy());
                info.needToFreeIdxStr = 1;
            }
            info.estimatedCost = cost;
            info.orderByConsumed = consumed;
            Ok(SQLITE_OK)
        }
    }

    unsafe extern "C" fn x_open(vt: *mut sqlite3_vtab, out: *mut *mut sqlite3_vtab_cursor) -> i32 {
        unsafe {
            run_vtab(vt, |_| {
                let cur = Obj::from_owned(PyObject_CallMethod(
                    (*(vt as *mut VTab)).table,
                    c"open".as_ptr(),
                    null_mut(),
                ))?;
                let get = |name: &::core::ffi::CStr| {
                    Obj::from_owned(PyObject_GetAttrString(cur.as_ptr(), name.as_ptr())).map(Obj::into_ptr)
                };
                let c = Cursor {
                    base: ::core::mem::zeroed(),
                    filter: get(c"filter")?,
                    next: get(c"next")?,
                    eof: get(c"eof")?,
                    column: get(c"column")?,
                    rowid: get(c"rowid")?,
                };
                *out = Box::into_raw(Box::new(c)) as *mut sqlite3_vtab_cursor;
                Ok(SQLITE_OK)
            })
        }
    }

    unsafe extern "C" fn x_close(cur: *mut sqlite3_vtab_cursor) -> i32 {
        __EPY_PLUGIN.call_native((), |_| unsafe {
            let c = Box::from_raw(cur as *mut Cursor);
            for p in [c.filter, c.next, c.eof, c.column, c.rowid] {
                Py_DECREF(p);
            }
            Ok(())
        });
        SQLITE_OK
    }

    unsafe extern "C" fn x_filter(
        cur: *mut sqlite3_vtab_cursor,
        num: i32,
        s: *const c_char,
        argc: i32,
        argv: *mut *mut c_void,
    ) -> i32 {
        unsafe {
            let c = &*(cur as *mut Cursor);
            run_vtab(c.base.pVtab, |cx| {
                let args = Obj::from_owned(PyTuple_New(argc.max(0) as Py_ssize_t))?;
                for i in 0..argc.max(0) as usize {
                    // Copies: arguments may be kept for the whole scan.
                    let v = *argv.add(i);
                    let o = if sq!(value_type(v)) == SQLITE_BLOB {
                        let p = sq!(value_blob(v)) as *const c_char;
                        let n = sq!(value_bytes(v)) as Py_ssize_t;
                        Obj::from_owned(PyBytes_FromStringAndSize(p, n))?
                    } else {
                        value_to_py(cx, v)?
                    };
                    PyTuple_SET_ITEM(args.as_ptr(), i as Py_ssize_t, o.into_ptr());
                }
                let idx_str = if s.is_null() {
                    Obj::from_borrowed(Py_None())
                } else {
                    Obj::from_owned(PyUnicode_FromString(s))?
                };
                let num = Obj::from_owned(PyLong_FromLong(num as _))?;
                let call = [num.as_ptr(), idx_str.as_ptr(), args.as_ptr()];
                Obj::from_owned(PyObject_Vectorcall(c.filter, call.as_ptr(), 3, null_mut()))?;
                Ok(SQLITE_OK)
            })
        }
    }

    unsafe extern "C" fn x_next(cur: *mut sqlite3_vtab_cursor) -> i32 {
        unsafe {
            let c = &*(cur as *mut Cursor);
            run_vtab(c.base.pVtab, |_| {
                Obj::from_owned(PyObject_CallNoArgs(c.next))?;
                Ok(SQLITE_OK)
            })
        }
    }

    unsafe extern "C" fn x_eof(cur: *mut sqlite3_vtab_cursor) -> i32 {
        unsafe {
            let c = &*(cur as *mut Cursor);
            // An error here ends the scan (xEof cannot report one); it is logged.
            let name = &(*(c.base.pVtab as *mut VTab)).name;
            __EPY_PLUGIN.call_native_as(name, 1, |_| {
                let r = Obj::from_owned(PyObject_CallNoArgs(c.eof))?;
                match PyObject_IsTrue(r.as_ptr()) {
                    -1 => Err(PyErr),
                    t => Ok(t),
                }
            })
        }
    }

    unsafe extern "C" fn x_column(cur: *mut sqlite3_vtab_cursor, ctx: *mut c_void, i: i32) -> i32 {
        unsafe {
            let c = &*(cur as *mut Cursor);
            run_vtab(c.base.pVtab, |_| {
                let i_col = i;
                let i = Obj::from_owned(PyLong_FromLong(i as _))?;
                let r = Obj::from_owned(PyObject_Vectorcall(c.column, &i.as_ptr(), 1, null_mut()))?;
                set_result(ctx, r.as_ptr()).map_err(|_| {
                    let vt = &*(c.base.pVtab as *mut VTab);
                    annotate(&format!("column {} of table {} ({})", i_col, vt.name, vt.origin))
                })?;
                Ok(SQLITE_OK)
            })
        }
    }

    unsafe extern "C" fn x_rowid(cur: *mut sqlite3_vtab_cursor, out: *mut i64) -> i32 {
        unsafe {
            let c = &*(cur as *mut Cursor);
            run_vtab(c.base.pVtab, |_| {
                let r = Obj::from_owned(PyObject_CallNoArgs(c.rowid))?;
                let v = PyLong_AsLongLong(r.as_ptr());
                if v == -1 && !PyErr_Occurred().is_null() {
                    return Err(PyErr);
                }
                *out = v;
                Ok(SQLITE_OK)
            })
        }
    }
}
