//! `epy-codegen build`: script + header → a finished plugin library with the
//! script and its `.pyi` beside it. Every plugin crate shares one cargo
//! target directory, so after the first build a plugin compiles in seconds.
use crate::emit::rust::CrateConfig;
use crate::error::{Diagnostic, Result};
use crate::plan::Plan;
use crate::{ParseOptions, emit, script};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub script: PathBuf,
    pub parse: ParseOptions,
    /// Where `<stem>.so` and the script go (default: the script's directory).
    pub out_dir: Option<PathBuf>,
    /// The Python the plugin is built for (`PYO3_PYTHON`), default `python3`.
    pub python: String,
    /// Shared cargo target directory.
    pub target_dir: PathBuf,
    /// The `epy-runtime` crate.
    pub runtime_path: PathBuf,
    /// File name suffix of the library (`so`, `wcx`, …); default: the
    /// pack's, else `so`.
    pub suffix: Option<String>,
    /// Debug build (faster to compile, slower to run).
    pub debug: bool,
}

#[derive(Clone, Debug)]
pub struct Built {
    pub library: PathBuf,
    pub pyi: PathBuf,
    pub exports: Vec<String>,
}

/// `EPY_RUNTIME_PATH`, else the runtime crate this binary ships (see `embedded`).
pub fn default_runtime_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("EPY_RUNTIME_PATH") {
        return Ok(PathBuf::from(p));
    }
    Ok(crate::embedded::shipped_root()?.join("epy-runtime"))
}

/// `EPY_TARGET_DIR`, else `target/` in the cache (`$XDG_CACHE_HOME/epy`).
pub fn default_target_dir() -> PathBuf {
    std::env::var_os("EPY_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::embedded::cache_dir().join("target"))
}

/// Python identifier from a file stem (`my-arc` → `my_arc`).
pub fn identifier(stem: &str) -> String {
    let mut s: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// Writes `text` to `path` unless it already holds exactly that (keeps
/// mtimes, so cargo does not rebuild what did not change).
pub fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    }
    std::fs::write(path, text).map_err(|e| io_err(path, e))
}

fn io_err(path: &Path, e: std::io::Error) -> crate::Errors {
    Diagnostic::plain(format!("{}: {e}", path.display())).into()
}

/// Writes the plan's crate into `dir` (files that did not change keep their
/// mtime) and returns the `.pyi` text.
pub fn write_crate(
    plan: &Plan,
    crate_name: &str,
    runtime_path: &Path,
    dir: &Path,
    library_stem: &str,
) -> Result<String> {
    let cfg = CrateConfig {
        crate_name: crate_name.to_owned(),
        runtime_path: runtime_path.to_path_buf(),
        library_stem: library_stem.to_owned(),
    };
    for (rel, text) in emit::rust::crate_files(plan, &cfg)? {
        write_if_changed(&dir.join(rel), &text)?;
    }
    Ok(emit::python::pyi(plan))
}

/// Script + plan → the library, the script and its `.pyi` in the output folder.
pub fn build(opts: &BuildOptions) -> Result<Built> {
    let script_path = opts
        .script
        .canonicalize()
        .map_err(|e| io_err(&opts.script, e))?;
    let script_dir = script_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let stem = script_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut funcs = script::top_level_functions(&script_path, &opts.python)?;
    // `<stem>.toml` beside the script: the annotations (unless named
    // otherwise) and, in its `[plugin]` table, the runtime's settings.
    let settings = script_dir.join(format!("{stem}.toml"));
    let mut parse = opts.parse.clone();
    if parse.annotations.is_none() && settings.is_file() {
        parse.annotations = Some(settings.clone());
    }
    let mut plan = Plan::load(&parse)?;
    crate::build_report::warnings(&plan, &parse.header)
        .iter()
        .for_each(|w| eprintln!("{w}"));
    // Exports = the script's functions among the exportable ones; a pack
    // with native entry points (`[pack] rust`) exports those only: the
    // header's functions are the host's API, the script's `def`s its own.
    if plan.iface.native_rust.is_none() {
        if plan.exports.is_empty() {
            let msg = crate::notes::no_functions(&parse.header);
            return Err(Diagnostic::plain(msg).into());
        }
        // A pack script that defines none (its exports all come from the
        // layer): the pack's check says which import to write.
        if let Some(p) = &plan.pack {
            if !funcs.iter().any(|f| plan.exports.contains(&f.name)) {
                p.check_exports(&script_path, &[])?;
            }
        }
        // The host's functions the script imports from the stub module are
        // not its own, but the pack layer's exports it imports there are
        // (wdx, wfx).
        let layer = plan
            .pack
            .as_ref()
            .map(crate::pack::Pack::layer_exports)
            .unwrap_or_default();
        funcs.retain(|f| {
            f.from.as_deref() != Some(plan.iface.module.as_str()) || layer.contains(&f.name)
        });
        plan.exports = script::select_exports(&funcs, &plan.exports)?;
    }
    script::check_arity(&funcs, &plan.exports, &plan.iface)?;
    crate::ansi_wide::warnings(&plan.iface, &funcs, &plan.exports)
        .iter()
        .for_each(|w| eprintln!("{w}"));
    if let Some(p) = &plan.pack {
        plan.noops = p.check_exports(&script_path, &plan.exports)?;
    }
    plan.host_fns = plan.unexported();
    let ann_file = parse.annotations.as_deref().unwrap_or(&settings);
    if let Some(w) = crate::error_defaults::warning(&plan, ann_file) {
        eprintln!("{w}");
    }
    let suffix = opts.suffix.clone().unwrap_or_else(|| {
        plan.pack
            .as_ref()
            .map_or("so".into(), |p| p.suffix(opts.parse.target.as_deref()))
    });

    let out_dir = opts.out_dir.clone().unwrap_or_else(|| script_dir.clone());
    std::fs::create_dir_all(&out_dir).map_err(|e| io_err(&out_dir, e))?;
    let out_dir = out_dir.canonicalize().map_err(|e| io_err(&out_dir, e))?;
    // The generated crate lives in the cache, one per output folder; its
    // name says which, so plugins of the same name built elsewhere never
    // share a library file in the shared target directory.
    let key = crate::tree::hash(&[(out_dir.display().to_string(), vec![])]);
    let crate_name = format!("epy_plugin_{}_{key}", identifier(&stem));
    let crate_dir = crate::embedded::cache_dir()
        .join("plugins")
        .join(&crate_name);
    let pyi = write_crate(&plan, &crate_name, &opts.runtime_path, &crate_dir, &stem)?;
    let (iface, exports, noops) = (&plan.iface, &plan.exports, &plan.noops);
    let exported = crate::build_report::exports(&plan, &stem);

    eprintln!(
        "epy: building {stem}.{suffix} ({} exports) ...",
        exported.len()
    );
    let profile = if opts.debug { "debug" } else { "release" };
    // Compiling the runtime and its dependencies the first time takes a while: say so.
    let marker = opts.target_dir.join(format!(
        ".epy-built-{}",
        crate::tree::hash(&[(
            format!("{}|{}|{profile}", opts.runtime_path.display(), opts.python),
            vec![]
        )])
    ));
    if !marker.is_file() {
        eprintln!(
            "epy: first build with this runtime and Python ({}): cargo compiles the runtime and its dependencies into {} (a minute or two; later builds take seconds)",
            opts.python,
            opts.target_dir.display()
        );
    }
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.arg("build")
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"));
    if !opts.debug {
        cmd.arg("--release");
    }
    cmd.env("CARGO_TARGET_DIR", &opts.target_dir)
        .env("PYO3_PYTHON", &opts.python);
    let status = cmd
        .status()
        .map_err(|e| Diagnostic::plain(format!("cannot run cargo: {e}")))?;
    if !status.success() {
        return Err(Diagnostic::plain(format!(
            "cargo build of {} failed (see above)",
            crate_dir.display()
        ))
        .into());
    }
    let _ = std::fs::write(&marker, "");
    let built = opts
        .target_dir
        .join(profile)
        .join(format!("lib{crate_name}.so"));
    let library = out_dir.join(format!("{stem}.{suffix}"));
    // Copy then rename: a host may have the old library mapped.
    let tmp = out_dir.join(format!(".{stem}.{suffix}.tmp"));
    std::fs::copy(&built, &tmp).map_err(|e| io_err(&built, e))?;
    std::fs::rename(&tmp, &library).map_err(|e| io_err(&library, e))?;
    if out_dir != script_dir {
        let dest = out_dir.join(script_path.file_name().unwrap_or_default());
        std::fs::copy(&script_path, &dest).map_err(|e| io_err(&dest, e))?;
        // The plugin's settings (`<stem>.toml`, its `[plugin]` table) go with it.
        if settings.is_file() {
            let sidecar = &settings;
            let dest = out_dir.join(format!("{stem}.toml"));
            std::fs::copy(sidecar, &dest).map_err(|e| io_err(&dest, e))?;
        }
    }
    let pyi_path = script_dir.join(format!("{}.pyi", iface.module));
    write_if_changed(&pyi_path, &pyi)?;
    if let Some(alias) = plan.pack.as_ref().and_then(|p| p.module_alias()) {
        let text = format!(
            "# @generated by epy-codegen: `{alias}` is `{m}`.\nfrom {m} import *\n",
            m = iface.module
        );
        write_if_changed(&script_dir.join(format!("{alias}.pyi")), &text)?;
    }
    if out_dir != script_dir {
        write_if_changed(&out_dir.join(format!("{}.pyi", iface.module)), &pyi)?;
    }
    let also = if noops.is_empty() {
        String::new()
    } else {
        format!("; no-ops the interface requires: {}", noops.join(", "))
    };
    // The script's exports, then the pack's native entry points.
    let listed: Vec<&str> = exported
        .iter()
        .filter(|e| !noops.contains(e))
        .map(String::as_str)
        .collect();
    eprintln!(
        "epy: built {} (exports: {}{also})",
        library.display(),
        listed.join(", ")
    );
    Ok(Built {
        library,
        pyi: pyi_path,
        exports: exports.clone(),
    })
}
