"""Editing the transport timetable: regional staff edit routes, stops and hubs; a library its closures."""

from datetime import date, time

import pytest
from django.test import Client

from ill.models import RouteStop, TransportClosure, TransportHub, TransportRoute
from tests.world.ill import County
from tests.world.places import PASSWORD


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def route_form(county: County, hub: TransportHub) -> dict[str, object]:
    return {
        "number": "2",
        "name": "Norra",
        "hub": str(hub.pk),
        "cutoff": "11:30",
        "stops-TOTAL_FORMS": "2",
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "1000",
        "stops-0-library": str(county.sods.pk),
        "stops-0-weekdays": ["1", "3"],
        "stops-1-library": "",
    }


@pytest.mark.sqlite
def test_regional_staff_make_a_route_with_its_stops(county: County) -> None:
    hub = TransportHub.objects.create(name="Hubben", resort_days=1)
    client = signed_in("regina")
    response = client.post("/staff/ill/transport/route/new/", route_form(county, hub))
    assert response.status_code == 302
    route = TransportRoute.objects.get(number=2)
    assert (route.name, route.cutoff, route.hub) == ("Norra", time(11, 30), hub)
    assert RouteStop.objects.get(route=route).weekdays == [1, 3]
    page = client.get("/staff/ill/transport/").content.decode()
    assert "Södertälje stadsbibliotek" in page and "tisdag, torsdag" in page


def test_librarians_read_the_timetable_but_do_not_edit_it(county: County) -> None:
    hub = TransportHub.objects.create(name="Hubben", resort_days=1)
    client = signed_in("sara")
    assert client.get("/staff/ill/transport/").status_code == 200
    assert client.post("/staff/ill/transport/route/new/", route_form(county, hub)).status_code == 403
    assert client.post("/staff/ill/transport/hub/new/", {"name": "X", "resort_days": "0"}).status_code == 403
    assert not TransportRoute.objects.exists()


def test_a_library_enters_and_removes_its_own_closures_only(county: County) -> None:
    client = signed_in("sara")
    week = {"library": "Sods", "first_day": "2026-07-06", "last_day": "2026-07-10", "note": "Sommar"}
    assert client.post("/staff/ill/transport/closures/", week).status_code == 302
    closure = TransportClosure.objects.get()
    assert (closure.library, closure.first_day) == (county.sods, date(2026, 7, 6))
    backwards = {**week, "first_day": "2026-07-10", "last_day": "2026-07-06"}
    assert client.post("/staff/ill/transport/closures/", backwards).status_code == 200
    assert client.post("/staff/ill/transport/closures/", {**week, "library": "Nyks"}).status_code == 403
    assert signed_in("nils").post(f"/staff/ill/transport/closures/{closure.pk}/delete/").status_code == 404
    assert client.post(f"/staff/ill/transport/closures/{closure.pk}/delete/").status_code == 302
    assert not TransportClosure.objects.exists()
