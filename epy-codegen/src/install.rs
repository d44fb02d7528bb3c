//! `epy-codegen install PLUGIN --host doublecmd`: the entries (extensions
//! from the command line or the script's `EXTENSIONS`, `Flags` from the
//! plugin's own `GetPackerCaps`), written into `doublecmd.xml` unless a
//! running Double Commander would overwrite it.
use crate::doublecmd::{self, Entry, default_config_dir};
use crate::error::{Diagnostic, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct InstallOptions {
    pub plugin: PathBuf,
    /// Double Commander's configuration folder (default `~/.config/doublecmd`).
    pub config_dir: Option<PathBuf>,
    pub exts: Vec<String>,
    /// `Flags` (default: the plugin's `GetPackerCaps()`, else 0).
    pub flags: Option<i64>,
    pub python: String,
}

fn plain(msg: String) -> crate::Errors {
    Diagnostic::plain(msg).into()
}

/// Registers the plugin; returns the configuration file written.
pub fn install(o: &InstallOptions) -> Result<PathBuf> {
    let plugin = o.plugin.canonicalize().map_err(|e| {
        plain(format!(
            "{}: {e} (build it first: epy-codegen build SCRIPT.py --pack wcx)",
            o.plugin.display()
        ))
    })?;
    // Content and file-system plugins are registered by name.
    let wcx_args = !o.exts.is_empty() || o.flags.is_some();
    if let Some(file) = crate::install_named::install(o.config_dir.as_deref(), wcx_args, &plugin)? {
        return Ok(file);
    }
    let script = plugin.with_extension("py");
    let exts = if o.exts.is_empty() {
        script_extensions(&script, &o.python)?
    } else {
        o.exts.clone()
    };
    if exts.is_empty() {
        return Err(plain(format!(
            "no extensions to register: pass --ext EXT (repeatable), or define EXTENSIONS = [\"ext\"] in {}",
            script.display()
        )));
    }
    let flags = match o.flags {
        Some(f) => f,
        None => packer_caps(&plugin)?.unwrap_or(0),
    };
    let default_dir = default_config_dir();
    let dir = o.config_dir.clone().unwrap_or_else(|| default_dir.clone());
    if let Some(pid) = doublecmd::running_with(&dir, &default_dir) {
        return Err(plain(format!(
            "Double Commander is running (pid {pid}) with the configuration in {}: it rewrites doublecmd.xml when it quits, which would drop this entry. Quit Double Commander, then run this again.",
            dir.display()
        )));
    }
    let file = dir.join("doublecmd.xml");
    let old = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => doublecmd::EMPTY.to_owned(),
        Err(e) => return Err(plain(format!("{}: {e}", file.display()))),
    };
    let entries: Vec<Entry> = exts
        .iter()
        .map(|ext| Entry {
            ext: ext.trim_start_matches('.').to_owned(),
            path: plugin.display().to_string(),
            flags,
        })
        .collect();
    let mut notes = Vec::new();
    let new = doublecmd::register(&old, &entries, &mut notes)
        .map_err(|e| plain(format!("{}: {e}", file.display())))?;
    for n in notes {
        eprintln!("epy: {n}");
    }
    if new == old && file.is_file() {
        eprintln!(
            "epy: {} already registers {} for {} (Flags {flags})",
            file.display(),
            plugin.display(),
            exts.join(", ")
        );
        return Ok(file);
    }
    std::fs::create_dir_all(&dir).map_err(|e| plain(format!("{}: {e}", dir.display())))?;
    // Write then rename: never a half-written configuration.
    let tmp = dir.join(".doublecmd.xml.epy-tmp");
    std::fs::write(&tmp, &new).map_err(|e| plain(format!("{}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, &file).map_err(|e| plain(format!("{}: {e}", file.display())))?;
    eprintln!(
        "epy: registered {} in {} for {} (Flags {flags}); Double Commander uses it from its next start",
        plugin.display(),
        file.display(),
        exts.join(", ")
    );
    Ok(file)
}

/// The script's top-level `EXTENSIONS = [...]` (a literal list of strings).
fn script_extensions(script: &Path, python: &str) -> Result<Vec<String>> {
    if !script.is_file() {
        return Ok(vec![]);
    }
    const READ: &str = "import ast, json, sys\n\
        tree = ast.parse(open(sys.argv[1], encoding='utf-8').read(), sys.argv[1])\n\
        found = []\n\
        for node in tree.body:\n\
        \x20   if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == 'EXTENSIONS' for t in node.targets):\n\
        \x20       try:\n\
        \x20           found = [str(x) for x in ast.literal_eval(node.value)]\n\
        \x20       except ValueError:\n\
        \x20           sys.exit('%s:%d: EXTENSIONS must be a literal list of strings' % (sys.argv[1], node.lineno))\n\
        print(json.dumps(found))\n";
    let out = Command::new(python)
        .arg("-c")
        .arg(READ)
        .arg(script)
        .output()
        .map_err(|e| plain(format!("cannot run {python}: {e}")))?;
    if !out.status.success() {
        return Err(plain(
            String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| plain(format!("{}: {e}", script.display())))
}

unsafe extern "C" {
    fn dlopen(file: *const std::ffi::c_char, mode: i32) -> *mut std::ffi::c_void;
    fn dlsym(handle: *mut std::ffi::c_void, name: *const std::ffi::c_char)
    -> *mut std::ffi::c_void;
    fn dlerror() -> *const std::ffi::c_char;
}

/// What the plugin's `GetPackerCaps()` returns, if it exports one: the
/// plugin is loaded here as a host would load it, so its script answers.
fn packer_caps(plugin: &Path) -> Result<Option<i64>> {
    let path = std::ffi::CString::new(plugin.as_os_str().as_encoded_bytes())
        .map_err(|_| plain(format!("{}: NUL in the path", plugin.display())))?;
    const RTLD_NOW: i32 = 2;
    // SAFETY: loading the plugin runs its constructors (the epy runtime's,
    // which only register an unload hook); the symbol has the WCX signature
    // `int GetPackerCaps(void)`.
    unsafe {
        let lib = dlopen(path.as_ptr(), RTLD_NOW);
        if lib.is_null() {
            let why = std::ffi::CStr::from_ptr(dlerror()).to_string_lossy();
            return Err(plain(format!("cannot load {}: {why}", plugin.display())));
        }
        let f = dlsym(lib, c"GetPackerCaps".as_ptr());
        if f.is_null() {
            return Ok(None);
        }
        let caps: extern "C" fn() -> i32 = std::mem::transmute(f);
        Ok(Some(i64::from(caps())))
    }
}
