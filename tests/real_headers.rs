//! Headers no one here wrote, installed by the set-up (ladspa-sdk,
//! libsqlite3-dev): they parse, and the generated crate compiles.
use epy_codegen::ParseOptions;
use epy_codegen::builder;
use epy_codegen::plan::Plan;
use epy_tests::*;
use std::path::Path;
use std::process::Command;

fn generate_and_compile(header: &str, tag: &str) {
    if !Path::new(header).is_file() {
        panic!("{header} is missing: run tools/setup.sh");
    }
    let dir = scratch(tag);
    let plan = Plan::load(&ParseOptions {
        header: header.into(),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let exports = &plan.exports;
    assert!(!exports.is_empty());
    let crate_name = format!("epy_plugin_{tag}");
    builder::write_crate(
        &plan,
        &crate_name,
        &root().join("epy-runtime"),
        &dir,
        &crate_name,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/plugins/check"))
        .status()
        .unwrap();
    assert!(
        status.success(),
        "the crate generated from {header} does not compile"
    );
    println!("{header}: {} exports compiled", exports.len());
}

#[test]
fn ladspa_h_generates_a_crate_that_compiles() {
    generate_and_compile("/usr/include/ladspa.h", "ladspa");
}

#[test]
fn sqlite3ext_h_generates_a_crate_that_compiles() {
    generate_and_compile("/usr/include/sqlite3ext.h", "sqlite3ext");
}
