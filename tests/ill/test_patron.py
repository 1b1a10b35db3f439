"""The patron's form, duplicates, the own-library suggestion, abuse limits and the status page."""

import re
from typing import Any

import pytest
from django.test import Client

from catalog.models import Holding, ItemStatus
from ill import views as ill_views
from ill.models import OutboxMessage, Request
from ill.patron import LIMIT_PER_ADDRESS
from ill.states import State
from tests.world.ill import County


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
    assert response["Location"] == "/fjarrlan/tack/"  # the private link goes by e-mail only
    assert req.card_number == "1234567890" and req.state == State.NEW
    assert "e-post" in client.get(response["Location"]).content.decode()
    confirmation = client.get(f"/fjarrlan/tack/{req.token}/").content.decode()
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


def test_own_library_with_a_copy_on_the_shelf_is_suggested_first(client: Client, county: County) -> None:
    Holding.objects.filter(library=county.sods).update(status=ItemStatus.AVAILABLE)
    first = client.post("/fjarrlan/ny/", form_data(county))
    assert first.status_code == 200
    assert first.context["own_copy"] == county.sods
    assert not Request.objects.exists()
    again = client.post("/fjarrlan/ny/", form_data(county, own_copy_ack="True"))
    assert again.status_code == 302 and Request.objects.count() == 1


def test_rate_limit_per_address(client: Client, county: County) -> None:
    for i in range(LIMIT_PER_ADDRESS):
        data = form_data(county, card_number=f"55500000{i:02d}", email=f"p{i}@example.org")
        assert client.post("/fjarrlan/ny/", data).status_code == 302
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
    assert (response.status_code, response["Location"]) == (302, "/fjarrlan/tack/")
    assert Request.objects.count() == 1


def test_my_library_cookie_preselects_pickup_and_warns_about_an_own_copy(
    client: Client, county: County
) -> None:
    Holding.objects.filter(library=county.sods).update(status=ItemStatus.AVAILABLE)
    client.cookies["samsok_bibliotek"] = "Sods"
    page = client.get(f"/fjarrlan/ny/?record={county.cluster.pk}")
    assert page.context["form"].initial == {"pickup_library": county.sods.pk, "own_copy_ack": True}
    assert page.context["own_copy"] == county.sods


def without_csrf(response: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_a_duplicate_is_answered_exactly_like_a_new_request(client: Client, county: County) -> None:
    new = client.post("/fjarrlan/ny/", form_data(county, card_number="1111111111"))
    client.post("/fjarrlan/ny/", form_data(county))
    existing = Request.objects.get(card_number="1234567890")
    stranger = Client()  # knows the card number, not the patron
    duplicate = stranger.post("/fjarrlan/ny/", form_data(county, email="stranger@example.org"))
    assert (duplicate.status_code, duplicate["Location"]) == (new.status_code, new["Location"])
    html = without_csrf(stranger.get(duplicate["Location"]))
    assert html == without_csrf(client.get(new["Location"]))
    assert existing.number not in html and existing.token not in html and "Röda rummet" not in html


def test_a_duplicate_resends_the_link_once_a_day_to_the_address_on_file(
    client: Client, county: County
) -> None:
    client.post("/fjarrlan/ny/", form_data(county))
    for _ in range(3):
        client.post("/fjarrlan/ny/", form_data(county, email="stranger@example.org"))
    mails = OutboxMessage.objects.filter(kind="confirmation")
    assert [m.to for m in mails] == ["patrik@example.org", "patrik@example.org"]


def test_the_honeypot_looks_like_success_and_stores_nothing(client: Client, county: County) -> None:
    real = Client().post("/fjarrlan/ny/", form_data(county, card_number="1111111111"))
    Request.objects.all().delete()
    OutboxMessage.objects.all().delete()
    response = client.post("/fjarrlan/ny/", form_data(county, website="http://spam.example"))
    assert (response.status_code, response["Location"]) == (real.status_code, real["Location"])
    assert not Request.objects.exists() and not OutboxMessage.objects.exists()


def test_only_valid_submissions_count_towards_the_address_limit(client: Client, county: County) -> None:
    for _ in range(LIMIT_PER_ADDRESS + 5):
        assert client.post("/fjarrlan/ny/", form_data(county, patron_name="")).status_code == 400
    assert client.post("/fjarrlan/ny/", form_data(county)).status_code == 302


def test_behind_the_proxy_each_patron_has_their_own_address_limit(county: County, settings: Any) -> None:
    settings.TRUSTED_PROXY_HOPS = 1
    busy = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for i in range(LIMIT_PER_ADDRESS):
        data = form_data(county, card_number=f"55500000{i:02d}", email=f"p{i}@example.org")
        assert busy.post("/fjarrlan/ny/", data).status_code == 302
    assert busy.post("/fjarrlan/ny/", form_data(county)).status_code == 429
    neighbour = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert neighbour.post("/fjarrlan/ny/", form_data(county)).status_code == 302


def test_rate_limit_per_email_address(client: Client, county: County) -> None:
    from ill import patron

    statuses = []
    for i in range(patron.LIMIT_PER_EMAIL + 1):
        data = form_data(county, card_number=f"77700000{i:02d}", email="Same@Example.org")
        statuses.append(client.post("/fjarrlan/ny/", data).status_code)
    assert statuses == [302] * patron.LIMIT_PER_EMAIL + [429]


def test_phone_number_takes_digits_spaces_plus_dashes_and_parentheses(client: Client, county: County) -> None:
    bad = client.post("/fjarrlan/ny/", form_data(county, email="", phone="call me maybe"))
    assert bad.status_code == 400 and bad.context["form"].errors.as_data()["phone"][0].code == "phone"
    good = client.post("/fjarrlan/ny/", form_data(county, email="", phone="+46 (0)70-123 45 67"))
    assert good.status_code == 302 and Request.objects.get().phone == "+46 (0)70-123 45 67"


def test_pages_with_patron_data_are_not_cached(client: Client, county: County) -> None:
    invalid = client.post("/fjarrlan/ny/", form_data(county, pickup_library=""))
    client.post("/fjarrlan/ny/", form_data(county))
    req = Request.objects.get()
    for response in (
        invalid,
        client.get(f"/fjarrlan/status/{req.token}/"),
        client.get(f"/fjarrlan/tack/{req.token}/"),
    ):
        assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}
