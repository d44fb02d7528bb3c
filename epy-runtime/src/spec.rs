//! The static description of one plugin, emitted by `epy-codegen` into the
//! generated crate and read by the runtime when it builds the plugin's stub
//! module inside the plugin's interpreter. Everything is `'static` data: the
//! runtime never allocates a Python object outside a call.
//!
//! Plain data below everything that reads it: the one type that is not —
//! the callback invokers' context, which itself holds the spec — is a
//! parameter (`SpecFor<C>`), fixed to `Shared` where that is defined
//! (`marshal/shared.rs`: `Spec`, `CallbackSpec`, `Invoke`).

use crate::obj::{Obj, PyResult};
use core::ffi::{CStr, c_void};
use pyo3_ffi::PyObject;

/// Everything the runtime needs to know about one generated plugin; `C`
/// is what its callback invokers get (`Spec` is `SpecFor<Shared>`).
pub struct SpecFor<C: 'static> {
    /// Name of the module the script imports its types from (`from bench_h import Record`).
    pub module: &'static CStr,
    /// Python function names of the exports, indexed by export id.
    pub exports: &'static [&'static CStr],
    pub structs: &'static [StructSpec],
    pub enums: &'static [EnumSpec],
    pub consts: &'static [ConstSpec],
    pub callbacks: &'static [CallbackSpecFor<C>],
    /// Methods behind descriptor function pointers, by method index.
    pub methods: &'static [MethodSpec],
    /// Python source run in the stub module before the script imports it
    /// (an interface pack's authoring layer); empty for none.
    pub layer: &'static CStr,
    /// Functions of the host process the script calls (declared in the
    /// header, not defined by the script): `name` is the C symbol, resolved
    /// with `dlsym(RTLD_DEFAULT, name)` at the first call.
    pub host_fns: &'static [CallbackSpecFor<C>],
}

/// A Python method a descriptor's function pointer calls.
pub struct MethodSpec {
    /// The attribute looked up on the receiver (`run`).
    pub name: &'static CStr,
    /// For messages: `LADSPA_Descriptor.run`.
    pub site: &'static CStr,
}

/// How a string is stored in C memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `char` data, UTF-8. Invalid bytes are read as lone surrogates
    /// (`surrogateescape`) and written back as the same bytes, so names that
    /// are not UTF-8 round-trip.
    Utf8,
    /// 16-bit `WCHAR` data, UTF-16.
    Utf16,
    /// Raw bytes: Python sees `bytes`.
    Bytes,
}

/// What lives at a field offset (or a buffer element) and how Python sees it.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    /// `_Bool` / `bool` (1 byte).
    Bool,
    /// `void*` or any pointer without a better kind: an `int` address, `None`
    /// for NULL (written from an int, a struct view, a host function or None).
    Ptr,
    /// `char*` / `WCHAR*` field: read as `str` (`None` for NULL); read-only.
    CStr(Encoding),
    /// `char[N]` (Utf8/Bytes) or `WCHAR[N]` (Utf16): read as `str`/`bytes` up to
    /// the first NUL; written from `str` or `bytes`, NUL-terminated, error when
    /// it does not fit (never truncated).
    CharArray(usize, Encoding),
    /// `T[N]` of a scalar kind: a live `memoryview` (format from the element
    /// kind); of `Struct`: a `list` of live views.
    Array(&'static Kind, usize),
    /// Nested struct or union, by index into `Spec::structs`: a live view.
    Struct(usize),
    /// Pointer to a struct: a live view, or `None` for NULL. Read-only field.
    StructPtr(usize),
    /// An enum (index into `Spec::enums`) stored as the given integer kind.
    Enum(usize, &'static Kind),
    /// A bitfield in a storage unit of kind `storage` at the field's offset.
    Bits {
        storage: &'static Kind,
        shift: u8,
        width: u8,
        signed: bool,
    },
    /// Function pointer field with a known signature (index into `Spec::callbacks`):
    /// read as a Python callable (or `None`); written from a Python callable
    /// (a trampoline kept until the plugin unloads), a host function, an
    /// int address or `None`.
    FnPtr(usize),
}

pub struct FieldSpec {
    pub name: &'static CStr,
    pub offset: usize,
    pub kind: Kind,
    pub doc: &'static CStr,
}

pub struct StructSpec {
    pub name: &'static CStr,
    pub size: usize,
    pub align: usize,
    pub fields: &'static [FieldSpec],
    pub doc: &'static CStr,
}

pub struct EnumSpec {
    pub name: &'static CStr,
    pub members: &'static [(&'static CStr, i64)],
    pub doc: &'static CStr,
}

pub enum ConstValue {
    Int(i64),
    /// An unsigned value beyond `i64` (`0xFFFFFFFFFFFFFFFF`).
    UInt(u64),
    Float(f64),
    Str(&'static CStr),
}

pub struct ConstSpec {
    pub name: &'static CStr,
    pub value: ConstValue,
}

/// Calls a host function pointer of one C signature from Python: converts
/// `args` (borrowed references) to C, calls `fnptr`, converts the result.
/// Generated per signature by `epy-codegen`; `cx` holds the spec.
pub type InvokeFor<C> =
    unsafe fn(cx: &C, fnptr: *const c_void, args: &[*mut PyObject]) -> PyResult<Obj>;

pub struct CallbackSpecFor<C: 'static> {
    pub name: &'static CStr,
    /// Number of parameters (checked before `invoke` is called).
    pub nargs: usize,
    pub invoke: InvokeFor<C>,
    /// Trampolines for Python callables of this prototype (struct fields,
    /// returned pointers, host functions without user data); `None`: this
    /// prototype cannot take a Python callable there.
    pub pool: Option<&'static crate::marshal::closures::Pool>,
}
