"""Every /api/v1/ endpoint keeps one convention and is described in the OpenAPI document."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern
from openapi_spec_validator import validate

from api import urls
from api.responses import CORS_HEADERS

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def endpoints() -> list[str]:
    """The API's paths in OpenAPI spelling ("records/<int:pk>" -> "/records/{id}"), catch-all left out."""
    routes = [
        str(p.pattern) for p in urls.urlpatterns if isinstance(p, URLPattern) and "(?P" not in str(p.pattern)
    ]
    return ["/" + re.sub(r"<(\w+:)?\w+>", "{id}", route) for route in routes]


def test_the_openapi_document_describes_every_endpoint() -> None:
    described = Client().get("/api/v1/openapi.json").json()["paths"]
    assert set(endpoints()) == set(described)
    assert len(endpoints()) == 8


def test_the_openapi_document_is_valid_and_names_every_operation() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    validate(document)  # openapi-spec-validator: OpenAPI 3.1 and its JSON Schema dialect
    operations = [operation for path in document["paths"].values() for operation in path.values()]
    ids = [operation["operationId"] for operation in operations]
    assert len(set(ids)) == len(ids) == len(endpoints())
    declared = {tag["name"] for tag in document["tags"]}
    for operation in operations:
        assert operation["tags"] and set(operation["tags"]) <= declared
        assert operation["summary"] and operation["description"]


def test_every_400_of_the_search_is_documented_with_its_message() -> None:
    """Each bad-request example in the document is what the API answers to that request."""
    search = Client().get("/api/v1/openapi.json").json()["paths"]["/search"]["get"]
    examples = search["responses"]["400"]["content"]["application/json"]["examples"]
    assert {"years_reversed", "available_not_a_flag", "unknown_sort", "nul_character"} <= set(examples)
    answered = Client().get("/api/v1/search", {"year_from": "2000", "year_to": "1990"})
    assert answered.status_code == 400
    assert answered.json() == examples["years_reversed"]["value"]


@pytest.mark.parametrize("path", endpoints())
def test_every_endpoint_answers_other_methods_in_json_with_cors(path: str) -> None:
    url = "/api/v1" + path.replace("{id}", "1")
    client = Client(enforce_csrf_checks=True)
    posted = client.post(url, {"ids": "1"})
    assert posted.status_code == 405 and posted.json() == {"error": "Endast GET stöds."}
    preflight = client.options(url)
    assert preflight.status_code == 204
    for response in (posted, preflight):
        assert {header: response[header] for header in CORS_HEADERS} == CORS_HEADERS
        assert response["Allow"] == "GET, HEAD, OPTIONS"  # RFC 9110 requires it on a 405
