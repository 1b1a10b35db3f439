"""The record page (one Cluster), its exports, and the staff MARC view of its member records."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from catalog.access import is_staff_member, staff_required
from catalog.accessible import LEGIMUS_URL
from catalog.clustering.reasons import explain
from catalog.clustering.redirects import current_cluster_id
from catalog.editions import editions, work_size
from catalog.home_library import home_library
from catalog.language_tags import text_language
from catalog.models import Cluster, SourceRecord
from catalog.versions import also_as, for_works
from opac import citation, exports, marc
from opac.errors import RecordMoved, RecordNotHeld
from opac.holdings import holding_lines_for
from opac.record_view import as_list, author_links, description_rows
from opac.versions import AlsoAsLink, links
from opac.works import edition_rows

EDITIONS_SHOWN = 20


def get_cluster(pk: int) -> Cluster:
    cluster = Cluster.objects.filter(pk=pk).first() if pk < 2**63 else None
    if cluster is None:
        moved_to = current_cluster_id(pk)
        if moved_to is not None:
            raise RecordMoved(moved_to)
        raise RecordNotHeld(f"no cluster {pk}")
    return cluster


def other_editions(cluster: Cluster) -> list[dict[str, Any]]:
    """Other formats and editions of the same work as search documents (the whole list is on
    the work page)."""
    if cluster.work_id is None:
        return []
    return editions(cluster.work_id, exclude=cluster.pk, limit=EDITIONS_SHOWN)


def accessible_versions(
    cluster: Cluster, others: list[dict[str, Any]], edition_count: int
) -> list[AlsoAsLink]:
    """ "Finns också som storstil …": from the editions already loaded when they are all of the
    work, else from one search over the work's accessible editions."""
    if not others or cluster.work_id is None:
        return []
    own = {"id": cluster.pk, "work": cluster.work_id, "accessibility": cluster.data.get("accessibility")}
    if edition_count <= len(others) + 1:
        return links(also_as(others, own, cluster.work_id))
    return links(for_works([own]).get(str(cluster.pk), []))


def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_cluster(pk)
    home = home_library(request)
    permalink = request.build_absolute_uri(reverse("site:record", args=[cluster.pk]))
    lines = holding_lines_for(cluster, home, live=request.GET.get("live") == "1")
    described = citation.json_ld(cluster.data, permalink, lines, request)
    others = other_editions(cluster)
    edition_count = work_size(cluster.work_id) if others else 0
    accessibility = as_list(cluster.data.get("accessibility"))
    context: dict[str, object] = {
        "cluster": cluster,
        "data": cluster.data,
        "formats": as_list(cluster.data.get("formats")),
        "accessibility": accessibility,
        "rows": description_rows(cluster.data),
        "authors": author_links(cluster.data.get("authors")),
        "title_language": text_language(cluster.data.get("languages"), str(cluster.data.get("title") or "")),
        "original": cluster.data.get("original_script") or {},
        "editions": edition_rows(others),
        "edition_count": edition_count,
        "also_as": accessible_versions(cluster, others, edition_count),
        "is_talking_book": "talking_book" in accessibility,
        "legimus_url": LEGIMUS_URL,
        "holding_lines": lines,
        "home": home,
        "permalink": permalink,
        "openurl": citation.openurl(cluster.data, permalink),
        "json_ld": citation.json_ld_script_body(described),
        "is_staff": is_staff_member(request.user),
    }
    return render(request, "opac/record.html", context)


def _download(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_ris(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_cluster(pk)
    permalink = request.build_absolute_uri(reverse("site:record", args=[pk]))
    body = exports.to_ris(cluster.data, permalink)
    return _download(body, "application/x-research-info-systems; charset=utf-8", f"samsok-{pk}.ris")


def export_bibtex(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_cluster(pk)
    permalink = request.build_absolute_uri(reverse("site:record", args=[pk]))
    body = exports.to_bibtex(cluster.data, f"samsok{pk}", permalink)
    return _download(body, "application/x-bibtex; charset=utf-8", f"samsok-{pk}.bib")


def _members(cluster: Cluster) -> list[SourceRecord]:
    members = cluster.members.filter(deleted=False).select_related("source", "source__library")
    return sorted(members, key=lambda member: member.pk != cluster.display_record_id)


def export_marcxml(request: HttpRequest, pk: int) -> HttpResponse:
    """The member records as harvested (display record first), as one MARCXML collection."""
    cluster = get_cluster(pk)
    records = [record for record in (marc.parse_raw(member) for member in _members(cluster)) if record]
    return _download(marc.marcxml_collection(records), "application/marcxml+xml", f"samsok-{pk}.xml")


@staff_required
def staff_marc(request: HttpRequest, pk: int) -> HttpResponse:
    """Each member record's MARC and why it was merged into this cluster (staff only)."""
    cluster = get_cluster(pk)
    members = []
    for member in _members(cluster):
        parsed = marc.parse_raw(member)
        lines = marc.marc_lines(parsed) if parsed else None
        members.append({"record": member, "lines": lines, "reason": explain(member.merge_reason)})
    return render(request, "opac/record_marc.html", {"cluster": cluster, "members": members})
