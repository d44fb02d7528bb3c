"""A gdb JIT debug-info reader written in Python: gdb loads it with
`jit-reader-load`, and it joins the Python that gdb itself embeds."""

import sys

from gdb_jit_h import READER_VERSION, gdb_reader_funcs

# gdb keeps the pointer gdb_init_reader returns: keep the struct alive here.
_funcs = gdb_reader_funcs(reader_version=READER_VERSION)


def plugin_is_GPL_compatible() -> int:
    return 0


def gdb_init_reader() -> gdb_reader_funcs:
    print(f"epy jit reader: Python {sys.version.split()[0]} inside gdb", file=sys.stderr)
    return _funcs
