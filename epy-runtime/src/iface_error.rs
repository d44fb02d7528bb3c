//! Interface errors: a script fails with a specific code of its interface
//! (`raise wcx.Error(E_EOPEN)`). Any exception whose class has a true
//! `__epy_interface_error__` attribute and whose instance has an integer
//! `code` is one (packs define such a class in their Python layer). The
//! export returns the code when it returns a number, else its error value;
//! either way no traceback is logged: the script chose the failure.
use core::any::TypeId;
use pyo3_ffi::*;

/// If the pending exception is an interface error: clears it and returns
/// its code (`Some(None)` when `R` is not a number: the caller returns its
/// error value). `None`: another exception, or a code that does not fit a
/// number `R` (then a `ValueError`), pending for the caller to log.
///
/// # Safety
/// The plugin's interpreter is attached and an exception is pending.
#[cold]
pub(crate) unsafe fn take<R: 'static>() -> Option<Option<R>> {
    // SAFETY: the caller attached the interpreter with an exception pending;
    // every object is owned or borrowed as the C API says.
    unsafe {
        let exc = crate::log::take_exception()?;
        let Some(code) = code_of(exc.as_ptr()) else {
            restore(exc);
            return None;
        };
        let ret = as_ret::<R>(code);
        if ret.is_none() && as_ret::<R>(0).is_some() {
            // A number result the code does not fit: an error to log.
            let msg =
                format!("interface error code {code} does not fit the export's result type\0");
            PyErr_SetString(PyExc_ValueError, msg.as_ptr().cast());
            return None;
        }
        Some(ret)
    }
}

/// Makes `exc` (from `take_exception`) the pending exception again.
pub(crate) unsafe fn restore(exc: crate::Obj) {
    // SAFETY: the interpreter is attached; the reference `exc` owns passes
    // to the interpreter's pending exception.
    unsafe {
        #[cfg(Py_3_12)]
        PyErr_SetRaisedException(exc.into_ptr());
        #[cfg(not(Py_3_12))]
        {
            let v = exc.into_ptr();
            let t = Py_TYPE(v).cast::<PyObject>();
            Py_INCREF(t);
            PyErr_Restore(t, v, PyException_GetTraceback(v));
        }
    }
}

/// The code of `exc` if its class marks it an interface error.
unsafe fn code_of(exc: *mut PyObject) -> Option<i64> {
    // SAFETY: the interpreter is attached and `exc` is a live exception.
    unsafe {
        let marker =
            PyObject_GetAttrString(Py_TYPE(exc).cast(), c"__epy_interface_error__".as_ptr());
        if marker.is_null() {
            PyErr_Clear();
            return None;
        }
        let yes = PyObject_IsTrue(marker) == 1;
        Py_DECREF(marker);
        PyErr_Clear();
        if !yes {
            return None;
        }
        let code = PyObject_GetAttrString(exc, c"code".as_ptr());
        if code.is_null() {
            PyErr_Clear();
            return None;
        }
        let mut overflow = 0;
        let v = if PyLong_Check(code) != 0 {
            PyLong_AsLongLongAndOverflow(code, &mut overflow)
        } else {
            overflow = 1;
            0
        };
        Py_DECREF(code);
        PyErr_Clear();
        (overflow == 0).then_some(v)
    }
}

/// `code` as the export's return type `R`, if that is a number it fits.
fn as_ret<R: 'static>(code: i64) -> Option<R> {
    fn cast<T: 'static + Copy, R: 'static>(v: Option<T>) -> Option<R> {
        // Only called with `T` = `R` (checked by the caller's `TypeId`).
        let v = v?;
        (TypeId::of::<T>() == TypeId::of::<R>())
            // SAFETY: `T` and `R` are the same type (equal `TypeId`s).
            .then(|| unsafe { core::mem::transmute_copy::<T, R>(&v) })
    }
    let t = TypeId::of::<R>();
    macro_rules! ints {
        ($($ty:ty),*) => {$(
            if t == TypeId::of::<$ty>() {
                return cast::<$ty, R>(<$ty>::try_from(code).ok());
            }
        )*};
    }
    ints!(i8, i16, i32, i64, u8, u16, u32, u64, isize, usize);
    if t == TypeId::of::<f64>() {
        return cast::<f64, R>(Some(code as f64));
    }
    if t == TypeId::of::<f32>() {
        return cast::<f32, R>(Some(code as f32));
    }
    if t == TypeId::of::<bool>() {
        return cast::<bool, R>(Some(code != 0));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::as_ret;

    #[test]
    fn codes_become_numbers_that_fit() {
        assert_eq!(as_ret::<i32>(15), Some(15));
        assert_eq!(as_ret::<u8>(300), None);
        assert_eq!(as_ret::<u32>(-1), None);
        assert_eq!(as_ret::<f64>(-1), Some(-1.0));
        assert_eq!(as_ret::<*mut core::ffi::c_void>(-1), None);
        assert_eq!(as_ret::<()>(3), None);
    }
}
