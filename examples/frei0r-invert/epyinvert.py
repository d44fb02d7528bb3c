"""A frei0r video filter in Python: inverts the colours of each frame.

Built straight from `frei0r.h`, with no pack and no annotations:

    epy-codegen build epyinvert.py --header /usr/include/frei0r.h -o out
    FREI0R_PATH=out ffmpeg -i in.mp4 -vf frei0r=filter_name=epyinvert out.mp4

frei0r passes frames as bare `uint32_t *` pointers; epy gives them as typed
pointers (`Ptr[int]`), and the frame size (width * height from
`f0r_construct`) is this script's knowledge: `ptr.array(n)` is a memoryview
of `n` pixels, valid during the call.
"""

from frei0r_h import Ptr, f0r_param_info_t, f0r_plugin_info_t

F0R_PLUGIN_TYPE_FILTER = 0
F0R_COLOR_MODEL_RGBA8888 = 1

# frei0r's instances are opaque to the host: ids of ours, each a frame size.
_sizes: dict[int, int] = {}
_next_id = 1


def f0r_init() -> int:
    return 1


def f0r_deinit() -> None:
    _sizes.clear()


def f0r_get_plugin_info(info: f0r_plugin_info_t) -> None:
    # `name`/`author` are `const char *`: left NULL (ffmpeg prints "(null)").
    info.plugin_type = F0R_PLUGIN_TYPE_FILTER
    info.color_model = F0R_COLOR_MODEL_RGBA8888
    info.frei0r_version = 1
    info.major_version = 0
    info.minor_version = 1
    info.num_params = 0


def f0r_get_param_info(info: f0r_param_info_t, param_index: int) -> None:
    pass  # no parameters


def f0r_construct(width: int, height: int) -> int | None:
    global _next_id
    instance = _next_id
    _next_id += 1
    _sizes[instance] = width * height
    return instance


def f0r_destruct(instance: int | None) -> None:
    if instance is not None:
        _sizes.pop(instance, None)


def f0r_set_param_value(instance: int | None, param: int | None, param_index: int) -> None:
    pass


def f0r_get_param_value(instance: int | None, param: int | None, param_index: int) -> None:
    pass


def _invert(rgba: bytes) -> bytes:
    """Every pixel's red, green and blue inverted, alpha kept (RGBA bytes)."""
    n = len(rgba) // 4
    mask = int.from_bytes(b"\xff\xff\xff\x00" * n, "little")
    return (int.from_bytes(rgba, "little") ^ mask).to_bytes(len(rgba), "little")


def f0r_update(
    instance: int | None, time: float, inframe: Ptr[int] | None, outframe: Ptr[int] | None
) -> None:
    if instance is None or inframe is None or outframe is None:
        return
    n = _sizes[instance]
    src = inframe.array(n).cast("B")
    outframe.array(n).cast("B")[:] = _invert(bytes(src))
