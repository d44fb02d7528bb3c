//! The codegen plan: everything both emitters read, computed once. The pack
//! and the annotations are loaded once, the header is read once and parsed
//! with them, and the tables the Rust crate and the `.pyi` must agree on
//! (exports, no-ops, callback signatures, Python-visible structs) are built
//! here, never by an emitter.
use crate::annotations::{self, Annotations};
use crate::error::Result;
use crate::model::{Interface, Signature, Struct, Type};
use crate::pack::Pack;
use crate::{ParseOptions, clang, model};

pub struct Plan {
    /// The interface pack (loaded once), if any.
    pub pack: Option<Pack>,
    /// The annotations file (`--annotations` or `<stem>.toml`), if any.
    pub annotations: Option<Annotations>,
    /// The header's text, as read for the pack's checks.
    pub header_text: String,
    /// The parsed header with the pack and the annotations applied.
    pub iface: Interface,
    /// Functions to export, in order; by default every exportable one.
    pub exports: Vec<String>,
    /// Functions of the host the script calls: declared, exportable, not
    /// exported (set by `build` from the script's definitions).
    pub host_fns: Vec<String>,
    /// Functions exported as no-ops (a pack's `always` the script lacks).
    pub noops: Vec<String>,
    /// Every callback signature Python can meet (see `callback_table`); an
    /// index here is the runtime's callback index.
    pub callbacks: Vec<(String, Signature)>,
    /// Per callback: how many pool trampolines its prototype gets (0: a
    /// Python callable cannot become that pointer without user data).
    pub pooled: Vec<usize>,
    /// Indices into `iface.structs` of the structs Python sees as classes
    /// (see `python_structs`); a position here is the runtime's struct index.
    python_structs: Vec<usize>,
}

impl Plan {
    /// Loads the pack `opts.pack` names (if any), then reads the plan.
    pub fn load(opts: &ParseOptions) -> Result<Plan> {
        let pack = opts.pack.as_deref().map(Pack::load).transpose()?;
        Plan::read(opts, pack)
    }

    /// Parses `opts.header` with `pack` (already loaded; `opts.pack` is not
    /// read again) and the annotations; exports every exportable function.
    pub fn read(opts: &ParseOptions, pack: Option<Pack>) -> Result<Plan> {
        let annotations = opts
            .annotations
            .as_deref()
            .map(annotations::load)
            .transpose()?;
        let header_text = std::fs::read_to_string(&opts.header).unwrap_or_default();
        let iface = parse(opts, pack.as_ref(), annotations.as_ref(), &header_text)?;
        Ok(Plan {
            pack,
            annotations,
            header_text,
            ..Plan::of(iface)
        })
    }

    /// The plan of an interface parsed already (no pack, no annotations):
    /// every exportable function exported.
    pub fn of(iface: Interface) -> Plan {
        let callbacks = callback_table(&iface);
        Plan {
            pack: None,
            annotations: None,
            header_text: String::new(),
            // A pack's native code (`[pack] rust`) makes the entry points:
            // the header's functions are the host's API then.
            exports: match iface.native_rust {
                Some(_) => vec![],
                None => iface.exportable().map(|f| f.name.clone()).collect(),
            },
            noops: vec![],
            host_fns: vec![],
            pooled: crate::callables::pooled(&iface, &callbacks),
            callbacks,
            python_structs: python_structs(&iface),
            iface,
        }
    }

    /// The host's functions the script may call: the exportable functions
    /// the plan neither exports nor stubs as no-ops, only those the header
    /// marks as the host's when it does (`Interface::host_declared`), none
    /// with a pack (its interface's functions are all the plugin's).
    pub fn unexported(&self) -> Vec<String> {
        if self.pack.is_some() {
            return vec![];
        }
        let taken = |n: &String| self.exports.contains(n) || self.noops.contains(n);
        let marked: Vec<&str> = self
            .iface
            .host_declared()
            .map(|f| f.name.as_str())
            .collect();
        self.iface
            .exportable()
            .filter(|f| marked.is_empty() || marked.contains(&f.name.as_str()))
            .map(|f| f.name.clone())
            .filter(|n| !taken(n))
            .collect()
    }

    /// The structs Python sees as classes, in the runtime's order.
    pub fn python_structs(&self) -> impl Iterator<Item = &Struct> {
        self.python_structs.iter().map(|&i| &self.iface.structs[i])
    }
}

/// The header parsed with the pack's extras and `[types]`, then the pack's
/// and the annotations' corrections, re-laid out when they change types.
fn parse(
    opts: &ParseOptions,
    pack: Option<&Pack>,
    ann: Option<&Annotations>,
    header_text: &str,
) -> Result<Interface> {
    let mut extras = pack
        .map(|p| p.extras(&opts.header, header_text))
        .unwrap_or_default();
    extras.wide_chars = opts.infer && pack.is_none();
    if let Some(a) = ann {
        for (name, ty) in &a.file.types {
            extras
                .overrides
                .insert(name.get_ref().clone(), ty.get_ref().model());
        }
    }
    let mut iface = match clang::parse_header(opts, &extras) {
        // An SDK header that defines the prelude's types itself (differently:
        // `typedef unsigned long DWORD`) conflicts with it: read it without
        // the prelude; the pack's [types] still correct those types.
        Err(first) if !extras.preludes.is_empty() => {
            let alone = clang::Extras {
                preludes: vec![],
                ..extras.clone()
            };
            clang::parse_header(opts, &alone).map_err(|_| first)?
        }
        r => r?,
    };
    // An SDK header, not the pack's own: the pack's header says what the
    // host allocates and which constants the interface has.
    let host = match pack.filter(|p| !p.is_own_header(&opts.header)) {
        Some(p) => Some(crate::parse(&ParseOptions {
            header: p.header(),
            includes: vec![],
            defines: opts.defines.clone(),
            target: opts.target.clone(),
            annotations: None,
            pack: opts.pack.clone(),
            ..Default::default()
        })?),
        None => None,
    };
    if let Some(h) = &host {
        crate::host_layout::add_constants(h, &mut iface);
    }
    if let Some(p) = pack {
        p.apply(&mut iface, opts.target.as_deref())?;
    }
    if let Some(a) = ann {
        annotations::apply(a, &mut iface)?;
    }
    if opts.infer && pack.is_none() {
        crate::infer::apply(&mut iface, ann);
    }
    let restructs = |a: &Annotations| !a.file.structs.is_empty();
    if !extras.overrides.is_empty()
        || pack.is_some_and(|p| restructs(&p.ann))
        || ann.is_some_and(restructs)
    {
        model::relayout(&mut iface, opts.target.as_deref());
    }
    if let (Some(h), Some(p)) = (&host, pack) {
        let kept = crate::host_layout::keep_records(h, p, &mut iface);
        iface.warnings.extend(kept);
        crate::host_layout::keep_rewrite_capacities(h, &mut iface);
    }
    model::check_nesting(&iface)?;
    model::check_packed_holds(&iface, opts.target.as_deref())?;
    Ok(iface)
}

/// Every callback signature Python can meet: the header's typedefs first,
/// then inline function-pointer types of parameters and struct fields (named
/// `<function>_<param>` / `<struct>_<field>`), then the prototypes of their
/// own function-pointer parameters; first occurrence wins.
fn callback_table(iface: &Interface) -> Vec<(String, Signature)> {
    let mut table: Vec<(String, Signature)> = iface
        .callbacks
        .iter()
        .map(|c| (c.name.clone(), c.sig.clone()))
        .collect();
    let mut note = |ty: &Type, name: String| {
        if let Type::FnPtr(sig) = ty {
            if !table.iter().any(|(_, s)| s == &**sig) {
                table.push((name, (**sig).clone()));
            }
        }
    };
    for f in &iface.functions {
        for p in &f.sig.params {
            note(&p.ty, format!("{}_{}", f.name, p.name));
        }
    }
    for s in &iface.structs {
        for fld in &s.fields {
            note(&fld.ty, format!("{}_{}", s.name, fld.name));
        }
    }
    crate::callables::add_nested(&mut table);
    table
}

/// The structs Python sees as classes, in interface order: all but the
/// synthesized types of anonymous members (`union { … };`), whose fields
/// Python reaches through the parent.
fn python_structs(iface: &Interface) -> Vec<usize> {
    let named_use = |name: &str| {
        let is = |t: &Type| refers_to(t, name);
        iface
            .structs
            .iter()
            .any(|s| s.fields.iter().any(|f| !f.name.is_empty() && is(&f.ty)))
            || iface.functions.iter().any(|f| sig_refers(&f.sig, name))
            || iface.callbacks.iter().any(|c| sig_refers(&c.sig, name))
    };
    let anonymous_only = |s: &Struct| {
        let unnamed_use = iface.structs.iter().any(|p| {
            p.fields
                .iter()
                .any(|f| f.name.is_empty() && f.ty == Type::Struct(s.name.clone()))
        });
        unnamed_use && !named_use(&s.name)
    };
    (0..iface.structs.len())
        .filter(|&i| !anonymous_only(&iface.structs[i]))
        .collect()
}

fn sig_refers(sig: &Signature, name: &str) -> bool {
    refers_to(&sig.ret, name) || sig.params.iter().any(|p| refers_to(&p.ty, name))
}

fn refers_to(ty: &Type, name: &str) -> bool {
    match ty {
        Type::Struct(n) => n == name,
        Type::Pointer { pointee: t, .. } | Type::Array { elem: t, .. } => refers_to(t, name),
        Type::FnPtr(sig) => sig_refers(sig, name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Loc};

    fn field(name: &str, ty: Type) -> Field {
        Field {
            name: name.into(),
            ty,
            offset: 0,
            bits: None,
            doc: None,
            loc: Loc::default(),
        }
    }

    fn record(name: &str, fields: Vec<Field>) -> Struct {
        Struct {
            name: name.into(),
            is_union: false,
            size: 8,
            align: 4,
            packed: false,
            fields,
            doc: None,
            loc: Loc::default(),
        }
    }

    const U32: Type = Type::Int {
        bits: 32,
        signed: false,
    };

    #[test]
    fn anonymous_member_types_are_not_python_classes() {
        let anon = record("R__anon0", vec![field("x", U32)]);
        let named = record("Named", vec![field("y", U32)]);
        let parent = record(
            "R",
            vec![
                field("", Type::Struct("R__anon0".into())),
                field("n", Type::Struct("Named".into())),
            ],
        );
        let iface = Interface {
            structs: vec![parent, anon, named],
            ..Default::default()
        };
        let names: Vec<&str> = python_structs(&iface)
            .into_iter()
            .map(|i| iface.structs[i].name.as_str())
            .collect();
        assert_eq!(names, ["R", "Named"]);
    }
}
