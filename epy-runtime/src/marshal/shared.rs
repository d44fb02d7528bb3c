//! The per-interpreter objects the marshaling code reads on every call, and
//! how long they live. `Shared` is owned by a capsule in the struct base
//! type's dict, so it lives exactly as long as anything that can read it:
//! every view holds its type (→ base type → capsule), every host function
//! holds the capsule. Objects the script still holds when the plugin unloads
//! (in `__del__`, `atexit`, the main interpreter) thus stay sound; host
//! functions then raise instead of calling the host for an unloaded plugin.
use crate::obj::Obj;
use crate::spec::{CallbackSpecFor, InvokeFor, SpecFor};
use core::cell::Cell;
use core::ffi::c_void;
use core::ptr::null_mut;
use pyo3_ffi::*;

/// The static description of a generated plugin (`spec.rs`), its callback
/// invokers given the `Shared` tables of the interpreter that calls them.
pub type Spec = SpecFor<Shared>;
pub type CallbackSpec = CallbackSpecFor<Shared>;
pub type Invoke = InvokeFor<Shared>;

pub struct Shared {
    pub spec: &'static Spec,
    /// Type object of `Spec::structs[i]`; borrowed: the base type's dict
    /// holds them all (a cycle the GC collects with the capsule).
    pub structs: Vec<*mut PyObject>,
    /// `IntEnum` class of `Spec::enums[i]`, and its value → member dict (strong).
    pub enums: Vec<*mut PyObject>,
    pub enum_maps: Vec<*mut PyObject>,
    /// Type of host-function objects (strong).
    pub callback_type: *mut PyObject,
    /// Type of the buffer exporters behind memoryviews (strong).
    pub exporter_type: *mut PyObject,
    /// A `Cx` holds these types (`Types`): the plugin is loaded, host
    /// functions may call the host.
    pub loaded: Cell<bool>,
    /// Type of typed pointers, `Ptr` (strong).
    pub ptr_type: *mut PyObject,
    /// The capsule that owns this (borrowed).
    pub capsule: *mut PyObject,
    /// Per struct: one argument view the last call did not keep, reused by
    /// the next call instead of allocating (strong; emptied by `Cx::clear`).
    pub view_cache: Vec<Cell<*mut PyObject>>,
    /// Buffer exporters the last call released and nothing kept, reused by
    /// the next call's buffer arguments (strong; emptied by `Cx::clear`).
    pub buffer_cache: [Cell<*mut PyObject>; 4],
    /// Per struct: its field names as interned objects (`field_names`).
    pub(crate) field_names: Vec<super::field_names::FieldNames>,
    /// Buffers and array fields are copies (`copy.rs`): `[plugin] buffers`.
    pub copy_buffers: Cell<bool>,
    /// Python callables handed to the host as function pointers.
    pub(crate) closures: super::closures::Closures,
}

impl Shared {
    pub(crate) const fn new(spec: &'static Spec) -> Shared {
        Shared {
            spec,
            structs: Vec::new(),
            enums: Vec::new(),
            enum_maps: Vec::new(),
            callback_type: null_mut(),
            exporter_type: null_mut(),
            loaded: Cell::new(false),
            ptr_type: null_mut(),
            capsule: null_mut(),
            view_cache: Vec::new(),
            buffer_cache: [const { Cell::new(null_mut()) }; 4],
            field_names: Vec::new(),
            copy_buffers: Cell::new(false),
            closures: super::closures::Closures::new(),
        }
    }

    /// Drops the cached argument views and buffer exporters.
    ///
    /// # Safety
    /// The plugin's interpreter is attached.
    pub(crate) unsafe fn clear_view_cache(&self) {
        for c in self.view_cache.iter().chain(&self.buffer_cache) {
            // SAFETY: the plugin's interpreter is attached (this function's
            // contract); the caches hold strong references or NULL.
            unsafe { Py_XDECREF(c.replace(null_mut())) };
        }
    }

    /// Moves `s` into a new capsule that frees it when the capsule dies.
    ///
    /// # Safety
    /// An interpreter is attached.
    pub(crate) unsafe fn into_capsule(s: Box<Shared>) -> crate::PyResult<Obj> {
        let p = Box::into_raw(s);
        // SAFETY: an interpreter is attached (this function's contract); `p` is
        // the leaked box, freed once: here on failure, else by the capsule.
        unsafe {
            let cap = PyCapsule_New(p as *mut c_void, NAME.as_ptr(), Some(free_shared));
            if cap.is_null() {
                drop(Box::from_raw(p));
            } else {
                (*p).capsule = cap;
            }
            Obj::from_owned(cap)
        }
    }

    /// The `Shared` inside a capsule made by `into_capsule`.
    ///
    /// # Safety
    /// An interpreter is attached.
    pub(crate) unsafe fn from_capsule(cap: *mut PyObject) -> *const Shared {
        // SAFETY: an interpreter is attached (this function's contract).
        unsafe { PyCapsule_GetPointer(cap, NAME.as_ptr()) as *const Shared }
    }
}

const NAME: &core::ffi::CStr = c"epy.shared";

unsafe extern "C" fn free_shared(cap: *mut PyObject) {
    // SAFETY: CPython calls the capsule destructor with the interpreter
    // attached, once; the capsule holds the box `into_capsule` leaked.
    unsafe { drop(Box::from_raw(Shared::from_capsule(cap) as *mut Shared)) }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // Dropped by its capsule (or a failed build): the interpreter is attached.
        let strong = self.enums.iter().chain(&self.enum_maps);
        for &o in strong.chain(&[self.callback_type, self.exporter_type, self.ptr_type]) {
            // SAFETY: dropped by its capsule or a failed build, with the
            // interpreter attached; these references are owned (strong) or
            // NULL.
            unsafe { Py_XDECREF(o) };
        }
    }
}

/// `Types::shared`: points into the capsule `Types::owned` keeps alive.
pub struct SharedRef(*const Shared);

impl core::ops::Deref for SharedRef {
    type Target = Shared;
    #[inline]
    fn deref(&self) -> &Shared {
        // SAFETY: `Types::owned` keeps the capsule owning the `Shared` alive,
        // or it is the static `EMPTY`.
        unsafe { &*self.0 }
    }
}

/// The per-interpreter Python objects the marshaling functions need.
pub struct Types {
    pub shared: SharedRef,
    /// Everything created here (the capsule owning `shared` among them),
    /// released when the interpreter ends.
    pub owned: Vec<Obj>,
}

impl Types {
    /// `shared` belongs to `capsule`, which `owned` must include.
    pub(crate) fn new(shared: *const Shared, owned: Vec<Obj>) -> Types {
        if !core::ptr::eq(shared, &EMPTY.0) {
            // SAFETY: `shared` is live (its capsule is in `owned`).
            unsafe { (*shared).loaded.set(true) };
        }
        Types {
            shared: SharedRef(shared),
            owned,
        }
    }
}

/// What a `Types::default()` points at: no types, never written.
struct Empty(Shared);
// SAFETY: only read (its `loaded` is never set), so sharing it between
// threads races on nothing.
unsafe impl Sync for Empty {}
static EMPTY: Empty = Empty(Shared::new(&EMPTY_SPEC));
static EMPTY_SPEC: Spec = Spec {
    module: c"",
    exports: &[],
    structs: &[],
    enums: &[],
    consts: &[],
    callbacks: &[],
    methods: &[],
    layer: c"",
    host_fns: &[],
};

impl Default for Types {
    fn default() -> Self {
        Types::new(&EMPTY.0, Vec::new())
    }
}

impl Drop for Types {
    fn drop(&mut self) {
        // The plugin is gone: host functions the script kept must not call
        // the host. (`owned` still holds the capsule here.)
        if !core::ptr::eq(self.shared.0, &EMPTY.0) {
            self.shared.loaded.set(false);
        }
    }
}
