//! `epy-codegen new NAME --pack PACK | --header H`: a small typed starter
//! script `NAME/NAME.py` that builds and passes `mypy --strict` as written.
//!
//! A pack may ship `starter.py`, a template with `@NAME@` (the plugin's
//! name), `@MODULE@` (the stub module to import) and `@DOC(Function)@` (the
//! header's doc comment of that function); without one every function the
//! header declares gets a typed stub that raises `NotImplementedError`.
use crate::error::{Diagnostic, Result};
use crate::model::Interface;
use crate::pack::Pack;
use crate::plan::Plan;
use std::path::{Path, PathBuf};

/// What `new` wrote and what to run next.
pub struct Started {
    pub script: PathBuf,
    pub next: String,
}

/// Writes `dir/NAME/NAME.py` for the plan's interface (and pack, if any).
pub fn new_plugin(name: &str, dir: &Path, plan: &Plan, header: &Path) -> Result<Started> {
    let (iface, pack) = (&plan.iface, plan.pack.as_ref());
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(Diagnostic::plain(format!(
            "`{name}` cannot be a plugin name: the script is imported as a Python module, so use letters, digits and _ (e.g. `{}`)",
            crate::builder::identifier(name)
        ))
        .into());
    }
    if name == iface.module {
        return Err(Diagnostic::plain(format!(
            "`{name}` is the name of the stub module the script imports: choose another plugin name"
        ))
        .into());
    }
    let folder = dir.join(name);
    let script = folder.join(format!("{name}.py"));
    if script.exists() {
        return Err(Diagnostic::plain(format!(
            "{} exists already: `new` never overwrites (remove it or choose another name)",
            script.display()
        ))
        .into());
    }
    let template = pack
        .map(|p| p.dir.join("starter.py"))
        .filter(|p| p.is_file());
    let text = match &template {
        Some(t) => {
            let text = std::fs::read_to_string(t)
                .map_err(|e| Diagnostic::plain(format!("{}: {e}", t.display())))?;
            fill(&text, name, iface)
        }
        None => generic(name, plan, header),
    };
    std::fs::create_dir_all(&folder)
        .map_err(|e| Diagnostic::plain(format!("{}: {e}", folder.display())))?;
    std::fs::write(&script, text)
        .map_err(|e| Diagnostic::plain(format!("{}: {e}", script.display())))?;
    let build = match pack {
        Some(p) => format!("--pack {}", p.name()),
        None => format!("--header {}", header.display()),
    };
    let suffix = pack.map_or("so".into(), |p| p.suffix(None));
    let register = match pack.map(Pack::name) {
        Some("wcx") => format!(
            "  epy-codegen install {name}.{suffix} --host doublecmd   # register it in Double Commander\n"
        ),
        Some("wfx") => format!(
            "  # then in Double Commander: Options > Plugins > File system plugins (WFX) > Add {name}.{suffix}\n"
        ),
        Some("wdx") => format!(
            "  # Double Commander: Options > Plugins > Content plugins (WDX) > Add {name}.{suffix}, then a column [Plugin({name}).FIELD{{}}]\n"
        ),
        Some("ladspa") => format!(
            "  applyplugin in.wav out.wav ./{name}.{suffix} {name} 0.5   # try it (LADSPA_PATH=$PWD for other hosts)\n"
        ),
        Some("sqlite") => format!(
            "  sqlite3 :memory: '.load ./{name}' \"select {name}_upper('hi')\"   # try it\n"
        ),
        _ => format!("  # load {name}.{suffix} in your host\n"),
    };
    let next = format!(
        "next:\n  cd {dir}\n  epy-codegen build {name}.py {build}   # -> {name}.{suffix}, and {module}.pyi for your editor\n  python3 -m mypy --strict {name}.py   # type-check against {module}.pyi\n{register}\
         A Python exception never reaches the host: the export returns its error value and the\n\
         traceback goes to stderr and {name}.log beside the library. Optional settings: create\n\
         {name}.toml beside the script with a [plugin] table (interpreter, venv, reload); build copies it.",
        dir = folder.display(),
        // What the script imports: the pack's second name for the stub
        // module if it has one (`sqlite`, whose stubs are `sqlite.pyi`).
        module = pack.and_then(Pack::module_alias).unwrap_or(&iface.module),
    );
    Ok(Started { script, next })
}

/// The pack's template with its placeholders filled.
fn fill(template: &str, name: &str, iface: &Interface) -> String {
    let mut out = template
        .replace("@NAME@", name)
        .replace("@MODULE@", &iface.module);
    while let Some(at) = out.find("@DOC(") {
        let Some(end) = out[at..].find(")@").map(|e| at + e) else {
            break;
        };
        let func = out[at + 5..end].to_owned();
        out.replace_range(at..end + 2, &doc_of(iface, &func));
    }
    out
}

/// The header's doc comment of `func`, or of the function it is a variant
/// of (`ReadHeaderExW` → `ReadHeaderEx` → `ReadHeader`), as docstring text.
fn doc_of(iface: &Interface, func: &str) -> String {
    let mut name = func;
    loop {
        if let Some(doc) = iface.function_named(name).and_then(|f| f.doc.as_deref()) {
            return doc
                .trim()
                .replace('\\', "\\\\")
                .replace("\"\"\"", "\\\"\\\"\\\"")
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n    ");
        }
        match name.strip_suffix('W').or_else(|| name.strip_suffix("Ex")) {
            Some(shorter) => name = shorter,
            None => return format!("`{func}` of {}: TODO.", iface.module),
        }
    }
}

/// Every function of the header as a typed stub that raises until written.
fn generic(name: &str, plan: &Plan, header: &Path) -> String {
    let iface = &plan.iface;
    // The host's own functions are the script's to call, not to define.
    let host: Vec<&str> = iface.host_declared().map(|f| f.name.as_str()).collect();
    let sigs: Vec<_> = crate::emit::python::signatures(plan)
        .into_iter()
        .filter(|(f, _, _)| !host.contains(&f.as_str()))
        .collect();
    let mut own: Vec<String> = iface
        .structs
        .iter()
        .map(|s| s.name.clone())
        // Every callback name the stubs declare, inline ones too (`f_param`).
        .chain(plan.callbacks.iter().map(|(n, _)| n.clone()))
        .chain(iface.enums.iter().map(|e| e.name.clone()))
        .collect();
    own.sort();
    own.dedup();
    let words: Vec<&str> = sigs
        .iter()
        .flat_map(|(_, p, r)| {
            p.split(|c: char| !c.is_alphanumeric() && c != '_')
                .chain(r.split(|c: char| !c.is_alphanumeric() && c != '_'))
        })
        .collect();
    let used: Vec<&String> = own.iter().filter(|n| words.contains(&n.as_str())).collect();
    let mut out = format!(
        "\"\"\"{name}: a plugin for {} written in Python.\n\n\
         Made by `epy-codegen new {name} --header ...`: every function of the header is here,\n\
         raising until you write it (TODO). Delete the ones your host does not need.\n\"\"\"\n\n",
        header
            .file_name()
            .map(|f| f.to_string_lossy())
            .unwrap_or_default()
    );
    let mut imports = Vec::new();
    if words.contains(&"Callable") {
        imports.push("from collections.abc import Callable".to_owned());
    }
    if words.contains(&"Any") {
        imports.push("from typing import Any".to_owned());
    }
    if !imports.is_empty() {
        out += &(imports.join("\n") + "\n\n");
    }
    if !used.is_empty() {
        let names: Vec<&str> = used.iter().map(|s| s.as_str()).collect();
        out += &format!("from {} import {}\n", iface.module, names.join(", "));
    }
    if !host.is_empty() {
        out += &format!(
            "\n# The host's functions this script may call (see {}.pyi once built):\n# from {} import {}\n",
            iface.module,
            iface.module,
            host.join(", ")
        );
    }
    for (f, params, ret) in &sigs {
        let params = if params.is_empty() {
            String::new()
        } else {
            format!("{params}, /")
        };
        out += &format!(
            "\n\ndef {f}({params}) -> {ret}:\n    \"\"\"{}\"\"\"\n    raise NotImplementedError(\"TODO: {f}\")\n",
            doc_of(iface, f)
        );
    }
    out
}
