"""Output buffers: the functions return the text; epy writes it for the host."""


def describe(id: int, cap: int, /) -> tuple[int, str]:
    text = "item " + "x" * id
    return len(text), text


def wide_name(id: int, cap: int, /) -> str:
    return "naïve-ü" * id
