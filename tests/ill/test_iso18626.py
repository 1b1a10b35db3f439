"""The ISO 18626 export validates against the standard's schema and carries no patron data."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client
from lxml import etree

from ill import iso18626
from ill.iso18626 import request_message
from ill.models import IsoMessage, IsoPartner, Request
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD, library

NSMAP = {"i": iso18626.NS}

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


def _samples(folder: Path) -> list[Path]:
    return sorted((folder / "iso18626-ill").rglob("*.xml"))


def test_every_real_sample_is_parsed_stored_and_answered(
    client: Client, county: County, shared_testdata: Path
) -> None:
    """Each recorded third-party message posted to the endpoint: a schema-valid confirmation of its
    type, OK for a good request from a registered partner to a county library, ERROR (with its
    type) for the broken ones; every one kept, the broken with their error."""
    folder = shared_testdata / "iso18626-ill"
    schema = etree.XMLSchema(etree.parse(str(folder / "xsd" / "ISO-18626-v1_2.xsd")))
    for agency in ("REQ", "DE-6", "NIA2"):
        IsoPartner.objects.create(
            name=agency, agency_id=agency, endpoint_url="http://127.0.0.1:9/", networks="127.0.0.1"
        )
    library("BROKER")
    library("NIA1")
    samples = _samples(shared_testdata)
    assert len(samples) > 50
    statuses = {}
    for sample in samples:
        body = sample.read_bytes()
        response = client.post("/ill/iso18626", body, content_type="application/xml")
        assert response.status_code == 200
        answer = etree.fromstring(response.content)
        assert schema.validate(answer), (sample.name, schema.error_log)
        kind = etree.QName(answer[0]).localname
        parsed, _error = iso18626.parse(body)
        expected_kind = iso18626.CONFIRMATION_OF.get(parsed.kind if parsed else "", "requestConfirmation")
        assert kind == expected_kind, sample.name
        status = answer.find(".//i:messageStatus", NSMAP)
        statuses[sample.name] = status.text if status is not None else ""
        if statuses[sample.name] == "ERROR":
            assert answer.find(".//i:errorType", NSMAP) is not None
    stored = IsoMessage.objects.filter(direction="in")
    assert stored.count() == len(samples)
    broken = [n for n in statuses if "invalid" in n or "no-reqid" in n or "Template" in n]
    assert broken and all(statuses[n] == "ERROR" for n in broken)
    assert statuses["request-willsupply-loaned.xml"] == "OK" and statuses["illmockrequest.xml"] == "OK"
    assert statuses["reqmsg-invalid-action.xml"] == "ERROR"
    assert stored.filter(error="").count() == list(statuses.values()).count("OK")
    # Requests from partners land in the named library's incoming queue, without the patron's data.
    created = Request.objects.filter(iso__role="supplier")
    assert created.filter(current_lender__code="BROKER").exists()
    assert not created.exclude(patron_name="", card_number="", email="").exists()


def test_an_error_confirmation_names_its_error_type(client: Client, db: None, shared_testdata: Path) -> None:
    folder = shared_testdata / "iso18626-ill" / "crosslink" / "broker" / "test" / "testdata"
    cases = {
        "supmsg-invalid-status.xml": "UnrecognisedDataValue",
        "reqmsg-invalid-action.xml": "UnrecognisedDataValue",
        "request-no-reqid.xml": "BadlyFormedMessage",
        "msg-invalid.xml": "BadlyFormedMessage",
    }
    for name, error_type in cases.items():
        response = client.post("/ill/iso18626", (folder / name).read_bytes(), content_type="application/xml")
        answer = etree.fromstring(response.content)
        assert answer.find(".//i:messageStatus", NSMAP).text == "ERROR"  # type: ignore[union-attr]
        assert answer.find(".//i:errorType", NSMAP).text == error_type, name  # type: ignore[union-attr]
    not_xml = client.post("/ill/iso18626", b"<oops", content_type="application/xml")
    assert b"BadlyFormedMessage" in not_xml.content
    assert client.get("/ill/iso18626").status_code == 405
