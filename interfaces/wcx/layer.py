# The wcx pack's layer: run by epy inside the stub module (`wcxhead_h`) a
# plugin script imports. Types are in layer.pyi.
"""`Error(code)`: fail any export with a specific E_* code. OpenArchive(W)
that raises or returns None gives the host NULL and a non-zero OpenResult."""


class Error(Exception):
    """Raise `Error(E_EOPEN)` (any E_* code) from any export: the host gets
    that code (a number result), or the export's error value (a handle or
    void result); OpenArchive(W) puts it in OpenResult. No traceback is
    logged. The code must be one of the interface's E_* codes: any other is a
    ValueError listing them."""

    __epy_interface_error__ = True

    def __init__(self, code, message=""):
        _check_code(code)
        super().__init__(code, message)
        self.code = code
        self.message = message


# The codes an export may answer with (value -> names), from the header's
# constants (E_*; the pack supplies any an SDK header lacks).
_CODES = {}
for _n, _v in list(globals().items()):
    if _n.startswith("E_") and type(_v) is int:
        _CODES.setdefault(_v, []).append(_n)
del _n, _v


def _check_code(code):
    if isinstance(code, int) and code in _CODES:
        return
    valid = ", ".join(f"{'/'.join(n)} ({v})" for v, n in sorted(_CODES.items()))
    raise ValueError(f"Error({code!r}): not a code of the wcx interface; use one of {valid}")


def _epy_open_result(open_archive):
    """Wraps the script's OpenArchive(W): NULL never comes with OpenResult 0."""

    def wrapped(ArchiveData):
        try:
            handle = open_archive(ArchiveData)
        except Error as e:
            ArchiveData.OpenResult = e.code or 13
            raise
        except BaseException:
            ArchiveData.OpenResult = 13  # E_BAD_ARCHIVE
            raise
        if handle is None and ArchiveData.OpenResult == 0:
            ArchiveData.OpenResult = 13
        return handle

    wrapped.__name__ = wrapped.__qualname__ = open_archive.__name__
    return wrapped


_epy_wrap_OpenArchive = _epy_wrap_OpenArchiveW = _epy_open_result
