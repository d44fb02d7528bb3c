"""The benchmark's SQL functions as an epy extension (benches/sqlite/run.py);
run.py registers the same two functions with create_function."""

import re

from sqlite import scalar

_cache: dict[str, re.Pattern[str]] = {}


@scalar(deterministic=True)
def py_add(a: int, b: int) -> int:
    return a + b


@scalar(deterministic=True)
def regexp(pattern: str, text: str) -> bool:
    p = _cache.get(pattern)
    if p is None:
        p = _cache[pattern] = re.compile(pattern)
    return p.search(text) is not None
