"""One export per inferred rule (tests/headers/generic/inferred.h, no annotations)."""


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


def get_version(major: memoryview | None, scale: memoryview | None) -> int:
    if major is None:
        return -1
    major[0] = 3
    if scale is not None:
        scale[0] = 0.5  # type: ignore[call-overload]  # typeshed: memoryview items are int
    return 0


def fill_levels(levels: memoryview, count: int) -> int:
    for i in range(count):
        levels[i] = i / 2  # type: ignore[call-overload]  # (typeshed, as above)
    return count
