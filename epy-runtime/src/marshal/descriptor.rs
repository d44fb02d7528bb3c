//! Descriptors: structs the plugin fills for the host from a Python object
//! (`LADSPA_Descriptor` from a plugin class), and the methods behind their
//! function pointers.
//!
//! A function marked `returns-descriptor` gives the host a pointer to a C
//! struct filled (by generated code, with the `attr_*` helpers here) from
//! the returned object's attributes, built once per object. The struct and
//! everything it points to stay valid until the library unloads: hosts keep
//! descriptor pointers forever. A method trampoline gets its receiver back
//! from the descriptor pointer (`descriptor_to_py`) or from a handle.
use super::scalar::Scalar;
use crate::Cx;
use crate::obj::{Obj, PyErr, PyResult};
use crate::obj::{none, raise};
use crate::spec::Kind;
use core::ffi::{CStr, c_char, c_void};
use pyo3_ffi::*;

/// Fills a descriptor struct from an object; returns the (leaked) struct.
pub type Fill = unsafe fn(cx: &Cx, obj: *mut PyObject) -> PyResult<*mut c_void>;

/// The object a `returns-descriptor` function returned → its C struct,
/// filled on first sight; `None` → NULL.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn descriptor_from_py(cx: &Cx, o: Obj, fill: Fill) -> PyResult<*mut c_void> {
    unsafe {
        if o.as_ptr() == Py_None() {
            return Ok(core::ptr::null_mut());
        }
        let known = cx
            .descriptors
            .list
            .borrow()
            .iter()
            .find(|(d, _)| d.as_ptr() == o.as_ptr())
            .map(|(_, p)| *p);
        if let Some(p) = known {
            return Ok(p as *mut c_void);
        }
        let p = fill(cx, o.as_ptr())?;
        cx.descriptors.list.borrow_mut().push((o, p as usize));
        cx.descriptors
            .given
            .fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        Ok(p)
    }
}

/// A descriptor pointer from the host → the object it was filled from.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn descriptor_to_py(cx: &Cx, p: *const c_void) -> PyResult<Obj> {
    unsafe {
        let list = cx.descriptors.list.borrow();
        match list.iter().find(|(_, d)| *d == p as usize) {
            Some((o, _)) => Ok(Obj::from_borrowed(o.as_ptr())),
            None => {
                drop(list);
                raise(
                    PyExc_ValueError,
                    &format!("{p:?} is not a descriptor of this plugin (reloaded since?)"),
                )
            }
        }
    }
}

impl Cx {
    /// Calls method `m` (`Spec::methods`) on `args[0]` with the rest.
    ///
    /// # Safety
    /// The plugin's interpreter is attached.
    #[inline]
    pub unsafe fn call_method(&self, m: usize, args: &[Obj]) -> PyResult<Obj> {
        let argv = args.as_ptr() as *const *mut PyObject;
        unsafe {
            Obj::from_owned(PyObject_VectorcallMethod(
                self.method_names[m].as_ptr(),
                argv,
                args.len(),
                core::ptr::null_mut(),
            ))
        }
    }
}

/// `obj.name`.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn attr(obj: *mut PyObject, name: &CStr) -> PyResult<Obj> {
    unsafe { Obj::from_owned(PyObject_GetAttrString(obj, name.as_ptr())) }
}

/// Whether `obj` has attribute `name` (a function pointer left NULL otherwise).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn has_attr(obj: *mut PyObject, name: &CStr) -> bool {
    unsafe {
        let r = PyObject_HasAttrString(obj, name.as_ptr()) == 1;
        PyErr_Clear();
        r
    }
}

/// `obj.name` as a C scalar (range-checked).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn attr_scalar<T: Scalar>(obj: *mut PyObject, name: &CStr) -> PyResult<T> {
    unsafe { T::from_py(attr(obj, name)?.as_ptr()) }
}

/// `obj.name` (`str`, or None for NULL) as a NUL-terminated UTF-8 string that
/// lives as long as the process.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn attr_cstr(obj: *mut PyObject, name: &CStr) -> PyResult<*const c_char> {
    unsafe { leak_str(attr(obj, name)?.as_ptr(), name) }
}

unsafe fn leak_str(o: *mut PyObject, name: &CStr) -> PyResult<*const c_char> {
    unsafe {
        if o == Py_None() {
            return Ok(core::ptr::null());
        }
        let mut len: Py_ssize_t = 0;
        let p = PyUnicode_AsUTF8AndSize(o, &mut len);
        if p.is_null() {
            return Err(PyErr);
        }
        let bytes = core::slice::from_raw_parts(p as *const u8, len as usize);
        if bytes.contains(&0) {
            return raise(
                PyExc_ValueError,
                &format!("{}: a C string cannot hold NUL", name.to_string_lossy()),
            );
        }
        let mut v = bytes.to_vec();
        v.push(0);
        Ok(Box::leak(v.into_boxed_slice()).as_ptr() as *const c_char)
    }
}

/// The items of sequence `obj.name`, which must have `n` of them.
unsafe fn items(obj: *mut PyObject, name: &CStr, n: usize) -> PyResult<Vec<Obj>> {
    unsafe {
        let seq = attr(obj, name)?;
        let fast = Obj::from_owned(PySequence_Fast(seq.as_ptr(), c"a sequence".as_ptr()))?;
        let len = PySequence_Size(fast.as_ptr());
        if len < 0 {
            return Err(PyErr);
        }
        if len as usize != n {
            return raise(
                PyExc_ValueError,
                &format!(
                    "{} has {len} items; the descriptor says {n}",
                    name.to_string_lossy()
                ),
            );
        }
        (0..len)
            .map(|i| Obj::from_owned(PySequence_GetItem(fast.as_ptr(), i)))
            .collect()
    }
}

/// `obj.name`, a sequence of `n` numbers, as a C array living as long as the process.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn attr_array<T: Scalar>(
    obj: *mut PyObject,
    name: &CStr,
    n: usize,
) -> PyResult<*const T> {
    unsafe {
        let v: Vec<T> = items(obj, name, n)?
            .into_iter()
            .map(|o| T::from_py(o.as_ptr()))
            .collect::<PyResult<_>>()?;
        Ok(Box::leak(v.into_boxed_slice()).as_ptr())
    }
}

/// `obj.name`, a sequence of `n` strings, as a C array of C strings.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn attr_str_array(
    obj: *mut PyObject,
    name: &CStr,
    n: usize,
) -> PyResult<*const *const c_char> {
    unsafe {
        let v: Vec<*const c_char> = items(obj, name, n)?
            .into_iter()
            .map(|o| leak_str(o.as_ptr(), name))
            .collect::<PyResult<_>>()?;
        Ok(Box::leak(v.into_boxed_slice()).as_ptr())
    }
}

/// `obj.name`, a sequence of `n` objects, as a C array of records, each
/// filled by `fill` from one object's attributes.
/// # Safety
/// The plugin's interpreter is attached; `T` is plain data (all-zero valid).
pub unsafe fn attr_records<T>(
    cx: &Cx,
    obj: *mut PyObject,
    name: &CStr,
    n: usize,
    fill: unsafe fn(&Cx, *mut PyObject, *mut T) -> PyResult<()>,
) -> PyResult<*const T> {
    unsafe {
        let objs = items(obj, name, n)?;
        let mut v: Vec<T> = (0..n).map(|_| core::mem::zeroed()).collect();
        for (o, slot) in objs.iter().zip(v.iter_mut()) {
            fill(cx, o.as_ptr(), slot)?;
        }
        Ok(Box::leak(v.into_boxed_slice()).as_ptr())
    }
}

/// `buffer_at(address, count, typecode="B")`: a writable memoryview of
/// `count` items at a host address (a pointer a descriptor method was given,
/// such as LADSPA's `connect_port` location). No copy; valid as long as the
/// host's memory is. Never revoked and unchecked (a bad address crashes the
/// host), so only a pack's Python layer gets it (`module::build`), and the
/// layer must not leave it where scripts can import it.
pub(crate) static BUFFER_AT: MethodDef = MethodDef(PyMethodDef {
    ml_name: c"buffer_at".as_ptr(),
    ml_meth: PyMethodDefPointer { PyCFunctionFast: buffer_at },
    ml_flags: METH_FASTCALL,
    ml_doc: c"buffer_at(address, count, typecode='B', /)\n--\n\nA writable memoryview of `count` items (struct typecode b B h H i I q Q f d) at a host address.".as_ptr(),
});

/// A method table entry CPython only reads (its pointers are to statics).
pub(crate) struct MethodDef(pub PyMethodDef);
unsafe impl Sync for MethodDef {}

unsafe extern "C" fn buffer_at(
    _module: *mut PyObject,
    args: *mut *mut PyObject,
    nargs: Py_ssize_t,
) -> *mut PyObject {
    unsafe {
        let r = (|| -> PyResult<Obj> {
            if !(2..=3).contains(&nargs) {
                return raise(PyExc_TypeError, "buffer_at(address, count, typecode='B')");
            }
            let addr = usize::from_py(*args)?;
            let count = usize::from_py(*args.add(1))?;
            let code = if nargs == 3 {
                let p = PyUnicode_AsUTF8AndSize(*args.add(2), core::ptr::null_mut());
                if p.is_null() {
                    return Err(PyErr);
                }
                CStr::from_ptr(p)
                    .to_bytes()
                    .first()
                    .copied()
                    .unwrap_or(b'B')
            } else {
                b'B'
            };
            let kind = match code {
                b'b' => Kind::I8,
                b'B' => Kind::U8,
                b'h' => Kind::I16,
                b'H' => Kind::U16,
                b'i' => Kind::I32,
                b'I' => Kind::U32,
                b'q' => Kind::I64,
                b'Q' => Kind::U64,
                b'f' => Kind::F32,
                b'd' => Kind::F64,
                _ => return raise(PyExc_ValueError, "typecode: one of b B h H i I q Q f d"),
            };
            if addr == 0 {
                return Ok(none());
            }
            super::buffer::raw_memoryview(addr as *mut c_void, count, kind, false)
        })();
        r.map_or(core::ptr::null_mut(), Obj::into_ptr)
    }
}
