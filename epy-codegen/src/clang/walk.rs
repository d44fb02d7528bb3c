//! State shared by the converters while one translation unit is walked.
use super::files::OwnFiles;
use crate::Diagnostic;
use crate::model::{Interface, Loc, Signature};
use clang::source::File;
use clang::{Entity, EntityKind};
use std::collections::{HashMap, HashSet, VecDeque};

pub(super) struct Walk<'tu> {
    /// Which files are the header's own.
    pub files: OwnFiles<'tu>,
    /// Model names of struct/union/enum definitions: their tag, or the typedef
    /// that names an anonymous one, or a name synthesized from the parent.
    pub names: HashMap<Entity<'tu>, String>,
    /// Definitions already queued for conversion (never twice).
    pub queued: HashSet<Entity<'tu>>,
    /// Referenced or declared struct/union/enum definitions still to convert.
    pub pending: VecDeque<Entity<'tu>>,
    /// Signatures of function-pointer typedefs, by typedef declaration.
    pub fn_typedefs: HashMap<Entity<'tu>, Signature>,
    /// Source lines of files, for comments libclang does not attach (macros).
    pub sources: HashMap<File<'tu>, Vec<String>>,
    pub iface: Interface,
    pub errors: Vec<Diagnostic>,
    /// Types given by name (`[types]` of annotations or a pack), replacing
    /// the typedef of that name wherever it is used.
    pub overrides: HashMap<String, crate::model::Type>,
    /// How deep `convert` is in the type being converted.
    pub type_depth: usize,
    /// Whether the `utf16` inference applies (`wide.rs`).
    pub infer_wide: bool,
    /// Unsigned integer typedefs and their widths (`unsigned.rs`).
    pub unsigned: HashMap<String, u32>,
}

impl<'tu> Walk<'tu> {
    pub fn new(files: OwnFiles<'tu>) -> Self {
        Walk {
            files,
            names: HashMap::new(),
            queued: HashSet::new(),
            pending: VecDeque::new(),
            fn_typedefs: HashMap::new(),
            sources: HashMap::new(),
            iface: Interface::default(),
            errors: Vec::new(),
            overrides: HashMap::new(),
            type_depth: 0,
            infer_wide: false,
            unsigned: HashMap::new(),
        }
    }

    /// Queues a struct/union/enum definition for conversion (once).
    pub fn queue(&mut self, def: Entity<'tu>) {
        if self.queued.insert(def) {
            self.pending.push_back(def);
        }
    }

    /// The name an item uses in the model, if it can be given one.
    pub fn tag_name(&mut self, def: Entity<'tu>) -> Option<String> {
        if let Some(n) = self.names.get(&def) {
            return Some(n.clone());
        }
        // Anonymous tags are spelled `struct (unnamed at …)`; a named one
        // that Rust or Python cannot spell is reported when converted.
        let name = def.get_name().filter(|n| !n.contains('('))?;
        self.names.insert(def, name.clone());
        Some(name)
    }

    /// Whether `name` (of `e`, a `what`) is an identifier Rust and Python
    /// can spell; if not, reports it at `e`. Clang accepts `$` in names.
    pub fn spellable(&mut self, e: Entity<'tu>, what: &str, name: &str) -> bool {
        if is_ident(name) {
            return true;
        }
        let msg = format!(
            "{what} `{name}` is not a valid Rust/Python name (ASCII letters, digits and `_` only): rename it in the header"
        );
        self.error(loc(e), msg);
        false
    }

    /// `spellable` for a type's name, which the `.pyi` declares as a class
    /// or alias: a Python keyword (`struct None`) cannot be one.
    pub fn type_spellable(&mut self, e: Entity<'tu>, what: &str, name: &str) -> bool {
        if !self.spellable(e, what, name) {
            return false;
        }
        if !super::PY_KEYWORDS.contains(&name) {
            return true;
        }
        let msg = format!(
            "{what} `{name}` is a Python keyword, which the stubs cannot declare: rename it in the header"
        );
        self.error(loc(e), msg);
        false
    }

    /// Reports a warning (once per location and text).
    pub fn warn(&mut self, loc: Loc, message: impl Into<String>) {
        let w = crate::model::Warning::at(loc, message);
        if !self.iface.warnings.contains(&w) {
            self.iface.warnings.push(w);
        }
    }

    /// Reports an error (once: a declaration can be met more than once).
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        let d = Diagnostic::at(loc, message);
        if !self.errors.contains(&d) {
            self.errors.push(d);
        }
    }
}

/// The definition of a tag declaration, or the declaration itself.
pub(super) fn definition(decl: Entity) -> Entity {
    decl.get_definition().unwrap_or(decl)
}

/// Where `e` is declared (an empty `Loc` for compiler-made declarations).
pub(super) fn loc(e: Entity) -> Loc {
    e.get_location().and_then(super::loc_of).unwrap_or_default()
}

/// An ASCII C identifier: what Rust and Python both accept as a name.
pub(super) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The parameter declarations written directly inside `e` (for the names of
/// a function pointer's parameters).
pub(super) fn param_decls(e: Entity) -> Vec<Entity> {
    e.get_children()
        .into_iter()
        .filter(|c| c.get_kind() == EntityKind::ParmDecl)
        .collect()
}
