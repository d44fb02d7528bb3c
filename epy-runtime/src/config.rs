//! The optional settings file `<library stem>.toml` beside the library: how the
//! plugin's interpreter is made. It is the same file as the build's
//! annotations (`<script stem>.toml` beside the script, copied beside the
//! library): the runtime reads only its `[plugin]` table and ignores the
//! annotation tables, which the build already checked. Parsed as real TOML,
//! strictly: a syntax error, an unknown key or a wrong type is an error with
//! the file and line, so a typo never silently changes behaviour. The file
//! and the venv it names must pass `trust` (no other user can write them),
//! else the plugin refuses to load.
//!
//! ```toml
//! [plugin]
//! interpreter = "shared"   # "shared" (default) | "own-gil" (3.12+) | "main"
//! venv = "/path/to/venv"   # its site-packages are importable in this plugin only
//! reload = true            # reload the script when it changes on disk (default true)
//! buffers = "copy"         # "copy" | "zero-copy" (default: "copy" in main, else "zero-copy")
//! ```
use crate::files::Files;
use crate::interp::Mode;
use crate::trust::Owner;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub venv: Option<PathBuf>,
    pub reload: bool,
    /// `buffers`: `Some(true)` copy, `Some(false)` zero-copy, `None` the
    /// mode's default (`copies`).
    pub buffers: Option<bool>,
}

impl Config {
    /// Whether buffers and array fields are copies (`marshal/copy.rs`):
    /// by default in the main interpreter, where numpy and other raw-address
    /// consumers load.
    pub fn copies(&self) -> bool {
        self.buffers.unwrap_or(self.mode == Mode::Main)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Shared,
            venv: None,
            reload: true,
            buffers: None,
        }
    }
}

/// Reads the library's settings file if it exists; `Err` names the file, line
/// and problem, or the file (settings, venv) that is not trusted.
pub fn load(files: &Files) -> Result<Config, String> {
    let path = &files.config;
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(Config::default());
    }
    files.owner.check_file(path)?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let cfg = parse(path, &text)?;
    if let Some(venv) = &cfg.venv {
        check_venv(venv, files.owner)?;
    }
    Ok(cfg)
}

/// The venv and the folders down to its site-packages, those that exist
/// (`import::add_venv` reports a missing one).
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

/// The runtime keys, for messages.
const KEYS: &str = "interpreter, venv, reload, buffers";

/// `text` (the contents of `path`) as settings: its `[plugin]` table.
pub fn parse(path: &Path, text: &str) -> Result<Config, String> {
    use toml_edit::{ImDocument, Item};
    let line = |at: Option<std::ops::Range<usize>>| {
        let at = at.map_or(0, |r| r.start).min(text.len());
        text[..at].matches('\n').count() + 1
    };
    let doc = ImDocument::parse(text).map_err(|e| {
        let msg = e.message().trim_end().to_owned();
        format!("{}:{}: {msg}", path.display(), line(e.span()))
    })?;
    let mut cfg = Config::default();
    for (key, item) in doc.as_table().iter() {
        let at = doc.as_table().key(key).and_then(|k| k.span());
        let err = |msg: String| format!("{}:{}: {msg}", path.display(), line(at.clone()));
        if KEYS.split(", ").any(|k| k == key) {
            return Err(err(format!(
                "`{key}` belongs in the [plugin] table: write `[plugin]` on a line above it"
            )));
        }
        if key != "plugin" && !item.is_table_like() {
            return Err(err(format!(
                "unknown top-level key `{key}` (runtime settings go in the [plugin] table: {KEYS})"
            )));
        }
    }
    let Some(plugin) = doc.get("plugin") else {
        return Ok(cfg);
    };
    let Some(table) = plugin.as_table_like() else {
        return Err(format!(
            "{}:{}: `plugin` must be a table ([plugin])",
            path.display(),
            line(plugin.span())
        ));
    };
    for (key, item) in table.iter() {
        let at = table
            .get_key_value(key)
            .and_then(|(k, _)| k.span())
            .or_else(|| item.span());
        let err = |msg: String| format!("{}:{}: {msg}", path.display(), line(at.clone()));
        let string = || {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| err(format!("`{key}` takes a quoted string")))
        };
        match key {
            "interpreter" => {
                cfg.mode = match string()?.as_str() {
                    "shared" => Mode::Shared,
                    "own-gil" => Mode::OwnGil,
                    "main" => Mode::Main,
                    other => {
                        return Err(err(format!(
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
                cfg.reload = match item {
                    Item::Value(v) => v.as_bool(),
                    _ => None,
                }
                .ok_or_else(|| err("`reload` takes true or false".into()))?;
            }
            "buffers" => {
                cfg.buffers = Some(match string()?.as_str() {
                    "copy" => true,
                    "zero-copy" => false,
                    other => {
                        return Err(err(format!(
                            "buffers = \"{other}\": expected \"copy\" or \"zero-copy\""
                        )));
                    }
                })
            }
            _ => return Err(err(format!("unknown key `{key}` (known: {KEYS})"))),
        }
    }
    Ok(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, String> {
        parse(Path::new("/p/plugin.toml"), text)
    }

    /// The README tour's layout: annotations and settings in one file.
    #[test]
    fn annotation_tables_are_ignored_and_plugin_is_read() {
        let cfg = parse_str(
            "[functions.sum.params.values]\nlength = \"n\"\n[functions.clamp]\non-error = -1\n\
             [types]\nWCHAR = \"utf-16\"\n[plugin]\ninterpreter = \"main\"\nreload = false\n",
        )
        .unwrap();
        assert_eq!(cfg.mode, Mode::Main);
        assert!(!cfg.reload);
        let none = parse_str("[functions.sum.params.values]\nlength = \"n\"\n").unwrap();
        assert_eq!(none.mode, Mode::Shared);
        assert!(none.reload);
        assert!(cfg.copies() && !none.copies());
        let zero =
            parse_str("[plugin]\ninterpreter = \"main\"\nbuffers = \"zero-copy\"\n").unwrap();
        assert!(!zero.copies());
        let copy = parse_str("[plugin]\nbuffers = \"copy\"\n").unwrap();
        assert!(copy.copies());
    }

    #[test]
    fn strings_are_real_toml() {
        let cfg = parse_str("[plugin]\nvenv = \"/a#b\"  # comment\n").unwrap();
        assert_eq!(cfg.venv, Some(PathBuf::from("/a#b")));
        let cfg = parse_str("plugin = { venv = 'env' }\n").unwrap();
        assert_eq!(cfg.venv, Some(PathBuf::from("/p/env")));
    }

    #[test]
    fn errors_name_the_line() {
        let e = |t: &str| parse_str(t).unwrap_err();
        assert_eq!(
            e("[plugin]\ninterpreter = \"shared\"\nrelaod = false\n"),
            "/p/plugin.toml:3: unknown key `relaod` (known: interpreter, venv, reload, buffers)"
        );
        assert!(
            e("[plugin]\nbuffers = \"none\"\n")
                .starts_with("/p/plugin.toml:2: buffers = \"none\": expected")
        );
        assert!(
            e("# settings\ninterpreter = \"main\"\n")
                .starts_with("/p/plugin.toml:2: `interpreter` belongs in the [plugin] table")
        );
        assert!(e("[plugin]\nreload = \"yes\"\n").starts_with("/p/plugin.toml:2: `reload` takes"));
        assert!(e("[plugin]\n\nvenv = 3\n").starts_with("/p/plugin.toml:3: `venv` takes"));
        assert!(
            e("[plugin]\nvenv = \"/a\nb\"\n").starts_with("/p/plugin.toml:2: "),
            "{}",
            e("[plugin]\nvenv = \"/a\nb\"\n")
        );
        assert!(
            e("[plugin]\ninterpreter = \"fast\"\n")
                .contains(":2: interpreter = \"fast\": expected")
        );
    }
}
