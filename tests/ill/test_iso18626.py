"""The ISO 18626 export validates against the standard's schema and carries no patron data."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client
from lxml import etree

from ill.iso18626 import request_message
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_export_validates_against_the_iso18626_schema(county: County, shared_testdata: Path) -> None:
    schema = etree.XMLSchema(
        etree.parse(str(shared_testdata / "iso18626-ill" / "xsd" / "ISO-18626-v1_2.xsd"))
    )
    req = place_request(county, NOW, needed_before=date(2026, 4, 1), any_edition=True)
    req.isbn = "9789100000001"
    req.save()
    xml = request_message(req, supplier_code="Nyks", now=NOW)
    document = etree.fromstring(xml)
    assert schema.validate(document), schema.error_log
    text = xml.decode()
    assert req.number in text and "Röda rummet" in text and "<ill:anyEdition>Y</ill:anyEdition>" in text
    for private in ("Patrik", "1234567890", "patrik@example.org"):
        assert private not in text


def test_a_real_iso18626_request_validates_with_the_same_schema(shared_testdata: Path) -> None:
    """Guards the validation itself: the schema accepts a real third-party request message."""
    folder = shared_testdata / "iso18626-ill"
    schema = etree.XMLSchema(etree.parse(str(folder / "xsd" / "ISO-18626-v1_2.xsd")))
    assert schema.validate(
        etree.parse(str(folder / "crosslink" / "broker" / "test" / "catalog" / "request-1.xml"))
    )


@pytest.mark.sqlite
def test_only_the_borrowing_library_may_export(county: County) -> None:
    req = place_request(county, NOW)
    sara, nils = Client(), Client()
    sara.login(username="sara", password=PASSWORD)
    nils.login(username="nils", password=PASSWORD)
    response = sara.get(f"/staff/ill/{req.pk}/iso18626.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert nils.get(f"/staff/ill/{req.pk}/iso18626.xml").status_code == 404  # not even asked yet
