"""`x REGEXP 'pattern'` for SQLite, in Python: `.load ./regexp` in the shell."""

import functools
import re

from sqlite import SqlArg, scalar


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@scalar(deterministic=True)
def regexp(pattern: SqlArg, text: SqlArg) -> bool | None:
    """SQLite rewrites `text REGEXP pattern` as `regexp(pattern, text)`."""
    if text is None or pattern is None:
        return None
    if not isinstance(pattern, str) or not isinstance(text, str):
        raise TypeError("regexp(pattern, text) takes text")
    return _compiled(pattern).search(text) is not None
