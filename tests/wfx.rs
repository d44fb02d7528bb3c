//! The WFX test host (`tests/hosts/wfx_host.c`: Double Commander 1.0.10's
//! call sequences, every record at the size Double Commander allocates with
//! guard bytes after it) checked first against Double Commander's own
//! `ftp.wfx` on a local FTP server (pyftpdlib, 127.0.0.1 only), then against
//! the Python file systems in `examples/`.
use epy_tests::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const FTP_WFX: &str = "/usr/lib/doublecmd/plugins/wfx/ftp/ftp.wfx";

/// A pyftpdlib server on 127.0.0.1 serving `root` (user epy, password
/// secret); killed when dropped.
struct FtpServer {
    child: Child,
    port: u16,
}

impl FtpServer {
    fn start(root: &Path) -> FtpServer {
        let code = "import sys\n\
from pyftpdlib.authorizers import DummyAuthorizer\n\
from pyftpdlib.handlers import FTPHandler\n\
from pyftpdlib.servers import FTPServer\n\
a = DummyAuthorizer(); a.add_user('epy', 'secret', sys.argv[1], perm='elradfmwMT')\n\
FTPHandler.authorizer = a\n\
s = FTPServer(('127.0.0.1', 0), FTPHandler)\n\
print(s.address[1], flush=True)\n\
s.serve_forever()\n";
        let mut child = Command::new("python3")
            .arg("-c")
            .arg(code)
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 with pyftpdlib (tools/setup.sh installs it)");
        let mut line = String::new();
        use std::io::BufRead;
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("pyftpdlib did not start: {line:?}"));
        FtpServer { child, port }
    }
}

impl Drop for FtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn host(dir: &Path, plugin: &Path, conf: &Path, ansi: bool, commands: &[&str]) -> String {
    let host = compile_host("wfx_host", dir, &[]);
    let mut cmd = Command::new(&host);
    if ansi {
        cmd.arg("--ansi");
    }
    let out = run(cmd
        .arg(plugin)
        .arg(conf)
        .args(commands)
        .env("WFX_PASSWORD", "secret"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.contains("wfx_host: 0 failed"),
        "{stdout}"
    );
    stdout
}

fn has_line(out: &str, prefix: &str) -> bool {
    out.lines().any(|l| l.starts_with(prefix))
}

/// Double Commander's own ftp.wfx through the test host: its root lists the
/// connection from its ini file, and a full round trip works (get, put,
/// mkdir, move, list, delete) with every record's guard bytes intact.
#[test]
fn wfx_host_drives_double_commanders_ftp_plugin() {
    let dir = scratch("wfx-ftp");
    let (root, conf) = (dir.join("served"), dir.join("conf"));
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(&conf).unwrap();
    std::fs::write(root.join("a.txt"), b"hello ftp\n").unwrap();
    std::fs::write(dir.join("up.txt"), b"uploaded through ftp.wfx\n").unwrap();
    let server = FtpServer::start(&root);
    std::fs::write(
        conf.join("wfx.ini"),
        format!(
            "[FTP]\nConnectionCount=1\nConnection1Name=local\nConnection1Host=127.0.0.1\n\
             Connection1Port={}\nConnection1UserName=epy\nConnection1Password=c2VjcmV0\n\
             Connection1PassiveMode=1\n",
            server.port
        ),
    )
    .unwrap();
    let d = dir.display();
    let out = host(
        &dir,
        Path::new(FTP_WFX),
        &conf,
        false,
        &[
            "ls",
            "/",
            "ls",
            "/local/",
            "get",
            "/local/a.txt",
            &format!("{d}/got.txt"),
            "put",
            &format!("{d}/up.txt"),
            "/local/up.txt",
            "mkdir",
            "/local/newdir",
            "mv",
            "/local/up.txt",
            "/local/newdir/up2.txt",
            "ls",
            "/local/newdir",
            "get",
            "/local/newdir/up2.txt",
            &format!("{d}/back.txt"),
            "rm",
            "/local/newdir/up2.txt",
            "rmdir",
            "/local/newdir",
            "ls",
            "/local/",
        ],
    );
    drop(server);
    assert!(out.contains("root FTP\n"), "{out}");
    assert!(has_line(&out, "entry local "), "{out}");
    assert!(has_line(&out, "entry a.txt 10 "), "{out}");
    assert!(has_line(&out, "entry up2.txt 25 "), "{out}");
    assert!(
        has_line(&out, "get 0") && has_line(&out, "put 0") && has_line(&out, "mv 0"),
        "{out}"
    );
    // Pascal's TRUE is -1: any non-zero BOOL is success.
    for op in ["mkdir", "rm", "rmdir"] {
        assert!(!has_line(&out, &format!("{op} 0")), "{op}: {out}");
    }
    assert_eq!(std::fs::read(dir.join("got.txt")).unwrap(), b"hello ftp\n");
    assert_eq!(
        std::fs::read(dir.join("back.txt")).unwrap(),
        std::fs::read(dir.join("up.txt")).unwrap()
    );
    let left: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["a.txt"], "{out}");
}

/// The SQLite file system (`examples/wfx-sqlite`) in the test host: put
/// (with progress), list, get byte-equal, Cancel mid-copy, mkdir, move a
/// folder, delete; Unicode names; the put file's time as Double Commander
/// sets it (a FILETIME a few ticks short of the second) rounds back.
#[test]
fn sqlite_file_system_round_trip() {
    let dir = scratch("wfx-sqlite");
    let plugin = build_with_pack("examples/wfx-sqlite/sqlitefs.py", "wfx", &dir, None);
    assert_eq!(plugin.extension().unwrap(), "wfx");
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
    std::fs::write(dir.join("big.bin"), &big).unwrap();
    let small = dir.join("Grüße 日本.txt");
    std::fs::write(&small, "Grüße 日本\n").unwrap();
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    std::fs::File::options()
        .write(true)
        .open(&small)
        .unwrap()
        .set_modified(when)
        .unwrap();
    let d = dir.display();
    let out = host(
        &dir,
        &plugin,
        &dir,
        false,
        &[
            "ls",
            "/",
            "mkdir",
            "/Ordner",
            "put",
            &format!("{d}/big.bin"),
            "/Ordner/big.bin",
            "put",
            &format!("{d}/Grüße 日本.txt"),
            "/Ordner/Grüße 日本.txt",
            "ls",
            "/Ordner",
            "get",
            "/Ordner/big.bin",
            &format!("{d}/big.out"),
            "abort",
            "/Ordner/big.bin",
            &format!("{d}/big.abort"),
            "exec",
            "/Ordner/big.bin",
            "open",
            "mkdir",
            "/Ziel",
            "mv",
            "/Ordner",
            "/Ziel/Verschoben",
            "ls",
            "/Ziel/Verschoben",
            "get",
            "/Ziel/Verschoben/Grüße 日本.txt",
            &format!("{d}/small.out"),
            "rm",
            "/Ziel/Verschoben/big.bin",
            "rm",
            "/Ziel/Verschoben/Grüße 日本.txt",
            "rmdir",
            "/Ziel/Verschoben",
            "rmdir",
            "/Ziel",
            "ls",
            "/",
        ],
    );
    assert!(out.contains("root SQLite\n"), "{out}");
    assert!(out.contains("put 0 progress yes"), "{out}");
    assert!(out.contains("get 0 progress yes"), "{out}");
    assert!(out.contains("abort 5 progress yes"), "{out}"); // FS_FILE_USERABORT
    assert!(
        !dir.join("big.abort").exists(),
        "a cancelled copy left a file"
    );
    assert_eq!(std::fs::read(dir.join("big.out")).unwrap(), big);
    assert_eq!(
        std::fs::read(dir.join("small.out")).unwrap(),
        "Grüße 日本\n".as_bytes()
    );
    assert!(
        out.contains("entry Grüße 日本.txt 15 0x80000000 100644 1700000000\n"),
        "{out}"
    );
    assert!(
        has_line(&out, "entry big.bin 300000 0x80000000 100644 "),
        "{out}"
    );
    assert!(
        !has_line(&out, "mkdir 0") && !has_line(&out, "rm 0") && !has_line(&out, "rmdir 0"),
        "{out}"
    );
    assert_eq!(out.matches("mv 0").count(), 1, "{out}");
    // Listed twice (in /Ordner and, moved, in /Ziel/Verschoben); the root empty at both ends.
    assert_eq!(out.matches("entry big.bin").count(), 2, "{out}");
    assert_eq!(out.matches("listed 0").count(), 2, "{out}");
    assert!(
        dir.join("sqlitefs.sqlite").is_file(),
        "the database goes beside wfx.ini"
    );
}

/// The minimal example (`examples/wfx-minimal`, at most 80 lines) in the
/// test host, and both examples pass `mypy --strict` against the stubs.
#[test]
fn minimal_file_system_and_the_examples_type_check() {
    let src = std::fs::read_to_string(root().join("examples/wfx-minimal/memfs.py")).unwrap();
    assert!(src.lines().count() <= 80, "{} lines", src.lines().count());
    let dir = scratch("wfx-minimal");
    let plugin = build_with_pack("examples/wfx-minimal/memfs.py", "wfx", &dir, None);
    std::fs::write(dir.join("in.txt"), "in\n").unwrap();
    let d = dir.display();
    let out = host(
        &dir,
        &plugin,
        &dir,
        false,
        &[
            "ls",
            "/",
            "get",
            "/hello.txt",
            &format!("{d}/hello.out"),
            "put",
            &format!("{d}/in.txt"),
            "/in.txt",
            "mkdir",
            "/sub",
            "rm",
            "/hello.txt",
            "ls",
            "/",
            "ls",
            "/nope",
        ],
    );
    assert!(
        has_line(&out, "entry hello.txt 18 0x80000000 100644 "),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("hello.out")).unwrap(),
        "Hello from Python\n"
    );
    assert!(has_line(&out, "entry sub 0 0x80000010 40755 -1"), "{out}");
    assert!(has_line(&out, "entry in.txt 3 "), "{out}");
    assert!(out.ends_with("listed 0\nwfx_host: 0 failed\n"), "{out}");
    for (folder, script) in [("wfx-minimal", "memfs.py"), ("wfx-sqlite", "sqlitefs.py")] {
        let src =
            std::fs::read_to_string(root().join("examples").join(folder).join(script)).unwrap();
        checks_every_export(&src);
        let work = scratch(&format!("wfx-mypy-{folder}"));
        build_with_pack(&format!("examples/{folder}/{script}"), "wfx", &work, None);
        std::fs::copy(
            root().join("examples").join(folder).join(script),
            work.join(script),
        )
        .unwrap();
        let out = Command::new(python())
            .current_dir(&work)
            .args(["-m", "mypy", "--strict", "--no-incremental", script])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mypy --strict {script}:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// The pack's edges, over the Unicode and the ANSI exports: an empty
/// listing and a failing one give INVALID_HANDLE_VALUE (FsFindClose never
/// called), Error(code) reaches the host without a traceback, a raising
/// export gives the pack's error value with one, times round (never
/// truncate), sizes pass 32 bits, entries without a mode or time say so.
#[test]
fn listings_errors_and_times_reach_the_host() {
    let dir = scratch("wfx-edges");
    let plugin = build_with_pack("tests/scripts/wfx/edges.py", "wfx", &dir, None);
    let d = dir.display();
    for ansi in [false, true] {
        let mut cmds = vec!["ls", "/", "ls", "/empty", "ls", "/boom", "ls", "/missing"];
        let (get_out, put_in) = (format!("{d}/x.out"), format!("{d}/in.txt"));
        std::fs::write(&put_in, "x").unwrap();
        if !ansi {
            cmds.extend([
                "get", "/a", &get_out, "put", &put_in, "/b", "mkdir", "/no", "mkdir", "/yes",
            ]);
        }
        let out = host(&dir, &plugin, &dir, ansi, &cmds);
        assert!(
            out.contains("entry Grüße 日本.txt 5 0x80000000 100644 1700000000\n"),
            "{out}"
        );
        assert!(
            out.contains("entry half.bin 8589934599 0x80000000 100644 1700000001\n"),
            "{out}"
        );
        assert!(
            out.contains("entry dated 0 0x80000010 40755 1577934245\n"),
            "{out}"
        );
        assert!(out.contains("entry nomode 1 0 - -1\n"), "{out}");
        assert_eq!(out.matches("close 0").count(), 1, "{out}");
        assert_eq!(out.matches("listed 0").count(), 3, "{out}");
        if !ansi {
            assert!(out.contains("get 6 "), "{out}"); // Error(FS_FILE_NOTSUPPORTED)
            assert!(out.contains("put 4 "), "{out}"); // ValueError: FS_FILE_WRITEERROR
            assert!(
                out.contains("mkdir 0\n") && out.contains("mkdir 1\n"),
                "{out}"
            );
        }
        assert!(out.contains("log 7 3 listed /"), "{out}");
    }
    let log = std::fs::read_to_string(dir.join("edges.log")).unwrap();
    assert!(log.contains("RuntimeError: listing failed"), "{log}");
    assert!(log.contains("ValueError: cannot store /b"), "{log}");
    assert!(
        !log.contains("raise Error(") && !log.contains("empty folder"),
        "{log}"
    );
}

/// Every `def Fs*` of a script is named in its `check_exports(...)` call, so
/// mypy checks it against the header.
fn checks_every_export(src: &str) {
    assert!(
        src.contains("check_exports("),
        "no check_exports call:\n{src}"
    );
    for line in src.lines() {
        if let Some(name) = line
            .strip_prefix("def Fs")
            .and_then(|rest| rest.split('(').next())
        {
            let name = format!("Fs{name}");
            assert!(
                src.contains(&format!("{name}={name}")),
                "{name} is not in check_exports"
            );
        }
    }
}

/// `epy-codegen new NAME --pack wfx`: the starter builds, passes
/// `mypy --strict` untouched (its exports named in `check_exports`, so a
/// wrong signature fails mypy), and lists and copies out in the test host.
#[test]
fn new_wfx_starter_builds_type_checks_and_lists() {
    let dir = scratch("new-wfx");
    let out = run(&mut shell("epy-codegen new myfs --pack wfx", &dir));
    let next = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{next}");
    assert!(
        next.contains("epy-codegen build myfs.py --pack wfx"),
        "{next}"
    );
    assert!(next.contains("File system plugins (WFX)"), "{next}");
    let folder = dir.join("myfs");
    let built = run(&mut shell("epy-codegen build myfs.py --pack wfx", &folder));
    assert!(built.status.success());
    let mypy = Command::new(python())
        .current_dir(&folder)
        .args(["-m", "mypy", "--strict", "--no-incremental", "myfs.py"])
        .output()
        .unwrap();
    assert!(
        mypy.status.success(),
        "{}",
        String::from_utf8_lossy(&mypy.stdout)
    );
    let starter = std::fs::read_to_string(folder.join("myfs.py")).unwrap();
    checks_every_export(&starter);
    // A parameter the body never uses, of the wrong type: only
    // check_exports can tell mypy.
    let wrong = starter.replace(
        "def FsGetDefRootName(maxlen: int, /)",
        "def FsGetDefRootName(maxlen: str, /)",
    );
    assert_ne!(wrong, starter);
    std::fs::write(folder.join("wrong.py"), wrong).unwrap();
    let mypy = Command::new(python())
        .current_dir(&folder)
        .args(["-m", "mypy", "--strict", "--no-incremental", "wrong.py"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&mypy.stdout);
    assert!(
        !mypy.status.success()
            && said.contains("Argument \"FsGetDefRootName\" to \"check_exports\""),
        "{said}"
    );
    std::fs::remove_file(folder.join("wrong.py")).unwrap();
    let shown = dir.join("shown");
    std::fs::create_dir_all(shown.join("sub")).unwrap();
    std::fs::write(shown.join("a.txt"), "starter\n").unwrap();
    let host = compile_host("wfx_host", &folder, &[]);
    let got = folder.join("a.out");
    let out = run(Command::new(&host)
        .arg(folder.join("myfs.wfx"))
        .arg(&folder)
        .args(["ls", "/", "get", "/a.txt"])
        .arg(&got)
        .env("myfs_ROOT", &shown));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(has_line(&stdout, "root myfs"), "{stdout}");
    assert!(
        has_line(&stdout, "entry a.txt 8 0x80000000 100644 "),
        "{stdout}"
    );
    assert!(
        has_line(&stdout, "entry sub 4096 0x80000010 40755 ")
            || has_line(&stdout, "entry sub 0 0x80000010 40755 "),
        "{stdout}"
    );
    assert!(has_line(&stdout, "get 0 progress yes"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&got).unwrap(), "starter\n");
}
