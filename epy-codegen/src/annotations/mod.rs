//! The annotations file (TOML, strictly parsed): what a header cannot say.
//!
//! Every key is documented in `docs/annotations.toml`.
//! Unknown keys and wrong value types are errors pointing into the file
//! (`load`); names that match nothing in the header are errors too
//! (`apply`), listing what would match.

mod apply;
mod callbacks;
mod rewrite;
mod value;

pub use value::{ConvName, EncodingName, HandleKind, OnError, ReceiverName, TypeName};

use crate::model::Loc;
use crate::{Diagnostic, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A loaded annotations file; spans are byte ranges into `source`.
#[derive(Debug, Default)]
pub struct Annotations {
    pub path: PathBuf,
    pub source: String,
    pub file: AnnotationsFile,
}

/// The file's tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotationsFile {
    /// `[pack]`: only in an interface pack's `pack.toml`.
    pub pack: Option<Spanned<PackAnn>>,
    /// `[exports]`
    pub exports: Option<ExportsAnn>,
    /// `[types]`: typedef name → what it is for the host.
    #[serde(default)]
    pub types: BTreeMap<Spanned<String>, Spanned<TypeName>>,
    /// `[structs.NAME]`
    #[serde(default)]
    pub structs: BTreeMap<Spanned<String>, StructAnn>,
    /// `[functions.NAME]`
    #[serde(default)]
    pub functions: BTreeMap<Spanned<String>, FunctionAnn>,
    /// `[callbacks.NAME]`: a function-pointer typedef, `Struct.field` or
    /// `function.param`: Python callables as pointers of that prototype.
    #[serde(default)]
    pub callbacks: BTreeMap<Spanned<String>, CallbackAnn>,
    /// `[constants]`: which constants reach the stubs.
    pub constants: Option<ConstantsAnn>,
    /// `[plugin]`: the runtime's settings (read by the plugin from the copy
    /// beside the library, see `epy-runtime/src/config.rs`); checked here so
    /// a typo fails the build.
    pub plugin: Option<PluginAnn>,
}

/// `[plugin]`: how the plugin's interpreter is made (the runtime reads it).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PluginAnn {
    pub interpreter: Option<Spanned<InterpreterName>>,
    pub venv: Option<Spanned<String>>,
    pub reload: Option<Spanned<bool>>,
    pub buffers: Option<Spanned<BuffersName>>,
}

/// `buffers = "copy" | "zero-copy"`
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BuffersName {
    Copy,
    ZeroCopy,
}

/// `interpreter = "shared" | "own-gil" | "main"`
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InterpreterName {
    Shared,
    OwnGil,
    Main,
}

/// `[pack]`: what makes an annotations file an interface pack.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackAnn {
    /// The pack's name (`--pack NAME`).
    pub name: String,
    /// One line for `--help` and listings.
    #[serde(default)]
    pub description: String,
    /// The pack's own header, relative to the pack directory.
    pub header: String,
    /// Force-included before a header that is not the pack's own (types an
    /// SDK header takes from elsewhere, such as `windows.h`).
    pub prelude: Option<String>,
    /// File name suffix of the plugin library.
    #[serde(default)]
    pub suffix: SuffixAnn,
    /// Calling convention of every export and callback, per platform.
    #[serde(default)]
    pub calling_convention: ConvAnn,
    /// How `epy-codegen HEADER` recognises a header this pack covers.
    #[serde(default)]
    pub recognise: RecogniseAnn,
    /// Python source run in the stub module before the script imports it
    /// (helpers for plugin authors), relative to the pack directory.
    pub python: Option<String>,
    /// `.pyi` text typing `python`, appended to the generated stubs.
    pub python_stubs: Option<String>,
    /// Rust source appended to the generated crate (native code the pack
    /// needs, such as entry points named after the library).
    pub rust: Option<String>,
    /// Another name scripts import the stub module by (the layer puts it
    /// in `sys.modules`; `build` writes `<alias>.pyi` re-exporting the stubs).
    pub module_alias: Option<String>,
}

/// `[pack.suffix]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SuffixAnn {
    /// Everywhere not named below (default `so`).
    pub default: Option<String>,
    /// 32-bit Windows.
    pub windows: Option<String>,
    /// 64-bit Windows.
    pub windows_64: Option<String>,
}

/// `[pack.calling-convention]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConvAnn {
    pub default: Option<Spanned<ConvName>>,
    pub windows: Option<Spanned<ConvName>>,
}

/// `[pack.recognise]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RecogniseAnn {
    /// Header file names (`wcxhead.h`).
    #[serde(default)]
    pub files: Vec<String>,
    /// Names that, all `#define`d in a header, mark it as this interface.
    #[serde(default)]
    pub defines: Vec<String>,
}

/// `[exports]`: which of the interface's functions a plugin exports.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExportsAnn {
    /// A header of prototypes (relative to this file), parsed after the
    /// user's header when that declares none of the `required` functions.
    pub declarations: Option<Spanned<String>>,
    /// The script must define every one of these.
    #[serde(default)]
    pub required: Vec<Spanned<String>>,
    /// The script must define all functions of at least one of these sets.
    #[serde(default)]
    pub one_of: Vec<Spanned<Vec<String>>>,
    /// Exported even when the script does not define them: the host gets
    /// the error value (0 for a void or int result) without Python running.
    #[serde(default)]
    pub always: Vec<Spanned<String>>,
}

/// `[structs.NAME]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StructAnn {
    /// The host lays the record out packed (no padding), whatever the header says.
    pub packed: Option<Spanned<bool>>,
    /// The plugin fills this struct for the host from a Python object.
    pub descriptor: Option<Spanned<bool>>,
    /// `[structs.NAME.fields.FIELD]`: like `[functions.NAME]`, for a
    /// descriptor's function-pointer fields (and `length` for its arrays).
    #[serde(default)]
    pub fields: BTreeMap<Spanned<String>, FunctionAnn>,
}

/// `[callbacks.NAME]`
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CallbackAnn {
    /// What a trampoline of this prototype returns when the callable raises.
    pub on_error: Option<Spanned<OnError>>,
    /// Distinct trampolines of this prototype (callables without user data
    /// the host may hold at once); 0: none.
    pub pool: Option<Spanned<usize>>,
    /// `[callbacks.NAME.params.PARAM]`
    #[serde(default)]
    pub params: BTreeMap<Spanned<String>, CallbackParamAnn>,
}

/// `[callbacks.NAME.params.PARAM]`
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CallbackParamAnn {
    /// This `void *` is (or is not) the user data the host hands back;
    /// `false` on a function pointer: its callable does not get it (a pool
    /// trampoline serves it).
    pub user_data: Option<Spanned<bool>>,
    /// How long a Python callable passed here lives: `"until:PARAM"` (the
    /// host calls the destroy callback in PARAM) or `"unload"`.
    pub keep: Option<Spanned<String>>,
}

/// `[constants]`
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConstantsAnn {
    /// Only constants whose names start with one of these reach the stubs.
    #[serde(default)]
    pub prefixes: Vec<String>,
}

/// `[functions.NAME]`: the function as a whole and its return value.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FunctionAnn {
    /// Encoding of a returned string pointer.
    pub encoding: Option<Spanned<EncodingName>>,
    /// Returned to the host when the Python function raises.
    pub on_error: Option<Spanned<OnError>>,
    /// The function returns a plugin-owned handle (any Python object).
    pub returns_handle: Option<Spanned<bool>>,
    /// After the call, the handle in this parameter is released.
    pub releases: Option<Spanned<String>>,
    /// The function returns a pointer to this descriptor struct, filled
    /// from the object Python returns.
    pub returns_descriptor: Option<Spanned<bool>>,
    /// Struct fields only: this pointer is an array as long as the named field.
    pub length: Option<Spanned<String>>,
    /// Descriptor fields only: the Python method that implements this
    /// function pointer (default: the field's name).
    pub method: Option<Spanned<String>>,
    /// `[functions.NAME.params.PARAM]`
    #[serde(default)]
    pub params: BTreeMap<Spanned<String>, ParamAnn>,
}

/// `[functions.NAME.params.PARAM]`
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ParamAnn {
    /// The pointer is a buffer of as many elements as this parameter says.
    pub length: Option<Spanned<String>>,
    /// The pointer is a string in this encoding.
    pub encoding: Option<Spanned<EncodingName>>,
    /// The parameter is a handle a `returns-handle` function returned.
    pub handle: Option<Spanned<HandleKind>>,
    /// NUL-separated strings ending with an empty one: Python gets `list[str]`.
    pub string_list: Option<Spanned<bool>>,
    /// Descriptor methods: this parameter identifies the object the method
    /// runs on.
    pub receiver: Option<Spanned<ReceiverName>>,
    /// An output string buffer whose capacity (in characters, NUL included)
    /// the named integer parameter gives; Python returns the text.
    pub capacity: Option<Spanned<String>>,
    /// A string the function may replace in place, in a buffer of this many
    /// characters (NUL included: a number or an integer constant's name).
    pub rewrite: Option<Spanned<String>>,
}

/// Applies annotations to the model; names that match nothing are errors
/// (all of them, in file order).
pub fn apply(ann: &Annotations, iface: &mut crate::model::Interface) -> Result<()> {
    let mut errors = match apply::apply(ann, iface) {
        Ok(()) => Vec::new(),
        Err(crate::Errors(e)) => e,
    };
    callbacks::apply_callbacks(ann, iface, &mut errors);
    callbacks::apply_constants(ann, iface);
    if errors.is_empty() {
        return Ok(());
    }
    errors.sort_by_key(|d| d.loc.as_ref().map(|l| (l.line, l.col)));
    Err(crate::Errors(errors))
}

/// Reads and validates an annotations file; unknown keys are errors with a location.
pub fn load(path: &Path) -> Result<Annotations> {
    let source = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::plain(format!("cannot read annotations {}: {e}", path.display()))
    })?;
    let mut ann = Annotations {
        path: path.to_path_buf(),
        source,
        file: AnnotationsFile::default(),
    };
    ann.file = toml::from_str(&ann.source).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        Diagnostic::at(ann.loc(at), e.message().trim_end()).suggest_expected()
    })?;
    Ok(ann)
}

impl Annotations {
    /// The file location of a byte offset (line and column from 1).
    pub fn loc(&self, offset: usize) -> Loc {
        let before = self.source.get(..offset).unwrap_or(&self.source);
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Loc {
            file: self.path.clone(),
            line: line as u32,
            col: col as u32,
        }
    }

    pub(crate) fn error<T>(&self, at: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.loc(at.span().start), message)
    }
}
