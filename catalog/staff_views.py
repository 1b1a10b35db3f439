"""Staff review of merges: find a cluster, see why its records were merged, split or merge."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalog.access import may_correct_cluster, may_correct_record, may_remove_correction, staff_required
from catalog.clustering import overrides, review
from catalog.models import Cluster, MergeOverride, SourceRecord


class SplitForm(forms.Form):
    record = forms.IntegerField(min_value=1)


class MergeForm(forms.Form):
    other = forms.IntegerField(label=gettext_lazy("Cluster number to merge with"), min_value=1)


@staff_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    context = {"query": query, "clusters": review.find_clusters(query)}
    return render(request, "catalog/staff/cluster_list.html", context)


@staff_required
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster, pk=pk)
    context = {
        "cluster": cluster,
        "members": review.members(cluster, request.user),
        "other_formats": review.other_formats(cluster),
        "corrections": review.corrections(cluster, request.user),
        "may_merge": may_correct_cluster(request.user, cluster),
        "merge_form": MergeForm(),
    }
    return render(request, "catalog/staff/cluster_detail.html", context)


@require_POST
@staff_required
def split(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster, pk=pk)
    form = SplitForm(request.POST)
    if not form.is_valid():
        return redirect("catalog_staff:cluster", pk=cluster.pk)
    record = get_object_or_404(SourceRecord, pk=form.cleaned_data["record"], cluster=cluster)
    if not may_correct_record(request.user, record):
        return _refused(request, cluster.pk, _("You can only split out your own library's records."))
    overrides.split_record(record, request.user)
    record.refresh_from_db()
    messages.success(request, _("The record was split out; it stays apart after every harvest."))
    return redirect("catalog_staff:cluster", pk=record.cluster_id or cluster.pk)


@require_POST
@staff_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = get_object_or_404(Cluster, pk=pk)
    form = MergeForm(request.POST)
    other = Cluster.objects.filter(pk=form.cleaned_data["other"]).first() if form.is_valid() else None
    if other is None or other.pk == cluster.pk:
        messages.error(request, _("There is no other cluster with that number."))
        return redirect("catalog_staff:cluster", pk=cluster.pk)
    if not (may_correct_cluster(request.user, cluster) or may_correct_cluster(request.user, other)):
        return _refused(
            request, cluster.pk, _("You can only merge a title with one of your library's records.")
        )
    kept = overrides.representative(cluster)
    overrides.merge_clusters(cluster, other, request.user)
    messages.success(request, _("The clusters were merged; they stay together after every harvest."))
    return _to_cluster_of(kept)


@require_POST
@staff_required
def remove_override(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(MergeOverride, pk=pk)
    record = SourceRecord.objects.filter(source_id=override.source_id, local_id=override.local_id).first()
    if not may_remove_correction(request.user, override):
        back = record.cluster_id if record is not None else None
        return _refused(request, back, _("Only the library that made a correction can undo it."))
    overrides.remove_override(override)
    messages.success(request, _("The correction was removed; the records are merged automatically again."))
    return _to_cluster_of(record)


def _refused(request: HttpRequest, cluster_id: int | None, reason: str) -> HttpResponse:
    """403 with the reason and a way back; nothing was changed."""
    context = {"reason": reason, "cluster_id": cluster_id}
    return render(request, "catalog/staff/not_yours.html", context, status=403)


def _to_cluster_of(record: SourceRecord | None) -> HttpResponse:
    """The page of the record's cluster now, or the cluster list when it has none."""
    if record is not None:
        record.refresh_from_db()
        if record.cluster_id:
            return redirect("catalog_staff:cluster", pk=record.cluster_id)
    return redirect("catalog_staff:clusters")
