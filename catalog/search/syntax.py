"""The patron query syntax, parsed into a small engine-neutral tree.

Supported: words (AND by default), "phrases" (a hyphenated word is one too), field prefixes
(title: author: subject: isbn:, Swedish aliases titel: författare: ämne:), AND / OR between
clauses, -word and -"phrase" to exclude, ISBN-10/13 with or without hyphens. Anything else is
read as plain words, so no input can make a backend fail: punctuation is dropped, an unbalanced
quote closes at the end, and very long input is cut to MAX_CLAUSES clauses. The backends turn
the tree into their own queries; user text never reaches an engine's own query parser.
"""

import re
from dataclasses import dataclass, field

from catalog.mapping.identifiers import isbn13
from catalog.search.text import words

MAX_QUERY_CHARS = 2000
MAX_CLAUSES = 24
MIN_PREFIX_CHARS = 3  # "as you type" prefix matching for the last word starts at this length
FIELD_ALIASES = {
    "title": "title",
    "titel": "title",
    "author": "author",
    "författare": "author",
    "forfattare": "author",
    "subject": "subject",
    "ämne": "subject",
    "amne": "subject",
    "isbn": "isbn",
}
_TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<field>[^\s:"]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Term:
    """One word in `field` (None = all searchable fields); `prefix` = the word is being typed."""

    text: str
    field: str | None = None
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None


@dataclass(frozen=True)
class Isbn:
    value: str  # normalized ISBN-13


Clause = Term | Phrase | Isbn


@dataclass
class ParsedQuery:
    """`must`: groups AND-ed together, clauses inside a group OR-ed. `must_not`: excluded."""

    must: list[list[Clause]] = field(default_factory=list)
    must_not: list[Clause] = field(default_factory=list)
    had_input: bool = False  # the patron typed something (maybe only punctuation)

    @property
    def is_empty(self) -> bool:
        return not self.must and not self.must_not

    @property
    def matches_nothing(self) -> bool:
        """Typed something, but nothing searchable was left (e.g. only punctuation)."""
        return self.had_input and self.is_empty

    def terms(self) -> list[Term]:
        return [clause for group in self.must for clause in group if isinstance(clause, Term)]


def parse_query(q: str) -> ParsedQuery:
    """Parse patron input; never raises."""
    text = (q or "")[:MAX_QUERY_CHARS]
    parsed = ParsedQuery(had_input=bool(text.strip()))
    pending_or = last_positive = False
    count = 0
    for match in _TOKEN.finditer(text):
        if count >= MAX_CLAUSES:
            break
        raw = match.group(0)
        if raw in ("AND", "&&"):
            continue
        if raw in ("OR", "||"):
            pending_or = last_positive  # "a OR b"; an OR after "-a" has nothing to join
            continue
        clauses = _clauses(match)
        if not clauses:
            continue
        count += len(clauses)
        last_positive = not match.group("neg")
        if match.group("neg"):
            parsed.must_not.extend(clauses)
        elif pending_or and len(clauses) == 1:
            parsed.must[-1].append(clauses[0])
        else:
            parsed.must.extend([clause] for clause in clauses)
        pending_or = False
    _mark_prefix(parsed, text)
    return parsed


def _clauses(match: re.Match[str]) -> list[Clause]:
    field_name = match.group("field")
    target = FIELD_ALIASES.get(field_name.lower()) if field_name else None
    raw = match.group("phrase") if match.group("phrase") is not None else match.group("word")
    if field_name and target is None:  # "http://x" or "a:b": not a field, just words
        raw = f"{field_name} {raw}"
    if target == "isbn" or (target is None and match.group("word") and isbn13(raw)):
        value = isbn13(raw)
        if value:
            return [Isbn(value)]
        target = None if target == "isbn" else target
    tokens = words(raw)[:MAX_CLAUSES]
    if not tokens:
        return []
    # A quoted phrase, and one word that splits into several ("röda-rummet", "o'neill"), must
    # match in order: one clause, which an OR can join.
    one_word = match.group("word") is not None and not (field_name and target is None)
    if len(tokens) > 1 and (match.group("phrase") is not None or one_word):
        return [Phrase(tuple(tokens), target)]
    return [Term(token, target) for token in tokens]


def _mark_prefix(parsed: ParsedQuery, text: str) -> None:
    """The last plain word typed without a trailing space or quote also matches as a prefix."""
    if not parsed.must or text.endswith((" ", '"')) or text.rstrip() != text:
        return
    last = parsed.must[-1][-1]
    if isinstance(last, Term) and len(last.text) >= MIN_PREFIX_CHARS and not last.text.isdigit():
        parsed.must[-1][-1] = Term(last.text, last.field, prefix=True)
