"""The v1 JSON API through the Django test client: shapes, validation, CORS, OpenAPI."""

import pytest
from django.test import Client

from catalog.fields import HIT_FIELDS
from catalog.search.indexing import index_clusters
from tests.world.search import County, build_county


@pytest.fixture
def county(db: None) -> County:
    county = build_county()
    index_clusters([county.pippi.pk, county.emil.pk, county.orphan.pk])
    return county


@pytest.mark.sqlite
def test_search_shape(client: Client, county: County) -> None:
    response = client.get("/api/v1/search", {"q": "lindgren", "page_size": 5})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert set(body) == {"total", "page", "page_size", "hits", "facets", "did_you_mean"}
    assert (body["total"], body["page"], body["page_size"], body["did_you_mean"]) == (2, 1, 5, None)
    assert all(list(hit) == list(HIT_FIELDS) for hit in body["hits"])
    assert {"library", "format", "language", "year", "subject"} <= set(body["facets"])
    libraries = {value["value"]: value for value in body["facets"]["library"]}
    assert libraries["Ty"] == {"value": "Ty", "label": "Tyresö bibliotek", "count": 2}


def test_search_filters_repeat_and_available(client: Client, county: County) -> None:
    body = client.get("/api/v1/search?library=Nyks&library=Ty&available=1&sort=title").json()
    assert [hit["title"] for hit in body["hits"]] == ["Emil i Lönneberga", "Pippi Långstrump"]
    at_nyks = client.get("/api/v1/search?library=Nyks&available=1").json()
    assert [hit["id"] for hit in at_nyks["hits"]] == [county.pippi.pk]


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "0", "false", ""])
def test_available_takes_the_documented_values(client: Client, county: County, value: str) -> None:
    documented = client.get("/api/v1/openapi.json").json()["paths"]["/search"]["get"]["parameters"]
    (available,) = [parameter for parameter in documented if parameter["name"] == "available"]
    assert {"1", "0", "true", "false"} == set(available["schema"]["enum"])
    total = client.get("/api/v1/search", {"available": value}).json()["total"]
    assert total == (2 if value.lower() in ("1", "true") else 3)


def test_empty_query_browses_everything(client: Client, county: County) -> None:
    assert client.get("/api/v1/search").json()["total"] == 3


@pytest.mark.parametrize(
    "query",
    [
        "page_size=101",
        "page_size=0",
        "page=x",
        "sort=random",
        "year_from=abc",
        "year_from=2000&year_to=1990",
        "available=maybe",
        "available=yes",  # not among the values the OpenAPI document lists
        "facet=colour",
    ],
)
def test_bad_parameters_are_400_json(client: Client, county: County, query: str) -> None:
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {"error"} and response.json()["error"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("q", ["!!!", '"', "a" * 2000, "title:", "isbn:123", "%00"])
def test_garbage_queries_are_answered(client: Client, county: County, q: str) -> None:
    assert client.get("/api/v1/search", {"q": q}).status_code == 200


def test_did_you_mean(client: Client, county: County) -> None:
    body = client.get("/api/v1/search", {"q": "lömneberja "}).json()
    assert body["total"] == 0 and body["did_you_mean"] == "lönneberga"


@pytest.mark.sqlite
def test_record_shape(client: Client, county: County) -> None:
    body = client.get(f"/api/v1/records/{county.pippi.pk}").json()
    assert {key: body[key] for key in ("id", "title", "year", "libraries", "available_at")} == {
        "id": county.pippi.pk,
        "title": "Pippi Långstrump",
        "year": 1945,
        "libraries": ["Nyks", "Ty"],
        "available_at": ["Nyks"],
    }
    assert body["publisher"] == "Rabén & Sjögren"
    assert body["members"] == [
        {"library": "Nyks", "source": "Nyköping Koha", "local_id": "nyks-1", "merge_reason": "isbn"}
        | {"merge_reason_text": "isbn"},
        {"library": "Ty", "source": "LIBRIS", "local_id": "libris-1", "merge_reason": "isbn"}
        | {"merge_reason_text": "isbn"},
    ]
    holding = body["holdings"][1]
    assert set(holding) == {
        "library",
        "branch",
        "shelf",
        "call_number",
        "summary",
        "status",
        "due_date",
        "checked_at",
    }
    assert (holding["library"], holding["status"], holding["due_date"]) == ("Ty", "on_loan", "2026-12-01")


@pytest.mark.parametrize(
    "path", ["/api/v1/records/999999", "/api/v1/records/abc", "/api/v1/records/²", "/api/v1/nothing/here"]
)
def test_unknown_record_is_404_json(client: Client, county: County, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and "error" in response.json()


def test_libraries(client: Client, county: County) -> None:
    assert client.get("/api/v1/libraries").json() == {
        "libraries": [
            {"code": "Nyks", "name": "Nyköpings stadsbibliotek", "municipality": "Nyköping"},
            {"code": "Ty", "name": "Tyresö bibliotek", "municipality": "Tyresö"},
        ]
    }


def test_suggest(client: Client, county: County) -> None:
    body = client.get("/api/v1/suggest", {"q": "pip"}).json()
    assert body == {"q": "pip", "suggestions": ["Pippi Långstrump"]}
    assert "Lindgren, Astrid" in client.get("/api/v1/suggest", {"q": "lind"}).json()["suggestions"]


def test_cors_preflight_and_methods(client: Client, county: County) -> None:
    preflight = client.options("/api/v1/search")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert client.post("/api/v1/search").status_code == 405
    cross_site = Client(enforce_csrf_checks=True).post("/api/v1/search")  # as a browser on another site would
    assert cross_site.status_code == 405 and "error" in cross_site.json()


@pytest.mark.sqlite
def test_openapi(client: Client, db: None) -> None:
    body = client.get("/api/v1/openapi.json").json()
    assert body["openapi"].startswith("3.")
    assert {"/search", "/records/{id}", "/libraries", "/suggest"} <= set(body["paths"])
    assert body["components"]["schemas"]["Hit"]["required"] == list(HIT_FIELDS)


def test_search_unavailable_is_503(client: Client, county: County, monkeypatch: pytest.MonkeyPatch) -> None:
    from catalog.search import get_backend
    from catalog.search.backends.base import SearchUnavailable

    def down(*args: object) -> None:
        raise SearchUnavailable("down")

    monkeypatch.setattr(get_backend(), "search", down)
    response = client.get("/api/v1/search")
    assert response.status_code == 503 and "error" in response.json()
