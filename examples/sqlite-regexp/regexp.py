"""`x REGEXP 'pattern'` for SQLite, in Python: `.load ./regexp` in the shell."""

import functools
import re

from sqlite import scalar


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@scalar(deterministic=True)
def regexp(pattern: str, text: str | None) -> bool | None:
    """SQLite rewrites `text REGEXP pattern` as `regexp(pattern, text)`."""
    if text is None:
        return None
    return _compiled(pattern).search(text) is not None
