#!/usr/bin/env python3
"""Print each crate's module dependency graph and its cycles; fail on a new cycle.

A module *uses* another when its source names it: ``use crate::a::b``,
``crate::a::f()``, ``super::b``, or a name the crate root re-exports
(``crate::Obj`` is ``obj``). One node per source file (``marshal::view``);
``mod`` declarations, the root's ``pub use`` lines and a module's uses of its
own submodules are not uses (a folder's ``mod.rs`` is its face), items defined
in the crate root are not a node, and a module's inline ``mod tests`` counts
as the module itself.

Exit status 1 when epy-runtime has a cycle other than those the data forces
(``ALLOWED``) or epy-codegen has any. Python 3 standard library only.

Usage: tools/modgraph.py [--quiet]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# crate directory -> the strongly connected components it may have, each
# forced by the data it handles.
ALLOWED: dict[str, list[frozenset[str]]] = {
    "epy-runtime": [
        # A struct view reads its fields; a field may be an array, a nested
        # struct or a pointer, and a pointer may be given as a view.
        frozenset({"marshal::view", "marshal::field", "marshal::array", "marshal::pointer"}),
        # The spec's callback invokers take a `Cx` (their signature is the
        # generated code's); a `Cx` holds the per-interpreter tables made
        # from the spec.
        frozenset({"spec", "cx", "marshal::shared"}),
    ],
    "epy-codegen": [],
}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PATH_RE = re.compile(rf"\b(?:crate|super|self)(?:\s*::\s*{IDENT})+")
USE_RE = re.compile(r"\buse\s+([^;]*);", re.S)
INLINE_MOD_RE = re.compile(rf"\bmod\s+{IDENT}\s*\{{")


def strip(src: str) -> str:
    """Remove comments, string and char literals (keeps line structure irrelevant)."""
    src = re.sub(r"//[^\n]*", "", src)
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    src = re.sub(r'r(#*)".*?"\1', '""', src, flags=re.S)
    src = re.sub(r'"(?:\\.|[^"\\])*"', '""', src, flags=re.S)
    src = re.sub(r"'(?:\\.|[^'\\])'", "' '", src)
    return src


def module_of(src_dir: Path, file: Path) -> tuple[str, ...]:
    """The module path of a source file: ``marshal/mod.rs`` -> ``("marshal",)``."""
    parts = list(file.relative_to(src_dir).with_suffix("").parts)
    if parts[-1] == "mod" or (len(parts) == 1 and parts[0] in ("lib", "main")):
        parts = parts[:-1]
    return tuple(parts)


def expand_use(tree: str) -> list[str]:
    """``a::{b, c::{d}}`` -> ``["a::b", "a::c::d"]`` (``as`` renames dropped)."""
    tree = re.sub(r"\s+", "", tree)
    i = tree.find("{")
    if i < 0:
        return [re.sub(rf"as{IDENT}$", "", tree)] if tree else []
    prefix, rest = tree[:i], tree[i + 1 : tree.rfind("}")]
    items, depth, start = [], 0, 0
    for j, ch in enumerate(rest):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(rest[start:j])
            start = j + 1
    items.append(rest[start:])
    out: list[str] = []
    for item in items:
        for sub in expand_use(item):
            out.append(prefix + sub if sub != "self" else prefix.rstrip(":"))
    return out


def inline_mod_spans(src: str) -> list[tuple[int, int]]:
    """Byte ranges of inline ``mod x { ... }`` blocks."""
    spans = []
    for m in INLINE_MOD_RE.finditer(src):
        depth, j = 0, m.end() - 1
        while j < len(src):
            if src[j] == "{":
                depth += 1
            elif src[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        spans.append((m.start(), j))
    return spans


def crate_graph(crate: Path) -> dict[str, set[str]]:
    """Module -> the modules it uses, for one crate (library tree from lib.rs)."""
    src_dir = crate / "src"
    files = {module_of(src_dir, f): f for f in sorted(src_dir.rglob("*.rs"))}
    files.pop((), None)
    if (src_dir / "main.rs").exists():
        files = {k: v for k, v in files.items() if v.name != "main.rs"}
    modules = set(files)
    lib = strip((src_dir / "lib.rs").read_text())
    reexports: dict[str, tuple[str, ...]] = {}
    for m in USE_RE.finditer(lib):
        for path in expand_use(m.group(1)):
            parts = tuple(p for p in path.split("::") if p not in ("crate", "self"))
            if parts and parts[-1] != "*" and parts[:1] in {k[:1] for k in modules}:
                reexports[parts[-1]] = parts[:-1]

    def resolve(parts: tuple[str, ...]) -> tuple[str, ...] | None:
        if parts and parts[0] in reexports and (parts[0],) not in modules:
            parts = reexports[parts[0]]
        best = None
        for n in range(1, len(parts) + 1):
            if parts[:n] in modules:
                best = parts[:n]
        return best

    graph: dict[str, set[str]] = {"::".join(m): set() for m in modules}
    for mod, file in files.items():
        src = strip(file.read_text())
        spans = inline_mod_spans(src)
        # The parent module: super:: from file `a/b.rs` is `a`, from `a/b/mod.rs` is `a`.
        parent = mod[:-1]
        paths: list[tuple[int, str]] = []
        for m in USE_RE.finditer(src):
            paths += [(m.start(), p) for p in expand_use(m.group(1))]
        body = USE_RE.sub(lambda m: " " * len(m.group(0)), src)
        paths += [(m.start(), m.group(0)) for m in PATH_RE.finditer(body)]
        for pos, path in paths:
            segs = [p for p in re.sub(r"\s+", "", path).split("::") if p]
            if not segs:
                continue
            head, rest = segs[0], tuple(segs[1:])
            inline = any(a <= pos <= b for a, b in spans)
            if head == "crate":
                target = resolve(rest)
            elif head == "super":
                base = mod if inline else parent
                while rest[:1] == ("super",):
                    base, rest = base[:-1], rest[1:]
                target = resolve(base + rest)
            elif head == "self":
                target = resolve(mod + rest)
            else:
                continue
            if target and target != mod and target[: len(mod)] != mod:
                graph["::".join(mod)].add("::".join(target))
    return graph


def sccs(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    quiet = "--quiet" in sys.argv[1:]
    failed = False
    for name, allowed in ALLOWED.items():
        graph = crate_graph(ROOT / name)
        cycles = sccs(graph)
        if not quiet:
            print(f"== {name}: {len(graph)} modules")
            for mod in sorted(graph):
                print(f"  {mod} -> {', '.join(sorted(graph[mod])) or '-'}")
        for comp in cycles:
            ok = frozenset(comp) in allowed
            failed |= not ok
            tag = "allowed cycle" if ok else "CYCLE"
            print(f"{name}: {tag}: {' <-> '.join(comp)}")
        if not cycles:
            print(f"{name}: no cycle")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
