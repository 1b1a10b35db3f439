"""A patron's fjärrlån e-mails are written in the language they asked in; what goes to the
borrowing library is Swedish; a partner's Unfilled reaches the borrowing library."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import translation

from ill import outbox
from ill.models import OutboxMessage, Request
from ill.partners import PARTNER
from ill.retention import anonymize_closed
from ill.states import State
from ill.workflow import perform
from tests.ill.test_patron import form_data
from tests.world.ill import County, place_request

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def translated(code: str, text: str, **values: str) -> str:
    with translation.override(code):
        return translation.gettext(text) % values


@pytest.mark.sqlite
@pytest.mark.parametrize("code", ["ar", "fi", "uk"])
def test_the_confirmation_is_in_the_language_the_patron_asked_in(
    client: Client, county: County, code: str
) -> None:
    client.cookies["django_language"] = code
    assert client.post("/fjarrlan/ny/", form_data(county)).status_code == 302
    request = Request.objects.get()
    assert request.language == code
    mail = OutboxMessage.objects.get(request=request, kind=OutboxMessage.Kind.CONFIRMATION)
    assert mail.subject == translated(
        code, "Fjärrlån %(number)s: we have your request", number=request.number
    )
    assert translated(code, "Follow your request (private link, do not share it):") in mail.body


@pytest.mark.sqlite
def test_a_language_the_site_no_longer_offers_falls_back_to_swedish(county: County, settings: object) -> None:
    with translation.override("so"):
        request = place_request(county, NOW)
    settings.LANGUAGES = [("sv", "Svenska"), ("en", "English")]  # type: ignore[attr-defined]
    assert outbox.mail_language(request) == "sv"


@pytest.mark.sqlite
def test_a_partners_unfilled_tells_the_borrowing_library_in_swedish(county: County) -> None:
    with translation.override("ar"):
        request = place_request(county, NOW)
    Request.objects.filter(pk=request.pk).update(state=State.ESCALATED, escalated_to="Nasjonalbiblioteket")
    perform(request.pk, "partner_unfilled", PARTNER, note="Unfilled", now=NOW)
    mail = OutboxMessage.objects.get(request=request, kind=OutboxMessage.Kind.PARTNER_UNFILLED)
    assert mail.to == county.sods.email
    assert mail.subject == f"Fjärrlån {request.number}: partnern kan inte låna ut"
    assert "Nasjonalbiblioteket" in mail.body and request.title in mail.body
    assert f"/staff/ill/{request.pk}/" in mail.body


@pytest.mark.sqlite
def test_retention_forgets_the_language_too(county: County) -> None:
    with translation.override("fa"):
        request = place_request(county, NOW)
    Request.objects.filter(pk=request.pk).update(state=State.CLOSED, closed_at=NOW)
    anonymize_closed(datetime(2027, 1, 1, tzinfo=UTC))
    request.refresh_from_db()
    assert request.language == ""
