"""A Python host: loads an epy plugin into this (already running) Python with
ctypes, as CDLL (GIL released during the call) and as PyDLL (GIL held), and
checks that the plugin joins this interpreter's process without disturbing it.

Usage: python3 py_host.py LIB IDENT
"""

import ctypes
import json
import sys
import threading


def check(cond: bool, what: str, results: list[bool]) -> None:
    results.append(cond)
    if not cond:
        print(f"FAIL: {what}")


def main() -> int:
    lib_path, ident = sys.argv[1], int(sys.argv[2])
    results: list[bool] = []
    sys.modules["helper"] = type(sys)("helper")  # the host's own module of the same name
    sys.modules["helper"].VALUE = -1  # type: ignore[attr-defined]
    for loader in (ctypes.CDLL, ctypes.PyDLL):
        lib = loader(lib_path)
        lib.compute.argtypes = [ctypes.c_int]
        lib.compute.restype = ctypes.c_int
        name = loader.__name__
        check(lib.compute(10) == 30 + ident, f"{name}: compute(10)", results)
        check(lib.module_value() == ident * 7, f"{name}: plugin sees its own helper module", results)
        check(lib.python_version() == sys.version_info[0] * 100 + sys.version_info[1], f"{name}: joined this Python", results)
        # From host threads too.
        out: list[int] = []
        threads = [threading.Thread(target=lambda: out.append(lib.compute(1))) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(out == [3 + ident] * 4, f"{name}: calls from host threads", results)
    # The host's own Python still works and was not touched by the plugin.
    check(sys.modules["helper"].VALUE == -1, "host's helper module untouched", results)  # type: ignore[attr-defined]
    check(json.loads(json.dumps({"a": [1, 2]})) == {"a": [1, 2]}, "host Python works after", results)
    check(threading.current_thread() is threading.main_thread(), "host thread state intact", results)
    passed = sum(results)
    print(f"py_host: {passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
