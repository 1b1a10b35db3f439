"""Accessible media in the v1 API: the `accessibility` filter, facet and hit field, documented."""

import pytest
from django.test import Client

from catalog.accessible import ACCESSIBLE_CODES
from catalog.fields import HIT_FIELDS
from tests.world.accessible import AccessibleCounty, build_accessible_county

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def county(db: None) -> AccessibleCounty:
    return build_accessible_county()


def test_search_filters_counts_and_returns_accessible_media(client: Client, county: AccessibleCounty) -> None:
    body = client.get("/api/v1/search", {"accessibility": ["talking_book", "braille"]}).json()
    assert {hit["id"] for hit in body["hits"]} == {county["talking_book"].pk, county["braille"].pk}
    assert all(list(hit) == list(HIT_FIELDS) for hit in body["hits"])
    by_id = {hit["id"]: hit for hit in body["hits"]}
    assert by_id[county["braille"].pk]["accessibility"] == ["braille"]
    assert by_id[county["braille"].pk]["formats"] == ["book"]  # braille is a version, not a format
    facet = {value["value"]: value for value in body["facets"]["accessibility"]}
    assert facet["large_print"] == {"value": "large_print", "label": "large_print", "count": 2}
    assert set(facet) == set(ACCESSIBLE_CODES)  # counted without its own selection
    both = client.get("/api/v1/search", {"accessibility": "easy_to_read", "format": "large_print"}).json()
    assert [hit["id"] for hit in both["hits"]] == [county["easy_large_print"].pk]
    assert [hit["accessibility"] for hit in both["hits"]] == [["easy_to_read", "large_print"]]
    plain = client.get("/api/v1/search", {"q": "sagor"}).json()["hits"][0]
    assert plain["accessibility"] == ["sign_language"] and "sgn" in plain["languages"]


def test_a_record_carries_its_accessible_media_and_its_other_editions_theirs(
    client: Client, county: AccessibleCounty
) -> None:
    body = client.get(f"/api/v1/records/{county['ordinary'].pk}").json()
    assert body["accessibility"] == []
    others = {edition["id"]: edition["accessibility"] for edition in body["other_editions"]}
    assert others[county["talking_book"].pk] == ["talking_book"]
    assert others[county["easy_to_read"].pk] == ["easy_to_read"]


def test_the_openapi_document_describes_the_filter_facet_and_hit_field(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in spec["paths"]["/search"]["get"]["parameters"]}
    assert parameters["accessibility"]["explode"] is True
    assert "accessibility" in parameters["facet"]["schema"]["items"]["enum"]
    hit = spec["components"]["schemas"]["Hit"]
    assert hit["properties"]["accessibility"]["items"]["enum"] == list(ACCESSIBLE_CODES)
    assert "accessibility" in hit["required"]
    response = spec["paths"]["/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "accessibility" in response["properties"]["facets"]["properties"]
