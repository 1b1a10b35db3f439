"""Anonymization after the retention period, and the regional statistics that survive it."""

import csv
import io
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ill.models import Event, OutboxMessage, Request
from ill.retention import anonymize_closed
from ill.states import Side, State
from ill.statistics import monthly
from ill.workflow import Actor, perform
from tests.ill.test_workflow import PATHS
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
B, L = Actor(Side.BORROWER), Actor(Side.LENDER)


def run(req: Request, steps: list[str], at: datetime) -> Request:
    for action in steps:
        req = perform(
            req.pk,
            action,
            B
            if action in {"send", "receive", "notify", "pick_up", "ship_return", "not_fulfilled", "cancel"}
            else L,
            reason="on_loan",
            now=at,
        )
    return req


FULL_LOAN = PATHS[State.CLOSED]  # lent, picked up, returned and closed


@pytest.mark.sqlite
def test_closed_requests_lose_patron_data_after_retention(county: County, settings: object) -> None:
    old = run(place_request(county, NOW), FULL_LOAN, NOW)
    recent = run(place_request(county, NOW, card_number="2222222222"), ["cancel"], NOW + timedelta(days=80))
    still_open = place_request(county, NOW - timedelta(days=400), card_number="3333333333")
    assert anonymize_closed(now=NOW + timedelta(days=91)) == 1
    old.refresh_from_db()
    assert (old.patron_name, old.card_number, old.email, old.phone, old.message) == ("", "", "", "", "")
    assert old.anonymized_at is not None and old.title == "Röda rummet"
    assert not OutboxMessage.objects.filter(request=old).exists()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.patron_name and still_open.patron_name
    assert anonymize_closed(now=NOW + timedelta(days=91)) == 0  # idempotent
    # Statistics are kept after anonymization.
    assert {m.month: m for m in monthly()}["2026-03"].matrix[("Nyks", "Sods")] == 1
    # The status link of an anonymized request no longer works.
    assert Client().get(f"/fjarrlan/status/{old.token}/").status_code == 404


def test_anonymize_task_uses_the_setting(county: County, settings: Any) -> None:
    from ill.tasks import anonymize_closed_requests

    closed_days_ago = (datetime.now(UTC) - NOW).days
    run(place_request(county, NOW), ["cancel"], NOW)
    settings.ILL_RETENTION_DAYS = closed_days_ago + 1
    assert anonymize_closed_requests() == 0  # the real clock: not yet due under this setting
    settings.ILL_RETENTION_DAYS = closed_days_ago - 1
    assert anonymize_closed_requests() == 1


def test_anonymizing_also_clears_staff_notes_and_old_mail_copies(county: County, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    mail = Path(settings.EMAIL_FILE_PATH)
    mail.mkdir(parents=True, exist_ok=True)
    old_copy, new_copy = mail / "old.log", mail / "new.log"
    old_copy.write_text("To: patrik@example.org")
    new_copy.write_text("To: patrik@example.org")
    old_time = (NOW - timedelta(days=1)).timestamp()
    os.utime(old_copy, (old_time, old_time))
    req = place_request(county, NOW)
    perform(req.pk, "cancel", B, note="Patrik ringde och ångrade sig", now=NOW)
    anonymize_closed(now=NOW + timedelta(days=91))
    assert list(Event.objects.filter(request=req).exclude(note="")) == []
    assert not old_copy.exists()
    assert new_copy.exists()  # written after the cutoff: kept


def test_monthly_statistics_and_csv(county: County) -> None:
    run(place_request(county, NOW), ["send", "accept", "ship", "receive"], NOW + timedelta(days=3))
    run(place_request(county, NOW, card_number="2222222222"), ["send", "refuse", "accept"], NOW)
    run(
        place_request(county, NOW, card_number="3333333333"),
        ["send", "refuse", "refuse", "refuse", "not_fulfilled"],
        NOW,
    )
    run(place_request(county, NOW + timedelta(days=31), card_number="4444444444"), ["cancel"], NOW)
    march, april = monthly()
    assert (march.month, march.requests, march.filled, march.unfilled) == ("2026-03", 3, 1, 1)
    assert march.fill_rate == 0.5
    assert march.median_turnaround_days == 3.0
    # Load balance: after Nyköping lent the first, Linköping is asked first for the second (and refuses).
    assert march.matrix == {("Nyks", "Sods"): 2}
    assert march.refusals["on_loan"] == 4
    assert april.requests == 1 and april.fill_rate is None
    client = Client()
    client.login(username="regina", password=PASSWORD)
    page = client.get("/staff/ill/statistics/")
    assert page.status_code == 200 and "2026-03" in page.content.decode()
    rows = list(csv.reader(io.StringIO(client.get("/staff/ill/statistics/?format=csv").content.decode())))
    assert rows[0] == ["month", "measure", "lender", "borrower_or_reason", "value"]
    assert ["2026-03", "loans", "Nyks", "Sods", "2"] in rows
    assert ["2026-03", "fill_rate", "", "", "0.5"] in rows
