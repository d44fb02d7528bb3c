//! `Loader`: what a `Plugin` (`plugin.rs`) holds besides being called — its
//! spec, the instance pointer, the reload gate and the slow-path state under
//! its lock — and the bookkeeping `fork.rs` needs. The slow paths that fill
//! it are `slow_path.rs`; `dlclose` is `lifecycle.rs`.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::gate::ReloadGate;
use crate::instance::Instance;
use crate::marshal::shared::Spec;
use crate::obj::Obj;
use crate::watch;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::Mutex;

/// A plugin's state: `Plugin` is this, transparently, plus its hot path.
/// `inst` and `gate`, which every call reads, share its first cache line
/// (`repr(C)`, 64-aligned): with many plugins called in turn, each line a
/// call touches in its own library is a likely miss.
#[repr(C, align(64))]
pub struct Loader {
    /// The loaded instance (NULL: not loaded, or loading failed).
    pub(crate) inst: AtomicPtr<Instance>,
    /// When to reload: the script changed, and the host holds nothing into
    /// the running interpreter.
    pub(crate) gate: ReloadGate,
    /// Loading failed (logged once); calls return error values until the
    /// script changes.
    pub(crate) failed: AtomicBool,
    pub(crate) spec: &'static Spec,
    /// Slow-path state, touched only while loading, reloading or unloading.
    pub(crate) state: Mutex<State>,
}

pub(crate) struct State {
    pub watcher: Option<watch::Watcher>,
    /// Instances replaced by a reload, until they are idle
    /// (`Instance::idle`); then they end on the next slow path. Boxed:
    /// thread entries point at them, so they must not move.
    #[allow(clippy::vec_box)]
    pub retired: Vec<Box<Instance>>,
    /// Ended instances, shrunk: a thread that read the instance pointer
    /// just before a reload may still look for its entry in one, so their
    /// memory lives until the library unloads.
    #[allow(clippy::vec_box)]
    pub ended: Vec<Box<Instance>>,
    /// The main interpreter's atexit hook.
    pub atexit: Option<Obj>,
    /// The host finalized Python: never start it again.
    pub finalized: bool,
    /// Why the last load failed (for a pack's native code: `load_error`).
    pub last_error: Option<String>,
}

// SAFETY: the Python objects in `State` are only touched under its lock
// with the right interpreter attached.
unsafe impl Send for State {}

/// The plugin of this library, for the `dlclose` and atexit hooks.
pub(crate) static THIS: AtomicPtr<Loader> = AtomicPtr::new(core::ptr::null_mut());

impl Loader {
    pub(crate) const fn new(spec: &'static Spec) -> Self {
        Loader {
            inst: AtomicPtr::new(core::ptr::null_mut()),
            gate: ReloadGate::new(),
            failed: AtomicBool::new(false),
            spec,
            state: Mutex::new(State {
                watcher: None,
                retired: Vec::new(),
                ended: Vec::new(),
                atexit: None,
                finalized: false,
                last_error: None,
            }),
        }
    }
}

/// Fork support (`fork.rs`): this library's plugin, once it has loaded.
pub(crate) fn this() -> Option<&'static Loader> {
    // SAFETY: NULL or the `Loader` of this library's `Plugin` static (set by `load`).
    unsafe { THIS.load(Ordering::Acquire).as_ref() }
}

impl Loader {
    /// The plugin lock (poisoning ignored: the state stays consistent).
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The plugin lock, if free.
    pub(crate) fn try_lock(&'static self) -> Option<std::sync::MutexGuard<'static, State>> {
        match self.state.try_lock() {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// The current and retired instances (`state` is this plugin's lock).
    pub(crate) fn instances<'a>(&'a self, state: &'a State) -> impl Iterator<Item = &'a Instance> {
        // SAFETY: NULL or an instance that lives until unload (`State::ended`).
        let inst = unsafe { self.inst.load(Ordering::Acquire).as_ref() };
        inst.into_iter().chain(state.retired.iter().map(|b| &**b))
    }

    /// In a forked child: takes every instance (their interpreters and
    /// thread states are gone or going) and the watcher (its thread does not
    /// exist here), so the next call loads the script afresh.
    #[allow(clippy::vec_box)]
    pub(crate) fn take_instances_in_child(&self, state: &mut State) -> Vec<Box<Instance>> {
        // Not stopped: its thread does not exist here (`load` starts one).
        state.watcher = None;
        self.gate.waiting.store(false, Ordering::Relaxed);
        let mut all = std::mem::take(&mut state.retired);
        let inst = self.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
        if !inst.is_null() {
            // SAFETY: `inst` came from `Box::into_raw` (`load_or_reload`) and
            // the swap took the only owner.
            all.push(unsafe { Box::from_raw(inst) });
        }
        all
    }
}
