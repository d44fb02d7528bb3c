#!/usr/bin/env python3
"""dc_wfx.py - Double Commander 1.0.10 itself (doublecmd-gtk under Xvfb, driven
with xdotool) using a WFX file-system plugin whose data is one SQLite database
(examples/wfx-sqlite):

    dc_wfx.py --plugin sqlitefs.wfx --db DB --work DIR

DB must hold /hello.txt. Steps (each failure prints "FAIL: <step>: <why>", keeps
DIR/fail.png and DIR/dc.log, exits 1; DC and Xvfb are always stopped):
  open     DC starts with the plugin registered under <WfxPlugins> (name SQLite)
           and -R DIR/out; the left panel's drive button opens the virtual file
           systems (vfs:/), End + Return opens SQLite; dc.log must say
           "Found registered plugin <plugin>". Screenshot DIR/dc_wfx_list.png.
  copyout  hello.txt is selected by quick search, F5, Return in the Copy dialog:
           DIR/out/hello.txt must appear (the caller compares its bytes)
  copyin   in the right panel DIR/out/in.txt is selected, F5, Return: the
           database must get /in.txt
  mkdir    left panel, F7, type "Neu", Return: the database must get /Neu
  delete   "Neu" selected, F8, Return: /Neu must leave the database.
           Screenshot DIR/dc_wfx_done.png.
Prints PASS. A watchdog ends the run after DC_WFX_TIMEOUT seconds (default 400).
"""

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--plugin", required=True)
ap.add_argument("--db", required=True)
ap.add_argument("--work", required=True)
args = ap.parse_args()
PLUGIN, DB, WORK = (os.path.realpath(p) for p in (args.plugin, args.db, args.work))
OUT = os.path.join(WORK, "out")
STEP = "setup"
procs: list[subprocess.Popen[bytes]] = []
env = dict(os.environ, SQLITEFS_DB=DB)


def cleanup() -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(3)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def fail(why: str) -> None:
    print(f"FAIL: {STEP}: {why}", flush=True)
    if "DISPLAY" in env:
        subprocess.run(["import", "-silent", "-window", "root", os.path.join(WORK, "fail.png")], env=env, timeout=20)
    print(f"  screenshot: {WORK}/fail.png\n  DC output: {WORK}/dc.log", flush=True)
    cleanup()
    sys.exit(1)


signal.signal(signal.SIGALRM, lambda *_: fail("global timeout"))
signal.alarm(int(os.environ.get("DC_WFX_TIMEOUT", "400")))


def x(*cmd: str) -> str:
    r = subprocess.run(list(cmd), env=env, capture_output=True, text=True, timeout=20)
    return r.stdout


def wait(seconds: float, cond, why: str) -> None:  # type: ignore[no-untyped-def]
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return
        if procs and procs[-1].poll() is not None:
            fail("Double Commander exited")
        time.sleep(0.3)
    fail(why)


def windows() -> dict[str, str]:
    ids = x("xdotool", "search", "--onlyvisible", "--name", "").split()
    return {w: x("xdotool", "getwindowname", w).strip() for w in ids}


def geometry(w: str) -> tuple[int, int, int, int]:
    g = dict(line.split("=") for line in x("xdotool", "getwindowgeometry", "--shell", w).split())
    return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])


def db_has(path: str) -> bool:
    with sqlite3.connect(DB) as c:
        return c.execute("SELECT 1 FROM entries WHERE path = ?", (path,)).fetchone() is not None


def key(*keys: str) -> None:
    for k in keys:
        x("xdotool", "key", k)
        time.sleep(0.25)


def dialog_key(main: str, *keys: str) -> None:
    """Waits for a window besides the main one, points at it, presses keys."""
    found: list[str] = []

    def other() -> bool:
        # Message boxes are titled "Double Commander" too; the main form may
        # be mapped twice under load: a dialog is a smaller named window.
        size = geometry(main)[2:]
        found[:] = [w for w, n in windows().items() if n and w != main and geometry(w)[2:] != size]
        return bool(found)

    wait(45, other, "no dialog appeared")
    time.sleep(0.5)
    gx, gy, gw, _ = geometry(found[0])
    x("xdotool", "mousemove", str(gx + gw // 2), str(gy + 12))
    time.sleep(0.3)
    key(*keys)


def select(name: str) -> None:
    """Quick search: Home, type the name, Escape keeps the cursor on it."""
    key("Home")
    x("xdotool", "type", "--delay", "80", name)
    time.sleep(0.5)
    key("Escape")


os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "in.txt"), "w") as f:
    f.write("copied in by Double Commander\n")
os.makedirs(os.path.join(WORK, "cfg"), exist_ok=True)
with open(os.path.join(WORK, "cfg", "doublecmd.xml"), "w") as f:
    f.write(f"""<?xml version="1.0" encoding="UTF-8"?>
<doublecmd DCVersion="1.0.10" ConfigVersion="13">
  <Behaviours><OnlyOneAppInstance>False</OnlyOneAppInstance></Behaviours>
  <Keyboard><Typing><Actions><NoModifier>2</NoModifier><Alt>0</Alt><CtrlAlt>3</CtrlAlt></Actions></Typing></Keyboard>
  <QuickSearch><MatchBeginning>True</MatchBeginning><MatchEnding>True</MatchEnding><Case>1</Case><Items>2</Items></QuickSearch>
  <Plugins><WfxPlugins><WfxPlugin Enabled="True"><Name>SQLite</Name><Path>{PLUGIN}</Path></WfxPlugin></WfxPlugins></Plugins>
</doublecmd>
""")

STEP = "open"
r, w = os.pipe()
xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                        pass_fds=(w,), stderr=subprocess.DEVNULL)
procs.append(xvfb)
os.close(w)
env["DISPLAY"] = ":" + os.read(r, 16).decode().strip()
log = os.path.join(WORK, "dc.log")
cmd = f"exec doublecmd --no-splash --config-dir={WORK}/cfg -L {OUT} -R {OUT}"
procs.append(subprocess.Popen(["script", "-q", "-f", "-e", "-c", cmd, log], env=dict(env, SHELL="/bin/bash"),
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))


def main_window() -> str | None:
    for w, n in windows().items():
        if n.startswith("Double Commander"):
            return w
    return None


wait(120, lambda: main_window() is not None, "DC's main window did not appear")
time.sleep(3)
main = main_window() or ""
mx, my, mw, mh = geometry(main)
# The left panel's drive button (top left of the panel) shows the virtual file systems.
x("xdotool", "mousemove", str(mx + 16), str(my + 64), "click", "1")
time.sleep(2)
x("xdotool", "mousemove", str(mx + mw // 4), str(my + mh * 3 // 4), "click", "1")
time.sleep(0.5)
key("End", "Return")


def log_has(text: str) -> bool:
    with open(log, errors="replace") as f:
        return text in f.read()


wait(60, lambda: log_has(f"Found registered plugin {PLUGIN}"), "the plugin was not opened (vfs:/ list, SQLite)")
time.sleep(3)
x("import", "-silent", "-window", "root", os.path.join(WORK, "dc_wfx_list.png"))

STEP = "copyout"
x("xdotool", "mousemove", str(mx + mw // 4), str(my + mh * 3 // 4), "click", "1")
time.sleep(0.5)
select("hello.txt")
key("F5")
dialog_key(main, "Return")
wait(60, lambda: os.path.isfile(os.path.join(OUT, "hello.txt")), "out/hello.txt did not appear")
time.sleep(1)

STEP = "copyin"
x("xdotool", "mousemove", str(mx + mw * 3 // 4), str(my + mh * 3 // 4), "click", "1")
time.sleep(0.5)
select("in.txt")
key("F5")
dialog_key(main, "Return")
wait(60, lambda: db_has("/in.txt"), "/in.txt did not reach the database")
time.sleep(1)

STEP = "mkdir"
x("xdotool", "mousemove", str(mx + mw // 4), str(my + mh * 3 // 4), "click", "1")
time.sleep(0.5)
key("F7")
dialog_key(main, "ctrl+a")
x("xdotool", "type", "--delay", "80", "Neu")
key("Return")
wait(60, lambda: db_has("/Neu"), "/Neu did not reach the database")
time.sleep(1.5)

STEP = "delete"
select("Neu")
key("F8")
dialog_key(main, "Return")
wait(60, lambda: not db_has("/Neu"), "/Neu stayed in the database")
time.sleep(2)
x("import", "-silent", "-window", "root", os.path.join(WORK, "dc_wfx_done.png"))
cleanup()
print("PASS", flush=True)
