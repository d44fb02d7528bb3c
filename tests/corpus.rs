//! The generic path on real plugin-interface headers from Debian packages
//! (installed by `tools/setup.sh`; a missing one is skipped with a message):
//! each is generated with no annotations and no pack, all generated crates
//! are `cargo check`ed at once (one workspace), and a table counts the
//! declarations and the parameters/results a Python author still gets as a
//! bare address or an unusable copy (`corpus_classes.rs` says which).
#[path = "corpus_classes.rs"]
mod classes;

use classes::Counts;
use epy_codegen::ParseOptions;
use epy_codegen::plan::Plan;
use epy_tests::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One corpus header: a name, the file, its Debian package, `-I`/`-D`/`--include` options.
struct Entry {
    name: &'static str,
    header: &'static str,
    package: &'static str,
    includes: &'static [&'static str],
    defines: &'static [&'static str],
    /// `--include` headers.
    force: &'static [&'static str],
}

const fn h(name: &'static str, header: &'static str, package: &'static str) -> Entry {
    Entry {
        name,
        header,
        package,
        includes: &[],
        defines: &[],
        force: &[],
    }
}

const CORPUS: &[Entry] = &[
    h("ladspa", "/usr/include/ladspa.h", "ladspa-sdk"),
    h("lv2", "/usr/include/lv2/core/lv2.h", "lv2-dev"),
    h("lv2_ui", "/usr/include/lv2/ui/ui.h", "lv2-dev"),
    h("dssi", "/usr/include/dssi.h", "dssi-dev"),
    h("sqlite3ext", "/usr/include/sqlite3ext.h", "libsqlite3-dev"),
    h(
        "pkcs11",
        "/usr/include/p11-kit-1/p11-kit/pkcs11.h",
        "libp11-kit-dev",
    ),
    h(
        "pam_modules",
        "/usr/include/security/pam_modules.h",
        "libpam0g-dev",
    ),
    h("frei0r", "/usr/include/frei0r.h", "frei0r-plugins-dev"),
    h("lua", "/usr/include/lua5.4/lua.h", "liblua5.4-dev"),
    h("lauxlib", "/usr/include/lua5.4/lauxlib.h", "liblua5.4-dev"),
    h("tcl", "/usr/include/tcl8.6/tcl.h", "tcl-dev"),
    h("gdb_jit", "/usr/include/gdb/jit-reader.h", "gdb"),
    h("openssl_core", "/usr/include/openssl/core.h", "libssl-dev"),
    h(
        "openssl_dispatch",
        "/usr/include/openssl/core_dispatch.h",
        "libssl-dev",
    ),
    Entry {
        includes: &["/usr/include/collectd", "/usr/include/collectd/core"],
        ..h(
            "collectd",
            "/usr/include/collectd/core/daemon/plugin.h",
            "collectd-dev",
        )
    },
    h(
        "weechat",
        "/usr/include/weechat/weechat-plugin.h",
        "weechat-dev",
    ),
    Entry {
        force: &["alsa/asoundlib.h"],
        ..h(
            "alsa_pcm_external",
            "/usr/include/alsa/pcm_external.h",
            "libasound2-dev",
        )
    },
    Entry {
        force: &["alsa/asoundlib.h"],
        ..h(
            "alsa_ctl_external",
            "/usr/include/alsa/control_external.h",
            "libasound2-dev",
        )
    },
    h("sane", "/usr/include/sane/sane.h", "libsane-dev"),
    Entry {
        force: &["sasl/sasl.h"],
        ..h("sasl", "/usr/include/sasl/saslplug.h", "libsasl2-dev")
    },
    h(
        "krb5_localauth",
        "/usr/include/krb5/localauth_plugin.h",
        "libkrb5-dev",
    ),
    h(
        "krb5_kdcpreauth",
        "/usr/include/krb5/kdcpreauth_plugin.h",
        "libkrb5-dev",
    ),
    Entry {
        defines: &["FUSE_USE_VERSION=31"],
        ..h("fuse", "/usr/include/fuse3/fuse.h", "libfuse3-dev")
    },
    h(
        "openvpn",
        "/usr/include/openvpn/openvpn-plugin.h",
        "openvpn",
    ),
];

/// At most this many parameters/results over the corpus may still be typed
/// as bare addresses or unusable copies (issue 16's bound), with no
/// annotations.
const MAX_UNUSABLE: usize = 50;

/// Headers the generic path still refuses, and why (each must still fail:
/// a fixed one leaves this list).
const REFUSED: &[(&str, &str)] = &[];

/// How `epy-codegen HEADER` reads `e` (inferring annotations), or with `--no-infer`.
fn options(e: &Entry, infer: bool) -> ParseOptions {
    ParseOptions {
        infer,
        header: e.header.into(),
        includes: e.includes.iter().map(PathBuf::from).collect(),
        defines: e.defines.iter().map(|d| d.to_string()).collect(),
        force_includes: e.force.iter().map(PathBuf::from).collect(),
        ..Default::default()
    }
}

/// The generated crate as a member of the corpus workspace (not standalone).
fn as_member(dir: &Path) {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replace("[workspace]\n", "");
    std::fs::write(&manifest, text).unwrap();
}

#[test]
fn corpus_headers_generate_compile_and_are_counted() {
    let dir = scratch("corpus");
    let mut members = Vec::new();
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut total = Counts::default();
    // The same with --no-infer: what the inferred annotations change.
    let (mut plain_rows, mut plain_total) = (Vec::new(), Counts::default());
    for e in CORPUS {
        if !Path::new(e.header).is_file() {
            println!(
                "corpus: skipped {}: {} is missing (apt-get install {})",
                e.name, e.header, e.package
            );
            continue;
        }
        let refused = REFUSED.iter().find(|(n, _)| *n == e.name);
        let plan = match Plan::load(&options(e, true)) {
            Ok(p) => p,
            Err(err) => {
                match refused {
                    Some((_, why)) => rows.push(format!("{:<18} refused ({why})", e.name)),
                    None => failures.push(format!("{}: {err}", e.name)),
                }
                continue;
            }
        };
        if let Some((_, why)) = refused {
            failures.push(format!(
                "{} is listed as refused ({why}) but generates",
                e.name
            ));
        }
        let iface = &plan.iface;
        let member = dir.join(e.name);
        let crate_name = format!("epy_corpus_{}", e.name);
        if let Err(err) = epy_codegen::builder::write_crate(
            &plan,
            &crate_name,
            &root().join("epy-runtime"),
            &member,
            e.name,
        ) {
            failures.push(format!("{}: {err}", e.name));
            continue;
        }
        as_member(&member);
        members.push(e.name);
        // Nothing left out silently: each variadic function is named.
        for f in iface.functions.iter().filter(|f| f.sig.variadic) {
            let said = format!("function `{}` is variadic", f.name);
            if !iface.warnings.iter().any(|w| w.message.contains(&said)) {
                failures.push(format!("{}: no warning for variadic `{}`", e.name, f.name));
            }
        }
        let counts = Counts::of(&plan);
        rows.push(format!("{:<18} {}", e.name, counts.row()));
        total.add(&counts);
        if let Ok(plain) = Plan::load(&options(e, false)) {
            let counts = Counts::of(&plain);
            plain_rows.push(format!("{:<18} {}", e.name, counts.row()));
            plain_total.add(&counts);
        }
    }
    let list: String = members.iter().map(|m| format!("\"{m}\", ")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{list}]\n"),
    )
    .unwrap();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--workspace", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root().join("target/corpus"))
        .output()
        .unwrap();
    let mut table = String::new();
    for (title, rows, total) in [
        ("with --no-infer", &plain_rows, &plain_total),
        ("as epy-codegen HEADER reads them", &rows, &total),
    ] {
        writeln!(table, "{title}:\n{:<18} {}", "header", Counts::header()).unwrap();
        for r in rows {
            writeln!(table, "{r}").unwrap();
        }
        writeln!(table, "{:<18} {}\n", "total", total.row()).unwrap();
    }
    writeln!(table, "{}", Counts::legend()).unwrap();
    writeln!(
        table,
        "still addresses or copies, as epy-codegen HEADER reads them:"
    )
    .unwrap();
    for item in &total.items {
        writeln!(table, "  {item}").unwrap();
    }
    println!("{table}");
    assert!(
        out.status.success(),
        "the generated crates do not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        total.unusable() <= MAX_UNUSABLE,
        "{} parameters/results are still addresses or copies (at most {MAX_UNUSABLE}): see the list above",
        total.unusable()
    );
}
