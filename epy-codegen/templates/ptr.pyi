_T = TypeVar("_T")


class Ptr(Generic[_T]):
    """A C pointer the host passed (`T *`), valid during the call only.

    `p.value` is the pointee (C `*p`), read and written in host memory: a
    number, a live struct view, or for a pointer to a pointer the inner
    `Ptr` (`None` for NULL; `out.value = p` is C's `*out = p`). A `const`
    pointer is read-only. C does not say how many elements follow: index
    only what the host documents, with `p.array(n)` (a memoryview of `n`
    elements; the script answers for `n`, as C code would). After the call
    the pointer and everything taken from it raise ValueError.
    """

    @property
    def value(self) -> _T: ...
    @value.setter
    def value(self, v: _T) -> None: ...
    def array(self, n: int, /) -> memoryview:
        """A memoryview of `n` elements from here (numbers; bytes for `void *`)."""
        ...
