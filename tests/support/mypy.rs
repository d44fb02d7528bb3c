//! `mypy --strict`: the one way the tests type-check Python (epy-tests'
//! support re-exports it; epy-codegen's golden tests include this file).
use std::path::Path;
use std::process::Command;

/// `PYTHON -m mypy --strict FILES…` run in `dir`, with no cache; `Err`
/// holds mypy's report.
pub fn strict(python: &str, dir: &Path, files: &[&str]) -> Result<(), String> {
    let out = Command::new(python)
        .args([
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir=/dev/null",
        ])
        .args(files)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run {python} -m mypy: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "mypy --strict {} (in {}):\n{}{}",
        files.join(" "),
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}
