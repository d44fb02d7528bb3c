"""A Python program as the SQLite host: loads epy extensions through
Python's own sqlite3 module (`sqlite3`) or APSW (`apsw`) and checks every
result against the same computation in Python. Prints OK or exits non-zero.

    host.py sqlite3|apsw DIR     (DIR holds regexp.so, median.so, series.so)
"""

import os
import random
import re
import statistics
import sys
import threading

mode, libdir = sys.argv[1], sys.argv[2]

if mode == "apsw":
    import apsw

    Error: type[Exception] = apsw.Error

    def connect():
        c = apsw.Connection(":memory:")
        c.enable_load_extension(True)
        return c

    def load(c, name):
        c.load_extension(os.path.join(libdir, name))

    def rows(c, sql, args=()):
        return [tuple(r) for r in c.execute(sql, args)]

    def executemany(c, sql, data):
        c.executemany(sql, data)
else:
    import sqlite3

    Error = sqlite3.Error

    def connect():
        c = sqlite3.connect(":memory:", check_same_thread=False)
        c.enable_load_extension(True)
        return c

    def load(c, name):
        c.load_extension(os.path.join(libdir, name))

    def rows(c, sql, args=()):
        return c.execute(sql, args).fetchall()

    def executemany(c, sql, data):
        c.executemany(sql, data)


def check(what, got, want):
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")


rng = random.Random(7)
words = ["".join(rng.choice("abcxyz") for _ in range(rng.randint(0, 8))) for _ in range(500)]
nums = [rng.choice([None, rng.randint(-50, 50), rng.random() * 100]) for _ in range(300)]

# Two epy extensions (three libraries) in one connection.
c = connect()
for name in ("regexp", "median", "series"):
    load(c, name)
c.execute("create table w(s text)")
executemany(c, "insert into w values (?)", [(w,) for w in words])
c.execute("create table n(x)")
executemany(c, "insert into n values (?)", [(x,) for x in nums])

for pattern in ["^a", "b+c", "x.*y$", "(ab|yz){2}"]:
    got = rows(c, "select count(*) from w where s regexp ?", (pattern,))[0][0]
    check(f"regexp {pattern}", got, sum(1 for w in words if re.search(pattern, w)))
values = [x for x in nums if x is not None]
check("median", rows(c, "select median(x) from n")[0][0], statistics.median(values))
check("median of no rows", rows(c, "select median(x) from n where x > 1000")[0][0], None)
check("py_series", [r[0] for r in rows(c, "select value from py_series(1, 10, 2)")],
      list(range(1, 10, 2)))
check("median over py_series",
      rows(c, "select median(value) from py_series(0, 101)")[0][0], 50)

# A raising function fails its statement with its message; the next works.
try:
    rows(c, "select regexp('(', 'x')")
    sys.exit("a raising function did not fail its statement")
except Error as e:
    check("error message", "missing ), unterminated subpattern" in str(e), True)
check("after the error", rows(c, "select 'x' regexp 'x'")[0][0], 1)

# The same extension in two connections, used from two threads at once.
errors = []


def worker(k):
    try:
        d = connect()
        load(d, "regexp")
        for i in range(200):
            w = words[(i * 7 + k) % len(words)]
            got = rows(d, "select ? regexp 'a.?b'", (w,))[0][0]
            if got != int(bool(re.search("a.?b", w))):
                errors.append((k, w, got))
        d.close()
    except Exception as e:  # reported below
        errors.append((k, repr(e)))


threads = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check("two threads", errors, [])
c.close()
print("OK", mode, sys.version.split()[0])
