"""`did_you_mean`: the closest indexed spelling for words that found nothing (engine-neutral)."""

import re
from collections.abc import Callable

from catalog.search.syntax import ParsedQuery

MAX_CANDIDATES = 3000


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, capped at `limit`."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def closest(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The candidate nearest to `word` (≤ 1 edit for short words, ≤ 2 otherwise), commonest first."""
    allowed = 1 if len(word) < 5 else 2
    best: tuple[int, int, str] | None = None
    for term, count in candidates:
        if term == word:
            return None  # the word is indexed; it is not the one to correct
        distance = edit_distance(word, term, allowed + 1)
        if distance <= allowed and (best is None or (distance, -count) < best[:2]):
            best = (distance, -count, term)
    return best[2] if best else None


def did_you_mean(
    q: str,
    parsed: ParsedQuery,
    candidates: Callable[[str], list[tuple[str, int]]],
    finds_something: Callable[[str], bool],
) -> str | None:
    """Replace each unknown word by its closest indexed word; offer it if that query finds hits.

    `candidates(word)` returns indexed (term, count) pairs that may be near `word`;
    `finds_something(q)` runs a query and says whether it has hits.
    """
    corrected = q
    changed = False
    for term in parsed.terms():
        word = term.text.lower()
        if len(word) < 3 or word.isdigit():
            continue
        replacement = closest(word, candidates(word))
        if replacement:
            corrected = re.sub(rf"\b{re.escape(term.text)}\b", replacement, corrected, count=1, flags=re.I)
            changed = True
    if not changed or corrected == q:
        return None
    return corrected if finds_something(corrected) else None
