//! `Cx`: one loaded plugin inside its interpreter — the script's functions,
//! the stub module's types, return-value slots. Handed to every generated stub.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::gate::ReloadGate;
use crate::marshal::host_refs::{Descriptors, Handles};
use crate::marshal::shared::{Shared, Spec, Types};
use crate::obj::{Obj, PyResult};
use core::cell::Cell;
use pyo3_ffi::PyObject;

/// `repr(C)`: what calls read (`funcs`, `entry_key`, `spec`) comes first,
/// in the instance's first cache line (`Instance`).
#[repr(C)]
pub struct Cx {
    /// The script's function for each export (NULL: the script lost it).
    pub(crate) funcs: Vec<*mut PyObject>,
    /// The instance's per-thread key: its value is this thread's entry,
    /// which starts with the thread's `Returns`.
    pub(crate) entry_key: Option<libc::pthread_key_t>,
    pub spec: &'static Spec,
    /// Types of the stub module (struct views, enums).
    pub types: Types,
    /// Return slots for calls on threads without an entry (a `Cx` made
    /// for tests); a plugin's calls use their thread's own (`entry_key`).
    pub ret_slots: Returns,
    /// The stub module and the script module (kept alive with the interpreter).
    pub(crate) keep: Vec<Obj>,
    /// Objects the host holds handles to (`returns-handle`).
    pub(crate) handles: Handles,
    /// Interned names of `Spec::methods`.
    pub(crate) method_names: Vec<Obj>,
    /// Descriptors filled for the host, with the objects they came from.
    pub(crate) descriptors: Descriptors,
    /// The plugin's reload gate (None: a `Cx` made for tests).
    pub(crate) gate: Option<&'static ReloadGate>,
}

impl Cx {
    /// Calls a script function with owned arguments.
    ///
    /// # Safety
    /// The plugin's interpreter is attached; `f` is a live callable.
    #[inline]
    pub unsafe fn call(&self, f: *mut PyObject, args: &[Obj]) -> PyResult<Obj> {
        // `Obj` is a transparent non-null pointer, so `args` is a `PyObject*[]`.
        let argv = args.as_ptr() as *const *mut PyObject;
        // SAFETY: the interpreter is attached and `f` is live (contract);
        // `argv` holds `args.len()` live objects.
        unsafe {
            Obj::from_owned(pyo3_ffi::PyObject_Vectorcall(
                f,
                argv,
                args.len(),
                core::ptr::null_mut(),
            ))
        }
    }

    /// Stores `o` in `export`'s return slot of this thread (dropping the
    /// previous one) and returns the borrowed pointer: what the host got
    /// stays valid until its thread calls that export again.
    ///
    /// # Safety
    /// The plugin's interpreter is attached.
    pub unsafe fn keep_return(&self, export: usize, o: Obj) -> *mut PyObject {
        // SAFETY: the plugin's interpreter is attached (contract).
        unsafe { self.returns().keep(export, o) }
    }

    /// This thread's return slots (one `pthread_getspecific`).
    #[inline]
    fn returns(&self) -> &Returns {
        if let Some(key) = self.entry_key {
            // SAFETY: `key` is the instance's live key (deleted only when it ends).
            let p = unsafe { libc::pthread_getspecific(key) } as *const Returns;
            // SAFETY: the key's value is NULL or this thread's `Entry`, which
            // starts with its `Returns` (`#[repr(C)]`) and outlives the call.
            if let Some(r) = unsafe { p.as_ref() } {
                return r;
            }
        }
        &self.ret_slots
    }
}

/// The interpreter's shared tables: what struct views and host functions
/// read (a function taking `&Shared` takes a `&Cx`).
impl core::ops::Deref for Cx {
    type Target = Shared;
    #[inline]
    fn deref(&self) -> &Shared {
        &self.types.shared
    }
}

/// Per export: the last returned object whose memory a returned pointer
/// (`const char*`) points into, kept until that export returns again.
pub struct Returns(Box<[Cell<*mut PyObject>]>);

impl Returns {
    pub(crate) fn new(exports: usize) -> Returns {
        Returns(
            (0..exports)
                .map(|_| Cell::new(core::ptr::null_mut()))
                .collect(),
        )
    }

    /// Keeps `o` in slot `export`, dropping what it held; returns `o`.
    ///
    /// # Safety
    /// The interpreter these objects belong to is attached.
    unsafe fn keep(&self, export: usize, o: Obj) -> *mut PyObject {
        let p = o.into_ptr();
        let old = self.0[export].replace(p);
        if !old.is_null() {
            // SAFETY: the slot owned `old`; its interpreter is attached (contract).
            unsafe { pyo3_ffi::Py_DECREF(old) };
        }
        p
    }

    /// Drops every object kept.
    ///
    /// # Safety
    /// The interpreter these objects belong to is attached.
    pub(crate) unsafe fn clear(&self) {
        for slot in self.0.iter() {
            let p = slot.replace(core::ptr::null_mut());
            if !p.is_null() {
                // SAFETY: the slot owned `p`; its interpreter is attached (contract).
                unsafe { pyo3_ffi::Py_DECREF(p) };
            }
        }
    }
}

impl Cx {
    pub(crate) fn new(
        spec: &'static Spec,
        types: Types,
        funcs: Vec<*mut PyObject>,
        keep: Vec<Obj>,
        gate: Option<&'static ReloadGate>,
    ) -> Cx {
        let ret_slots = Returns::new(spec.exports.len());
        Cx {
            spec,
            types,
            funcs,
            ret_slots,
            entry_key: None,
            keep,
            handles: Handles::default(),
            method_names: Vec::new(),
            descriptors: Descriptors::default(),
            gate,
        }
    }

    /// A context without a script, for testing the marshaling functions.
    #[doc(hidden)]
    pub fn for_tests(spec: &'static Spec, types: Types) -> Box<Cx> {
        Box::new(Cx::new(spec, types, Vec::new(), Vec::new(), None))
    }

    /// Handles (and callbacks) and descriptors the host holds into this
    /// interpreter: a reload would leave them dangling, so it waits while
    /// there are any.
    pub(crate) fn host_refs(&self) -> (usize, usize) {
        use core::sync::atomic::Ordering::Relaxed;
        (
            self.handles.live.load(Relaxed) + self.types.shared.closures.count.load(Relaxed),
            self.descriptors.given.load(Relaxed),
        )
    }

    /// The host released its last handle: a reload that waited may go.
    pub(crate) fn host_let_go(&self) {
        if let Some(g) = self.gate {
            g.host_let_go();
        }
    }

    /// The script module (for hooks such as `shutdown`).
    pub(crate) fn script(&self) -> Option<*mut PyObject> {
        self.keep.get(1).map(Obj::as_ptr)
    }

    /// After `clear`: frees the tables sized for the script's exports.
    pub(crate) fn shrink(&mut self) {
        self.funcs = Vec::new();
        self.ret_slots = Returns::new(0);
        self.method_names = Vec::new();
        self.keep = Vec::new();
    }

    /// Drops every Python object this context holds.
    ///
    /// # Safety
    /// The plugin's interpreter is attached.
    pub(crate) unsafe fn clear(&mut self) {
        // SAFETY: the plugin's interpreter is attached (contract), for this
        // block and the three below; `funcs` holds strong references.
        unsafe { self.ret_slots.clear() };
        for f in self.funcs.drain(..) {
            if !f.is_null() {
                // SAFETY: see above.
                unsafe { pyo3_ffi::Py_DECREF(f) };
            }
        }
        // SAFETY: see above.
        unsafe { self.handles.clear() };
        // SAFETY: see above; no host call can reach these closures after
        // this (the reload waited for them, or the library is unloading).
        unsafe { self.types.shared.closures.clear() };
        self.descriptors.clear();
        self.method_names.clear();
        self.keep.clear();
        // SAFETY: see above.
        unsafe { self.types.shared.clear_view_cache() };
        self.types = Types::default();
    }
}
