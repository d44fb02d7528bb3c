"""The 2008 mechanism: Python functions wrapped as ctypes CFUNCTYPE callbacks
whose C addresses a generic shim (shim.c) exports as the plugin's functions.

Every call goes through ctypes' callback machinery: PyGILState_Ensure, argument
conversion by the declared ctypes types, the call, PyGILState_Release.
"""

import builtins
import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_char, c_double, c_int, c_size_t, c_void_p


class Record(Structure):
    _fields_ = [("id", c_int), ("value", c_double), ("name", c_char * 64)]


IntFn = CFUNCTYPE(c_int, c_int)


@CFUNCTYPE(c_int, c_int, c_int)
def add(a, b):
    return a + b


@CFUNCTYPE(c_int, POINTER(Record), c_int)
def fill(r, id):
    rec = r.contents
    rec.id = id
    rec.value = id * 0.25
    rec.name = f"record-{id}".encode()
    return id


@CFUNCTYPE(c_int, POINTER(Record), c_int)
def fill_str(r, id):
    r.contents.name = f"record-{id}".encode()
    return id


@CFUNCTYPE(c_double, c_void_p, c_size_t)
def sum(values, n):
    return builtins.sum((c_double * n).from_address(values))


@CFUNCTYPE(c_int, IntFn, c_int)
def call_cb(cb, x):
    return cb(x)


# The shim reads these addresses once and calls them directly; the CFUNCTYPE
# objects above stay alive as module globals.
addresses = {
    name: ctypes.cast(f, c_void_p).value
    for name, f in [("add", add), ("fill", fill), ("fill_str", fill_str), ("sum", sum), ("call_cb", call_cb)]
}
