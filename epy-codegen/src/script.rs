//! Reading a plugin script's top-level functions (Python's own `ast`, so
//! what we see is exactly what the interpreter will define).
use crate::error::{Diagnostic, Result};
use crate::model::Loc;
use std::path::Path;
use std::process::Command;

/// A top-level name of the script that may be an export: a `def`, or a
/// name bound by `from m import f` / `f = g` (an alias).
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptFunction {
    pub name: String,
    pub loc: Loc,
    /// Bound by an import or assignment: an export when the interface
    /// declares the name, silently ignored otherwise (constants, imports).
    pub alias: bool,
}

const LISTER: &str = r#"
import ast, json, sys
path = sys.argv[1]
try:
    src = open(path, 'rb').read()
    tree = ast.parse(src, path)
except SyntaxError as e:
    print(json.dumps({"error": e.msg, "line": e.lineno or 1, "col": e.offset or 1}))
    sys.exit(0)
out = []
def note(name, n, alias):
    out.append({"name": name, "line": n.lineno, "col": n.col_offset + 1, "alias": alias})
for n in tree.body:
    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
        note(n.name, n, False)
    elif isinstance(n, ast.ImportFrom):
        for a in n.names:
            if a.name != "*":
                note(a.asname or a.name, n, True)
    elif isinstance(n, (ast.Assign, ast.AnnAssign)):
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target]):
            if isinstance(t, ast.Name):
                note(t.id, n, True)
print(json.dumps({"functions": out}))
"#;

/// Lists the script's top-level functions with `python` (the interpreter the
/// plugin is built for). A syntax error is a diagnostic at its location.
pub fn top_level_functions(script: &Path, python: &str) -> Result<Vec<ScriptFunction>> {
    if !script.is_file() {
        return Err(Diagnostic::plain(format!("{}: no such script", script.display())).into());
    }
    let out = Command::new(python)
        .args(["-I", "-c", LISTER])
        .arg(script)
        .output()
        .map_err(|e| {
            Diagnostic::plain(format!(
                "cannot run {python} to read {}: {e}",
                script.display()
            ))
        })?;
    if !out.status.success() {
        return Err(Diagnostic::plain(format!(
            "{python} failed reading {}: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
        .into());
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| Diagnostic::plain(format!("unexpected output from {python}: {e}")))?;
    let loc = |v: &serde_json::Value| Loc {
        file: script.to_path_buf(),
        line: v["line"].as_u64().unwrap_or(1) as u32,
        col: v["col"].as_u64().unwrap_or(1) as u32,
    };
    if let Some(msg) = v["error"].as_str() {
        return Err(Diagnostic::at(loc(&v), format!("syntax error: {msg}")).into());
    }
    Ok(v["functions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| ScriptFunction {
                    name: f["name"].as_str().unwrap_or_default().to_owned(),
                    loc: loc(f),
                    alias: f["alias"].as_bool().unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Names the runtime itself calls (not exports).
pub const HOOKS: &[&str] = &["shutdown"];

/// The exports for a script: its top-level functions (and aliases such as
/// `from impl import OpenArchive`) that the interface declares. Private
/// helpers (`_name`) and hooks are skipped; any other `def` the interface
/// does not declare is an error naming both lists.
pub fn select_exports(funcs: &[ScriptFunction], declared: &[String]) -> Result<Vec<String>> {
    let mut exports = Vec::new();
    let mut errors = Vec::new();
    for f in funcs {
        if f.name.starts_with('_') || HOOKS.contains(&f.name.as_str()) {
            continue;
        }
        if declared.contains(&f.name) {
            if !exports.contains(&f.name) {
                exports.push(f.name.clone());
            }
        } else if !f.alias {
            let defined: Vec<&str> = funcs
                .iter()
                .filter(|f| !f.alias)
                .map(|f| f.name.as_str())
                .collect();
            errors.push(Diagnostic::at(
                f.loc.clone(),
                format!(
                    "`{}` is not a function of the interface (name private helpers `_{}`)\n  the script defines: {}\n  the interface declares: {}",
                    f.name,
                    f.name,
                    defined.join(", "),
                    declared.join(", ")
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(crate::Errors(errors));
    }
    if exports.is_empty() {
        return Err(Diagnostic::plain(format!(
            "the script defines none of the interface's functions: {}",
            declared.join(", ")
        ))
        .into());
    }
    Ok(exports)
}
