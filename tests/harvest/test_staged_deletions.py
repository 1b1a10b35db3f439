"""The mass-deletion guard weighs a run's deletions all together before any is applied.

A local OAI-PMH provider serves 40 records in pages of 3, then loses some of them: as deleted
headers (an incremental run), as records gone without a trace (a full run), or both. Each page
alone stays under the guard's 20 %; the run as a whole does not.
"""

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from catalog.models import Holding, Library, SourceRecord
from harvest.models import HarvestRun, Source
from harvest.services import Harvester, harvest_source
from sample.local_oai import LocalOaiServer
from tests.harvest.conftest import fill, marcxml
from tests.world.places import staff

pytestmark = pytest.mark.django_db
RECORDS = 40


def live(source: Source) -> int:
    return SourceRecord.objects.filter(source=source, deleted=False).count()


def lose(server: LocalOaiServer, numbers: list[int], how: str) -> None:
    for number in numbers:
        if how == "deleted":
            server.repository.delete(f"oai:test:{number}")
        else:
            del server.repository.records[f"oai:test:{number}"]


def harvested(server: LocalOaiServer, source: Source) -> None:
    fill(server, RECORDS)
    assert harvest_source(source.pk).added == RECORDS


# (deleted headers, missing records, full run): a quarter of the catalogue gone each time
QUARTER = {
    "deleted headers on an incremental run": (list(range(4, 41, 4)), [], False),
    "missing records on a full run": ([], list(range(4, 41, 4)), True),
    "deleted headers and missing records on a full run": ([4, 8, 12, 16, 20], [24, 28, 32, 36, 40], True),
}


@pytest.mark.parametrize(("deleted", "missing", "full"), QUARTER.values(), ids=QUARTER.keys())
def test_a_feed_losing_a_quarter_deletes_nothing_until_confirmed(
    oai_server: LocalOaiServer,
    oai_source: Source,
    libraries: dict[str, Library],
    deleted: list[int],
    missing: list[int],
    full: bool,
) -> None:
    harvested(oai_server, oai_source)
    lose(oai_server, deleted, "deleted")
    lose(oai_server, missing, "missing")
    stopped = harvest_source(oai_source.pk, full=full)
    oai_source.refresh_from_db()
    assert live(oai_source) == RECORDS  # not one page of it was deleted
    assert (stopped.status, stopped.deleted) == (HarvestRun.Status.STOPPED, 0)
    assert len(stopped.staged_deletions) == len(deleted)
    assert oai_source.state == Source.State.NEEDS_ATTENTION
    assert Holding.objects.filter(record__source=oai_source).count() == RECORDS

    regional = Client()
    regional.force_login(staff("regional", regional=True))
    page = regional.get(f"/staff/sources/{oai_source.pk}/").content.decode()
    state = re.search(r'<dd class="state-needs_attention">(.*?)</dd>', page, re.S)
    assert state and "10" in state.group(1) and "40" in state.group(1)  # says why: 10 of 40
    assert regional.post(f"/staff/sources/{oai_source.pk}/confirm-deletion/").status_code == 302

    confirmed = harvest_source(oai_source.pk, full=full)  # the run the confirmation queued
    oai_source.refresh_from_db()
    assert (confirmed.pk, confirmed.status, confirmed.deleted) == (stopped.pk, HarvestRun.Status.COMPLETE, 10)
    assert confirmed.staged_deletions == []
    assert live(oai_source) == RECORDS - 10
    gone = {f"oai:test:{n}" for n in deleted + missing}
    assert not SourceRecord.objects.filter(local_id__in=gone, deleted=False).exists()
    assert not Holding.objects.filter(record__local_id__in=gone).exists()
    assert (oai_source.state, oai_source.mass_deletion_confirmed) == (Source.State.OK, False)


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_feed_losing_a_tenth_deletes_at_once(
    oai_server: LocalOaiServer, oai_source: Source, full: bool
) -> None:
    harvested(oai_server, oai_source)
    lose(oai_server, [5, 15, 25, 35], "missing" if full else "deleted")
    run = harvest_source(oai_source.pk, full=full)
    assert (run.status, run.deleted, run.staged_deletions) == (HarvestRun.Status.COMPLETE, 4, [])
    assert live(oai_source) == RECORDS - 4


def test_an_unconfirmed_stopped_run_is_not_resumed_but_read_again(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    """The feed is repaired before anyone confirms: the next run reads it again and deletes nothing."""
    harvested(oai_server, oai_source)
    lose(oai_server, list(range(1, 11)), "deleted")
    stopped = harvest_source(oai_source.pk)
    fill(oai_server, RECORDS)  # the provider puts them all back
    again = harvest_source(oai_source.pk)
    assert again.pk != stopped.pk and again.status == HarvestRun.Status.COMPLETE
    assert live(oai_source) == RECORDS


def test_a_crashed_run_still_knows_what_it_staged(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after reading every page, before deleting: the resumed run reads nothing again
    (its phase says all was read) and deletes what the first attempt staged."""
    harvested(oai_server, oai_source)
    lose(oai_server, [1, 2, 3], "deleted")
    original = Harvester._apply_deletions

    def killed(self: Harvester) -> None:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(Harvester, "_apply_deletions", killed)
    crashed = harvest_source(oai_source.pk)
    assert (crashed.status, crashed.phase, live(oai_source)) == ("failed", "listed", RECORDS)
    assert len(crashed.staged_deletions) == 3
    monkeypatch.setattr(Harvester, "_apply_deletions", original)
    asked = len(oai_server.requests)
    resumed = harvest_source(oai_source.pk)
    assert (resumed.pk, resumed.status, resumed.deleted) == (crashed.pk, HarvestRun.Status.COMPLETE, 3)
    assert len(oai_server.requests) == asked and live(oai_source) == RECORDS - 3


def test_a_record_deleted_and_delivered_again_in_one_run_stays(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvest.protocols.base import HarvestedItem, Page

    harvested(oai_server, oai_source)
    gone = HarvestedItem(local_id="oai:test:7", raw=b"", raw_format="marcxml", deleted=True)
    back = HarvestedItem(local_id="oai:test:7", raw=marcxml("7", "Titel 7, igen"), raw_format="marcxml")

    def two_pages(protocol: object, run: HarvestRun, readers: object) -> Iterator[Page]:
        yield Page(items=[gone], resumption_token="page-2")
        yield Page(items=[back])

    monkeypatch.setattr("harvest.services.prepared_pages", two_pages)
    run = harvest_source(oai_source.pk)
    assert (run.status, run.updated, run.deleted) == (HarvestRun.Status.COMPLETE, 1, 0)
    assert live(oai_source) == RECORDS
