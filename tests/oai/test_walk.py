"""Harvesting /oai page by page: every item once, and a catalogue that changes under a harvest
neither makes it skip an unchanged title nor list one twice; the changes (new versions, merges,
withdrawals as deleted records) reach the next incremental harvest."""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client
from lxml import etree

from catalog.models import Cluster, ClusterTombstone, Library, SourceRecord
from harvest.models import Source
from harvest.services import harvest_source
from tests.oai.conftest import libris_collection, oai_get, title_record
from tests.oai.schema import OAI

NS = {"o": OAI}
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def headers(document: etree._Element) -> list[tuple[str, bool]]:
    """(identifier, deleted) of every header of a page."""
    return [
        (h.findtext("o:identifier", namespaces=NS) or "", h.get("status") == "deleted")
        for h in document.iterfind(".//o:header", NS)
    ]


def walk(client: Client, document: etree._Element, verb: str) -> list[etree._Element]:
    """The pages after ``document``, following its resumption tokens to the end."""
    pages = []
    while token := document.findtext(f"o:{verb}/o:resumptionToken", namespaces=NS):
        document = oai_get(client, verb=verb, resumptionToken=token)
        pages.append(document)
    return pages


def oai_id(pk: int) -> str:
    return f"oai:testserver:{pk}"


def test_a_full_harvest_lists_every_title_once_with_cursor_and_size(
    catalogue: Source, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("oai.verbs.PAGE_SIZE", 7)
    total = Cluster.objects.count()
    first = oai_get(client, verb="ListRecords", metadataPrefix="marcxml")
    pages = [first, *walk(client, first, "ListRecords")]
    listed = [identifier for page in pages for identifier, _ in headers(page)]
    assert sorted(listed) == sorted(oai_id(pk) for pk in Cluster.objects.values_list("id", flat=True))
    assert len(pages) == -(-total // 7)
    tokens = [page.find("o:ListRecords/o:resumptionToken", NS) for page in pages]
    assert [int(t.get("cursor", "-1")) for t in tokens if t is not None] == list(range(0, total, 7))
    assert {t.get("completeListSize") for t in tokens if t is not None} == {str(total)}
    assert tokens[-1] is not None and not tokens[-1].text  # the last page: an empty token
    expires = datetime.strptime(tokens[0].get("expirationDate", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)  # type: ignore[union-attr]
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(days=1)


def nyks_titles(changes: dict[int, dict[str, str]], dropped: set[int]) -> list[bytes]:
    records = []
    for n in range(1, 13):
        if n not in dropped:
            records.append(
                title_record(n, ("Nyks", "Sods") if n % 3 == 0 else ("Nyks",), **changes.get(n, {}))
            )
    return records


def test_changes_during_a_harvest_neither_skip_nor_repeat(
    catalogue: Source,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    harvest_file: Callable[..., Source],
    settings: pytest.FixtureRequest,
) -> None:
    settings.HARVEST_MASS_DELETE_SHARE = 1.0  # type: ignore[attr-defined]
    monkeypatch.setattr("oai.verbs.PAGE_SIZE", 10)
    titles = {n: SourceRecord.objects.get(local_id=f"t{n}").cluster_id for n in range(1, 13)}
    # Datestamps in a known order: Nyks titles 1-6 first (the first page), the LIBRIS titles,
    # then Nyks titles 7-12 (the last pages).
    others = Cluster.objects.exclude(id__in=titles.values()).order_by("id").values_list("id", flat=True)
    order = [titles[n] for n in range(1, 7)] + list(others) + [titles[n] for n in range(7, 13)]
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for rank, pk in enumerate(order):
        Cluster.objects.filter(pk=pk).update(updated_at=base + timedelta(minutes=rank))

    first = oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml")
    responded = first.findtext("o:responseDate", namespaces=NS)
    assert [i for i, _ in headers(first)] == [oai_id(pk) for pk in order[:10]]
    # The Nyks library's system changes while the harvester is between pages: title 2 (listed
    # already) and 9 (not yet) are corrected, 10 and 11 turn out to be one book (same ISBN),
    # 3 (listed) and 12 (not yet) are withdrawn.
    same = "9789150222319"
    changed = {
        2: {"title": "Titel 2, rättad"},
        9: {"title": "Titel 9, rättad"},
        10: {"isbn": same},
        11: {"isbn": same},
    }
    nyks = Library.objects.get(code="Nyks")
    harvest_file("nyks", nyks_titles(changed, dropped={3, 12}), nyks)
    merged = SourceRecord.objects.get(local_id="t10").cluster_id
    assert merged == SourceRecord.objects.get(local_id="t11").cluster_id
    vanished = ({titles[10], titles[11]} - {merged}) | {titles[3], titles[12]}
    assert set(ClusterTombstone.objects.values_list("id", flat=True)) >= vanished

    rest = [i for page in walk(client, first, "ListIdentifiers") for i, _ in headers(page)]
    listed = [i for i, _ in headers(first)] + rest
    assert len(listed) == len(set(listed)), "an item was listed twice"
    moved = {titles[n] for n in (2, 9, 10, 11)} | vanished
    unchanged = {oai_id(pk) for pk in order if pk not in moved}
    assert unchanged <= set(listed), "an unchanged item was skipped"
    assert oai_id(titles[9]) not in rest  # changed after the harvest began: the next one's

    # The next incremental harvest (from the first page's responseDate) brings every change.
    after = oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml", **{"from": responded or ""})
    found = dict(
        headers(after) + [h for page in walk(client, after, "ListIdentifiers") for h in headers(page)]
    )
    assert {found.get(oai_id(titles[n])) for n in (2, 9)} == {False}
    assert found.get(oai_id(merged)) is False
    assert {found.get(oai_id(pk)) for pk in vanished} == {True}, "withdrawn and merged-away titles: deleted"


def test_a_changed_holdings_record_gives_its_title_a_new_datestamp(
    catalogue: Source, client: Client, shared_testdata: Path, tmp_path: Path
) -> None:
    """LIBRIS holdings records move no title from cluster to cluster, yet change its 852s."""
    tove = SourceRecord.objects.get(local_id="7149593", kind="bib").cluster_id
    before = Cluster.objects.get(pk=tove).updated_at
    path, _sigels = libris_collection(shared_testdata, tmp_path)
    holding = SourceRecord.objects.filter(cluster_id=tove, kind="holdings").order_by("local_id").first()
    assert holding is not None
    marker = f'<controlfield tag="001">{holding.local_id}</controlfield>'
    head, tail = path.read_text().split(marker, 1)
    field = re.search(r'<datafield[^>]*tag="852"[^>]*>', tail)
    assert field is not None and field.start() < tail.index("</record>")
    moved = '<subfield code="c">Magasin</subfield>'  # the library moves its copy to the stacks
    path.write_text(head + marker + tail[: field.end()] + moved + tail[field.end() :])
    run = harvest_source(catalogue.pk, full=True)
    assert run.status == "complete" and run.updated == 1
    assert Cluster.objects.get(pk=tove).updated_at > before
    changed = oai_get(
        client, verb="ListIdentifiers", metadataPrefix="marcxml", **{"from": f"{before:%Y-%m-%dT%H:%M:%SZ}"}
    )
    assert oai_id(tove) in [identifier for identifier, _ in headers(changed)]
