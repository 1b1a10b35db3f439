"""The lender rota: who is asked, in which order, and the automatic move-on after the deadline."""

from datetime import UTC, date, datetime, timedelta

import pytest

from catalog.models import ItemStatus
from ill.clock import add_working_days, is_working_day
from ill.models import LendingRule, Request, RotaEntry
from ill.rota import candidates
from ill.states import Side, State
from ill.workflow import Actor, advance_overdue, perform
from tests.world.ill import County, hold, library, place_request

# A Monday, so two working days later is Wednesday.
# Sides as the staff views choose them from the user's libraries.
SYSTEM_BORROWER = Actor(Side.BORROWER)
LENDER = Actor(Side.LENDER)
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def codes(request: Request) -> list[str]:
    return [e.library.code for e in request.rota.select_related("library").order_by("position")]


@pytest.mark.sqlite
def test_rota_excludes_pickup_and_orders_available_then_load_then_distance(county: County) -> None:
    req = place_request(county, MONDAY)
    # Sods is the pickup library; G has it on loan only, so it comes after the two with copies on the shelf;
    # Nyköping is nearer to Södertälje than Linköping.
    assert codes(req) == ["Nyks", "Li", "G"]
    assert req.state == State.NEW


def test_load_balance_comes_before_distance(county: County) -> None:
    # Nyköping lent a lot lately and borrowed nothing: Linköping is asked first.
    for i in range(3):
        earlier = place_request(county, MONDAY - timedelta(days=10 + i), card_number=f"99999999{i:02d}")
        perform(earlier.pk, "send", SYSTEM_BORROWER, now=MONDAY - timedelta(days=10))
        perform(earlier.pk, "accept", LENDER, now=MONDAY - timedelta(days=9))
    req = place_request(county, MONDAY)
    assert codes(req)[:2] == ["Li", "Nyks"]


def test_lending_rules_exclude_formats_new_titles_and_not_for_loan(county: County) -> None:
    LendingRule.objects.create(library=county.nyks, formats_not_lent=["book"])
    LendingRule.objects.create(library=county.li, newer_than_months=12)
    county.cluster.data["year"] = MONDAY.year
    county.cluster.save()
    for holding in county.li.holdings.all():
        holding.record.data = {"formats": ["book"], "year": MONDAY.year}
        holding.record.save()
    ref = library("Ref", name="Referensbiblioteket", latitude=59.0, longitude=17.0)
    hold(county.cluster, ref, ItemStatus.NOT_FOR_LOAN)
    assert [c.library.code for c in candidates(county.cluster, county.sods, MONDAY)] == ["G"]


def test_libraries_that_do_not_lend_are_left_out(county: County) -> None:
    county.nyks.lends_ill = False
    county.nyks.save()
    assert "Nyks" not in [c.library.code for c in candidates(county.cluster, county.sods, MONDAY)]


def test_working_days_skip_weekends_and_swedish_holidays() -> None:
    friday = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)
    assert add_working_days(friday, 2) == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
    maundy_thursday = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    assert add_working_days(maundy_thursday, 2) == datetime(2026, 4, 8, 10, 0, tzinfo=UTC)
    # Midsummer eve 2026 is Friday 19 June; Christmas eve to Boxing day and New Year are closed.
    assert not is_working_day(date(2026, 6, 19)) and is_working_day(date(2026, 6, 22))
    assert add_working_days(datetime(2026, 12, 23, 9, 0, tzinfo=UTC), 2) == datetime(
        2026, 12, 29, 9, 0, tzinfo=UTC
    )


@pytest.mark.sqlite
def test_no_answer_moves_on_to_next_lender_with_a_controllable_clock(county: County) -> None:
    req = place_request(county, MONDAY)
    perform(req.pk, "send", SYSTEM_BORROWER, now=MONDAY)
    req.refresh_from_db()
    assert req.current_lender == county.nyks
    assert req.deadline == MONDAY + timedelta(days=2)

    assert advance_overdue(now=MONDAY + timedelta(days=1)) == []  # Tuesday: still time
    assert advance_overdue(now=MONDAY + timedelta(days=2, minutes=1)) == [req.pk]
    req.refresh_from_db()
    assert (req.state, req.current_lender) == (State.SENT, county.li)
    assert req.rota.get(library=county.nyks).status == RotaEntry.Status.EXPIRED
    assert req.events.filter(action="expire", actor=None).count() == 1


def test_refusals_walk_the_whole_rota_then_the_borrower_escalates(county: County) -> None:
    req = place_request(county, MONDAY)
    perform(req.pk, "send", SYSTEM_BORROWER, now=MONDAY)
    perform(req.pk, "refuse", LENDER, reason="on_loan", now=MONDAY)
    perform(req.pk, "refuse", LENDER, reason="damaged", now=MONDAY)
    req.refresh_from_db()
    assert req.current_lender == county.g
    advance_overdue(now=MONDAY + timedelta(days=3))
    req.refresh_from_db()
    assert req.state == State.EXHAUSTED and req.current_lender is None
    perform(req.pk, "escalate", SYSTEM_BORROWER, note="LIBRIS fjärrlån, beställning 123", now=MONDAY)
    req.refresh_from_db()
    assert req.state == State.ESCALATED and req.escalated_to.startswith("LIBRIS")


def test_title_outside_the_catalogue_has_empty_rota_and_goes_to_exhausted(county: County) -> None:
    req = place_request(county, MONDAY, cluster=None, title="En bok ingen har", author="", year="", isbn="")
    assert codes(req) == []
    perform(req.pk, "send", SYSTEM_BORROWER, now=MONDAY)
    req.refresh_from_db()
    assert req.state == State.EXHAUSTED


def test_advance_overdue_task_runs_through_the_task_wrapper(county: County) -> None:
    from ill.tasks import advance_overdue_requests

    req = place_request(county, MONDAY - timedelta(days=30))
    perform(req.pk, "send", SYSTEM_BORROWER, now=MONDAY - timedelta(days=30))
    assert advance_overdue_requests() == 1  # real clock: long past the deadline


def test_borrowing_library_is_told_when_the_rota_is_exhausted(county: County) -> None:
    from ill.models import OutboxMessage

    county.sods.email = "fjarrlan@sods.example"
    county.sods.save()
    req = place_request(county, MONDAY)
    perform(req.pk, "send", SYSTEM_BORROWER, now=MONDAY)
    for _ in range(3):
        perform(req.pk, "refuse", LENDER, reason="on_loan", now=MONDAY)
    notice = OutboxMessage.objects.get(request=req, kind=OutboxMessage.Kind.ROTA_EXHAUSTED)
    assert notice.to == "fjarrlan@sods.example"
    assert f"/staff/ill/{req.pk}/" in notice.body
    assert "Patrik" not in notice.body


@pytest.mark.sqlite
def test_live_status_the_portal_has_seen_outranks_the_harvested_one(county: County) -> None:
    """Live answers a minute old (cached, not asked again): G has it in now, Nyköping lent it out."""
    from django.core.cache import cache

    from catalog.availability.base import LiveStatus
    from catalog.availability.lookup import cache_key
    from catalog.models import Holding

    keys = []
    two = Holding.objects.filter(library__code__in=["G", "Nyks"]).select_related("record", "library")
    for holding in two:
        live = ItemStatus.AVAILABLE if holding.library.code == "G" else ItemStatus.ON_LOAN
        keys.append(cache_key(holding))
        cache.set(keys[-1], LiveStatus(live, checked_at=datetime.now(UTC)).as_dict(), 60)
    try:
        req = place_request(county, MONDAY)
        assert codes(req) == ["Li", "G", "Nyks"]  # on the shelf (Li harvested, G live), then on loan
        assert req.rota.get(library__code="G").available
    finally:
        cache.delete_many(keys)
