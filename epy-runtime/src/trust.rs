//! Which loose files a plugin trusts, as ssh trusts key files: the script,
//! the sidecar and a sidecar's venv must be writable by no one but root and
//! the library's owner. Refused: a file any user can write, a file in a
//! folder any user can write (unless the folder is sticky, like `/tmp`), a
//! file or folder owned by another user. The error names the file and the
//! command that fixes it. Group-writable files are accepted (shared groups
//! are a deliberate choice).
#![warn(clippy::undocumented_unsafe_blocks)]
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Who may own what a plugin runs: root and the library's owner.
#[derive(Clone, Copy, Debug)]
pub struct Owner(pub u32);

impl Owner {
    /// The owner of `library` (this process's user if it cannot be read).
    pub fn of(library: &Path) -> Owner {
        Owner(
            std::fs::metadata(library)
                .map(|m| m.uid())
                // SAFETY: `geteuid` has no precondition.
                .unwrap_or_else(|_| unsafe { libc::geteuid() }),
        )
    }

    /// `path` (followed if a link) and the folders holding its name and its
    /// target: trusted, or the reason and fix.
    pub fn check_file(self, path: &Path) -> Result<(), String> {
        let meta =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        self.check_meta(path, &meta)?;
        let parent = path.parent().unwrap_or(Path::new("/"));
        self.check_dir(path, parent)?;
        if let Ok(real) = std::fs::canonicalize(path) {
            let real_parent = real.parent().unwrap_or(Path::new("/"));
            if real_parent != parent {
                self.check_dir(path, real_parent)?;
            }
        }
        Ok(())
    }

    /// `path`, already open (`meta` from `fstat`): owner and mode.
    pub fn check_meta(self, path: &Path, meta: &std::fs::Metadata) -> Result<(), String> {
        self.check_owner(path, path, meta.uid())?;
        if meta.mode() & 0o002 != 0 {
            return Err(format!(
                "refusing {}: any user can write it (mode {:o}); fix: chmod o-w {}",
                path.display(),
                meta.mode() & 0o7777,
                path.display()
            ));
        }
        Ok(())
    }

    /// The folder `dir` that holds `what`: owner, and not writable by every
    /// user unless sticky (then others cannot replace files they do not own).
    pub fn check_dir(self, what: &Path, dir: &Path) -> Result<(), String> {
        let meta = std::fs::metadata(dir)
            .map_err(|e| format!("cannot read folder {}: {e}", dir.display()))?;
        self.check_owner(what, dir, meta.uid())?;
        let mode = meta.mode();
        if mode & 0o002 != 0 && mode & 0o1000 == 0 {
            return Err(format!(
                "refusing {}: any user can write its folder {} (mode {:o}, not sticky); fix: chmod o-w {}",
                what.display(),
                dir.display(),
                mode & 0o7777,
                dir.display()
            ));
        }
        Ok(())
    }

    fn check_owner(self, what: &Path, path: &Path, uid: u32) -> Result<(), String> {
        if uid == 0 || uid == self.0 {
            return Ok(());
        }
        let whose = if what == path {
            "it is".to_owned()
        } else {
            format!("its folder {} is", path.display())
        };
        Err(format!(
            "refusing {}: {whose} owned by uid {uid}, which is neither root nor the plugin library's owner (uid {}); fix: chown {} {}",
            what.display(),
            self.0,
            self.0,
            path.display()
        ))
    }
}
