"""The patron's form, duplicates, the own-library suggestion, abuse limits and the status page."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from catalog.models import Holding, ItemStatus
from ill import views as ill_views
from ill.models import OutboxMessage, Request
from ill.patron import LIMIT_PER_ADDRESS
from ill.states import State
from tests.ill.county import County


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    # Not cache.clear(): on Redis that would flush what parallel test runs share.
    cache.delete_many(["ratelimit:ill-form:address:127.0.0.1", "ratelimit:ill-form:card:1234567890"])


def form_data(county: County, **overrides: Any) -> dict[str, Any]:
    data = {
        "record": county.cluster.pk,
        "patron_name": "Patrik Patron",
        "pickup_library": county.sods.pk,
        "card_number": "1234 567 890",
        "email": "patrik@example.org",
        "phone": "",
        "needed_before": "",
        "message": "",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.mark.sqlite
def test_placing_a_request_shows_confirmation_and_queues_mail(client: Client, county: County) -> None:
    page = client.get(f"/fjarrlan/ny/?record={county.cluster.pk}")
    assert page.status_code == 200 and "Röda rummet" in page.content.decode()
    # Only libraries that accept pickups are offered.
    assert "Göteborgs bibliotek" not in page.content.decode()
    response = client.post(f"/fjarrlan/ny/?record={county.cluster.pk}", form_data(county))
    assert response.status_code == 302
    req = Request.objects.get()
    assert response["Location"] == f"/fjarrlan/tack/{req.token}/"
    assert req.card_number == "1234567890" and req.state == State.NEW
    confirmation = client.get(response["Location"]).content.decode()
    assert req.number in confirmation and f"/fjarrlan/status/{req.token}/" in confirmation
    mail = OutboxMessage.objects.get(request=req)
    assert f"http://testserver/fjarrlan/status/{req.token}/" in mail.body
    assert len(req.token) >= 32


def test_bad_fields_get_their_own_errors_and_keep_what_was_typed(client: Client, county: County) -> None:
    response = client.post(
        "/fjarrlan/ny/",
        form_data(county, record="", card_number="12AB", email="", needed_before="2000-01-01", title=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert {e.code for e in errors["card_number"]} == {"card"}
    assert {e.code for e in errors["email"]} == {"contact"}
    assert {e.code for e in errors["needed_before"]} == {"past"}
    assert "title" in errors
    html = response.content.decode()
    assert 'value="Patrik Patron"' in html and 'aria-invalid="true"' in html
    assert not Request.objects.exists()


def test_blank_form_for_a_title_not_in_the_catalogue(client: Client, county: County) -> None:
    response = client.post("/fjarrlan/ny/", form_data(county, record="", title="Okänd bok", author="N.N."))
    assert response.status_code == 302
    req = Request.objects.get()
    assert (req.title, req.cluster, req.rota.count()) == ("Okänd bok", None, 0)


def test_duplicate_shows_the_existing_request(client: Client, county: County) -> None:
    client.post("/fjarrlan/ny/", form_data(county))
    response = client.post("/fjarrlan/ny/", form_data(county))
    assert response.status_code == 200
    existing = Request.objects.get()
    html = response.content.decode()
    assert existing.number in html
    assert existing.token not in html  # the private link goes to the patron's e-mail, not to whoever asks
    assert OutboxMessage.objects.filter(request=existing, kind="confirmation").count() == 2


def test_own_library_with_a_copy_on_the_shelf_is_suggested_first(client: Client, county: County) -> None:
    Holding.objects.filter(library=county.sods).update(status=ItemStatus.AVAILABLE)
    first = client.post("/fjarrlan/ny/", form_data(county))
    assert first.status_code == 200
    assert first.context["own_copy"] == county.sods
    assert not Request.objects.exists()
    again = client.post("/fjarrlan/ny/", form_data(county, own_copy_ack="True"))
    assert again.status_code == 302 and Request.objects.count() == 1


def test_honeypot_rejects_bots(client: Client, county: County) -> None:
    response = client.post("/fjarrlan/ny/", form_data(county, website="http://spam.example"))
    assert response.status_code == 400 and not Request.objects.exists()


def test_rate_limit_per_address(client: Client, county: County) -> None:
    for i in range(LIMIT_PER_ADDRESS):
        client.post("/fjarrlan/ny/", form_data(county, card_number="", patron_name=f"x{i}"))
    assert client.post("/fjarrlan/ny/", form_data(county)).status_code == 429


def test_csrf_is_enforced(county: County) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/fjarrlan/ny/", form_data(county)).status_code == 403


@pytest.mark.sqlite
def test_status_page_and_cancel_before_sending(client: Client, county: County) -> None:
    client.post("/fjarrlan/ny/", form_data(county))
    req = Request.objects.get()
    page = client.get(f"/fjarrlan/status/{req.token}/").content.decode()
    assert req.number in page and "Patrik" not in page  # the status page shows no patron data
    client.post(f"/fjarrlan/status/{req.token}/avbryt/")
    req.refresh_from_db()
    assert req.state == State.CANCELLED
    assert req.events.filter(action="cancel", by_patron=True).exists()
    assert client.get("/fjarrlan/status/not-a-token/").status_code == 404


def test_patron_cannot_cancel_once_sent(client: Client, county: County) -> None:
    from ill.states import Side
    from ill.workflow import Actor, perform

    client.post("/fjarrlan/ny/", form_data(county))
    req = Request.objects.get()
    perform(req.pk, "send", Actor(Side.BORROWER))
    assert "avbryt" not in client.get(f"/fjarrlan/status/{req.token}/").content.decode()
    client.post(f"/fjarrlan/status/{req.token}/avbryt/")
    req.refresh_from_db()
    assert req.state == State.SENT


def test_privacy_page(client: Client, db: None, settings: Any) -> None:
    settings.ILL_RETENTION_DAYS = 45
    html = client.get("/fjarrlan/integritet/").content.decode()
    assert "45" in html and "kortnummer" in html  # the period and what is removed, in Swedish


def test_a_double_submit_that_races_the_duplicate_check_gets_one_request(
    client: Client, county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both submits pass the duplicate check before either commits: the database keeps one."""
    client.post("/fjarrlan/ny/", form_data(county))
    checks = iter([None])  # the second submit's check ran before the first one committed
    real = ill_views.open_duplicate
    monkeypatch.setattr(ill_views, "open_duplicate", lambda card, cluster: next(checks, real(card, cluster)))
    response = client.post("/fjarrlan/ny/", form_data(county))
    assert response.status_code == 200 and "ill/duplicate.html" in [t.name for t in response.templates]
    assert Request.objects.count() == 1


def test_my_library_cookie_preselects_pickup_and_warns_about_an_own_copy(
    client: Client, county: County
) -> None:
    Holding.objects.filter(library=county.sods).update(status=ItemStatus.AVAILABLE)
    client.cookies["samsok_bibliotek"] = "Sods"
    page = client.get(f"/fjarrlan/ny/?record={county.cluster.pk}")
    assert page.context["form"].initial == {"pickup_library": county.sods.pk, "own_copy_ack": True}
    assert page.context["own_copy"] == county.sods
