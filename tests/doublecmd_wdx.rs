//! Double Commander itself (doublecmd-gtk under Xvfb, driven with xdotool by
//! `tests/doublecmd/dc_wdx.sh`) showing the Python content plugin
//! `examples/wdx-images` as custom columns `Width`, `Height` and `Lines`: the
//! columns DC shows are copied with `cm_CopyFileDetailsToClip`, read back from
//! the X clipboard and compared with ImageMagick's `identify` and Python's
//! line counts. Screenshot: target/artifacts/doublecmd-wdx-columns.png.
use epy_tests::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

#[test]
fn double_commander_shows_the_python_wdx_fields_as_columns() {
    let dir = scratch("doublecmd-wdx");
    let plugin = build_with_pack("examples/wdx-images/imagewdx.py", "wdx", &dir, None);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    for (name, args) in [
        ("a.png", &["-size", "37x21", "xc:red"][..]),
        ("b.gif", &["-size", "300x7", "xc:blue"][..]),
        (
            "c.jpg",
            &["-size", "640x480", "gradient:", "-interlace", "JPEG"][..],
        ),
    ] {
        let made = Command::new("convert")
            .args(args)
            .arg(data.join(name))
            .status()
            .unwrap();
        assert!(made.success(), "convert {name}");
    }
    std::fs::write(data.join("three.txt"), "one\ntwo\nthree\n").unwrap();
    std::fs::write(data.join("ünï.txt"), "a\nb").unwrap();

    // What the columns must show: identify's sizes, Python's line counts.
    let truth = Command::new(python())
        .arg("-c")
        .arg(
            "import os, subprocess, sys\n\
             d = sys.argv[1]\n\
             for n in sorted(os.listdir(d)):\n\
             \x20   p = os.path.join(d, n)\n\
             \x20   if n.endswith('.txt'):\n\
             \x20       print(n, '', '', len(open(p, 'rb').read().splitlines()), sep='\\t')\n\
             \x20   else:\n\
             \x20       w, h = subprocess.check_output(['identify', '-format', '%w %h', p], text=True).split()\n\
             \x20       print(n, w, h, '', sep='\\t')\n",
        )
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        truth.status.success(),
        "{}",
        String::from_utf8_lossy(&truth.stderr)
    );
    let rows = |text: &str| -> BTreeMap<String, String> {
        text.lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, rest) = l.split_once('\t').unwrap_or((l, ""));
                (name.to_owned(), rest.to_owned())
            })
            .collect()
    };
    let expected = rows(&String::from_utf8_lossy(&truth.stdout));
    assert_eq!(expected.len(), 5);

    // GUI automation on a loaded machine: a failed run is tried once more.
    let mut work = dir.join("dc");
    let mut out = drive(&plugin, &data, &work);
    if !String::from_utf8_lossy(&out.stdout).contains("PASS") {
        println!("first Double Commander run failed, retrying once");
        work = dir.join("dc-retry");
        out = drive(&plugin, &data, &work);
    }
    let artifacts = root().join("target/artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    for (shot, to) in [("dc_columns.png", "columns"), ("fail.png", "fail")] {
        if work.join(shot).is_file() {
            let to = artifacts.join(format!("doublecmd-wdx-{to}.png"));
            std::fs::copy(work.join(shot), &to).unwrap();
            println!("screenshot: {}", to.display());
        }
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = std::fs::read_to_string(plugin.with_extension("log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains("PASS"),
        "Double Commander run failed:\n{stdout}\nplugin log:\n{log}\nDC log: {}",
        work.join("dc.log").display()
    );
    let shown = std::fs::read_to_string(work.join("columns.txt")).unwrap();
    assert_eq!(rows(&shown), expected, "DC's columns:\n{shown}");
    assert!(log.is_empty(), "the plugin logged:\n{log}");
}

fn drive(plugin: &Path, data: &Path, work: &Path) -> std::process::Output {
    run(Command::new("bash")
        .arg(root().join("tests/doublecmd/dc_wdx.sh"))
        .arg("--plugin")
        .arg(plugin)
        .args([
            "--name",
            "imagewdx",
            "--fields",
            "Width,Height,Lines",
            "--data",
        ])
        .arg(data)
        .arg("--work")
        .arg(work))
}
