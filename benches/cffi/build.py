"""Builds calls_cffi.so: benches/calls.h implemented with CFFI's embedding mode.

    python3 benches/cffi/build.py OUTDIR

CFFI starts Python on the first call and runs the init code below, which
defines each export with @ffi.def_extern. The library must be loaded with
RTLD_GLOBAL: the init code imports _cffi_backend, an extension module that
needs libpython's symbols, which a library loaded RTLD_LOCAL keeps to itself
(CFFI then prints an error and every call returns 0).
"""

import os
import sys
import sysconfig

import cffi

HERE = os.path.dirname(os.path.abspath(__file__))

ffibuilder = cffi.FFI()
# pycparser has no preprocessor: the types and prototypes are restated here.
ffibuilder.cdef(
    """
    typedef struct Record { int id; double value; char name[64]; } Record;
    typedef int (*IntFn)(int x);
    """
)
ffibuilder.embedding_api(
    """
    int add(int a, int b);
    int fill(Record *r, int id);
    int fill_str(Record *r, int id);
    double sum(const double *values, size_t n);
    int call_cb(IntFn cb, int x);
    """
)
ffibuilder.set_source(
    "calls_cffi",
    '#include "calls.h"',
    include_dirs=[os.path.dirname(HERE)],
    extra_compile_args=["-O2"],
    # Find libpython without LD_LIBRARY_PATH (pyenv's is not on the default path).
    extra_link_args=["-Wl,-rpath," + sysconfig.get_config_var("LIBDIR")],
)
ffibuilder.embedding_init_code(
    """
    import builtins
    from calls_cffi import ffi

    @ffi.def_extern()
    def add(a, b):
        return a + b

    @ffi.def_extern()
    def fill(r, id):
        r.id = id
        r.value = id * 0.25
        r.name = f"record-{id}".encode()
        return id

    @ffi.def_extern()
    def fill_str(r, id):
        r.name = f"record-{id}".encode()
        return id

    @ffi.def_extern()
    def sum(values, n):
        # zero-copy: a memoryview of format 'd' over the host's array
        return builtins.sum(memoryview(ffi.buffer(values, n * 8)).cast("d"))

    @ffi.def_extern()
    def call_cb(cb, x):
        return cb(x)  # a received function pointer cdata is callable
    """
)

if __name__ == "__main__":
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
    os.makedirs(out, exist_ok=True)
    tmp = os.path.join(out, "build")
    lib = ffibuilder.compile(tmpdir=tmp, target=os.path.join(out, "calls_cffi.*"), verbose=False)
    print(lib)
