//! Tells the runtime which Python it is built for: `Py_3_12`-style cfgs for
//! version-specific code, and `EPY_PYTHON_VERSION` for the load-time check.
fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    let cfg = pyo3_build_config::get();
    println!(
        "cargo:rustc-env=EPY_PYTHON_VERSION={}.{}",
        cfg.version().major,
        cfg.version().minor
    );
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
    // Integration tests are executables linked to libpython: find it at run time.
    if let Some(dir) = cfg.lib_dir() {
        println!("cargo:rustc-link-arg-tests=-Wl,-rpath,{dir}");
    }
}
