# The wcx pack's layer: run by epy inside the stub module (`wcxhead_h`) a
# plugin script imports. Types are in layer.pyi.
"""`Error(code)`: fail any export with a specific E_* code. OpenArchive(W)
that raises or returns None gives the host NULL and a non-zero OpenResult."""


class Error(Exception):
    """Raise `Error(E_EOPEN)` (any E_* code) from any export: the host gets
    that code (a number result), or the export's error value (a handle or
    void result); OpenArchive(W) puts it in OpenResult. No traceback is logged."""

    __epy_interface_error__ = True

    def __init__(self, code, message=""):
        super().__init__(code, message)
        self.code = code
        self.message = message


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
