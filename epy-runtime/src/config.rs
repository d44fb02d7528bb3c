//! The optional sidecar `<library stem>.toml` beside the library: how the
//! plugin's interpreter is made. A deliberately small TOML subset
//! (`key = "string"` / `key = true|false`, `#` comments); unknown keys are
//! errors with the line, so a typo never silently changes behaviour. The
//! sidecar and the venv it names must pass `trust` (no other user can
//! write them), else the plugin refuses to load.
//!
//! ```toml
//! interpreter = "shared"   # "shared" (default) | "own-gil" (3.12+) | "main"
//! venv = "/path/to/venv"   # its site-packages are importable in this plugin only
//! reload = true            # reload the script when it changes on disk (default true)
//! ```
use crate::interp::Mode;
use crate::script::Files;
use crate::trust::Owner;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub venv: Option<PathBuf>,
    pub reload: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Shared,
            venv: None,
            reload: true,
        }
    }
}

/// Reads the library's sidecar if it exists; `Err` names the file, line and
/// problem, or the file (sidecar, venv) that is not trusted.
pub fn load(files: &Files) -> Result<Config, String> {
    let cfg = parse(&files.config, files.owner)?;
    if let Some(venv) = &cfg.venv {
        check_venv(venv, files.owner)?;
    }
    Ok(cfg)
}

/// The venv and the folders down to its site-packages, those that exist
/// (`script::add_venv` reports a missing one).
fn check_venv(venv: &Path, owner: Owner) -> Result<(), String> {
    let lib = venv.join("lib");
    let version = lib.join(format!("python{}", crate::interp::BUILT_FOR));
    let site = version.join("site-packages");
    for dir in [venv, &lib, &version, &site] {
        if dir.exists() {
            owner.check_file(dir)?;
        }
    }
    Ok(())
}

fn parse(path: &Path, owner: Owner) -> Result<Config, String> {
    let mut cfg = Config::default();
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(cfg);
    }
    owner.check_file(path)?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    for (i, raw) in text.lines().enumerate() {
        let err = |msg: &str| format!("{}:{}: {msg}", path.display(), i + 1);
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| err("expected `key = value`"))?;
        let (key, value) = (key.trim(), value.trim());
        let string = || {
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned)
                .ok_or_else(|| err(&format!("`{key}` takes a quoted string")))
        };
        match key {
            "interpreter" => {
                cfg.mode = match string()?.as_str() {
                    "shared" => Mode::Shared,
                    "own-gil" => Mode::OwnGil,
                    "main" => Mode::Main,
                    other => {
                        return Err(err(&format!(
                            "interpreter = \"{other}\": expected \"shared\", \"own-gil\" or \"main\""
                        )));
                    }
                }
            }
            "venv" => {
                let v = PathBuf::from(string()?);
                cfg.venv = Some(if v.is_relative() {
                    path.parent().unwrap_or(Path::new(".")).join(v)
                } else {
                    v
                });
            }
            "reload" => {
                cfg.reload = match value {
                    "true" => true,
                    "false" => false,
                    _ => return Err(err("`reload` takes true or false")),
                }
            }
            _ => {
                return Err(err(&format!(
                    "unknown key `{key}` (known: interpreter, venv, reload)"
                )));
            }
        }
    }
    Ok(cfg)
}
