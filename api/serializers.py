"""The JSON shapes of the API: search results, hits, records and works (README, "JSON API")."""

from typing import Any

from catalog.clustering.reasons import explain
from catalog.editions import editions, find_work, work_heading, work_size
from catalog.fields import HIT_FIELDS
from catalog.libraries import library_names
from catalog.models import Cluster, Holding, SourceRecord
from catalog.search.backends.base import SearchRequest, SearchResult
from catalog.search.documents import build_documents

# /api/v1/records/<id> lists this many other editions; /api/v1/works/<id> lists them all.
OTHER_EDITIONS = 100


def hit_json(hit: dict[str, Any]) -> dict[str, Any]:
    """Exactly the API hit keys (catalog.fields.HIT_FIELDS), lists never null."""
    out = {key: hit.get(key) for key in HIT_FIELDS}
    for key in HIT_FIELDS:
        if key not in ("id", "title", "year", "work") and out[key] is None:
            out[key] = []
    doc_id = str(out["id"])
    out["id"] = int(doc_id) if doc_id.isdigit() else doc_id
    work = str(out["work"] or "")
    out["work"] = int(work) if work.isdigit() else None
    return out


def search_json(request: SearchRequest, result: SearchResult) -> dict[str, Any]:
    """The /api/v1/search response body."""
    names = library_names() if "library" in result.facets else {}
    facets = {
        name: [
            {
                "value": value.value,
                "label": names.get(value.value, value.label or value.value)
                if name == "library"
                else value.label or value.value,
                "count": value.count,
            }
            for value in values
        ]
        for name, values in result.facets.items()
    }
    return {
        "total": result.total,
        "page": request.page,
        "page_size": request.page_size,
        "hits": [hit_json(hit) for hit in result.hits],
        "facets": facets,
        "did_you_mean": result.did_you_mean,
    }


def record_json(pk: int) -> dict[str, Any] | None:
    """/api/v1/records/<id>: hit fields, the full description, members and holdings."""
    cluster = Cluster.objects.filter(pk=pk).first()
    if cluster is None:
        return None
    documents = build_documents([pk])
    record: dict[str, Any] = {
        key: value for key, value in (cluster.data or {}).items() if key not in HIT_FIELDS
    }
    record["author_details"] = (cluster.data or {}).get("authors") or []
    record.update(hit_json(documents[0]) if documents else {})
    record["members"] = _members(pk)
    record["holdings"] = _holdings(pk)
    record["work"] = cluster.work_id
    others = editions(cluster.work_id, exclude=pk, limit=OTHER_EDITIONS) if cluster.work_id else []
    record["other_editions"] = [edition_json(document) for document in others]
    return record


def edition_json(document: dict[str, Any]) -> dict[str, Any]:
    """An edition of a work: the hit fields plus what tells editions apart."""
    return {
        **hit_json(document),
        "edition": document.get("edition") or "",
        "publisher": document.get("publisher") or "",
    }


def work_json(pk: int) -> dict[str, Any] | None:
    """/api/v1/works/<id>: the work's title and author and every edition (None: no such work, or
    none of its editions is held any more)."""
    work = find_work(pk)
    documents = editions(work.pk) if work is not None else []
    if not documents:
        return None
    return {
        "id": pk,
        **work_heading(documents),
        "edition_count": work_size(pk),
        "editions": [edition_json(document) for document in documents],
    }


def _members(pk: int) -> list[dict[str, Any]]:
    # Bibliographic records only: LIBRIS holdings records (004) show up as holdings instead.
    members = SourceRecord.objects.filter(
        cluster_id=pk, deleted=False, kind=SourceRecord.Kind.BIB
    ).select_related("source__library")
    holders = _holding_libraries(pk)
    return [
        {
            # A regional source names no library of its own: its records are the holders'.
            "library": member.source.library.code
            if member.source.library and not member.source.regional
            else holders.get(member.pk),
            "source": member.source.name or str(member.source),
            "local_id": member.local_id,
            "merge_reason": member.merge_reason,
            "merge_reason_text": explain(member.merge_reason),
        }
        for member in members.order_by("pk")
    ]


def _holding_libraries(pk: int) -> dict[int, str]:
    rows = Holding.objects.filter(record__cluster_id=pk).values_list("record_id", "library__code")
    return {record_id: code for record_id, code in rows}


def _holdings(pk: int) -> list[dict[str, Any]]:
    holdings = Holding.objects.filter(record__cluster_id=pk, record__deleted=False).select_related("library")
    return [
        {
            "library": holding.library.code,
            "branch": holding.branch,
            "shelf": holding.shelf,
            "call_number": holding.call_number,
            "summary": holding.summary,
            "status": holding.status,
            "due_date": holding.due_date.isoformat() if holding.due_date else None,
            "checked_at": holding.checked_at.isoformat() if holding.checked_at else None,
        }
        for holding in holdings.order_by("library__name", "branch", "pk")
    ]
