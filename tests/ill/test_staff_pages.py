"""What the staff pages show: the transport label, the dashboard counts, the per-card limit."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from ill.patron import LIMIT_PER_CARD
from ill.states import Side
from ill.workflow import Actor, perform
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.sqlite
def test_transport_label_names_both_libraries_number_title_and_call_number(county: County) -> None:
    req = place_request(county, NOW)
    perform(req.pk, "send", Actor(Side.BORROWER), now=NOW)
    perform(req.pk, "accept", Actor(Side.LENDER), now=NOW)
    label = signed_in("nils").get(f"/staff/ill/{req.pk}/label/").content.decode().split("transport-label")[1]
    # Receiving library first (as on the box), then the sender.
    assert label.index("Södertälje stadsbibliotek") < label.index("Nyköpings stadsbibliotek")
    assert req.number in label and "Röda rummet" in label and "Hc Strindberg" in label


def test_dashboard_counts_open_requests_per_queue(county: County) -> None:
    req = place_request(county, NOW)
    perform(req.pk, "send", Actor(Side.BORROWER), now=NOW)
    assert signed_in("sara").get("/staff/").context["counts"] == {"incoming": 0, "outgoing": 1}
    assert signed_in("nils").get("/staff/").context["counts"] == {"incoming": 1, "outgoing": 0}


def test_rate_limit_per_card(county: County) -> None:
    from catalog.models import Cluster

    card = "9876543210"
    client = Client()
    statuses = []
    for i in range(LIMIT_PER_CARD + 1):
        other = Cluster.objects.create(data={"title": f"Bok {i}"})
        response = client.post(
            f"/fjarrlan/ny/?record={other.pk}",
            {
                "record": other.pk,
                "patron_name": "P",
                "pickup_library": county.sods.pk,
                "card_number": card,
                "email": "p@example.org",
            },
        )
        statuses.append(response.status_code)
    assert statuses == [302] * LIMIT_PER_CARD + [429]


@pytest.mark.sqlite
def test_a_library_edits_only_its_own_lending_rules(county: County) -> None:
    from ill.models import LendingRule

    nils = signed_in("nils")
    assert nils.get("/staff/ill/rules/").status_code == 200
    response = nils.post(
        "/staff/ill/rules/",
        {"library": "Nyks", "formats_not_lent": ["film", "game"], "newer_than_months": "6"},
    )
    assert response.status_code == 302
    rule = LendingRule.objects.get(library=county.nyks)
    assert (rule.formats_not_lent, rule.newer_than_months) == (["film", "game"], 6)
    assert (
        nils.post("/staff/ill/rules/", {"library": "Sods", "formats_not_lent": ["book"]}).status_code == 403
    )
    assert not LendingRule.objects.filter(library=county.sods).exists()


def test_staff_pages_with_patron_data_are_not_cached(county: County) -> None:
    req = place_request(county, NOW)
    sara = signed_in("sara")
    for url in ("/staff/", "/staff/ill/outgoing/", f"/staff/ill/{req.pk}/", f"/staff/ill/{req.pk}/label/"):
        response = sara.get(url)
        assert response.status_code == 200, url
        assert {"no-store", "private"} <= {p.strip() for p in response["Cache-Control"].split(",")}, url
