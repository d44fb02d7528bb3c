//! Install anywhere: `cargo install --path epy-codegen --root X` from a copy
//! of this tree, the copy deleted, then `X/bin/epy-codegen` builds
//! `examples/wcx-minimal` in another folder (the runtime sources and packs
//! come from inside the binary, written to a fresh `$XDG_CACHE_HOME/epy`),
//! and the plugin lists an archive in the WCX test host.
use epy_tests::*;
use std::path::Path;
use std::process::Command;

/// Copies the files git knows (tracked and new, not ignored) of this tree.
fn copy_tree(to: &Path) {
    let out = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(root())
        .output()
        .expect("git ls-files");
    assert!(out.status.success());
    for rel in out.stdout.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let rel = Path::new(std::str::from_utf8(rel).unwrap());
        let from = root().join(rel);
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&from, &dest).unwrap();
    }
}

#[test]
fn an_installed_epy_codegen_builds_plugins_after_its_checkout_is_gone() {
    let dir = scratch("install-anywhere");
    let clone = dir.join("clone");
    copy_tree(&clone);
    let prefix = dir.join("prefix");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Its own target directory: nothing built from this tree is reused.
    let out = run(Command::new(&cargo)
        .args(["install", "--locked", "--path"])
        .arg(clone.join("epy-codegen"))
        .arg("--root")
        .arg(&prefix)
        .env("CARGO_TARGET_DIR", root().join("target/install-test"))
        .env_remove("EPY_INTERFACES")
        .env_remove("EPY_RUNTIME_PATH"));
    assert!(out.status.success(), "cargo install failed");
    std::fs::remove_dir_all(&clone).unwrap();

    let work = dir.join("elsewhere/textarc");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::copy(
        root().join("examples/wcx-minimal/textarc.py"),
        work.join("textarc.py"),
    )
    .unwrap();
    let cache = dir.join("cache");
    let epy = prefix.join("bin/epy-codegen");
    let user = |args: &[&str]| {
        let mut cmd = Command::new(&epy);
        cmd.args(args)
            .current_dir(&work)
            .env("XDG_CACHE_HOME", &cache)
            .env("PYO3_PYTHON", python())
            .env_remove("EPY_TARGET_DIR")
            .env_remove("EPY_INTERFACES")
            .env_remove("EPY_RUNTIME_PATH")
            .env_remove("CARGO_TARGET_DIR");
        run(&mut cmd)
    };
    let out = user(&["build", "textarc.py", "--pack", "wcx"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "build with the installed binary failed"
    );
    assert!(stderr.contains("epy: first use of epy-codegen"), "{stderr}");
    assert!(
        stderr.contains("epy: first build with this runtime"),
        "{stderr}"
    );
    // Everything epy wrote besides the plugin is in the cache.
    assert!(cache.join("epy/target").is_dir() && cache.join("epy/plugins").is_dir());
    let mut beside: Vec<String> = std::fs::read_dir(&work)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["textarc.py", "textarc.wcx", "wcxhead_h.pyi"]);

    let archive = work.join("notes.txa");
    std::fs::write(&archive, "--- hello.txt\nHello\n").unwrap();
    let host = compile_host("wcx_host", &dir, &[]);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let listed = run(Command::new(&host)
        .arg("--read-only")
        .arg(work.join("textarc.wcx"))
        .arg(&archive)
        .arg(dir.join("out"))
        .args(["unused", "unused"]));
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.status.success()
            && stdout.contains("entry hello.txt 6 ")
            && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    // The packs ship too: an unknown one is named with the ones there are.
    let out = user(&["build", "textarc.py", "--pack", "wxc"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && stderr.contains("did you mean `wcx`?")
            && stderr.contains("packs: ladspa, sqlite, wcx, wdx, wfx"),
        "{stderr}"
    );
}
