"""An effect for tests/headers/generic/infer_descriptor.h (no annotations):
get_effect returns the class the host's Effect struct is filled from (a
method the class lacks stays NULL); instantiate makes the instances the
other function pointers run on."""

from typing import Self

CLEANED: list[float] = []


class Effect:
    name = "halver"
    id = 7

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.frames = 0

    @classmethod
    def instantiate(cls, rate: float) -> Self:
        return cls(rate)

    def process(self, n: int) -> None:
        self.frames += n

    def gain(self) -> float:
        return self.rate / 1000 + self.frames

    def cleanup(self) -> None:
        CLEANED.append(self.rate)


def get_effect(index: int) -> object:
    return Effect if index == 0 else None
