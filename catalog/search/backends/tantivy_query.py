"""Turn a parsed patron query (catalog.search.syntax) and a SearchRequest into tantivy queries.

Built step by step (text, filters, facet exclusions) from tantivy's query constructors; user text
only ever becomes analyzed terms, never input to tantivy's own query parser.
"""

from collections.abc import Iterable

import tantivy
from tantivy import Occur, Query

from catalog.fields import SEARCH_FIELDS, TERM_FILTERS
from catalog.search.backends.base import SearchRequest
from catalog.search.backends.tantivy_schema import EXACT, FOLD, STEM, TEXT_VARIANTS
from catalog.search.syntax import Clause, Isbn, ParsedQuery, Phrase, Term

# Exact spelling first, Swedish stem next, folded diacritics last; typos and prefixes lowest.
VARIANT_WEIGHTS = {"exact": 3.0, "stem": 1.5, "fold": 1.0}
FUZZY_WEIGHT = 0.4
PREFIX_WEIGHT = 0.8
ISBN_WEIGHT = 20.0
FUZZY_MIN_CHARS = 5
FUZZY_FIELDS = ("title", "author")  # typo and prefix expansion only where it pays off
PREFIX_EXPANSIONS = 64
_NO_SCORE = 0.0


class QueryBuilder:
    """Builds tantivy Query objects for one schema and its analyzers."""

    def __init__(self, schema: tantivy.Schema, analyzers: dict[str, tantivy.TextAnalyzer]) -> None:
        self.schema = schema
        self.analyzers = {"exact": analyzers[EXACT], "stem": analyzers[STEM], "fold": analyzers[FOLD]}
        self.parser = tantivy.Index(schema)  # in memory, never written: parses filter strings

    # --- text -------------------------------------------------------------------------------
    def text(self, parsed: ParsedQuery, searcher: tantivy.Searcher | None = None) -> Query | None:
        """The scoring part of the query; None when the patron searched for nothing.

        With a searcher, typo expansion is only tried for words the index does not know, and the
        prefix of the last word expands to its PREFIX_EXPANSIONS most frequent completions:
        both keep a query over a large term dictionary cheap."""
        if parsed.is_empty:
            return None
        parts: list[tuple[Occur, Query]] = []
        for group in parsed.must:
            queries = [q for q in (self.clause(clause, searcher) for clause in group) if q is not None]
            if not queries:
                return Query.empty_query()  # a word that cannot match (e.g. 80 letters long)
            parts.append((Occur.Must, queries[0] if len(queries) == 1 else _any(queries)))
        for clause in parsed.must_not:
            excluded = self.clause(clause, searcher)
            if excluded is not None:
                parts.append((Occur.MustNot, excluded))
        if not any(occur == Occur.Must for occur, _ in parts):
            parts.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(parts)

    def clause(self, clause: Clause, searcher: tantivy.Searcher | None = None) -> Query | None:
        if isinstance(clause, Isbn):
            return Query.boost_query(Query.term_query(self.schema, "isbn", clause.value), ISBN_WEIGHT)
        fields = [clause.field] if clause.field else list(SEARCH_FIELDS)
        if isinstance(clause, Phrase):
            queries = [q for name in fields for q in self._phrase(name, clause.words)]
        else:
            queries = [q for name in fields for q in self._term(name, clause, searcher)]
        return _any(queries) if queries else None

    def _term(self, name: str, term: Term, searcher: tantivy.Searcher | None) -> Iterable[Query]:
        weight = SEARCH_FIELDS[name]
        for variant in TEXT_VARIANTS[name]:
            for token in self.analyzers[variant].analyze(term.text)[:1]:
                query = Query.term_query(self.schema, f"{name}_{variant}", token)
                yield Query.boost_query(query, weight * VARIANT_WEIGHTS[variant])
        if name not in FUZZY_FIELDS:
            return
        for token in self.analyzers["fold"].analyze(term.text)[:1]:
            field = f"{name}_fold"
            if term.prefix:
                prefix = self._prefix(field, token, searcher)
                if prefix is not None:
                    yield Query.boost_query(prefix, weight * PREFIX_WEIGHT)
            known = searcher is not None and searcher.doc_freq(field, token) > 0
            if len(token) >= FUZZY_MIN_CHARS and not token.isdigit() and not known:
                fuzzy = Query.fuzzy_term_query(self.schema, field, token, distance=1)
                yield Query.boost_query(fuzzy, weight * FUZZY_WEIGHT)

    def _prefix(self, field: str, token: str, searcher: tantivy.Searcher | None) -> Query | None:
        if searcher is None:
            return Query.fuzzy_term_query(self.schema, field, token, distance=0, prefix=True)
        completions = [
            t for t, _ in searcher.terms_with_prefix(field, token, limit=PREFIX_EXPANSIONS) if t != token
        ]
        return Query.term_set_query(self.schema, field, completions) if completions else None

    def _phrase(self, name: str, words: tuple[str, ...]) -> Iterable[Query]:
        weight = SEARCH_FIELDS[name]
        for variant in TEXT_VARIANTS[name]:
            tokens: list[str | tuple[int, str]] = [
                t for word in words for t in self.analyzers[variant].analyze(word)[:1]
            ]
            if not tokens:
                continue
            field = f"{name}_{variant}"
            if len(tokens) == 1:
                query = Query.term_query(self.schema, field, str(tokens[0]))
            else:
                query = Query.phrase_query(self.schema, field, tokens)
            yield Query.boost_query(query, weight * VARIANT_WEIGHTS[variant] * 1.5)

    # --- filters ----------------------------------------------------------------------------
    def filter_text(self, request: SearchRequest, exclude: str | None = None) -> str:
        """The filters as one tantivy query string (AND across facets, OR within one; "*" when
        nothing filters); `exclude` leaves one facet's own selection out, so its counts show
        the alternatives (multi-select facets). The one definition of what filters mean: hits
        parse it (``filters``) and facet counts use it as filter aggregations."""
        parts = [
            _any_of(facet, values)
            for facet in TERM_FILTERS
            if (values := request.filters.get(facet)) and facet != exclude
        ]
        if (request.year_from is not None or request.year_to is not None) and exclude != "year":
            parts.append(f"year:[{_bound(request.year_from)} TO {_bound(request.year_to)}]")
        if request.available:
            libraries = request.available_at_selected(exclude)
            parts.append(_any_of("available_at", libraries) if libraries else "available:1")
        return " AND ".join(parts) or "*"

    def filters(self, request: SearchRequest, exclude: str | None = None) -> list[Query]:
        """The filters as non-scoring queries (none when nothing filters)."""
        text = self.filter_text(request, exclude)
        return [] if text == "*" else [Query.const_score_query(self.parser.parse_query(text), _NO_SCORE)]

    def combine(self, text: Query | None, filters: list[Query]) -> Query:
        """Text AND every filter. Without text the filters alone (every score equal), which is
        much cheaper than intersecting them with all documents."""
        if not filters:
            return text or Query.all_query()
        parts = [(Occur.Must, query) for query in filters]
        return Query.boolean_query([*parts, (Occur.Must, text)] if text is not None else parts)


def _any(queries: list[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, query) for query in queries])


def _any_of(field: str, values: tuple[str, ...]) -> str:
    """field:"a" OR field:"b", each value quoted whole (raw fields keep it one term)."""
    quoted = (value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
    return "(" + " OR ".join(f'{field}:"{value}"' for value in quoted) + ")"


def _bound(year: int | None) -> str:
    return "*" if year is None else str(year)
