//! What the fuzz targets share: a private scratch directory for the files
//! the parsers read, and the interfaces the annotations are applied to.
use epy_codegen::model::Interface;
use epy_codegen::plan::Plan;
use epy_codegen::{ParseOptions, emit};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `$TMPDIR/epy-fuzz-<pid>` (mode 0700: the runtime refuses loose files),
/// made once per process.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("epy-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .expect("scratch directory");
        dir
    })
}

/// Writes `data` to `name` in the scratch directory.
pub fn file(name: &str, data: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, data).expect("scratch file");
    path
}

/// Runs both emitters on a parsed interface, exporting every function: a
/// panic there is a crash like one in the parser.
pub fn emit_all(iface: &Interface) {
    let mut plan = Plan::of(iface.clone());
    plan.exports = iface.functions.iter().map(|f| f.name.clone()).collect();
    let _ = emit::rust::lib_rs(&plan);
    let _ = emit::python::pyi(&plan);
}

/// Parses a header of the repository, with a pack (a directory) or none.
pub fn parse_repo(header: &str, pack: Option<&str>) -> Interface {
    let opts = ParseOptions {
        header: root().join(header),
        pack: pack.map(|p| root().join(p)),
        ..Default::default()
    };
    epy_codegen::parse(&opts).unwrap_or_else(|e| panic!("{header}: {e}"))
}
