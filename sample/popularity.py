"""Which libraries hold a manifestation: a popularity skew so ~40 % of titles are held by several.

A popular work's manifestations are held by 2 to N libraries (few by all, most by a handful); the
rest by one library, now and then two. Libraries are picked weighted by collection size with
Efraimidis-Spirakis keys (u ** (1 / weight)), one draw per library, so the choice is cheap and
deterministic for the seeded ``random.Random``.
"""

from random import Random

POPULAR_WORK_SHARE = 0.33
POPULAR_MANIFESTATION_SHARE = 0.85  # a popular work's e-book or pocket is usually popular too
LONELY_PAIR_SHARE = 0.08  # a not-so-popular title that still two libraries bought


class Popularity:
    def __init__(self, rng: Random, libraries: list[tuple[str, float]]) -> None:
        self.rng = rng
        self.codes = [code for code, _ in libraries]
        self.exponents = [1.0 / size for _, size in libraries]

    def popular_work(self) -> bool:
        return self.rng.random() < POPULAR_WORK_SHARE

    def holder_count(self, popular: bool) -> int:
        rng, libraries = self.rng, len(self.codes)
        if popular and rng.random() < POPULAR_MANIFESTATION_SHARE:
            return min(libraries, 2 + int((libraries - 1) * rng.random() ** 1.7))
        return 2 if rng.random() < LONELY_PAIR_SHARE else 1

    def holders(self, popular: bool, fmt: str) -> tuple[str, ...]:
        """Library codes holding one manifestation, biggest collections most likely first."""
        count = self.holder_count(popular or (fmt == "serial" and self.rng.random() < 0.5))
        rng = self.rng
        keyed = sorted(
            ((rng.random() ** exp, code) for code, exp in zip(self.codes, self.exponents, strict=True)),
            reverse=True,
        )
        return tuple(code for _, code in keyed[:count])
