"""Any query string on any patron page gives a page (200/400/404), never a server error."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.world.portal import County

pytestmark = pytest.mark.django_db

PARAMS = [
    "q",
    "library",
    "format",
    "language",
    "subject",
    "year_from",
    "year_to",
    "sort",
    "page",
    "available",
]
# Printable text plus the characters that usually break things: NUL, quotes, markup, query syntax.
odd_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(list("\x00\"'<>&%:()-*?\\")),
    max_size=300,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(PARAMS), odd_text, max_size=4))
def test_result_page_answers_any_query_string(client: Client, county: County, params: dict[str, str]) -> None:
    response = client.get("/sok/", params)
    assert response.status_code in (200, 400)
    assert b"<main" in response.content


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=odd_text.filter(lambda text: "/" not in text and text.strip()), next_url=odd_text)
def test_library_page_and_home_library_answer_any_input(
    client: Client, county_unindexed: County, code: str, next_url: str
) -> None:
    # No page takes a NUL (PostgreSQL cannot compare text holding one): 400 before any view.
    assert client.get("/bibliotek/", {"x": code}).status_code == (400 if "\x00" in code else 200)
    if "\x00" in code + next_url:
        assert client.post("/mitt-bibliotek/", {"library": code, "next": next_url}).status_code == 400
        return
    assert client.get(
        f"/bibliotek/{code.replace('%', '%25').replace('?', '%3F').replace('#', '%23')}/"
    ).status_code in (
        200,
        404,
    )
    response = client.post("/mitt-bibliotek/", {"library": code, "next": next_url})
    assert response.status_code == 302
    assert response["Location"].startswith("/")
