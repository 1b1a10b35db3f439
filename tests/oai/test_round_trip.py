"""Round trips through real OAI-PMH clients: Samsök's own harvester (instance B, the test
database) harvests instance A's /oai and holds the same titles at the same libraries; sickle, a
third-party OAI-PMH library, harvests it too; a harvest goes on across a restart of A."""

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from sickle import Sickle

from catalog.models import Cluster, Holding, Library
from harvest.models import Source
from harvest.services import harvest_source
from tests.oai.conftest import libris_collection, title_record, write_collection
from tests.oai.instance import PAGE_SIZE, Holdings, Instance
from tests.oai.schema import validate


def nyks_records(withdrawn: set[int]) -> list[bytes]:
    return [
        title_record(n, ("Nyks", "Sods") if n % 3 == 0 else ("Nyks",))
        for n in range(1, 13)
        if n not in withdrawn
    ]


@pytest.fixture(scope="module")
def instance_a(tmp_path_factory: pytest.TempPathFactory, shared_testdata: Path) -> Iterator[Instance]:
    """Samsök A: the LIBRIS records as a regional source and 12 Nyks titles, harvested by A."""
    files = tmp_path_factory.mktemp("a-files")
    libris, sigels = libris_collection(shared_testdata, files)
    nyks = write_collection(files / "nyks.xml", nyks_records(set()))
    instance = Instance(tmp_path_factory.mktemp("a-data"), files)
    instance.manage("migrate", "-v0")
    codes = sorted(sigels | {"Nyks", "Sods"})
    create = f"from catalog.models import Library\nfor c in {codes!r}: Library.objects.create(code=c, name=c)"
    instance.manage("shell", "-c", create)
    instance.manage("add_source", "-", "--protocol", "marc-file", "--url", str(libris))
    instance.manage("add_source", "Nyks", "--protocol", "marc-file", "--url", str(nyks))
    instance.manage("harvest", "--all")
    instance.start()
    yield instance
    instance.stop()


def b_titles() -> Counter[tuple[str, Holdings]]:
    held: dict[int, set[tuple[str, str, str]]] = {
        pk: set() for pk in Cluster.objects.values_list("id", flat=True)
    }
    rows = Holding.objects.filter(record__deleted=False, record__cluster__isnull=False)
    for cluster_id, code, shelf, call_number in rows.values_list(
        "record__cluster_id", "library__code", "shelf", "call_number"
    ):
        held[cluster_id].add((code, shelf, call_number))
    titles = dict(Cluster.objects.values_list("id", "data__title"))
    return Counter((titles[pk], frozenset(places)) for pk, places in held.items())


@pytest.mark.django_db(transaction=True)
def test_samsok_harvests_samsok_and_holds_the_same_titles_at_the_same_libraries(
    instance_a: Instance, settings: pytest.FixtureRequest
) -> None:
    settings.HARVEST_ALLOW_PRIVATE_URLS = True  # type: ignore[attr-defined]
    expected = instance_a.titles()
    codes = {code for _title, places in expected for code, _shelf, _call in places}
    for code in codes:
        Library.objects.create(code=code, name=f"Bibliotek {code}")
    call_command("add_source", "-", "--protocol", "oai-pmh", "--url", f"{instance_a.url}/oai")
    source = Source.objects.get(protocol="oai-pmh")
    run = harvest_source(source.pk)
    assert run.status == "complete", run.errors
    assert sum(expected.values()) >= 40 and len(codes) >= 20
    assert b_titles() == expected

    # A withdraws a title; B's next (incremental) harvest drops it: a persistent deleted record.
    files = Path(instance_a.env["HARVEST_FILE_ROOT"])
    write_collection(files / "nyks.xml", nyks_records({5}))
    instance_a.manage("harvest", "--all")
    changed = instance_a.titles()
    assert sum(changed.values()) == sum(expected.values()) - 1
    run = harvest_source(source.pk)
    assert run.status == "complete" and run.deleted == 1, (run.status, run.errors)
    assert b_titles() == changed


def all_identifiers(instance: Instance, first_query: str, restart_after: int = 0) -> list[str]:
    """Follow ListIdentifiers' tokens to the end (restarting A after that many pages)."""
    query, listed, pages = first_query, [], 0
    while True:
        body = instance.get(query)
        validate(body)
        listed += re.findall(r"<identifier>([^<]+)</identifier>", body.decode())
        pages += 1
        token = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body.decode())
        if not token:
            return listed
        if pages == restart_after:
            instance.stop()  # the web server goes away with everything in its memory ...
            instance.start()  # ... and a new process answers the next request
        query = f"verb=ListIdentifiers&resumptionToken={token.group(1)}"


def test_a_harvest_goes_on_across_a_restart_of_the_web_server(instance_a: Instance) -> None:
    first = "verb=ListIdentifiers&metadataPrefix=marcxml"
    listed = all_identifiers(instance_a, first, restart_after=2)
    assert len(listed) > 3 * PAGE_SIZE
    assert len(listed) == len(set(listed))
    live = {f"oai:127.0.0.1:{pk}" for pk in instance_a.headings()}
    assert live <= set(listed)


def test_sickle_harvests_every_verb(instance_a: Instance) -> None:
    sickle = Sickle(f"{instance_a.url}/oai", max_retries=2)
    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent" and identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert {f.metadataPrefix for f in sickle.ListMetadataFormats()} == {"marcxml", "oai_dc"}
    assert {"library:Nyks", "format:book"} <= {s.setSpec for s in sickle.ListSets()}
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True))
    headings = instance_a.headings()
    assert len(headings) > 3 * PAGE_SIZE
    assert {int(r.header.identifier.rsplit(":", 1)[1]): r.metadata["title"][0] for r in records} == headings
    nyks = list(sickle.ListIdentifiers(metadataPrefix="marcxml", set="library:Nyks", ignore_deleted=True))
    held = [
        places for _title, places in instance_a.titles().elements() if any(p[0] == "Nyks" for p in places)
    ]
    assert len(nyks) == len(held) > 0
    record = sickle.GetRecord(identifier=nyks[0].identifier, metadataPrefix="marcxml")
    assert "library:Nyks" in record.header.setSpecs and '<subfield code="b">Nyks</subfield>' in record.raw
