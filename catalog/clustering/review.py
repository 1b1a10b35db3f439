"""What librarians see when they review a merge: members, reasons, other formats, overrides."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet

from catalog.access import correctable, may_remove_correction
from catalog.clustering.keys import join_key
from catalog.clustering.reasons import explain
from catalog.mapping.formats import FORMATS
from catalog.mapping.identifiers import isbn13
from catalog.models import Cluster, MatchKey, MergeOverride, SourceRecord


@dataclass
class Member:
    record: SourceRecord
    is_display: bool
    holdings: int
    libraries: list[str]
    correctable: bool = False

    @property
    def reason(self) -> str:
        """Why the record is in the cluster, in the active language."""
        return explain(self.record.merge_reason)


@dataclass
class Correction:
    """A librarian's override as the cluster page shows it: who, for which libraries, when."""

    override: MergeOverride
    author: str
    libraries: list[str]
    removable: bool


def find_clusters(query: str, limit: int = 50) -> QuerySet[Cluster]:
    """Clusters by id, ISBN, LIBRIS id or (part of the) title."""
    clusters = Cluster.objects.annotate(size=Count("members", filter=Q(members__kind=SourceRecord.Kind.BIB)))
    text = query.strip()
    if not text:
        return clusters.order_by("-updated_at")[:limit]
    digits = text.replace("-", "")
    matches = Q(data__title__icontains=text)
    if digits.isdigit() and len(digits) < 12:
        matches |= Q(pk=int(digits))
    # Identifiers through the indexed merge keys (JSON containment is not there on SQLite).
    keyed = MatchKey.objects.filter(key__in=identifier_keys(text)).values("record__cluster_id")
    return clusters.filter(matches | Q(pk__in=keyed)).order_by("pk")[:limit]


def identifier_keys(text: str) -> list[str]:
    """The merge keys a typed LIBRIS id, ISBN (10 or 13, hyphens or not) or EAN would have."""
    values = {text, text.replace("-", "")} | ({isbn} if (isbn := isbn13(text)) else set())
    kinds = ("libris", "isbn", "ean")
    return [join_key(kind, fmt, value) for kind in kinds for fmt in FORMATS for value in values]


def members(cluster: Cluster, user: AbstractBaseUser | AnonymousUser | None = None) -> list[Member]:
    records = (
        cluster.members.filter(kind=SourceRecord.Kind.BIB)
        .select_related("source", "source__library")
        .prefetch_related("holdings__library")
        .order_by("source_id", "local_id")
    )
    mine = correctable(user, records) if user is not None else set()
    return [
        Member(
            record=record,
            is_display=record.pk == cluster.display_record_id,
            holdings=len(record.holdings.all()),
            libraries=sorted({h.library.code for h in record.holdings.all()}),
            correctable=record.pk in mine,
        )
        for record in records
    ]


def other_formats(cluster: Cluster) -> QuerySet[Cluster]:
    """Clusters of the same work (catalog.clustering.works) in other formats or editions."""
    if cluster.work_id is None:
        return Cluster.objects.none()
    return Cluster.objects.filter(work_id=cluster.work_id).exclude(pk=cluster.pk).order_by("pk")


def overrides_for(cluster: Cluster) -> list[MergeOverride]:
    names = list(cluster.members.values_list("source_id", "local_id"))
    if not names:
        return []
    query = Q(pk__in=[])
    for source_id, local_id in names:
        query |= Q(source_id=source_id, local_id=local_id) | Q(
            other_source_id=source_id, other_local_id=local_id
        )
    found = MergeOverride.objects.filter(query).select_related("created_by__staff").order_by("created_at")
    return list(found.prefetch_related("created_by__staff__libraries"))


def corrections(cluster: Cluster, user: AbstractBaseUser | AnonymousUser) -> list[Correction]:
    return [
        Correction(
            override=override,
            author=_author_name(override),
            libraries=_author_libraries(override),
            removable=may_remove_correction(user, override),
        )
        for override in overrides_for(cluster)
    ]


def _author_name(override: MergeOverride) -> str:
    author = override.created_by
    if author is None:
        return ""
    return author.get_full_name() or author.get_username()


def _author_libraries(override: MergeOverride) -> list[str]:
    staff = getattr(override.created_by, "staff", None) if override.created_by_id else None
    return sorted(library.name for library in staff.libraries.all()) if staff is not None else []
