//! Docs that run: the README's tour (header, script, annotations, command)
//! and its WCX and LADSPA walkthroughs, extracted into a temporary folder
//! exactly as written, run with this tree's `epy-codegen`, and checked in a
//! host. Changing a snippet without keeping it working fails here.
use epy_tests::*;
use std::path::Path;
use std::process::Command;

/// One fenced code block: the `## ` section it is in, its language, its text.
struct Block {
    section: String,
    lang: String,
    text: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut open: Option<Block> = None;
    for line in markdown.lines() {
        match &mut open {
            Some(b) if line.trim_start().starts_with("```") => {
                out.push(std::mem::replace(
                    b,
                    Block {
                        section: String::new(),
                        lang: String::new(),
                        text: String::new(),
                    },
                ));
                open = None;
            }
            Some(b) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
            None => {
                if let Some(h) = line.strip_prefix("## ") {
                    section = h.to_owned();
                } else if let Some(lang) = line.trim_start().strip_prefix("```") {
                    open = Some(Block {
                        section: section.clone(),
                        lang: lang.trim().to_owned(),
                        text: String::new(),
                    });
                }
            }
        }
    }
    out
}

/// The blocks of the README section whose heading starts with `heading`.
fn section(heading: &str) -> Vec<Block> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let found: Vec<Block> = blocks(&readme)
        .into_iter()
        .filter(|b| b.section.starts_with(heading))
        .collect();
    assert!(!found.is_empty(), "README has no section `{heading}`");
    found
}

fn only<'a>(blocks: &'a [Block], lang: &str, first_line: &str) -> &'a str {
    let found: Vec<&Block> = blocks
        .iter()
        .filter(|b| b.lang == lang && b.text.starts_with(first_line))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one ```{lang} block starting with `{first_line}` in `{}`",
        blocks[0].section
    );
    &found[0].text
}

fn ok(mut cmd: Command, what: &str) -> String {
    let out = run(&mut cmd);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

/// The `.pyi` a build wrote into `dir`, by stem.
fn stub_stems(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pyi"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_tour_builds_as_written_and_the_host_sees_its_results() {
    let dir = scratch("docs-tour");
    let tour = section("A two-minute tour");
    let header = only(&tour, "c", "/* bench.h */");
    let script = only(&tour, "python", "# bench.py");
    let toml = only(&tour, "toml", "");
    let command = only(&tour, "sh", "epy-codegen build");
    std::fs::write(dir.join("bench.h"), header).unwrap();
    std::fs::write(dir.join("bench.py"), script).unwrap();
    // The prose names the annotations file `bench.toml`, beside the script.
    assert!(command.contains("--annotations bench.toml"), "{command}");
    std::fs::write(dir.join("bench.toml"), toml).unwrap();
    ok(shell(command, &dir), "the tour's command");
    let lib = dir.join("out/bench.so");
    assert!(lib.is_file() && dir.join("out/bench.py").is_file());
    // The settings file went with the library: the runtime reads its
    // [plugin] table and ignores the annotation tables.
    assert!(dir.join("out/bench.toml").is_file());
    let status = Command::new("gcc")
        .args(["-O1", "-Wall", "-I"])
        .arg(&dir)
        .arg("-o")
        .arg(dir.join("tour_host"))
        .arg(root().join("tests/hosts/tour_host.c"))
        .arg("-ldl")
        .status()
        .unwrap();
    assert!(
        status.success(),
        "tour_host does not compile with the tour's bench.h"
    );
    let out = run(Command::new(dir.join("tour_host")).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(dir.join("out/bench.log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}\nplugin log:\n{log}"
    );
    // mypy --strict on the script as written, against the stubs the build
    // wrote (`bench_h.pyi`: a script may share its header's stem).
    assert!(
        stub_stems(&dir).iter().any(|s| s == "bench_h"),
        "no bench_h.pyi"
    );
    mypy_strict(&dir.join("bench.py")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_wcx_walkthrough_builds_type_checks_and_registers_as_shown() {
    let dir = scratch("docs-wcx");
    let wcx = section("An archive plugin for Double Commander");
    let commands = only(&wcx, "sh", "cargo build --release -p epy-codegen");
    let xml = only(&wcx, "xml", "<Plugins>");
    // The first line builds epy-codegen: this test's binary stands in for it
    // at the path the walkthrough uses.
    let (first, rest) = commands.split_once('\n').unwrap();
    assert_eq!(first, "cargo build --release -p epy-codegen");
    let release = dir.join("target/release");
    std::fs::create_dir_all(&release).unwrap();
    std::os::unix::fs::symlink(epy_codegen(), release.join("epy-codegen")).unwrap();
    let example = dir.join("examples/wcx-tar");
    std::fs::create_dir_all(&example).unwrap();
    std::fs::copy(
        root().join("examples/wcx-tar/tarwcx.py"),
        example.join("tarwcx.py"),
    )
    .unwrap();
    ok(shell(rest, &dir), "the WCX walkthrough's commands");
    let plugin = example.join("tarwcx.wcx");
    assert!(plugin.is_file());
    // The XML shown is what `epy-codegen install` writes for it (Flags from
    // the plugin's own GetPackerCaps).
    let field = |tag: &str| {
        let open = format!("<{tag}>");
        let start = xml.find(&open).unwrap() + open.len();
        xml[start..start + xml[start..].find('<').unwrap()].to_owned()
    };
    let (ext, flags) = (field("ArchiveExt"), field("Flags"));
    assert_eq!(field("Path"), "/path/to/tarwcx.wcx");
    let cfg = dir.join("dc");
    let line = format!(
        "epy-codegen install examples/wcx-tar/tarwcx.wcx --host doublecmd --config-dir {} --ext {ext}",
        cfg.display()
    );
    ok(shell(&line, &dir), "epy-codegen install");
    let written = std::fs::read_to_string(cfg.join("doublecmd.xml")).unwrap();
    let entry = format!(
        "<ArchiveExt>{ext}</ArchiveExt>\n        <Path>{}</Path>\n        <Flags>{flags}</Flags>",
        plugin.canonicalize().unwrap().display()
    );
    assert!(written.contains(&entry), "{written}\nlacks\n{entry}");
    // And the plugin lists a tar archive in the WCX test host.
    let arc = dir.join("a.tar");
    ok(
        shell(
            &format!(
                "cd {} && printf hi > hello.txt && tar -cf {} hello.txt",
                dir.display(),
                arc.display()
            ),
            &dir,
        ),
        "tar",
    );
    let host = compile_host("wcx_host", &dir, &[]);
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let out = run(Command::new(&host)
        .arg("--read-only")
        .arg(&plugin)
        .arg(&arc)
        .arg(dir.join("out"))
        .args(["unused", "unused"]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("entry hello.txt 2 ") && stdout.contains(" 0 failed"),
        "{stdout}"
    );
}

#[test]
fn the_ladspa_walkthrough_builds_and_halves_the_signal_in_applyplugin() {
    let dir = scratch("docs-ladspa");
    let ladspa = section("An audio effect in Python");
    let script = only(&ladspa, "python", "# examples/ladspa-gain/gain.py");
    let commands = only(&ladspa, "sh", "epy-codegen build gain.py");
    std::fs::write(dir.join("gain.py"), script).unwrap();
    // The input the walkthrough's applyplugin reads.
    ok(
        shell(
            "python3 -c \"import wave, struct\n\
w = wave.open('in.wav', 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)\n\
w.writeframes(struct.pack('<4000h', *[(i * 7919) % 65535 - 32767 for i in range(4000)])); w.close()\"",
            &dir,
        ),
        "writing in.wav",
    );
    ok(shell(commands, &dir), "the LADSPA walkthrough's commands");
    // applyplugin reads s/32768 and writes floor(y*32768): s * 0.5 → s >> 1.
    let out = ok(
        shell(
            "python3 -c \"import wave, struct\n\
a, b = (wave.open(f, 'rb') for f in ('in.wav', 'out.wav'))\n\
x = struct.unpack('<4000h', a.readframes(4000)); y = struct.unpack('<4000h', b.readframes(4000))\n\
bad = [(s, t) for s, t in zip(x, y) if t != s >> 1]\n\
print('halved', len(x) - len(bad), 'of', len(x), bad[:3])\"",
            &dir,
        ),
        "comparing out.wav",
    );
    assert!(out.contains("halved 4000 of 4000 []"), "{out}");
    let stems = stub_stems(&dir);
    if stems.iter().any(|s| s == "gain") {
        println!("mypy skipped: stubs named like the script");
    } else {
        mypy_strict(&dir.join("gain.py")).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// The blocks of `interfaces/README.md`.
fn pack_readme_blocks() -> Vec<Block> {
    let text = std::fs::read_to_string(root().join("interfaces/README.md")).unwrap();
    blocks(&text)
}

#[test]
fn the_first_plugin_commands_work_as_written() {
    let dir = scratch("docs-first");
    let first = section("Install, and a first plugin");
    let commands = only(&first, "sh", "cargo install --path epy-codegen");
    // The first line installs epy-codegen: this test's binary, on PATH, stands
    // in for it. `install` writes under $HOME, so HOME is the scratch folder.
    let (install, rest) = commands.split_once('\n').unwrap();
    assert!(install.starts_with("cargo install --path epy-codegen"));
    let mut cmd = shell(rest, &dir);
    cmd.env("HOME", &dir);
    ok(cmd, "the first-plugin commands");
    let plugin = dir.join("myarc/myarc.wcx");
    assert!(plugin.is_file(), "no {}", plugin.display());
    assert!(dir.join("myarc/wcxhead_h.pyi").is_file());
    let xml = std::fs::read_to_string(dir.join(".config/doublecmd/doublecmd.xml")).unwrap();
    let path = format!("<Path>{}</Path>", plugin.canonicalize().unwrap().display());
    assert!(
        xml.contains("<ArchiveExt>myarc</ArchiveExt>") && xml.contains(&path),
        "{xml}"
    );
}

#[test]
fn the_pack_readme_command_builds_what_it_says() {
    let dir = scratch("docs-packs");
    let blocks = pack_readme_blocks();
    let line = only(&blocks, "sh", "epy-codegen build myarc.py --pack wcx");
    ok(
        shell("epy-codegen new myarc --pack wcx", &dir),
        "epy-codegen new",
    );
    let arc = dir.join("myarc");
    ok(shell(line, &arc), "interfaces/README.md's command");
    // "→ myarc.wcx, and wcxhead_h.pyi beside myarc.py"
    assert!(line.contains("myarc.wcx") && line.contains("wcxhead_h.pyi"));
    assert!(arc.join("myarc.wcx").is_file());
    assert!(arc.join("wcxhead_h.pyi").is_file());
}
