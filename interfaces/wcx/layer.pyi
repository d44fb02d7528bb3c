# --- The wcx pack's layer (interfaces/wcx/layer.py) --------------------------

class Error(Exception):
    """Raise `Error(E_EOPEN)` (any E_* code) from any export: the host gets
    that code (a number result), or the export's error value (a handle or
    void result); OpenArchive(W) puts it in OpenResult. No traceback is
    logged. The code must be one of the interface's E_* codes: any other is a
    ValueError listing them."""

    code: int
    message: str
    def __init__(self, code: int, message: str = "") -> None: ...
