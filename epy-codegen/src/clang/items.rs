//! The walk over a translation unit: functions, callback typedefs, tag
//! declarations and constants of the header's own files, in source order;
//! then every struct/enum they reference (wherever it is declared).
use super::docs;
use super::files::{OwnFiles, file_of};
use super::macros::{self, Val};
use super::walk::{Walk, definition, loc};
use crate::model::{Callback, ConstValue, Constant, Function, Interface};
use crate::{Diagnostic, Errors, Result};
use clang::{Entity, EntityKind, StorageClass, TranslationUnit, TypeKind};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub(super) fn convert(
    tu: &TranslationUnit,
    main: &Path,
    roots: &[PathBuf],
    dirs: &super::include_dirs::UserDirs,
    extras: &super::Extras,
) -> Result<Interface> {
    let top = tu.get_entity().get_children();
    let main = tu
        .get_file(main)
        .ok_or_else(|| Diagnostic::plain(format!("libclang lost {}", main.display())))?;
    let adopted = match roots {
        [] => super::wrapper::included(main, &top),
        _ => None,
    };
    let roots = adopted.as_deref().unwrap_or(roots);
    let mut cx = Walk::new(OwnFiles::new(main, roots, dirs, &top));
    cx.overrides = extras.overrides.clone();
    cx.infer_wide = extras.wide_chars;
    cx.unsigned = super::unsigned::typedefs(&top);
    if let Some(files) = &adopted {
        let list: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        let msg = format!(
            "{} declares nothing itself: reading the headers it includes ({})",
            main.get_path().display(),
            list.join(", ")
        );
        cx.warn(crate::model::Loc::default(), msg);
    }
    // Typedef names first: `typedef struct _X {…} X;` and `typedef struct
    // {…} X;` are `X` in C code (and declare the struct before its name).
    let mut type_names = HashSet::new();
    for e in top
        .iter()
        .filter(|e| e.get_kind() == EntityKind::TypedefDecl)
    {
        let Some(name) = e.get_name() else { continue };
        if let Some(def) = typedef_tag(*e) {
            if def.get_name().as_ref() == Some(&name) {
                cx.names.insert(def, name.clone()); // `typedef struct X X;` wins
            } else {
                cx.names.entry(def).or_insert_with(|| name.clone());
            }
        }
        type_names.insert(name);
    }
    let mut env = HashMap::new();
    // Functions declared only in included files (the host's), and the
    // names the header itself or a root declares.
    let (mut included, mut declared_here) = (HashSet::new(), HashSet::new());
    for e in top {
        let own = cx.files.is_own(e);
        match e.get_kind() {
            // Foreign macros (system headers, `-D`) may be used by ours.
            EntityKind::MacroDefinition => cx.constant(e, own, &mut env, &type_names),
            _ if !own => {}
            EntityKind::FunctionDecl => {
                cx.function(e);
                let name = e.get_name().unwrap_or_default();
                if cx.files.is_included(e) {
                    included.insert(name);
                } else {
                    declared_here.insert(name);
                }
            }
            EntityKind::VarDecl => cx.variable(e),
            EntityKind::TypedefDecl => cx.callback(e),
            EntityKind::StructDecl | EntityKind::UnionDecl | EntityKind::EnumDecl
                if e.is_definition() =>
            {
                cx.tag_decl(e, &mut env)
            }
            _ => {}
        }
    }
    cx.drain();
    cx.iface.included = cx
        .iface
        .functions
        .iter()
        .map(|f| f.name.clone())
        .filter(|n| included.contains(n) && !declared_here.contains(n))
        .collect();
    if cx.errors.is_empty() {
        Ok(cx.iface)
    } else {
        Err(Errors(cx.errors))
    }
}

/// The struct/union/enum definition a typedef names directly.
fn typedef_tag(typedef: Entity) -> Option<Entity> {
    let mut ty = typedef.get_typedef_underlying_type()?;
    while ty.get_kind() == TypeKind::Elaborated {
        ty = ty.get_elaborated_type()?;
    }
    if !matches!(ty.get_kind(), TypeKind::Record | TypeKind::Enum) {
        return None;
    }
    Some(definition(ty.get_declaration()?))
}

impl<'tu> Walk<'tu> {
    fn function(&mut self, e: Entity<'tu>) {
        // `static inline` helpers are the header's own code, not exports.
        if e.get_storage_class() == Some(StorageClass::Static) {
            return;
        }
        let (Some(name), Some(ty)) = (e.get_name(), e.get_type()) else {
            return;
        };
        if let Some(f) = self.iface.functions.iter_mut().find(|f| f.name == name) {
            f.doc = f.doc.take().or_else(|| docs::of(e)); // a redeclaration
            return;
        }
        if !self.spellable(e, "function", &name) {
            return;
        }
        if ty.get_canonical_type().get_kind() == TypeKind::FunctionNoPrototype {
            let msg = format!(
                "function `{name}` has no prototype (K&R `()`): left out of the exports; declare it `{name}(void)` or with its parameters in a header of your own"
            );
            return self.warn(loc(e), msg);
        }
        let takes_va_list = ty
            .get_argument_types()
            .is_some_and(|args| args.into_iter().any(super::va_list::is_va_list));
        if takes_va_list {
            let msg = format!(
                "function `{name}` takes a `va_list`: left out (Python cannot build C varargs)"
            );
            return self.warn(loc(e), msg);
        }
        let decls = super::named::param_decls_of(e, ty);
        match self.signature(ty, &decls) {
            Ok(sig) => {
                if sig.variadic {
                    let msg = format!(
                        "function `{name}` is variadic (`...`): left out of the exports (a Python function cannot take C varargs)"
                    );
                    self.warn(loc(e), msg);
                }
                self.iface.functions.push(Function {
                    name,
                    sig,
                    doc: docs::of(e),
                    loc: loc(e),
                    on_error: None,
                    ret_encoding: None,
                    returns_handle: false,
                    releases: None,
                    returns_descriptor: None,
                    extern_decl: e.get_storage_class() == Some(StorageClass::Extern),
                })
            }
            Err(t) => self.error(
                loc(e),
                format!("function `{name}` uses unsupported type {t}"),
            ),
        }
    }

    /// A variable (`extern int debug_level;`): not something a plugin
    /// exports or Python reaches; said, not dropped silently.
    fn variable(&mut self, e: Entity<'tu>) {
        let Some(name) = e.get_name() else { return };
        let msg = format!("`{name}` is a variable: left out (a plugin exports functions only)");
        self.warn(loc(e), msg);
    }

    /// A typedef of a function pointer (or function) type is a `Callback`.
    fn callback(&mut self, e: Entity<'tu>) {
        let Some(name) = e.get_name() else { return };
        match self.fn_typedef(e) {
            Ok(Some(_)) if !self.type_spellable(e, "callback type", &name) => {}
            Ok(Some(sig)) if !self.iface.callbacks.iter().any(|c| c.name == name) => {
                self.iface.callbacks.push(Callback {
                    name,
                    sig,
                    doc: docs::of(e),
                    loc: loc(e),
                })
            }
            Ok(_) => {}
            Err(t) => self.error(
                loc(e),
                format!("callback type `{name}` uses unsupported type {t}"),
            ),
        }
    }

    /// A struct/union/enum definition at file scope. The enumerators of an
    /// unnamed enum (`enum { MAX_ITEMS = 8 };`) are constants.
    fn tag_decl(&mut self, e: Entity<'tu>, env: &mut HashMap<String, Val>) {
        let named = self.tag_name(e).is_some();
        if named {
            self.queue(e);
        }
        if e.get_kind() != EntityKind::EnumDecl {
            return;
        }
        for c in e
            .get_children()
            .into_iter()
            .filter(|c| c.get_kind() == EntityKind::EnumConstantDecl)
        {
            let (Some(name), Some((value, _))) = (c.get_name(), c.get_enum_constant_value()) else {
                continue;
            };
            env.insert(name.clone(), Val::Int(value.into()));
            if !named && self.spellable(c, "enumerator", &name) {
                let (value, doc, loc) = (ConstValue::Int(value), docs::of(c), loc(c));
                self.iface.constants.push(Constant {
                    name,
                    value,
                    doc,
                    loc,
                });
            }
        }
    }

    /// An object-like macro with a constant value: a `Constant` when it is
    /// the header's own, in any case a name later macros may use.
    fn constant(
        &mut self,
        e: Entity<'tu>,
        own: bool,
        env: &mut HashMap<String, Val>,
        types: &HashSet<String>,
    ) {
        if e.is_function_like_macro() || e.is_builtin_macro() {
            return;
        }
        let (Some(name), Some(range)) = (e.get_name(), e.get_range()) else {
            return;
        };
        let tokens: Vec<_> = range
            .tokenize()
            .iter()
            .map(|t| (t.get_kind(), t.get_spelling()))
            .collect();
        let Some(((_, first), body)) = tokens.split_first() else {
            return;
        };
        if *first != name {
            return;
        }
        let Some(val) = macros::eval_typed(body, env, types, &self.unsigned) else {
            return;
        };
        env.insert(name.clone(), val.clone());
        if !own || !self.spellable(e, "constant", &name) {
            return;
        }
        let value = match val {
            // Beyond i64 (`0xFFFFFFFFFFFFFFFF`): the same 64 bits.
            // Beyond i64 (`0xFFFFFFFFFFFFFFFF`, `(~(lua_Unsigned)0)`): unsigned.
            Val::Int(i) => match (i64::try_from(i), u64::try_from(i)) {
                (Ok(v), _) => ConstValue::Int(v),
                (_, Ok(u)) => ConstValue::UInt(u),
                _ => return,
            },
            Val::Float(f) => ConstValue::Float(f),
            Val::Str(s) => ConstValue::Str(s),
        };
        let at = loc(e);
        let doc = self.macro_doc(e, at.line);
        self.iface.constants.retain(|c| c.name != name); // redefined after #undef
        self.iface.constants.push(Constant {
            name,
            value,
            doc,
            loc: at,
        });
    }

    fn macro_doc(&mut self, e: Entity<'tu>, line: u32) -> Option<String> {
        let file = file_of(e)?;
        // Read here, not with `File::get_contents`, which panics on text
        // that is not UTF-8 (a comment in Latin-1).
        let lines = self.sources.entry(file).or_insert_with(|| {
            std::fs::read(file.get_path())
                .map(|text| {
                    String::from_utf8_lossy(&text)
                        .lines()
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        });
        docs::above_or_after(lines, line)
    }
}
