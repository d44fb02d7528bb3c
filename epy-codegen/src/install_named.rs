//! `epy-codegen install X.wdx|X.wfx --host doublecmd`: content and
//! file-system plugins are registered by name (`<WdxPlugin>`, `<WfxPlugin>`,
//! see `doublecmd_named`), not as archive plugins. The kind comes from the
//! plugin's exports, loaded as a host would load it.
use crate::doublecmd::default_config_dir;
use crate::doublecmd::{self, running_with};
use crate::doublecmd_named::{Kind, Named, register};
use crate::error::{Diagnostic, Result};
use std::path::{Path, PathBuf};

unsafe extern "C" {
    fn dlopen(file: *const std::ffi::c_char, mode: i32) -> *mut std::ffi::c_void;
    fn dlsym(handle: *mut std::ffi::c_void, name: *const std::ffi::c_char)
    -> *mut std::ffi::c_void;
    fn dlerror() -> *const std::ffi::c_char;
}

fn plain(msg: String) -> crate::Errors {
    Diagnostic::plain(msg).into()
}

/// The plugin's kind and (WDX) detect string; None for any other library.
fn kind_of(plugin: &Path) -> Result<Option<(Kind, String)>> {
    let path = std::ffi::CString::new(plugin.as_os_str().as_encoded_bytes())
        .map_err(|_| plain(format!("{}: NUL in the path", plugin.display())))?;
    const RTLD_NOW: i32 = 2;
    // SAFETY: loading the plugin runs its constructors (the epy runtime's
    // registers an unload hook); ContentGetDetectString has the WDX
    // signature `int (char *, int)` and gets a buffer of that size.
    unsafe {
        let lib = dlopen(path.as_ptr(), RTLD_NOW);
        if lib.is_null() {
            let why = std::ffi::CStr::from_ptr(dlerror()).to_string_lossy();
            return Err(plain(format!("cannot load {}: {why}", plugin.display())));
        }
        let has = |n: &std::ffi::CStr| !dlsym(lib, n.as_ptr()).is_null();
        if has(c"ContentGetSupportedField") {
            let mut detect = String::new();
            let f = dlsym(lib, c"ContentGetDetectString".as_ptr());
            if !f.is_null() {
                let f: extern "C" fn(*mut std::ffi::c_char, i32) -> i32 = std::mem::transmute(f);
                let mut buf = [0 as std::ffi::c_char; 2048];
                f(buf.as_mut_ptr(), buf.len() as i32);
                buf[buf.len() - 1] = 0;
                detect = std::ffi::CStr::from_ptr(buf.as_ptr())
                    .to_string_lossy()
                    .into_owned();
            }
            return Ok(Some((Kind::Wdx, detect)));
        }
        if has(c"FsFindFirst") || has(c"FsFindFirstW") {
            return Ok(Some((Kind::Wfx, String::new())));
        }
        Ok(None)
    }
}

/// Registers a WDX or WFX plugin in `config_dir` (default: Double
/// Commander's); None when `plugin` is neither (then the caller registers it
/// as an archive plugin). `wcx_args`: the command line gave `--ext`/`--flags`.
pub fn install(
    config_dir: Option<&Path>,
    wcx_args: bool,
    plugin: &Path,
) -> Result<Option<PathBuf>> {
    let Some((kind, detect)) = kind_of(plugin)? else {
        return Ok(None);
    };
    if wcx_args {
        return Err(plain(format!(
            "{}: --ext and --flags are for archive (WCX) plugins; a content or file-system plugin is registered by name",
            plugin.display()
        )));
    }
    let name = plugin
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let default_dir = default_config_dir();
    let dir = config_dir.map_or_else(|| default_dir.clone(), Path::to_path_buf);
    if let Some(pid) = running_with(&dir, &default_dir) {
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
    let entry = Named {
        kind,
        name: name.clone(),
        path: plugin.display().to_string(),
        detect,
    };
    let mut notes = Vec::new();
    let new = register(&old, &entry, &mut notes)
        .map_err(|e| plain(format!("{}: {e}", file.display())))?;
    for n in notes {
        eprintln!("epy: {n}");
    }
    let what = match kind {
        Kind::Wdx => "content plugin",
        Kind::Wfx => "file-system plugin",
    };
    if new == old && file.is_file() {
        eprintln!("epy: {} already registers {what} `{name}`", file.display());
        return Ok(Some(file));
    }
    std::fs::create_dir_all(&dir).map_err(|e| plain(format!("{}: {e}", dir.display())))?;
    let tmp = dir.join(".doublecmd.xml.epy-tmp");
    std::fs::write(&tmp, &new).map_err(|e| plain(format!("{}: {e}", tmp.display())))?;
    std::fs::rename(&tmp, &file).map_err(|e| plain(format!("{}: {e}", file.display())))?;
    eprintln!(
        "epy: registered {} in {} as {what} `{name}`; Double Commander uses it from its next start",
        plugin.display(),
        file.display(),
    );
    Ok(Some(file))
}
