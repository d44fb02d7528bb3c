//! Finding the plugin's files beside the library (`dladdr` of our own
//! address: never the current directory, never the host's PYTHONPATH).
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::trust::Owner;
use core::ffi::c_void;
use std::path::{Path, PathBuf};

/// The files that belong to one plugin library.
#[derive(Clone, Debug)]
pub struct Files {
    /// The library itself, e.g. `/opt/p/libbench.so`.
    pub library: PathBuf,
    /// Candidate scripts, in order: `libbench.py`, `bench.py`.
    pub scripts: Vec<PathBuf>,
    /// `<dir>/<stem>.log`.
    pub log: PathBuf,
    /// `<dir>/<stem>.toml`, the optional sidecar configuration.
    pub config: PathBuf,
    /// Who may own the script, the sidecar and a venv (`trust`).
    pub owner: Owner,
}

/// Locates the library that contains `addr` and the files beside it.
pub fn locate(addr: *const c_void) -> Option<Files> {
    // SAFETY: `dladdr` fills `info` (all-zero is a valid `Dl_info`); a
    // non-NULL `dli_fname` is a NUL-terminated path it owns.
    let library = unsafe {
        let mut info: libc::Dl_info = core::mem::zeroed();
        if libc::dladdr(addr, &mut info) == 0 || info.dli_fname.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(info.dli_fname)
            .to_string_lossy()
            .into_owned();
        std::fs::canonicalize(&name).unwrap_or_else(|_| PathBuf::from(name))
    };
    let dir = library.parent().unwrap_or(Path::new("/")).to_path_buf();
    let file = library.file_name()?.to_string_lossy().into_owned();
    // `libfoo.so.1`, `foo.wcx64` → `libfoo` / `foo`.
    let stem = file.split('.').next().unwrap_or(&file).to_owned();
    let mut scripts = vec![dir.join(format!("{stem}.py"))];
    if let Some(short) = stem.strip_prefix("lib").filter(|s| !s.is_empty()) {
        scripts.push(dir.join(format!("{short}.py")));
    }
    let log = dir.join(format!("{stem}.log"));
    let config = dir.join(format!("{stem}.toml"));
    let owner = Owner::of(&library);
    Some(Files {
        library,
        scripts,
        log,
        config,
        owner,
    })
}

impl Files {
    /// The script that exists, if no other user can change it (`trust`);
    /// else a message saying where it was looked for, or why it is refused.
    pub fn script(&self) -> Result<&Path, String> {
        let found = self.scripts.iter().find(|p| p.is_file());
        if let Some(path) = found {
            self.owner.check_file(path)?;
        }
        found.map(PathBuf::as_path).ok_or_else(|| {
            let names: Vec<String> = self
                .scripts
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            format!(
                "no plugin script: looked for {}; put the Python script beside the library",
                names.join(" and ")
            )
        })
    }
}
