"""The union catalogue: libraries, staff, harvested source records, holdings, clusters."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def availability_provider_choices() -> list[tuple[str, str]]:
    """The provider names settings.AVAILABILITY_PROVIDERS registers: a library may pick only these."""
    return [(name, name) for name in settings.AVAILABILITY_PROVIDERS]


class Library(models.Model):
    """A municipal library (huvudbibliotek) identified by its LIBRIS sigel-style code."""

    code = models.CharField(_("sigel"), max_length=20, unique=True, help_text=_("Case-sensitive, e.g. Sods."))
    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail for fjärrlån"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    homepage = models.URLField(_("web site"), blank=True)
    catalogue_url = models.URLField(_("own catalogue"), blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accepts_ill_pickup = models.BooleanField(_("patrons may pick up fjärrlån here"), default=True)
    lends_ill = models.BooleanField(_("lends to other libraries"), default=True)
    card_number_pattern = models.CharField(
        _("library card pattern"),
        max_length=200,
        blank=True,
        help_text=_("Regular expression; empty accepts any."),
    )
    availability_provider = models.CharField(
        _("availability provider"), max_length=40, default="harvested", choices=availability_provider_choices
    )
    availability_url = models.CharField(_("availability service address"), max_length=500, blank=True)
    availability_options = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Branch(models.Model):
    """A branch (filial) of a library; holdings name it by code."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="branches")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True)

    class Meta:
        ordering = ["library", "name"]
        constraints = [models.UniqueConstraint(fields=["library", "code"], name="branch_code_unique")]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A librarian's membership: which libraries they work for; regional staff see everything."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    libraries = models.ManyToManyField(Library, blank=True, related_name="staff")
    regional = models.BooleanField(_("regional library staff"), default=False)

    def __str__(self) -> str:
        return str(self.user)


# What clustering writes (memberships, display records, match keys) has no database constraint:
# clustering writes them in bulk, and PostgreSQL's deferred check of every row cost a tenth of a
# harvest (scripts/bench_harvest.py). Every deletion goes through the ORM, which applies
# on_delete itself, and tests/catalog/test_derived_links.py proves nothing is left dangling.
class Work(models.Model):
    """A work above its editions: the clusters whose work key agrees (title proper + first
    author, ``catalog.clustering.works``), whatever their format, year or publisher.

    The id is public (``/verk/<id>/``, the API's ``work``) and outlives re-clustering: a key
    keeps its row, and a row is never deleted, so a title that goes and comes back has its id
    again. When every cluster of a work changes key together the row follows them (re-keyed).
    """

    key = models.CharField(max_length=300, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Cluster(models.Model):
    """One title (manifestation) across libraries: the merged hit patrons see."""

    display_record = models.ForeignKey(
        "SourceRecord",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # Denormalized display fields (title, authors, year, formats, ...) of the display record
    # merged with the union of identifiers; what the search document is built from.
    data = models.JSONField(default=dict, blank=True)
    # The display record's work key (catalog.clustering.works.work_key; empty without an author)
    # and the Work it names: other formats and editions of the same title. Not indexed: nothing
    # looks a cluster up by it (clusters are found by their work), and every new cluster and
    # every move to another work wrote two index entries for it (a quarter to a third of the time
    # those writes took).
    work_key = models.CharField(max_length=300, blank=True)
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="clusters", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by every re-clustering that touches the cluster (a merge, a split, a changed member or
    # holding): the OAI-PMH datestamp; /oai pages through (updated_at, id).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["updated_at", "id"], name="cluster_datestamp_idx")]

    def __str__(self) -> str:
        return str(self.data.get("title") or f"Cluster {self.pk}")


class ClusterTombstone(models.Model):
    """A title id that vanished (its records deleted, or merged into another cluster): /oai
    answers it as a deleted record for good (``deletedRecord`` persistent), so harvesters drop it.

    Written where clustering deletes emptied clusters; an id that comes back as a cluster (an
    undone merge) is live again, and the live cluster wins over its tombstone.
    """

    id = models.BigIntegerField(primary_key=True)  # the vanished Cluster id
    deleted_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["deleted_at", "id"], name="clustertombstone_datestamp_idx")]

    def __str__(self) -> str:
        return f"{self.pk} deleted {self.deleted_at:%Y-%m-%d}"


class SourceRecord(models.Model):
    """A record exactly as one source delivered it, plus what we made of it."""

    class Kind(models.TextChoices):
        BIB = "bib", _("bibliographic")
        HOLDINGS = "holdings", _("holdings")

    # Every index here is written again whenever clustering moves a record (cluster_id is
    # indexed, so no update is HOT): no index that another one already covers.
    # (source, local_id) serves lookups by source.
    source = models.ForeignKey(
        "harvest.Source", on_delete=models.CASCADE, related_name="records", db_index=False
    )
    local_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BIB)
    parent_local_id = models.CharField(max_length=255, blank=True)
    raw = models.BinaryField(blank=True)
    raw_format = models.CharField(max_length=20, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    datestamp = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    repairs = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        db_constraint=False,
        db_index=False,  # record_cluster_idx
    )
    merge_reason = models.CharField(max_length=300, blank=True)
    # What its cluster was decided from (``partition.signature``: its match keys and the fields
    # the comparison reads), when it was decided last with this description; null: not known.
    clustered_as = models.BigIntegerField(null=True, blank=True)
    harvested_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "local_id"], name="record_local_id_unique")]
        indexes = [
            models.Index(fields=["source", "deleted"]),
            models.Index(fields=["source", "kind"]),
            models.Index(fields=["source", "parent_local_id"], name="record_parent_idx"),
            # "Are there holdings records at all?", asked by every clustering run (each harvest
            # page): without it a scan of a whole index, 0.27 s at a million records.
            models.Index(fields=["id"], condition=models.Q(kind="holdings"), name="record_holdings_idx"),
            # A source's live records with what the nightly run reads of each: every page reader
            # the checksums of the bibliographic ones (harvest.reader.known_records), the run's
            # end their ids (what it did not see is deleted) and count. Read from the index alone
            # once (auto)vacuum has been: at 200,000 records, 2.6 ms for a source's 15,700
            # checksums against 57 ms from its rows (3 KB each, raw and description).
            models.Index(
                fields=["source"],
                include=["id", "kind", "checksum", "local_id"],
                condition=models.Q(deleted=False),
                name="record_live_idx",
            ),
            # A cluster's members, and of what kind, live or not, read from the index alone once
            # (auto)vacuum has been: a clustering run asks for the records of the clusters it
            # touches, which at five million records (a 19 GB table, bigger than the page cache)
            # cost a read from disk for nearly every one.
            models.Index(fields=["cluster"], include=["id", "kind", "deleted"], name="record_cluster_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.local_id}"


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", _("available")
    ON_LOAN = "on_loan", _("on loan")
    IN_TRANSIT = "in_transit", _("in transit")
    ON_HOLD_SHELF = "on_hold_shelf", _("on the hold shelf")
    ORDERED = "ordered", _("ordered")
    NOT_FOR_LOAN = "not_for_loan", _("not for loan")
    UNKNOWN = "unknown", _("unknown")


class Holding(models.Model):
    """Copies of a record at one library (and branch/shelf), with their harvested status."""

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="holdings")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="holdings")
    branch = models.CharField(max_length=200, blank=True)
    shelf = models.CharField(max_length=200, blank=True)
    call_number = models.CharField(max_length=200, blank=True)
    item_id = models.CharField(max_length=100, blank=True, help_text=_("Barcode or the ILS's item id."))
    # 866: what a serial holding covers ("1985-2010; 2012-"), as the library wrote it.
    summary = models.CharField(_("holdings"), max_length=500, blank=True)
    item_count = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.UNKNOWN)
    due_date = models.DateField(null=True, blank=True)
    queue_length = models.PositiveIntegerField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, help_text=_("When this status was true."))

    class Meta:
        indexes = [models.Index(fields=["library", "status"])]

    def __str__(self) -> str:
        return f"{self.library_id} {self.call_number}"


class MatchKey(models.Model):
    """One merge key of a bibliographic record ("isbn:book:978…", "title:book:…"), indexed so
    a changed record finds its merge candidates without scanning the catalogue.

    A bulk run writes millions of these: on PostgreSQL the key compares byte by byte (collation
    "C", set by migration 0012: keys are matched exactly or by a prefix, ``keys.linked_keys``,
    where locale rules would cost and could skip the punctuation a prefix ends in), and the record
    column has one index, the one in Meta (the foreign key's own would be a second, written with
    every key for nothing). The few keys of records without a year (``keys.undated_block``) have
    a small index of their own: a bulk run asks for all of them outside the run."""

    record = models.ForeignKey(
        SourceRecord, on_delete=models.CASCADE, related_name="match_keys", db_constraint=False, db_index=False
    )
    key = models.CharField(max_length=400)

    class Meta:
        indexes = [
            models.Index(fields=["key"]),
            models.Index(fields=["record"]),
            models.Index(
                fields=["key"],
                name="matchkey_undated_idx",
                condition=Q(key__startswith="fuzzy:", key__endswith="|"),
            ),
        ]

    def __str__(self) -> str:
        return self.key


class PendingRecord(models.Model):
    """A stored record whose clustering is still to come: a run that writes many records stores
    them page by page and clusters them all at its end, in one bulk run (``clustering.pending``).
    Written in the same transaction as the record, so a run that dies halfway leaves each stored
    record here, and the next run of its source clusters it."""

    record = models.OneToOneField(
        SourceRecord, on_delete=models.CASCADE, primary_key=True, related_name="+", db_constraint=False
    )

    def __str__(self) -> str:
        return str(self.pk)


class MergeOverride(models.Model):
    """A librarian's correction of the automatic merge, kept across every re-harvest and re-merge.

    Records are named by source and local id (not by row) so a record deleted and harvested
    again is still covered. ``split``: the record stays in a cluster of its own. ``merge``: the
    two records always share a cluster (and so do the records merged with each of them).
    """

    class Action(models.TextChoices):
        SPLIT = "split", _("split out")
        MERGE = "merge", _("merged")

    action = models.CharField(max_length=10, choices=Action.choices)
    source = models.ForeignKey("harvest.Source", on_delete=models.CASCADE, related_name="+")
    local_id = models.CharField(max_length=255)
    other_source = models.ForeignKey(
        "harvest.Source", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    other_local_id = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["source", "local_id"]),
            models.Index(fields=["other_source", "other_local_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.source_id}:{self.local_id}"


class ClusterRedirect(models.Model):
    """A title id that is gone because its records now live in another cluster (a merge, or
    re-clustering): ``/post/<old id>/`` answers a permanent redirect to that cluster.

    The redirect names one of the old cluster's records (by source and local id, as
    ``MergeOverride`` does) rather than a cluster: it always leads to wherever that record is
    now, so there are no chains to collapse, and when a correction is undone the record's new
    cluster takes the old id back (``catalog.clustering.assignment``).
    """

    id = models.BigIntegerField(primary_key=True)  # the vanished Cluster id
    source = models.ForeignKey("harvest.Source", on_delete=models.CASCADE, related_name="+", db_index=False)
    local_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Clustering looks the redirects of a batch's records up by local id.
        indexes = [models.Index(fields=["local_id"], name="clusterredirect_local_idx")]

    def __str__(self) -> str:
        return f"{self.pk} -> {self.source_id}:{self.local_id}"
