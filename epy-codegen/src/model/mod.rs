//! The language-neutral interface model: what a C header declares, with the
//! source location of every item. Built by `crate::clang`, refined by
//! `crate::annotations` and `crate::pack`, held by `crate::plan` and read by
//! the emitters in `crate::emit`.

mod callbacks;
mod inferred;
mod layout;
mod nesting;
mod packed_holds;
pub(crate) mod typed_ptr;
mod warning;
pub use callbacks::{Keep, POOL_DEFAULT, POOL_FIELDS};
pub use inferred::Inferred;
pub use layout::relayout;
pub use nesting::{MAX_NESTING, check_nesting};
pub use packed_holds::{check_packed_holds, held_by_packed};
pub use warning::Warning;

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Where an item was declared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Loc {
    pub file: PathBuf,
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// A resolved C type. Typedefs are resolved to what they name; structs,
/// unions and enums are held as items of their own and referred to by model
/// name (`Struct`, `Enum`), and a function-pointer typedef's signature is
/// also an item (`Interface::callbacks`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Type {
    Void,
    Bool,
    /// `char` (plain): strings are `char*` / `char[N]`.
    Char,
    /// Integer of `bits` width (8, 16, 32, 64).
    Int {
        bits: u8,
        signed: bool,
    },
    Float,
    Double,
    /// A pointer; `is_const` is the constness of the pointee.
    Pointer {
        pointee: Box<Type>,
        is_const: bool,
    },
    /// A fixed array (struct fields, or a parameter before decay).
    Array {
        elem: Box<Type>,
        len: usize,
    },
    /// A struct or union in `Interface::structs`, by its name there.
    Struct(String),
    /// An enum in `Interface::enums`, by name.
    Enum(String),
    /// A function pointer; the signature is in `Interface::callbacks` when it
    /// has a typedef name, else inline.
    FnPtr(Box<Signature>),
    /// A wide (16-bit) character: `WCHAR`/`char16_t` after an annotation or
    /// pack maps it (plain `wchar_t` is 32-bit on Linux and stays `Int`).
    WChar,
}

/// Calling convention of a function or function pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
pub enum CallConv {
    /// cdecl: `extern "C"`.
    #[default]
    C,
    /// `__stdcall` / `WINAPI` / `CALLBACK`: `extern "system"`.
    Stdcall,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Param {
    pub name: String,
    pub ty: Type,
    /// Set by annotations: this pointer is a buffer of `length` elements,
    /// where `length` names another parameter.
    pub length: Option<String>,
    /// Set by annotations for `char*` / `WCHAR*`; default utf-8 for `char`.
    pub encoding: Option<Encoding>,
    /// Set by annotations: what the pointer means beyond its C type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Set by annotations (`user-data`): this `void*` is (or is not) the
    /// user-data pointer the host hands back; `None` = by name
    /// (`Signature::user_data`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_data: Option<bool>,
    /// Set by annotations (`keep`): how long a Python callable passed in
    /// this function-pointer parameter lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep: Option<Keep>,
}

/// What a parameter means to the plugin, beyond its C type (annotations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    /// A handle an earlier call returned (`returns-handle`): Python gets the
    /// object that call returned. `optional`: NULL and -1 arrive as `None`.
    Handle { optional: bool },
    /// NUL-separated strings ending with an empty one: a `list[str]`.
    StringList,
    /// An output string buffer holding as many characters (NUL included) as
    /// the named integer parameter says: Python does not get it, it returns
    /// the text (or `(value, text)` when the function returns a value).
    Output { capacity: usize },
    /// A pointer no other rule marshals (`uint32_t *frame`, `T **out`): a
    /// typed `Ptr` object (`.value`, `.array(n)`), `None` for NULL, revoked
    /// after the call (`typed_ptr`).
    Ptr,
    /// `char **argv` holding as many strings as the named integer parameter
    /// (`argc`) says: a `list[str]`.
    Argv { count: usize },
    /// A NULL-terminated array of strings (`const char *const names[]`,
    /// openvpn's `envp`): a `list[str]`.
    Strv,
    /// A string the function may replace in place, in a buffer of this many
    /// characters (NUL included): Python gets the text, and returns the
    /// value or `(value, new text)` (`rewrite`).
    Rewrite { capacity: usize },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Encoding {
    Utf8,
    Utf16,
    Bytes,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Signature {
    pub ret: Type,
    pub params: Vec<Param>,
    pub conv: CallConv,
    pub variadic: bool,
    /// Set by annotations (`[callbacks.NAME] on-error`): what a trampoline
    /// of this prototype returns when the Python callable raises.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_error: Option<ErrorValue>,
    /// Set by annotations (`pool`): how many distinct Python callables of
    /// this prototype the host can hold at once without user data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Function {
    pub name: String,
    pub sig: Signature,
    pub doc: Option<String>,
    pub loc: Loc,
    /// Value returned to the host when the Python function raises
    /// (annotation `on-error`); `None` = 0 / NULL / 0.0.
    pub on_error: Option<ErrorValue>,
    /// Encoding of a returned string pointer (annotation `encoding` on the
    /// function); `None` = utf-8 for `char*`.
    pub ret_encoding: Option<Encoding>,
    /// The function returns a plugin-owned handle: Python returns any object,
    /// the host gets an opaque non-null value (annotation `returns-handle`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub returns_handle: bool,
    /// The handle parameter this function releases (annotation `releases`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub releases: Option<String>,
    /// The function returns a pointer to this descriptor struct, filled from
    /// the object Python returns (annotation `returns-descriptor`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returns_descriptor: Option<String>,
    /// Declared with an explicit `extern` (`extern int pam_get_user(…);`):
    /// in a header whose other functions are not, the host's own function
    /// (see `Interface::host_declared`).
    #[serde(skip)]
    pub extern_decl: bool,
}

/// A struct the plugin fills for the host — a descriptor or vtable such as
/// `LADSPA_Descriptor` — from a Python object's attributes (annotation
/// `[structs.NAME] descriptor = true`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Descriptor {
    /// The struct's name in `Interface::structs`.
    pub name: String,
    /// Pointer fields that are arrays: (field, the integer field with their length).
    pub lengths: Vec<(String, String)>,
    /// Function-pointer fields, each implemented by a method of the object.
    pub methods: Vec<Method>,
}

/// A function-pointer field of a descriptor: the host calls it, a Python
/// method of the receiver runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Method {
    pub field: String,
    /// The Python method called (default: the field's name).
    pub name: String,
    /// The field's signature and annotations, named `Struct.field`.
    pub func: Function,
    /// The receiver parameter and what it is.
    pub receiver: usize,
    pub receiver_kind: Receiver,
}

/// What identifies the Python object a method runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Receiver {
    /// A pointer to the descriptor itself: the object it was filled from.
    Descriptor,
    /// A handle a `returns-handle` method or function gave out.
    Handle,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ErrorValue {
    Int(i64),
    Float(f64),
}

/// A function-pointer typedef (`typedef int (*Cb)(int)`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Callback {
    pub name: String,
    pub sig: Signature,
    pub doc: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    /// Empty for an anonymous struct/union member whose fields are reachable
    /// through the parent (the emitters flatten them).
    pub name: String,
    pub ty: Type,
    /// Byte offset in the parent. For a bitfield: the offset of the storage
    /// unit (its declared type, e.g. the `unsigned`) that holds all its bits,
    /// so `bits.0 - offset * 8` is the shift within that unit (in a packed
    /// record whose bitfield straddles units: the byte of its first bit).
    pub offset: usize,
    /// For bitfields: (bit offset within the parent, width in bits).
    pub bits: Option<(usize, u8)>,
    pub doc: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Struct {
    /// The name C code uses (the typedef name for `typedef struct {…} X`).
    pub name: String,
    pub is_union: bool,
    pub size: usize,
    pub align: usize,
    pub packed: bool,
    pub fields: Vec<Field>,
    pub doc: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Enum {
    pub name: String,
    /// The integer type the enum is stored as.
    pub repr: Type,
    pub members: Vec<(String, i64)>,
    pub doc: Option<String>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ConstValue {
    Int(i64),
    Float(f64),
    Str(String),
}

/// An object-like `#define` with an integer, float or string value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Constant {
    pub name: String,
    pub value: ConstValue,
    pub doc: Option<String>,
    pub loc: Loc,
}

/// Everything one header (and what it includes from the same directory) declares.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Interface {
    /// Python module name of the stubs (`bench_h` for `bench.h`).
    pub module: String,
    /// The header's file name (`bench.h`).
    #[serde(skip)]
    pub header: String,
    pub functions: Vec<Function>,
    pub structs: Vec<Struct>,
    pub enums: Vec<Enum>,
    pub callbacks: Vec<Callback>,
    pub constants: Vec<Constant>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub descriptors: Vec<Descriptor>,
    /// Python source an interface pack runs in the stub module (its
    /// authoring layer), and the `.pyi` text that types it.
    #[serde(skip)]
    pub python_layer: Option<String>,
    #[serde(skip)]
    pub python_stubs: Option<String>,
    /// Rust source an interface pack appends to the generated crate.
    #[serde(skip)]
    pub native_rust: Option<String>,
    /// What was left out or read differently, one line each (`Warning`).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
    /// What the generic path inferred (`crate::infer`), for `--explain`.
    #[serde(skip)]
    pub inferred: Vec<Inferred>,
}

impl Interface {
    pub fn struct_named(&self, name: &str) -> Option<&Struct> {
        self.structs.iter().find(|s| s.name == name)
    }
    pub fn enum_named(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.name == name)
    }
    /// The functions a plugin can export: all but variadic ones.
    pub fn exportable(&self) -> impl Iterator<Item = &Function> {
        self.functions.iter().filter(|f| !f.sig.variadic)
    }
    /// Functions the header marks as the host's: declared `extern` where
    /// some other function is not (`pam_get_user` beside `pam_sm_authenticate`).
    /// Empty when every function or none is declared `extern`.
    pub fn host_declared(&self) -> impl Iterator<Item = &Function> {
        let mixed = self.functions.iter().any(|f| f.extern_decl)
            && self.functions.iter().any(|f| !f.extern_decl);
        self.functions
            .iter()
            .filter(move |f| mixed && f.extern_decl)
    }
    pub fn function_named(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }
    pub fn descriptor_named(&self, name: &str) -> Option<&Descriptor> {
        self.descriptors.iter().find(|d| d.name == name)
    }
    /// Every descriptor method, in emission order (their runtime indices).
    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.descriptors.iter().flat_map(|d| &d.methods)
    }
}

/// The encoding of a string pointer (`char*`, or an integer pointer the
/// annotations call a string); `None` for other types.
pub fn string_encoding(ty: &Type, enc: Option<Encoding>) -> Option<Encoding> {
    let Type::Pointer { pointee, .. } = ty else {
        return None;
    };
    match (&**pointee, enc) {
        (Type::Char, e) => Some(e.unwrap_or(Encoding::Utf8)),
        (Type::Int { bits: 8, .. }, Some(e)) => Some(e),
        (Type::WChar, _) | (Type::Int { bits: 16, .. }, Some(Encoding::Utf16)) => {
            Some(Encoding::Utf16)
        }
        _ => None,
    }
}
