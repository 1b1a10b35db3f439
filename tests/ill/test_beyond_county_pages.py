"""Staff pages beyond the county: the partner register, LIBRIS prefill and record, the statistics."""

from datetime import date

from django.test import Client

from ill.models import IsoPartner, LibrisEscalation
from ill.states import State
from tests.ill.test_iso18626_exchange import exhausted
from tests.world.ill import County
from tests.world.places import PASSWORD

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def staff(username: str) -> Client:
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def test_regional_staff_register_partners_and_librarians_may_not(county: County) -> None:
    regina, sara = staff("regina"), staff("sara")
    assert sara.get("/staff/ill/partners/").status_code == 403
    page = regina.get("/staff/ill/partners/", **EN).content.decode()
    assert "http://testserver/ill/iso18626" in page  # where partners send their messages
    data = {"name": "Det Kgl. Bibliotek", "agency_id": "DK-820010", "endpoint_url": "https://kb.example/iso"}
    assert regina.post("/staff/ill/partners/", {**data, "active": "on"}).status_code == 302
    partner = IsoPartner.objects.get()
    assert (partner.agency_id, partner.endpoint_url, partner.active) == (
        "DK-820010",
        "https://kb.example/iso",
        True,
    )
    regina.post(f"/staff/ill/partners/{partner.pk}/", {**data, "endpoint_url": "https://kb.example/v2"})
    partner.refresh_from_db()
    assert partner.endpoint_url == "https://kb.example/v2" and not partner.active
    assert sara.post("/staff/ill/partners/", data).status_code == 403


def test_libris_escalation_is_prefilled_without_patron_data_and_recorded(county: County) -> None:
    county.cluster.data = {**county.cluster.data, "libris_ids": ["8291651"]}
    county.cluster.save()
    req = exhausted(county)
    req.needed_before = date(2027, 1, 15)
    req.save()
    sara = staff("sara")
    page = sara.get(f"/staff/ill/{req.pk}/", **EN).content.decode()
    block = page.split('id="libris-block"', 1)[1].split("</textarea>", 1)[0]
    for value in ("8291651", "9789100000001", "Röda rummet", "2027-01-15", req.number):
        assert value in block
    for private in ("Patrik", "1234567890", "patrik@example.org"):
        assert private not in block
    assert "https://libris.kb.se/bib/8291651" in page
    assert staff("nils").post(f"/staff/ill/{req.pk}/libris/", {"libris_number": "X"}).status_code in (
        403,
        404,
    )
    sara.post(f"/staff/ill/{req.pk}/libris/", {"libris_number": "FJL-2026-1234", "outcome": "pending"})
    req.refresh_from_db()
    assert req.state == State.ESCALATED and "FJL-2026-1234" in req.escalated_to
    sara.post(f"/staff/ill/{req.pk}/libris/", {"libris_number": "FJL-2026-1234", "outcome": "filled"})
    escalation = LibrisEscalation.objects.get(request=req)
    assert escalation.outcome == "filled" and escalation.recorded_by == county.sods_librarian
    stats = staff("regina").get("/staff/ill/statistics/", **EN).content.decode()
    section = stats.split('id="left-county"', 1)[1]
    assert "Passed on to LIBRIS fjärrlån</dt><dd>1 (1 lent, 0 not possible)" in section
    csv_text = staff("regina").get("/staff/ill/statistics/?format=csv").content.decode()
    assert ",left_county_libris,,,1" in csv_text and ",left_county_libris_filled,,,1" in csv_text


def test_the_partner_choice_is_offered_only_when_no_county_library_could_lend(county: County) -> None:
    IsoPartner.objects.create(
        name="Det Kgl. Bibliotek", agency_id="DK-820010", endpoint_url="https://kb.example/"
    )
    req = exhausted(county)
    page = staff("sara").get(f"/staff/ill/{req.pk}/", **EN).content.decode()
    assert "Ask a library outside the county" in page and "DK-820010" in page
    assert (
        "Ask a library outside the county"
        not in staff("nils").get(f"/staff/ill/{req.pk}/", **EN).content.decode()
    )
