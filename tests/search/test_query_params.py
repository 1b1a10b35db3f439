"""parse_search_params and the patron query syntax, as plain functions."""

import pytest
from django.http import QueryDict

from catalog.mapping.identifiers import isbn13
from catalog.search.query import InvalidSearch, parse_search_params
from catalog.search.syntax import Isbn, Phrase, Term, parse_query
from catalog.search.text import sort_key

pytestmark = pytest.mark.sqlite


def test_defaults() -> None:
    request = parse_search_params(QueryDict(""))
    assert (request.q, request.sort, request.page, request.page_size, request.available) == (
        "",
        "relevance",
        1,
        20,
        False,
    )
    assert "library" in request.facets and "year" in request.facets


def test_repeated_filters_and_values() -> None:
    request = parse_search_params(
        QueryDict(
            "q=+pippi+&library=Nyks&library=Ty&library=Nyks&format=book&year_from=1900&year_to=2000&available=1&page=3&page_size=100&sort=title&facet=format"
        )
    )
    assert request.q == "pippi"
    assert request.filters == {"library": ("Nyks", "Ty"), "format": ("book",)}
    assert (request.year_from, request.year_to, request.available) == (1900, 2000, True)
    assert (request.page, request.page_size, request.sort, request.facets) == (3, 100, "title", ("format",))


@pytest.mark.parametrize(
    "query",
    [
        "page_size=101",
        "page=0",
        "page=1.5",
        "sort=x",
        "available=2",
        "year_to=-1",
        "work=pippi",
        "work=%C2%B2",
    ],
)
def test_invalid(query: str) -> None:
    with pytest.raises(InvalidSearch):
        parse_search_params(QueryDict(query))


def test_work_filter_takes_work_ids() -> None:
    request = parse_search_params(QueryDict("work=12&work=+7+&work=12&work="))
    assert request.filters == {"work": ("12", "7")}
    assert "work" not in request.facets  # a filter, never a facet


def test_plain_dicts_work_too() -> None:
    assert parse_search_params({"q": "x", "language": ["swe", "eng"]}).filters == {"language": ("swe", "eng")}


def test_syntax() -> None:
    parsed = parse_query('title:"röda rummet" författare:strindberg -film OR isbn:91-29-65780-6 hund')
    assert parsed.must[0] == [Phrase(("röda", "rummet"), "title")]
    assert parsed.must[1] == [Term("strindberg", "author")]
    assert parsed.must_not == [Term("film")]
    assert parsed.must[-1] == [Term("hund", prefix=True)]
    assert Isbn("9789129657807") in [c for group in parsed.must for c in group]


def test_or_groups_and_garbage() -> None:
    assert parse_query("a OR b").must == [[Term("a"), Term("b")]]
    assert parse_query("!!! ???").matches_nothing
    assert parse_query("").is_empty and not parse_query("").matches_nothing
    assert len([c for g in parse_query("ord " * 1000).must for c in g]) <= 24
    assert parse_query("http://example.org").must[0] == [Term("http")]


def test_isbn_and_sort_key() -> None:
    assert isbn13("91-29-65780-6") == "9789129657807"
    assert isbn13("978-91-29-65780-7") == "9789129657807"
    assert isbn13("12345") is None
    titles = ["Ödets makt", "Åsa", "Zorro", "Ärlig", "apa", "The Beatles"]
    assert sorted(titles, key=sort_key) == ["apa", "The Beatles", "Zorro", "Åsa", "Ärlig", "Ödets makt"]
