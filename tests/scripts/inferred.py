"""One export per inferred rule (tests/headers/generic/inferred.h, no annotations)."""

from inferred_h import Ptr


def describe(id: int, maxlen: int) -> tuple[int, str]:
    text = f"item {id}"
    return len(text), text


def checksum(data: memoryview, len: int) -> int:
    return sum(bytes(data)) + 1000 * data.nbytes


def mean(values: memoryview, count: int) -> float:
    return sum(values.tolist()) / count if count else 0.0


def authenticate(handle: int | None, flags: int, argc: int, argv: list[str]) -> int:
    return 7 if argv == ["debug", "user=élise"] else 1


def wide_length(text: str | None) -> int:
    return -1 if text is None else len(text)


def get_version(major: Ptr[int] | None, scale: Ptr[float] | None) -> int:
    if major is None:
        return -1
    major.value = 3
    if scale is not None:
        scale.value = 0.5
    return 0


def fill_levels(levels: memoryview, count: int) -> int:
    for i in range(count):
        levels[i] = i / 2  # type: ignore[call-overload]  # (typeshed, as above)
    return count


def plugin_open(argv: list[str], envp: list[str]) -> int:
    """openvpn style: both lists end at their NULL entry."""
    return 100 * len(argv) + len(envp) if argv == ["a", "ü"] and envp == ["X=1"] else -1


def set_labels(items: int, labels: list[str]) -> int:
    return len(labels) if labels == ["low", "high"][:items] else -1


def register_keys(keys: list[str], keys_num: int) -> int:
    return 10 + len(keys) if keys == ["Host", "Port"] else -1
