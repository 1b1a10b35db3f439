"""Every /api/v1/ endpoint keeps one convention and is described in the OpenAPI document."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern

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
    assert len(endpoints()) == 7


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
