"""What Zotero and link resolvers read from the pages: COinS, unAPI and schema.org JSON-LD."""

import json
import re
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import parse_qs

import pytest
import rispy
from django.test import Client
from lxml import etree, html

from catalog.models import ClusterRedirect
from tests.world.portal import County, build_county

SCHEMA = "https://schema.org/"


def coins(page: str) -> list[dict[str, list[str]]]:
    spans = html.fromstring(page).xpath('//span[@class="Z3988"]')
    return [parse_qs(span.get("title")) for span in spans]


@pytest.mark.django_db
def test_coins_on_the_record_page(client: Client, county: County) -> None:
    pippi = county.cluster("pippi")
    [context] = coins(client.get(f"/post/{pippi.pk}/").content.decode())
    assert context["ctx_ver"] == ["Z39.88-2004"]
    assert context["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
    assert context["rft.btitle"] == ["Pippi Långstrump"]
    assert context["rft.au"] == ["Lindgren, Astrid"]
    assert context["rft.isbn"] == ["9789129657807"]
    assert context["rft.date"] == ["1945"]
    assert context["rft_id"] == [f"http://testserver/post/{pippi.pk}/"]


@pytest.mark.django_db
def test_coins_and_unapi_ids_on_the_result_page(client: Client, county: County) -> None:
    page = client.get("/sok/", {"q": "lindgren", "sort": "year_asc"}).content.decode()
    contexts = coins(page)
    assert contexts[0]["rft.btitle"] == ["Pippi Långstrump"] and contexts[0]["rft.date"] == ["1945"]
    assert contexts[0]["rft.isbn"] == ["9789129657807"] and contexts[0]["rft.au"] == ["Lindgren, Astrid"]
    ids = html.fromstring(page).xpath('//abbr[@class="unapi-id"]/@title')
    assert len(ids) == len(contexts) and ids[0] == str(county.cluster("pippi").pk)
    assert '<link rel="unapi-server" type="application/xml" title="unAPI" href="/unapi">' in page


def json_ld(page: str) -> dict[str, Any]:
    [script] = html.fromstring(page).xpath('//script[@type="application/ld+json"]')
    return dict(json.loads(script.text))


@pytest.mark.django_db
def test_schema_org_book_with_an_offer_per_library(client: Client, county: County) -> None:
    pippi = county.cluster("pippi")
    described = json_ld(client.get(f"/post/{pippi.pk}/").content.decode())
    assert described["@context"] == "https://schema.org" and described["@type"] == "Book"
    assert described["name"] == "Pippi Långstrump"
    assert described["author"] == [{"@type": "Person", "name": "Lindgren, Astrid"}]
    assert described["isbn"] == ["9789129657807"] and described["datePublished"] == "1945"
    offers = {offer["offeredBy"]["url"]: offer for offer in described["offers"]}
    assert set(offers) == {f"http://testserver/bibliotek/{code}/" for code in ("Nyks", "Ty", "Na")}
    assert offers["http://testserver/bibliotek/Ty/"]["availability"] == SCHEMA + "InStock"
    assert offers["http://testserver/bibliotek/Na/"]["availability"] == SCHEMA + "OutOfStock"
    assert offers["http://testserver/bibliotek/Na/"]["offeredBy"] == {
        "@type": "Library",
        "name": county.libraries["Na"].name,
        "url": "http://testserver/bibliotek/Na/",
    }


@pytest.mark.django_db
def test_json_ld_keeps_harvested_markup_inside_the_script(client: Client, county: County) -> None:
    page = client.get(f"/post/{county.cluster('xss').pk}/").content.decode()
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert data is not None and "<" not in data.group(1)
    assert json.loads(data.group(1))["name"].startswith('<script>alert("x")</script>')


@pytest.mark.django_db
def test_unapi_sends_a_merged_away_id_to_the_title_it_lives_in(client: Client, county: County) -> None:
    pippi = county.cluster("pippi")
    member = pippi.members.first()
    assert member is not None
    ClusterRedirect.objects.create(id=999999, source_id=member.source_id, local_id=member.local_id)
    response = client.get("/unapi", {"id": "999999", "format": "ris"})
    assert response.status_code == 301
    assert response["Location"] == f"/unapi?id={pippi.pk}&format=ris"


@pytest.fixture
def live_county(transactional_db: None) -> County:
    return build_county(index=False)


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_unapi_over_http(live_server: Any, live_county: County) -> None:
    pk = live_county.cluster("pippi").pk
    status, content_type, body = fetch(f"{live_server.url}/unapi")
    assert status == 200 and content_type.startswith("application/xml")
    formats = etree.fromstring(body)
    assert formats.tag == "formats" and formats.get("id") is None
    assert {f.get("name"): f.get("type") for f in formats} == {
        "ris": "application/x-research-info-systems",
        "bibtex": "application/x-bibtex",
        "marcxml": "application/marcxml+xml",
    }
    status, _, body = fetch(f"{live_server.url}/unapi?id={pk}")
    assert status == 300 and etree.fromstring(body).get("id") == str(pk)
    status, content_type, body = fetch(f"{live_server.url}/unapi?id={pk}&format=ris")
    assert status == 200 and content_type.startswith("application/x-research-info-systems")
    [entry] = rispy.loads(body.decode())
    assert entry["title"].startswith("Pippi Långstrump") and entry["authors"] == ["Lindgren, Astrid"]
    status, _, body = fetch(f"{live_server.url}/unapi?id={pk}&format=marcxml")
    assert status == 200 and b"http://www.loc.gov/MARC21/slim" in body
    status, _, body = fetch(f"{live_server.url}/unapi?id={pk}&format=bibtex")
    assert status == 200 and body.startswith(b"@book{")
    assert fetch(f"{live_server.url}/unapi?id={pk}&format=pdf")[0] == 406
    assert fetch(f"{live_server.url}/unapi?id=999999&format=ris")[0] == 404
    assert fetch(f"{live_server.url}/unapi?id=abc")[0] == 404
