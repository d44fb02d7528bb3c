"""A Python host that forks while one of its threads is inside an epy plugin
(a life.h plugin loaded with ctypes, so the plugin joins this Python).

Usage: python3 py_fork_host.py LIB fork|pool

fork: os.fork() ten times; every child calls the plugin (on its thread and a
      new one) and checks that each os.register_at_fork hook ran exactly once
      for that fork (epy must not run CPython's fork hooks a second time).
pool: a multiprocessing pool with the fork start method maps calls to the
      plugin over its workers.
A child that does not finish within 20 s is killed (fork) or the pool is
abandoned (pool): a failure detector, not a speed check.
"""

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings

# 3.12+ warns that forking a multi-threaded process may deadlock: that is the test.
warnings.filterwarnings("ignore", category=DeprecationWarning)
hooks = {"before": 0, "parent": 0, "child": 0}
os.register_at_fork(
    before=lambda: hooks.__setitem__("before", hooks["before"] + 1),
    after_in_parent=lambda: hooks.__setitem__("parent", hooks["parent"] + 1),
    after_in_child=lambda: hooks.__setitem__("child", hooks["child"] + 1),
)
lib: ctypes.CDLL


def spin_py(n: int) -> int:
    acc = 0
    for i in range(n):
        acc = (acc * 31 + i) & 0xFFFFFFFF
    return acc


def calls_ok(n: int) -> bool:
    return all(lib.compute(x) == x * 3 + 1 for x in range(5)) and lib.spin(n) == spin_py(n)


def spinner(stop: threading.Event, wrong: list[int], inside: threading.Event) -> None:
    while not stop.is_set():
        inside.set()
        if lib.spin(300000) != spin_py(300000):  # CDLL: the GIL is released in the call
            wrong.append(1)


def wait_child(pid: int) -> int:
    """The child's wait status; it is killed after 20 s (hung: -1)."""
    for _ in range(2000):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return -1


def forks() -> list[str]:
    fails = []
    stop, inside, wrong = threading.Event(), threading.Event(), []  # type: ignore[var-annotated]
    t = threading.Thread(target=spinner, args=(stop, wrong, inside))
    t.start()
    for i in range(10):
        inside.wait()
        pid = os.fork()
        if pid == 0:
            ok = calls_ok(5000)
            res: list[bool] = []
            th = threading.Thread(target=lambda: res.append(calls_ok(1000)))
            th.start()
            th.join()
            once = hooks == {"before": i + 1, "parent": i, "child": 1}
            os._exit(0 if ok and res == [True] and once else 1 if once else 3)
        status = wait_child(pid)
        if status != 0:
            fails.append(f"child {i}: status {status:#x} (hooks in parent {hooks})")
    stop.set()
    t.join()
    if wrong:
        fails.append("the parent's spinning thread got wrong results")
    if hooks["before"] != 10 or hooks["parent"] != 10 or hooks["child"] != 0:
        fails.append(f"fork hooks in the parent: {hooks}")
    return fails


def work(x: int) -> tuple[int, bool]:
    return os.getpid(), lib.compute(x) == x * 3 + 1 and lib.spin(2000) == spin_py(2000)


def pool() -> list[str]:
    stop, inside, wrong = threading.Event(), threading.Event(), []  # type: ignore[var-annotated]
    t = threading.Thread(target=spinner, args=(stop, wrong, inside))
    t.start()
    inside.wait()
    with multiprocessing.get_context("fork").Pool(4) as p:
        try:
            out = p.map_async(work, range(40), chunksize=1).get(timeout=60)
        except multiprocessing.TimeoutError:
            stop.set()
            return ["the pool's workers did not answer within 60 s"]
    stop.set()
    t.join()
    fails = [f"work({x}) wrong in worker {pid}" for x, (pid, ok) in enumerate(out) if not ok]
    print(f"py_fork_host pool: {len(out) - len(fails)}/40 calls right in {len({pid for pid, _ in out})} forked workers")
    return fails + (["the parent's spinning thread got wrong results"] if wrong else [])


def main() -> int:
    global lib
    lib = ctypes.CDLL(sys.argv[1])
    lib.compute.argtypes, lib.compute.restype = [ctypes.c_int], ctypes.c_int
    lib.spin.argtypes, lib.spin.restype = [ctypes.c_int], ctypes.c_longlong
    fails = [] if calls_ok(1000) else ["the parent's first calls"]
    fails += forks() if sys.argv[2] == "fork" else pool()
    for f in fails:
        print(f"FAIL: {f}")
    print(f"py_fork_host {sys.argv[2]}: {0 if fails else 1} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
