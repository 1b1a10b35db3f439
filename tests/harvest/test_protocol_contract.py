"""One contract, every harvest protocol in settings.HARVEST_PROTOCOLS (harvest.protocols.base).

Each protocol is fed through its real transport: OAI-PMH by the local provider on 127.0.0.1, a
MARC file written under tmp_path, the LIBRIS MARC export by its local export server on 127.0.0.1.
A protocol added to the registry fails here until it has a feed.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest
from django.utils import timezone
from pymarc import Field, Record

from harvest.models import HarvestRun, Source
from harvest.protocols import PROTOCOLS, HarvestedItem, Page, get_protocol, libris_export, marc_file
from sample.local_oai import LocalOaiServer, Repository
from tests.harvest.conftest import MARC_NS, marcxml
from tests.harvest.libris_server import LibrisExportServer, parse_time

pytestmark = pytest.mark.sqlite

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
# A MARCXML record without a leader: well-formed XML, but no MARC record can be made of it.
BROKEN = f'<record xmlns="{MARC_NS}"><controlfield tag="001">2</controlfield></record>'.encode()


class Feed(Protocol):
    """A source of one protocol and the records it serves."""

    per_page: int  # records a page holds, so a test can ask for more than one page

    def source(self) -> Source: ...
    def put(self, number: int, record: bytes, unchanged_since_long_ago: bool = False) -> None: ...
    def delete(self, number: int) -> None: ...
    def local_id(self, number: int) -> str: ...
    def publish(self) -> None: ...


class OaiFeed:
    per_page = 3

    def __init__(self, server: LocalOaiServer) -> None:
        self.server = server

    def source(self) -> Source:
        return Source(protocol="oai-pmh", url=self.server.url, metadata_prefix="marcxml")

    def put(self, number: int, record: bytes, unchanged_since_long_ago: bool = False) -> None:
        self.server.repository.put(self.local_id(number), record)
        if unchanged_since_long_ago:
            self.server.repository.records[self.local_id(number)].datestamp = LONG_AGO

    def delete(self, number: int) -> None:
        self.server.repository.delete(self.local_id(number))

    def local_id(self, number: int) -> str:
        return f"oai:test:{number}"

    def publish(self) -> None:
        """The provider answers from its repository as it is; nothing to do."""


class FileFeed:
    per_page = marc_file.PAGE_SIZE

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records: dict[int, bytes] = {}

    def source(self) -> Source:
        return Source(protocol="marc-file", url=str(self.path))

    def put(self, number: int, record: bytes, unchanged_since_long_ago: bool = False) -> None:
        self.records[number] = record  # a file has no dates: every record is in every delivery

    def delete(self, number: int) -> None:
        del self.records[number]

    def local_id(self, number: int) -> str:
        return str(number)

    def publish(self) -> None:
        body = b"".join(self.records[number] for number in sorted(self.records))
        self.path.write_bytes(
            f'<?xml version="1.0" encoding="UTF-8"?><collection xmlns="{MARC_NS}">'.encode()
            + body
            + b"</collection>"
        )


class LibrisFeed:
    """A LIBRIS export of every library (``locations=*``), serving the records as they are put."""

    per_page = 3  # libris_export.PAGE_SIZE, set so by the fixture
    profile = "locations=*\nformat=MARCXML\nholdtype=after\ncharacterencoding=UTF-8\n"

    def __init__(self, server: LibrisExportServer) -> None:
        self.server = server

    def source(self) -> Source:
        return Source(protocol="libris-export", url=self.server.url, export_profile=self.profile)

    def put(self, number: int, record: bytes, unchanged_since_long_ago: bool = False) -> None:
        # Changed a moment ago: before the next request's until (the export counts to the second).
        at = LONG_AGO if unchanged_since_long_ago else timezone.now() - timedelta(seconds=2)
        bib = self.server.catalogue.add_bib(Record(fields=[Field(tag="001", data=str(number))]), at)
        bib.raw = record

    def delete(self, number: int) -> None:
        """Deleted at the end of the last window asked for: so inside the next one."""
        last = parse_time(self.server.requests[-1]["params"]["until"])
        assert last is not None
        self.server.catalogue.delete_bib(str(number), last)

    def local_id(self, number: int) -> str:
        return str(number)

    def publish(self) -> None:
        """The server answers from its catalogue as it is; nothing to do."""


@pytest.fixture(params=PROTOCOLS.names())
def feed(
    request: pytest.FixtureRequest, tmp_path: Path, fast_http: None, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Feed]:
    name = request.param
    if name == "oai-pmh":
        with LocalOaiServer(Repository(page_size=OaiFeed.per_page)) as server:
            yield OaiFeed(server)
    elif name == "marc-file":
        yield FileFeed(tmp_path / "export.xml")
    elif name == "libris-export":
        monkeypatch.setattr(libris_export, "PAGE_SIZE", LibrisFeed.per_page)
        with LibrisExportServer() as libris:
            yield LibrisFeed(libris)
    else:
        pytest.fail(f"harvest protocol {name!r} has no feed in {__name__}: add one")


def fill(feed: Feed, count: int) -> set[str]:
    for number in range(1, count + 1):
        feed.put(number, marcxml(str(number), f"Titel {number}"))
    return {feed.local_id(number) for number in range(1, count + 1)}


def read(feed: Feed, run: HarvestRun) -> Iterator[Page]:
    feed.publish()
    return get_protocol(run.source).pages(run)


def items(pages: Iterator[Page]) -> list[HarvestedItem]:
    return [item for page in pages for item in page.items]


def live_ids(found: list[HarvestedItem]) -> list[str]:
    return [item.local_id for item in found if not item.deleted]


def save_state(run: HarvestRun, page: Page) -> None:
    """What harvest.services stores with each page: where the next request starts."""
    run.resumption_token = page.resumption_token
    run.position = page.position
    run.window_until = run.window_until or page.window_until


class TestHarvestProtocolContract:
    def test_is_a_harvest_protocol(self, feed: Feed) -> None:
        assert isinstance(get_protocol(feed.source()), PROTOCOLS.base)

    def test_pages_deliver_every_record_once(self, feed: Feed) -> None:
        expected = fill(feed, 2 * feed.per_page + 1)
        found = items(read(feed, HarvestRun(source=feed.source())))
        assert sorted(live_ids(found)) == sorted(expected)
        titles = {item.local_id: item.result().record["245"]["a"] for item in found}  # type: ignore[union-attr]
        assert titles[feed.local_id(1)] == "Titel 1"

    def test_a_resumed_run_continues_where_it_stopped(self, feed: Feed) -> None:
        expected = fill(feed, 2 * feed.per_page + 1)
        run = HarvestRun(source=feed.source())
        pages = read(feed, run)
        first = next(page for page in pages if page.items)
        save_state(run, first)
        pages.close()  # the process stopped here; a new driver takes over from the saved state
        rest = items(read(feed, run))
        before, after = live_ids(first.items), live_ids(rest)
        assert before and after
        assert not set(before) & set(after)
        assert sorted(before + after) == sorted(expected)

    def test_deletions_are_reported_as_deletions(self, feed: Feed) -> None:
        fill(feed, 3)
        first = HarvestRun(source=feed.source())
        for page in read(feed, first):
            save_state(first, page)
        feed.delete(2)
        next_run = HarvestRun(source=first.source, window_from=first.window_until)
        found = items(read(feed, next_run))
        gone = feed.local_id(2)
        assert gone not in live_ids(found)
        reported = [item for item in found if item.local_id == gone and item.deleted]
        # A protocol that delivers the whole set reports a deletion by leaving the record out.
        assert reported or get_protocol(first.source).delivers_complete_set

    def test_a_broken_record_is_an_error_for_that_record(self, feed: Feed) -> None:
        feed.put(1, marcxml("1", "Titel 1"))
        feed.put(2, BROKEN)
        feed.put(3, marcxml("3", "Titel 3"))
        found = items(read(feed, HarvestRun(source=feed.source())))
        results = [item.result() for item in found]
        errors = [result for result in results if result is not None and result.error]
        assert len(errors) == 1 and errors[0].record is None
        readable = [
            item.local_id
            for item, result in zip(found, results, strict=True)
            if result is not None and result.record is not None
        ]
        assert readable == [feed.local_id(1), feed.local_id(3)]

    def test_delivers_complete_set_means_what_it_says(self, feed: Feed) -> None:
        feed.put(1, marcxml("1", "Titel 1"), unchanged_since_long_ago=True)
        feed.put(2, marcxml("2", "Titel 2"), unchanged_since_long_ago=True)
        feed.put(3, marcxml("3", "Titel 3"))
        source = feed.source()
        incremental = HarvestRun(source=source, window_from=datetime(2024, 1, 1, tzinfo=UTC))
        found = set(live_ids(items(read(feed, incremental))))
        if get_protocol(source).delivers_complete_set:
            assert found == {feed.local_id(1), feed.local_id(2), feed.local_id(3)}
        else:
            assert found == {feed.local_id(3)}
