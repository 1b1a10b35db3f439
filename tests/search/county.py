"""A tiny county in the database for indexing and API tests (two libraries, three titles)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from catalog.models import Cluster, Holding, ItemStatus, Library, SourceRecord
from harvest.models import Source


@dataclass
class County:
    nyks: Library
    ty: Library
    pippi: Cluster
    emil: Cluster
    orphan: Cluster


def make_cluster(title: str, **data: object) -> Cluster:
    return Cluster.objects.create(data={"title": title, "formats": ["book"], "languages": ["swe"], **data})


def add_member(
    cluster: Cluster, source: Source, local_id: str, *holdings: tuple[Library, str]
) -> SourceRecord:
    record = SourceRecord.objects.create(
        source=source, local_id=local_id, cluster=cluster, merge_reason="isbn", data=cluster.data
    )
    for library, status in holdings:
        Holding.objects.create(
            record=record,
            library=library,
            branch="Huvudbiblioteket",
            shelf="Barn",
            call_number="Hc",
            status=status,
            due_date=date(2026, 12, 1) if status == ItemStatus.ON_LOAN else None,
            checked_at=timezone.now(),
        )
    return record


def build_county() -> County:
    nyks = Library.objects.create(code="Nyks", name="Nyköpings stadsbibliotek", municipality="Nyköping")
    ty = Library.objects.create(code="Ty", name="Tyresö bibliotek", municipality="Tyresö")
    nyks_source = Source.objects.create(
        library=nyks, name="Nyköping Koha", protocol="oai-pmh", url="http://x"
    )
    regional = Source.objects.create(name="LIBRIS", protocol="oai-pmh", url="http://y")
    pippi = make_cluster(
        "Pippi Långstrump",
        authors=[{"name": "Lindgren, Astrid", "role": "author"}],
        year=1945,
        isbns=["9789129657807"],
        subjects=[{"term": "Barn", "thesaurus": "sao"}],
        publisher="Rabén & Sjögren",
    )
    emil = make_cluster(
        "Emil i Lönneberga", authors=[{"name": "Lindgren, Astrid", "role": "author"}], year=1963
    )
    orphan = make_cluster("Ingen har den")
    add_member(pippi, nyks_source, "nyks-1", (nyks, ItemStatus.AVAILABLE))
    add_member(pippi, regional, "libris-1", (ty, ItemStatus.ON_LOAN))
    add_member(emil, regional, "libris-2", (ty, ItemStatus.AVAILABLE))
    return County(nyks=nyks, ty=ty, pippi=pippi, emil=emil, orphan=orphan)
