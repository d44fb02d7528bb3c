"""Live reload while the host holds a Python callable: VERSION changes on disk."""
import callbacks_h

VERSION = 1


def cb_init(host: callbacks_h.cb_host) -> int:
    create_op = host.create_op
    assert create_op
    return create_op("ver", None, lambda ctx, a, b: VERSION, None)


def cb_destroyed() -> int:
    return VERSION
