"""Debian's `sqlite3` shell as the host: `.load`s epy extensions from DIR
and checks query results against the same computation in Python, a raising
function (its statement fails with the message, the next one runs) and an
extension whose init raises (the shell prints the message and continues).
Prints OK or exits non-zero.

    shell.py DIR    (DIR holds regexp.so, median.so, series.so, csvrows.so,
                     values.so, initraises.so)
"""

import csv
import random
import re
import statistics
import subprocess
import sys

libdir = sys.argv[1]


def shell(script):
    p = subprocess.run(["sqlite3", ":memory:"], input=script, text=True,
                       capture_output=True, cwd=libdir, timeout=300)
    return p.returncode, p.stdout, p.stderr


def check(what, got, want):
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")


rng = random.Random(11)
words = ["".join(rng.choice("abcxyz") for _ in range(rng.randint(0, 8))) for _ in range(400)]
groups = [(rng.randint(0, 5), rng.choice([None, rng.randint(-99, 99), rng.random()]))
          for _ in range(300)]
with open(f"{libdir}/people.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["name", "age", "city"])
    people = [(f"p{i}, \"q\"", rng.randint(1, 99), rng.choice(["Oslo", "Lima"])) for i in range(50)]
    w.writerows(people)

lines = [".load ./regexp", ".load ./median", ".load ./series", ".load ./csvrows",
         "create table w(s);", "create table g(k, x);"]
lines += [f"insert into w values ('{s}');" for s in words]
lines += [f"insert into g values ({k}, {'NULL' if x is None else repr(x)});" for k, x in groups]
patterns = ["^a", "b+c", "x.*y$", "(ab|yz){2}", "^$"]
lines += [f"select count(*) from w where s regexp '{p}';" for p in patterns]
lines += ["select k, median(x) from g group by k order by k;",
          "select median(x) is null from g where k > 100;",
          "select value from py_series(1, 10, 2);",
          "select count(*), sum(value) from py_series(-5, 1000, 3);",
          "create virtual table people using csv_rows('people.csv');",
          "select count(*), sum(age) from people where city = 'Oslo';",
          "select name from people order by age desc, name limit 3;"]
code, out, err = shell("\n".join(lines) + "\n")
check("shell stderr", err, "")
got = out.splitlines()
want = [str(sum(1 for s in words if re.search(p, s))) for p in patterns]
for k in sorted({k for k, _ in groups}):
    vals = [x for kk, x in groups if kk == k and x is not None]
    m = statistics.median(vals) if vals else None
    want.append(f"{k}|{'' if m is None else m}")
want.append("1")
want += [str(v) for v in range(1, 10, 2)]
r = range(-5, 1000, 3)
want.append(f"{len(r)}|{sum(r)}")
oslo = [p for p in people if p[2] == "Oslo"]
want.append(f"{len(oslo)}|{sum(p[1] for p in oslo)}")
want += [p[0] for p in sorted(people, key=lambda p: (-p[1], p[0]))[:3]]
# The shell prints reals with 15 significant digits (%!.15g).
def norm(line):
    return "|".join(f"{float(v):.12g}" if re.fullmatch(r"-?\d+\.\d+(e-?\d+)?", v) else v
                    for v in line.split("|"))
check("query results", [norm(x) for x in got], [norm(x) for x in want])

# Values both ways, BLOB views ending with the call, errors with their message.
code, out, err = shell("""\
.load ./values
select py_type(NULL), py_type(1), py_type(2.5), py_type('é'), py_type(x'00ff');
select py_echo(NULL) is null, py_echo(-9223372036854775808), py_echo(0.25), py_echo('héllo'), hex(py_echo(x'00ff10'));
select hex(py_blob(3)), py_len(x'010203'), py_len(zeroblob(0));
select py_keep(x'abcd');
select py_kept();
select 'after kept';
select py_big();
select 'after big';
select regexp_missing('x');
select py_raise('the message');
select 'next statement works';
""")
check("values", out.splitlines(), [
    "NoneType|int|float|str|memoryview",
    "1|-9223372036854775808|0.25|héllo|00FF10",
    "000102|3|0",
    "2",
    "after kept",
    "after big",
    "next statement works",
])
for msg in ["operation forbidden on released memoryview",
            "Python int too large for an SQLite INTEGER",
            "no such function: regexp_missing",
            "the message"]:
    check(f"stderr has {msg!r}", msg in err, True)

# An init that raises: the shell prints the message and carries on.
code, out, err = shell(".load ./initraises\nselect 'still here';\n")
check("init raises: message", "no database for you today" in err, True)
check("init raises: shell continues", out, "still here\n")
print("OK")
