//! Interface packs: `interfaces/<name>/pack.toml` plus the pack's header.
//!
//! A pack is an annotations file with a `[pack]` table: what a host expects
//! that its header cannot say (every key is documented in
//! `interfaces/README.md`). `locate` names one's directory, `find` loads it,
//! `recognise` finds the pack that covers a header, `extras` says what to
//! parse around a header that is not the pack's own.
use crate::annotations::{self, Annotations, ConvName, ExportsAnn, PackAnn};
use crate::clang::Extras;
use crate::error::{Diagnostic, Result};
use crate::model::{CallConv, Interface};
use crate::triple;
use std::path::{Path, PathBuf};

pub struct Pack {
    pub dir: PathBuf,
    pub ann: Annotations,
}

/// `EPY_INTERFACES`, else the packs this binary ships (see `embedded`).
pub fn packs_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("EPY_INTERFACES") {
        return PathBuf::from(d);
    }
    match crate::embedded::shipped_root() {
        Ok(root) => root.join("interfaces"),
        Err(e) => {
            e.eprint();
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../interfaces")
        }
    }
}

/// Every pack in `packs_dir()`, by name.
pub fn available() -> Vec<Pack> {
    loadable().collect()
}

/// The packs in `packs_dir()`, by name, each loaded when asked for.
fn loadable() -> impl Iterator<Item = Pack> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(packs_dir())
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.into_iter()
        .filter(|d| d.join("pack.toml").is_file())
        .filter_map(|d| Pack::load(&d).ok())
}

/// The pack named `name_or_dir` (in `packs_dir()`), or the pack in that directory.
pub fn find(name_or_dir: &str) -> Result<Pack> {
    Pack::load(&locate(name_or_dir)?)
}

/// The directory of the pack `name_or_dir` names, without loading it (the
/// plan loads it once).
pub fn locate(name_or_dir: &str) -> Result<PathBuf> {
    let as_dir = Path::new(name_or_dir);
    if as_dir.join("pack.toml").is_file() {
        return Ok(as_dir.to_path_buf());
    }
    let named = packs_dir().join(name_or_dir);
    if !name_or_dir.contains('/') && named.join("pack.toml").is_file() {
        return Ok(named);
    }
    let names: Vec<String> = available().iter().map(|p| p.name().to_owned()).collect();
    Err(Diagnostic::plain(format!(
        "no interface pack `{name_or_dir}` (a name in {} or a directory with a pack.toml)",
        packs_dir().display(),
    ))
    .suggest(name_or_dir, &names)
    .note(format!(
        "packs: {}",
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    ))
    .into())
}

/// The pack covering `header`: its own header, a header with a file name
/// the pack lists, or one that `#define`s every name the pack lists. Packs
/// are loaded one by one until one covers it.
pub fn recognise(header: &Path) -> Option<Pack> {
    let name = header.file_name()?.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(header).unwrap_or_default();
    loadable().find(|p| {
        let r = &p.meta().recognise;
        p.is_own_header(header)
            || r.files.contains(&name)
            || (!r.defines.is_empty() && r.defines.iter().all(|d| defines(&text, d)))
    })
}

/// Whether `text` has a `#define NAME`.
fn defines(text: &str, name: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        l.strip_prefix('#')
            .map(str::trim_start)
            .and_then(|l| l.strip_prefix("define"))
            .and_then(|l| l.split_whitespace().next())
            .is_some_and(|n| n == name)
    })
}

impl Pack {
    pub fn load(dir: &Path) -> Result<Pack> {
        let ann = annotations::load(&dir.join("pack.toml"))?;
        if ann.file.pack.is_none() {
            return Err(Diagnostic::at(
                ann.loc(0),
                "a pack.toml needs a [pack] table (name, header)",
            )
            .into());
        }
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let pack = Pack { dir, ann };
        let header = pack.header();
        if !header.is_file() {
            let span = pack.ann.file.pack.as_ref().map_or(0, |p| p.span().start);
            return Err(Diagnostic::at(
                pack.ann.loc(span),
                format!("the pack's header {} does not exist", header.display()),
            )
            .into());
        }
        Ok(pack)
    }

    /// The other name scripts import the stub module by (`[pack] module-alias`).
    pub fn module_alias(&self) -> Option<&str> {
        self.meta().module_alias.as_deref()
    }

    pub fn meta(&self) -> &PackAnn {
        self.ann
            .file
            .pack
            .as_ref()
            .map(|p| p.get_ref())
            .expect("checked in load")
    }

    pub fn name(&self) -> &str {
        &self.meta().name
    }

    /// The pack's Python layer file, if it has one.
    pub fn layer_path(&self) -> Option<PathBuf> {
        self.meta().python.as_ref().map(|rel| self.dir.join(rel))
    }

    /// The exports the pack's layer defines (a script exports them by
    /// importing them: wdx's `ContentGetValueW`, wfx's `FsFindNextW`).
    pub fn layer_exports(&self) -> Vec<String> {
        crate::layer_exports::defined(self.layer_path().as_deref())
    }

    /// The pack's own header.
    pub fn header(&self) -> PathBuf {
        self.dir.join(&self.meta().header)
    }

    pub fn exports(&self) -> Option<&ExportsAnn> {
        self.ann.file.exports.as_ref()
    }

    pub(crate) fn is_own_header(&self, header: &Path) -> bool {
        header.canonicalize().ok() == self.header().canonicalize().ok()
    }

    /// The library suffix for `target` (`wcx`, `wcx64`, …).
    pub fn suffix(&self, target: Option<&str>) -> String {
        let s = &self.meta().suffix;
        let t = triple::of(target);
        let (windows, wide) = (triple::is_windows(&t), !triple::is_x86_32(&t));
        let pick = match (windows, wide) {
            (true, true) => s.windows_64.as_ref().or(s.windows.as_ref()),
            (true, false) => s.windows.as_ref(),
            _ => None,
        };
        pick.or(s.default.as_ref())
            .cloned()
            .unwrap_or_else(|| "so".into())
    }

    /// What to parse around `header`: the prelude and the export declarations
    /// for a header that is not the pack's own (`text`), the `[types]` always.
    pub fn extras(&self, header: &Path, text: &str) -> Extras {
        let mut ex = Extras::default();
        for (name, ty) in &self.ann.file.types {
            ex.overrides
                .insert(name.get_ref().clone(), ty.get_ref().model());
        }
        if self.is_own_header(header) {
            return ex;
        }
        if let Some(p) = &self.meta().prelude {
            ex.preludes.push(self.dir.join(p));
        }
        if let Some(exports) = self.exports() {
            let declared = exports.required.iter().any(|f| declares(text, f.get_ref()));
            if let (false, Some(decls)) = (declared, &exports.declarations) {
                ex.after.push(self.dir.join(decls.get_ref()));
            }
        }
        ex
    }

    /// The pack's annotations and calling convention, on a parsed header.
    pub fn apply(&self, iface: &mut Interface, target: Option<&str>) -> Result<()> {
        annotations::apply(&self.ann, iface)?;
        let read = |rel: &String| {
            let path = self.dir.join(rel);
            std::fs::read_to_string(&path).map_err(|e| {
                crate::Errors::from(Diagnostic::plain(format!("{}: {e}", path.display())))
            })
        };
        if let Some(p) = &self.meta().python {
            iface.python_layer = Some(read(p)?);
        }
        if let Some(p) = &self.meta().python_stubs {
            iface.python_stubs = Some(read(p)?);
        }
        if let Some(p) = &self.meta().rust {
            iface.native_rust = Some(read(p)?);
        }
        let c = &self.meta().calling_convention;
        let windows = triple::is_windows(&triple::of(target));
        let conv = if windows { c.windows.as_ref() } else { None }.or(c.default.as_ref());
        if let Some(conv) = conv {
            let conv = match conv.get_ref() {
                ConvName::Cdecl => CallConv::C,
                ConvName::Stdcall => CallConv::Stdcall,
            };
            // (Stdcall is `extern "system"`: the C convention except on 32-bit Windows.)
            for f in &mut iface.functions {
                f.sig.conv = conv;
            }
            for c in &mut iface.callbacks {
                c.sig.conv = conv;
            }
        }
        Ok(())
    }
}

/// Whether `text` declares function `name` (a prototype `name(`).
fn declares(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].trim_start();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after.starts_with('(')
    })
}

impl Pack {
    /// Checks the script's exports against `[exports]` (a missing required
    /// function is an error naming it) and returns the `always` functions
    /// the script lacks, to export as no-ops.
    pub fn check_exports(&self, script: &Path, exports: &[String]) -> Result<Vec<String>> {
        let Some(rules) = self.exports() else {
            return Ok(vec![]);
        };
        let has = |n: &String| exports.contains(n);
        let mut problems = Vec::new();
        // What to import from the layer: the required ones, then the last
        // one-of set the layer completes (the wide set comes last).
        let mut missing = Vec::new();
        for r in &rules.required {
            if !has(r.get_ref()) {
                problems.push(format!("`{}` is required", r.get_ref()));
                missing.push(r.get_ref().clone());
            }
        }
        if !rules.one_of.is_empty() && !rules.one_of.iter().any(|set| set.get_ref().iter().all(has))
        {
            let sets: Vec<String> = rules
                .one_of
                .iter()
                .map(|set| {
                    let missing: Vec<&str> = set
                        .get_ref()
                        .iter()
                        .filter(|n| !has(n))
                        .map(String::as_str)
                        .collect();
                    format!(
                        "{} (missing {})",
                        set.get_ref().join(" + "),
                        missing.join(", ")
                    )
                })
                .collect();
            problems.push(format!(
                "one of these sets is required: {}",
                sets.join("; or ")
            ));
            let layer = self.layer_exports();
            if let Some(set) = rules
                .one_of
                .iter()
                .rev()
                .find(|set| set.get_ref().iter().any(|n| !has(n) && layer.contains(n)))
            {
                missing.extend(set.get_ref().iter().filter(|n| !has(n)).cloned());
            }
        }
        if !problems.is_empty() {
            if let Some(hint) = crate::layer_exports::import_hint(
                self.layer_path().as_deref(),
                self.name(),
                &self.header(),
                &missing,
            ) {
                let d = Diagnostic::plain(format!(
                    "{}: the `{}` interface needs functions the script neither defines nor imports",
                    script.display(),
                    self.name(),
                ));
                return Err(problems
                    .into_iter()
                    .fold(d, Diagnostic::note)
                    .help(hint)
                    .into());
            }
            let d = Diagnostic::plain(format!(
                "{}: the `{}` interface needs functions the script does not define",
                script.display(),
                self.name(),
            ));
            let d = problems.into_iter().fold(d, Diagnostic::note);
            return Err(d
                .help(format!(
                    "define them as top-level functions (their signatures are in the stubs' `Exports`; \
                     `epy-codegen new NAME --pack {}` writes a starter that has them)",
                    self.name()
                ))
                .into());
        }
        Ok(rules
            .always
            .iter()
            .map(|n| n.get_ref().clone())
            .filter(|n| !has(n))
            .collect())
    }
}
