//! Reading a plugin script's top-level functions (Python's own `ast`, so
//! what we see is exactly what the interpreter will define).
use crate::error::{Diagnostic, Result};
use crate::model::{Interface, Loc, Role};
use std::path::Path;
use std::process::Command;

/// A top-level name of the script that may be an export: a `def`, or a
/// name bound by `from m import f` / `f = g` or a decorated `def` (an alias).
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptFunction {
    pub name: String,
    pub loc: Loc,
    /// Bound by an import or assignment: an export when the interface
    /// declares the name, silently ignored otherwise (constants, imports).
    pub alias: bool,
    /// The parameters of an undecorated `def` (`None` for an alias).
    pub arity: Option<Arity>,
    /// The module of `from m import f` (`None` otherwise).
    pub from: Option<String>,
}

/// A `def`'s parameters, as far as a positional call cares.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Arity {
    /// Positional parameters (positional-only included).
    pub positional: usize,
    /// How many of them have defaults.
    pub defaults: usize,
    /// `*args`.
    pub varargs: bool,
    /// Keyword-only parameters without a default.
    pub kwonly_required: usize,
}

impl Arity {
    /// Whether a call with `n` positional arguments binds.
    pub fn accepts(&self, n: usize) -> bool {
        self.kwonly_required == 0
            && self.positional - self.defaults <= n
            && (self.varargs || n <= self.positional)
    }
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
def note(name, n, alias, arity=None, source=None):
    out.append({"name": name, "line": n.lineno, "col": n.col_offset + 1, "alias": alias,
                "arity": arity, "from": source})
for n in tree.body:
    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.decorator_list:
        note(n.name, n, True)  # binds what its decorator returns: an alias
    elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
        a = n.args
        # A decorated def is what its decorator makes it (e.g. a pack's @field):
        # like an assignment, an export only when the interface declares it.
        note(n.name, n, bool(n.decorator_list), None if n.decorator_list else
             [len(a.posonlyargs) + len(a.args), len(a.defaults), a.vararg is not None,
              a.kw_defaults.count(None)])
    elif isinstance(n, ast.ImportFrom):
        for a in n.names:
            if a.name != "*":
                note(a.asname or a.name, n, True, source=n.module if n.level == 0 else None)
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
                    from: f["from"].as_str().map(str::to_owned),
                    arity: f["arity"].as_array().map(|a| {
                        let n = |i: usize| a.get(i).and_then(|v| v.as_u64()).unwrap_or(0) as usize;
                        Arity {
                            positional: n(0),
                            defaults: n(1),
                            varargs: a.get(2).and_then(|v| v.as_bool()).unwrap_or(false),
                            kwonly_required: n(3),
                        }
                    }),
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
            errors.push(
                Diagnostic::at(
                    f.loc.clone(),
                    format!(
                        "`{}` is not a function of the interface (name private helpers `_{}`)",
                        f.name, f.name,
                    ),
                )
                .label("not in the interface")
                .suggest(&f.name, declared)
                .note(format!("the script defines: {}", defined.join(", ")))
                .note(format!("the interface declares: {}", declared.join(", "))),
            );
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

/// Every exported `def` must take the arguments the host's call passes (one
/// per C parameter except output buffers, which it returns); an error at the
/// `def` otherwise, quoting the header's declaration.
pub fn check_arity(funcs: &[ScriptFunction], exports: &[String], iface: &Interface) -> Result<()> {
    let mut errors = Vec::new();
    for f in funcs.iter().filter(|f| exports.contains(&f.name)) {
        let (Some(arity), Some(decl)) = (&f.arity, iface.function_named(&f.name)) else {
            continue;
        };
        let passed: Vec<&str> = decl
            .sig
            .params
            .iter()
            .filter(|p| !matches!(p.role, Some(Role::Output { .. })))
            .map(|p| p.name.as_str())
            .collect();
        if arity.accepts(passed.len()) {
            continue;
        }
        let takes = match (arity.positional - arity.defaults, arity.positional) {
            _ if arity.kwonly_required > 0 => "required keyword-only parameters".to_owned(),
            (lo, _) if arity.varargs => format!("{lo} or more parameters"),
            (lo, hi) if lo == hi => format!("{lo} parameter{}", if lo == 1 { "" } else { "s" }),
            (lo, hi) => format!("{lo} to {hi} parameters"),
        };
        let outputs = if passed.len() < decl.sig.params.len() {
            " (output buffers are returned, not passed)"
        } else {
            ""
        };
        errors.push(
            Diagnostic::at(
                f.loc.clone(),
                format!(
                    "`{}` takes {takes}, but the host calls it with {}: ({}){outputs}",
                    f.name,
                    passed.len(),
                    passed.join(", "),
                ),
            )
            .label(format!("the host passes {}", passed.len()))
            .note(format!(
                "declared at {}: {}",
                decl.loc,
                declaration(&decl.loc)
            )),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::Errors(errors))
    }
}

/// The header's text of the declaration at `loc`, up to its `;` (joined
/// onto one line).
fn declaration(loc: &Loc) -> String {
    let Ok(text) = std::fs::read_to_string(&loc.file) else {
        return String::new();
    };
    let mut out = String::new();
    for line in text
        .lines()
        .skip(loc.line.saturating_sub(1) as usize)
        .take(10)
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line.trim());
        if let Some(end) = out.find(';') {
            out.truncate(end + 1);
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Arity;

    #[test]
    fn arity_accepts_defaults_and_varargs_that_fit() {
        let a = |positional, defaults, varargs, kwonly_required| Arity {
            positional,
            defaults,
            varargs,
            kwonly_required,
        };
        assert!(a(2, 0, false, 0).accepts(2));
        assert!(!a(1, 0, false, 0).accepts(2));
        assert!(!a(3, 0, false, 0).accepts(2));
        assert!(a(3, 1, false, 0).accepts(2));
        assert!(a(1, 0, true, 0).accepts(2));
        assert!(!a(3, 0, true, 0).accepts(2));
        assert!(!a(2, 0, false, 1).accepts(2));
    }
}
