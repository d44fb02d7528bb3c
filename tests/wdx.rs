//! The WDX test host (`tests/hosts/wdx_host.c`: Double Commander 1.0.10's
//! content-plugin call sequence and buffer sizes, guard bytes after each
//! buffer) checked first against Double Commander's own `deb_wdx.wdx` and
//! `audioinfo.wdx` on files whose truth the test made, then against the wdx
//! pack: every field type in the host's binary format, and the examples'
//! fields on files whose truth the test knows.
use epy_tests::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const DEB_WDX: &str = "/usr/lib/doublecmd/plugins/wdx/deb_wdx/deb_wdx.wdx";
const AUDIOINFO_WDX: &str = "/usr/lib/doublecmd/plugins/wdx/audioinfo/audioinfo.wdx";

/// Runs wdx_host on `plugin` over `files`; its stdout (every check passed).
fn host(dir: &Path, plugin: &Path, ansi: bool, files: &[&Path]) -> String {
    let host = compile_host("wdx_host", dir, &[]);
    let mut cmd = Command::new(&host);
    if ansi {
        cmd.arg("--ansi");
    }
    let out = run(cmd.arg(plugin).arg(dir.join("wdx.ini")).args(files));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.contains(", 0 failed"),
        "{stdout}"
    );
    stdout
}

/// The value line the host printed for `file`'s `field` (unit 0 unless
/// written `Field[1]`): "TYPE TEXT".
fn value(out: &str, file: &Path, field: &str) -> String {
    let field = if field.contains('[') {
        field.to_owned()
    } else {
        format!("{field}[0]")
    };
    let prefix = format!("value {} {field} ", file.display());
    out.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no value for {prefix:?} in:\n{out}"))
        .to_owned()
}

fn py(code: &str, args: &[&Path]) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn wdx_host_drives_double_commanders_deb_wdx() {
    assert!(
        Path::new(DEB_WDX).is_file(),
        "{DEB_WDX} is missing: run tools/setup.sh (doublecmd-plugins)"
    );
    let dir = scratch("wdx-deb");
    let pkg = dir.join("pkg/DEBIAN");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join("control"),
        "Package: epy-probe\nVersion: 1.2-3\nSection: utils\nPriority: optional\n\
         Architecture: all\nInstalled-Size: 17\nMaintainer: Test <t@example.org>\n\
         Description: a probe package\n",
    )
    .unwrap();
    let deb = dir.join("probe.deb");
    let built = run(Command::new("dpkg-deb")
        .args(["--build", "-Zgzip"])
        .arg(dir.join("pkg"))
        .arg(&deb));
    assert!(built.status.success(), "dpkg-deb failed");
    let out = host(&dir, Path::new(DEB_WDX), false, &[&deb]);
    // ANSI only: the host falls back to ContentGetValue.
    assert!(
        out.contains("exports ContentGetSupportedField ContentGetValue ContentGetDetectString\n")
    );
    assert!(out.contains("field 0 8 Package|\n"), "{out}");
    assert!(out.contains("field 9 2 Installed-Size|bytes|kbytes|Mbytes|Gbytes\n"));
    assert!(out.contains("detect EXT=\"DEB\"\n"));
    assert_eq!(value(&out, &deb, "Package"), "string epy-probe");
    assert_eq!(value(&out, &deb, "Version"), "string 1.2-3");
    assert_eq!(value(&out, &deb, "Architecture"), "string all");
    assert_eq!(value(&out, &deb, "Depends"), "fieldempty");
    // Installed-Size is in KiB: unit 0 (bytes) multiplies, unit 1 is as written.
    assert_eq!(value(&out, &deb, "Installed-Size[0]"), "numeric_64 17408");
    assert_eq!(value(&out, &deb, "Installed-Size[1]"), "numeric_64 17");
    assert_eq!(value(&out, &deb, "Summary"), "string a probe package");
}

#[test]
fn wdx_host_drives_double_commanders_audioinfo_wdx() {
    assert!(
        Path::new(AUDIOINFO_WDX).is_file(),
        "{AUDIOINFO_WDX} is missing"
    );
    let dir = scratch("wdx-audioinfo");
    let wav = dir.join("tone.wav");
    // 3 s of 16-bit stereo at 22050 Hz.
    py(
        "import sys, wave\n\
         w = wave.open(sys.argv[1], 'wb'); w.setnchannels(2); w.setsampwidth(2); w.setframerate(22050)\n\
         w.writeframes(bytes(4 * 22050 * 3)); w.close()",
        &[&wav],
    );
    let out = host(&dir, Path::new(AUDIOINFO_WDX), false, &[&wav]);
    // Unicode: ContentSetDefaultParams first (audioinfo allocates there),
    // values through ContentGetValueW.
    assert!(out.contains(" ContentGetValueW "), "{out}");
    assert!(out.contains("params size=4108\n"));
    assert!(out.contains("field 0 7 Channels|Unknown|Mono|Stereo|Joint Stereo|Dual Channel\n"));
    assert_eq!(value(&out, &wav, "Channels"), "multiplechoice Stereo");
    assert_eq!(value(&out, &wav, "Duration (seconds)"), "numeric_32 3");
    assert_eq!(value(&out, &wav, "Duration (H:M:S)"), "string 00:00:03");
    assert_eq!(value(&out, &wav, "Sample rate[0]"), "numeric_32 22050");
    assert_eq!(value(&out, &wav, "Sample rate[1]"), "numeric_32 22");
    // 22050 Hz × 2 channels × 16 bits = 705.6 kbit/s.
    assert_eq!(value(&out, &wav, "Bitrate"), "numeric_32 706");
    assert_eq!(value(&out, &wav, "Title"), "fieldempty");
}

/// The types script built with the wdx pack, beside a `.pyi` that mypy accepts.
fn types_plugin(dir: &Path) -> PathBuf {
    let lib = build_with_pack("tests/scripts/wdx_types.py", "wdx", dir, None);
    mypy_strict(&dir.join("wdx_types.py")).unwrap_or_else(|e| panic!("{e}"));
    lib
}

/// The full text the types script returns.
const BODY_LINES: usize = 150;
fn body() -> String {
    (0..BODY_LINES)
        .map(|i| format!("line {i} ünïcode 𝄞\\n"))
        .collect()
}

#[test]
fn every_field_type_reaches_the_host_in_its_format() {
    let dir = scratch("wdx-types");
    let lib = types_plugin(&dir);
    assert_eq!(lib.extension().unwrap(), "wdx");
    let file = dir.join("a.txt");
    std::fs::write(&file, "12345").unwrap();
    let missing = dir.join("missing.txt");
    let out = host(&dir, &lib, false, &[&file, &missing]);
    // The field list, names and units through the two 256-byte buffers.
    for line in [
        "field 0 1 Int32|",
        "field 2 3 Float|",
        "field 6 7 Choice|Mono|Stereo",
        "field 7 8 Text|",
        "field 8 11 Wide|",
        "field 10 2 Size|bytes|kbytes",
        "field 15 9 Body|",
        "field 18 8 Ini|",
        "detect EXT=\"TXT\" | EXT=\"BIN\"",
        "flags -1 2",
        "params size=4108",
    ] {
        assert!(out.contains(&format!("{line}\n")), "no {line:?} in\n{out}");
    }
    assert!(out.contains("field 19 8 Stop|\n"), "{out}");
    assert!(out.contains("field 20 2 BadCode|\n"), "{out}");
    assert!(!out.contains("field 21 "), "{out}");
    let v = |f: &str| value(&out, &file, f);
    assert_eq!(v("Int32"), "numeric_32 -123456");
    assert_eq!(v("Int64"), "numeric_64 1099511627776");
    assert_eq!(v("Float"), "floating 2.5");
    assert_eq!(v("Date"), "date 2024-02-29");
    assert_eq!(v("Time"), "time 23:59:58");
    assert_eq!(v("Bool"), "boolean TRUE");
    assert_eq!(v("Choice"), "multiplechoice Stereo");
    // ContentGetValueW answers text as UTF-16.
    assert_eq!(v("Text"), "stringw héllo wörld ✓");
    assert_eq!(v("Wide"), "stringw 𝄞 clef");
    // FILETIME: 100 ns since 1601 (UTC); Python's count of the same instant.
    let ticks = py(
        "import datetime as d\n\
         t = d.datetime(2021, 6, 1, 12, 0, 0, 123456, tzinfo=d.timezone.utc) - d.datetime(1601, 1, 1, tzinfo=d.timezone.utc)\n\
         print(t // d.timedelta(microseconds=1) * 10)",
        &[],
    );
    assert_eq!(v("When"), format!("datetime {}", ticks.trim()));
    assert_eq!(v("Size[0]"), "numeric_64 4096");
    assert_eq!(v("Size[1]"), "numeric_64 4");
    assert_eq!(v("Empty"), "fieldempty");
    assert_eq!(v("Bytes"), "numeric_64 5");
    assert_eq!(value(&out, &missing, "Bytes"), "fileerror");
    // Slow: ft_delayed in the foreground, the value from the background thread.
    assert_eq!(v("Slow"), "numeric_64 7 (delayed)");
    // 5000 bytes do not fit 2049: an error result, the guard bytes intact.
    assert_eq!(v("TooLong"), "fileerror");
    assert_eq!(v("Overflow"), "fileerror");
    assert_eq!(v("OnDemand"), "result -4");
    // Error(12345) is refused where the script makes it: never "result 12345".
    assert_eq!(v("BadCode"), "fileerror");
    assert_eq!(
        v("Ini"),
        format!("stringw {} 1.50", dir.join("wdx.ini").display())
    );
    // Full text in UTF-16 chunks of at most 2048 bytes, UnitIndex advanced by
    // the bytes returned, until ft_fieldempty; then -1 ends a search early.
    let text = body();
    let utf16_bytes: usize = text.replace("\\n", "\n").encode_utf16().count() * 2;
    let full = value(&out, &file, "Body");
    let chunks: usize = full["fulltext chunks=".len()..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(chunks >= utf16_bytes.div_ceil(2046), "{full}");
    assert!(
        full.ends_with(&format!(" bytes={utf16_bytes} end=-3 {text}")),
        "{full}"
    );
    assert!(out.contains(&format!("fulltext-stop {} Body -3\n", file.display())));
    // The raising fields logged their tracebacks; the others nothing.
    let log = std::fs::read_to_string(dir.join("wdx_types.log")).unwrap_or_default();
    assert!(
        log.contains("do not fit the host's 2049-byte buffer"),
        "{log}"
    );
    assert!(log.contains("does not fit a 32-bit integer"), "{log}");
    assert!(
        log.contains("ValueError: Error(12345): not a code of the wdx interface; use one of")
            && log.contains("ft_fileerror (-2)"),
        "{log}"
    );
    assert!(
        !log.contains("missing.txt"),
        "an OSError is ft_fileerror, not a traceback:\n{log}"
    );
}

#[test]
fn content_stop_get_value_reaches_a_running_field() {
    let dir = scratch("wdx-stop");
    let lib = types_plugin(&dir);
    let file = dir.join("long.stop");
    std::fs::write(&file, "").unwrap();
    // The value is asked on a worker thread; ContentStopGetValueW comes
    // from the main thread while the field waits for it (stop_requested).
    let host = compile_host("wdx_host", &dir, &[]);
    let out = run(Command::new(&host)
        .args(["--stop", "Stop"])
        .arg(&lib)
        .arg(dir.join("wdx.ini"))
        .arg(&file));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "value {} Stop[0] stringw stopped (stopped)\n",
            file.display()
        )),
        "{stdout}"
    );
}

#[test]
fn the_ansi_exports_answer_in_the_system_encoding() {
    let dir = scratch("wdx-types-ansi");
    let lib = types_plugin(&dir);
    let file = dir.join("ü.txt");
    std::fs::write(&file, "12345").unwrap();
    let out = host(&dir, &lib, true, &[&file]);
    assert!(!out.contains("ContentGetValueW"), "{out}");
    let v = |f: &str| value(&out, &file, f);
    assert_eq!(v("Text"), "string héllo wörld ✓");
    assert_eq!(v("Wide"), "string 𝄞 clef");
    assert_eq!(v("Bytes"), "numeric_64 5");
    // UTF-8 chunks of at most 2048 bytes, never split inside a character.
    let text = body();
    let bytes = text.replace("\\n", "\n").len();
    let full = value(&out, &file, "Body");
    assert!(
        full.starts_with("fulltext chunks=")
            && full.ends_with(&format!("bytes={bytes} end=-3 {text}")),
        "{full}"
    );
}

/// `identify`'s (ImageMagick) width and height of an image: the truth.
fn identify(image: &Path) -> (u64, u64) {
    let out = run(Command::new("identify")
        .args(["-format", "%w %h"])
        .arg(image));
    assert!(out.status.success(), "identify {}", image.display());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut it = text.split(' ').map(|n| n.trim().parse::<u64>().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

#[test]
fn images_example_gives_width_height_and_lines_the_files_have() {
    let dir = scratch("wdx-images");
    let lib = build_with_pack("examples/wdx-images/imagewdx.py", "wdx", &dir, None);
    mypy_strict(&dir.join("imagewdx.py")).unwrap_or_else(|e| panic!("{e}"));
    // Images made by ImageMagick: PNG, GIF, a baseline JPEG, a progressive
    // one with a 60 KB comment segment before its frame header.
    let images: Vec<(PathBuf, Vec<&str>)> = vec![
        (dir.join("a.png"), vec!["-size", "37x21", "xc:red"]),
        (dir.join("b.gif"), vec!["-size", "300x7", "xc:blue"]),
        (dir.join("c.jpg"), vec!["-size", "640x480", "gradient:"]),
        (
            dir.join("d.jpeg"),
            vec!["-size", "1x4097", "xc:green", "-interlace", "JPEG"],
        ),
    ];
    for (path, args) in &images {
        let mut cmd = Command::new("convert");
        cmd.args(args);
        if path.ends_with("d.jpeg") {
            cmd.args(["-set", "comment", &"c".repeat(60_000)]);
        }
        assert!(
            run(cmd.arg(path)).status.success(),
            "convert {}",
            path.display()
        );
    }
    // Text: 3 lines; 2 lines, the last without a newline; empty; a large one.
    let texts = [
        (dir.join("three.txt"), "one\ntwo\nthree\n".to_owned(), 3),
        (dir.join("two.txt"), "one\r\ntwo".to_owned(), 2),
        (dir.join("empty.txt"), String::new(), 0),
        (
            dir.join("big.txt"),
            "ünïcode line\n".repeat(250_000),
            250_000,
        ),
    ];
    for (path, text, _) in &texts {
        std::fs::write(path, text).unwrap();
    }
    let binary = dir.join("data.bin");
    std::fs::write(&binary, b"\x00\x01\x02 not text").unwrap();
    let mut files: Vec<&Path> = images.iter().map(|(p, _)| p.as_path()).collect();
    files.extend(texts.iter().map(|(p, _, _)| p.as_path()));
    files.push(&binary);
    let out = host(&dir, &lib, false, &files);
    assert!(
        out.contains("field 0 2 Width|\nfield 1 2 Height|\nfield 2 2 Lines|\n"),
        "{out}"
    );
    assert!(!out.contains("field 3 "), "{out}");
    for (image, _) in &images {
        let (w, h) = identify(image);
        assert_eq!(
            value(&out, image, "Width"),
            format!("numeric_64 {w}"),
            "{}",
            image.display()
        );
        assert_eq!(
            value(&out, image, "Height"),
            format!("numeric_64 {h}"),
            "{}",
            image.display()
        );
        assert_eq!(value(&out, image, "Lines"), "fieldempty");
    }
    for (path, _, lines) in &texts {
        assert_eq!(value(&out, path, "Lines"), format!("numeric_64 {lines}"));
        assert_eq!(value(&out, path, "Width"), "fieldempty");
    }
    assert_eq!(value(&out, &binary, "Lines"), "fieldempty");
    assert_eq!(value(&out, &binary, "Height"), "fieldempty");
}

#[test]
fn minimal_example_and_the_starter_answer_the_host() {
    let dir = scratch("wdx-minimal");
    let lines = std::fs::read_to_string(root().join("examples/wdx-minimal/wordswdx.py")).unwrap();
    assert!(
        lines.lines().count() <= 80,
        "the minimal example grew past 80 lines"
    );
    let lib = build_with_pack("examples/wdx-minimal/wordswdx.py", "wdx", &dir, None);
    mypy_strict(&dir.join("wordswdx.py")).unwrap_or_else(|e| panic!("{e}"));
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "\n  Shopping list  \nmilk eggs\tbread\n").unwrap();
    let out = host(&dir, &lib, false, &[&notes]);
    assert_eq!(value(&out, &notes, "Words"), "numeric_64 5");
    assert_eq!(value(&out, &notes, "Title"), "stringw Shopping list");

    // `epy-codegen new --pack wdx`: builds and type-checks as written.
    let new = run(&mut shell("epy-codegen new mycols --pack wdx", &dir));
    let next = format!(
        "{}{}",
        String::from_utf8_lossy(&new.stdout),
        String::from_utf8_lossy(&new.stderr)
    );
    assert!(new.status.success(), "{next}");
    for step in [
        "epy-codegen build mycols.py --pack wdx",
        "python3 -m mypy --strict mycols.py",
        "Content plugins (WDX) > Add mycols.wdx",
    ] {
        assert!(next.contains(step), "the next steps lack `{step}`:\n{next}");
    }
    let folder = dir.join("mycols");
    let built = run(&mut shell(
        "epy-codegen build mycols.py --pack wdx",
        &folder,
    ));
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    mypy_strict(&folder.join("mycols.py")).unwrap_or_else(|e| panic!("{e}"));
    let out = host(&folder, &folder.join("mycols.wdx"), false, &[&notes]);
    assert_eq!(value(&out, &notes, "Lines"), "numeric_64 3");
    assert_eq!(value(&out, &notes, "First line"), "fieldempty");
}

/// The edge-case script built with the wdx pack, and the `wdx_call` host.
fn edge_plugin(dir: &Path) -> (PathBuf, PathBuf) {
    let lib = build_with_pack("tests/scripts/wdx_edge.py", "wdx", dir, None);
    (lib, compile_host("wdx_call", dir, &[]))
}

/// `wdx_call lib file ARGS...`: its stdout.
fn call(host: &Path, lib: &Path, args: &[&str]) -> String {
    let out = run(Command::new(host).arg(lib).arg(lib).args(args));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout}");
    stdout
}

#[test]
fn a_negative_maxlen_is_refused_before_python_sees_it() {
    let dir = scratch("wdx-negative");
    let (lib, host) = edge_plugin(&dir);
    let out = call(
        &host,
        &lib,
        &[
            "Size",
            "0",
            "-1",
            "A",
            "0",
            "-5",
            "@supported",
            "0",
            "-1",
            "Size",
            "0",
            "2049",
        ],
    );
    // ft_fileerror for values, ft_nomorefields for the field list; nothing written.
    assert!(out.contains("call Size 0 -1 -> -2 guard ok\n"), "{out}");
    assert!(out.contains("call A 0 -5 -> -2 guard ok\n"), "{out}");
    assert!(
        out.contains("call @supported 0 -1 -> 0 guard ok\n"),
        "{out}"
    );
    assert!(
        out.contains("call Size 0 2049 -> 2 = 2048 guard ok\n"),
        "{out}"
    );
    let log = std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default();
    assert!(
        log.contains("the host gave a negative buffer length (-1)"),
        "{log}"
    );
    assert!(log.contains("capacity for FieldName (-1)"), "{log}");
    assert!(!log.contains("SystemError"), "{log}");
}

#[test]
fn an_out_of_range_unit_index_is_fieldempty() {
    let dir = scratch("wdx-units");
    let (lib, host) = edge_plugin(&dir);
    let out = call(
        &host,
        &lib,
        &[
            "Size", "1", "2049", "Size", "2", "2049", "Size", "-1", "2049",
        ],
    );
    assert!(
        out.contains("call Size 1 2049 -> 2 = 2 guard ok\n"),
        "{out}"
    );
    assert!(out.contains("call Size 2 2049 -> -3 guard ok\n"), "{out}");
    assert!(out.contains("call Size -1 2049 -> -3 guard ok\n"), "{out}");
}

#[test]
fn a_live_reload_keeps_the_field_order_the_host_read() {
    let dir = scratch("wdx-reorder");
    let (lib, host) = edge_plugin(&dir);
    let script = lib.with_extension("py");
    let text = std::fs::read_to_string(&script).unwrap();
    // The edit: New replaces A (index 1 in the new script, where the host's
    // column A is); B, Size keep their places.
    let edited = text.replace("VERSION = \"1\"", "VERSION = \"2\"").replace(
        "@field(\"A\", str)\ndef a(path: str) -> str:\n    return \"a\"\n",
        "@field(\"New\", str)\ndef new(path: str) -> str:\n    return \"new\"\n",
    );
    assert_ne!(edited, text);
    let next = dir.join("next.py");
    std::fs::write(&next, edited).unwrap();
    let (next, script) = (next.display().to_string(), script.display().to_string());
    let out = call(
        &host,
        &lib,
        &[
            "B", "0", "2049", "@swap", &next, &script, "@await", "Version", "2", "B", "0", "2049",
            "A", "0", "2049", "A", "0", "2049", "Size", "1", "2049",
        ],
    );
    assert!(out.contains("field 2 8 B|\n"), "{out}");
    assert!(out.contains("await Version 2 ok\n"), "{out}");
    // The host's column A is an error (not New's value), B is still B.
    assert_eq!(
        out.matches("call B 0 2049 -> 11 = b guard ok\n").count(),
        2,
        "{out}"
    );
    assert_eq!(
        out.matches("call A 0 2049 -> -2 guard ok\n").count(),
        2,
        "{out}"
    );
    assert!(
        out.contains("call Size 1 2049 -> 2 = 2 guard ok\n"),
        "{out}"
    );
    let log = std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default();
    assert_eq!(
        log.matches("('A') is no longer declared").count(),
        1,
        "{log}"
    );
    assert_eq!(
        log.matches("'New' are new since the host read").count(),
        1,
        "{log}"
    );
}

#[test]
fn declaration_mistakes_name_the_field_and_the_fix() {
    let dir = scratch("wdx-declare");
    let (lib, host) = edge_plugin(&dir);
    let script = lib.with_extension("py");
    let text = std::fs::read_to_string(&script).unwrap();
    let long = "W".repeat(256);
    for (from, to, says) in [
        (
            "@field(\"A\", str)",
            "@field(\"A.b\", str)",
            "a field name must be non-empty and must not contain '.', '|' or ':'",
        ),
        (
            "@field(\"A\", str)",
            "@field(\"B\", str)",
            "@field('B'): this name is already declared (field 1)",
        ),
        (
            "@field(\"A\", str)",
            "@field(\"A\", list)",
            "@field('A', list): unsupported type; use int, float, bool, str",
        ),
        (
            "@field(\"A\", str)",
            &*format!("@field(\"{long}\", str)"),
            "the name is 256 bytes; the host reads at most 255: shorten it",
        ),
    ] {
        std::fs::write(&script, text.replace(from, to)).unwrap();
        let _ = std::fs::remove_file(lib.with_extension("log"));
        let out = call(&host, &lib, &[]);
        assert!(out.contains("fields 0 end=0\n"), "{out}");
        let log = std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default();
        assert!(log.contains(says), "{to}: {log}");
    }
}

#[test]
fn build_says_to_import_the_layers_exports() {
    let dir = scratch("wdx-no-exports");
    std::fs::write(
        dir.join("cols.py"),
        "from wdxplugin_h import field\n\n\n@field(\"A\", str)\ndef a(path: str) -> str:\n    return \"a\"\n",
    )
    .unwrap();
    let out = run(&mut shell("epy-codegen build cols.py --pack wdx", &dir));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("`from wdxplugin_h import ContentGetSupportedField, ContentGetValueW`"),
        "{err}"
    );
    // wfx: the script's FsInitW and FsFindFirstW, the layer's FsFindNextW and FsFindClose.
    std::fs::write(
        dir.join("fs.py"),
        "from typing import Any\n\n\ndef FsInitW(PluginNr: int, pProgressProc: Any, pLogProc: Any, pRequestProc: Any, /) -> int:\n    return 0\n\n\ndef FsFindFirstW(Path: str, FindData: Any, /) -> Any:\n    return None\n",
    )
    .unwrap();
    let out = run(&mut shell("epy-codegen build fs.py --pack wfx", &dir));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("`from wfxplugin_h import FsFindClose, FsFindNextW`"),
        "{err}"
    );
}

#[test]
fn install_registers_a_content_plugin_as_wdxplugin() {
    let dir = scratch("wdx-install");
    let lib = types_plugin(&dir);
    let cfg = dir.join("cfg");
    let line = format!(
        "epy-codegen install {} --host doublecmd --config-dir {}",
        lib.display(),
        cfg.display()
    );
    let out = run(&mut shell(&line, &dir));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let xml = std::fs::read_to_string(cfg.join("doublecmd.xml")).unwrap();
    assert!(!xml.contains("WcxPlugin"), "{xml}");
    assert!(
        xml.contains(&format!(
            "<WdxPlugins>\n      <WdxPlugin>\n        <Name>wdx_types</Name>\n        <Path>{}</Path>\n        \
             <DetectString>EXT=&quot;TXT&quot; | EXT=&quot;BIN&quot;</DetectString>\n      </WdxPlugin>\n    </WdxPlugins>",
            lib.display()
        )),
        "{xml}"
    );
    // A second run changes nothing.
    let out = run(&mut shell(&line, &dir));
    assert!(out.status.success());
    assert_eq!(
        std::fs::read_to_string(cfg.join("doublecmd.xml")).unwrap(),
        xml
    );
}
