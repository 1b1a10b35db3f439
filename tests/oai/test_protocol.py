"""/oai answers every verb and every error of OAI-PMH 2.0, each answer valid against the schema."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import translation
from lxml import etree

from catalog.clustering import recluster
from catalog.models import Cluster, ClusterTombstone, Holding, Library, SourceRecord
from harvest.models import Source
from oai import tokens
from tests.oai.conftest import error_code, oai_get
from tests.oai.schema import MARC, OAI, validate

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
NS = {"o": OAI, "m": MARC}


def identifiers(document: etree._Element) -> list[str]:
    return [node.text or "" for node in document.iterfind(".//o:header/o:identifier", NS)]


def cluster_of(local_id: str) -> Cluster:
    return Cluster.objects.get(members__local_id=local_id, members__kind="bib")


def test_identify_describes_the_repository(catalogue: Source, client: Client, settings: object) -> None:
    identify = oai_get(client, verb="Identify").find("o:Identify", NS)
    assert identify is not None
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:adminEmail", namespaces=NS) == settings.OAI_ADMIN_EMAIL  # type: ignore[attr-defined]
    first = Cluster.objects.order_by("updated_at").first()
    assert first is not None
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == f"{first.updated_at:%Y-%m-%dT%H:%M:%SZ}"


def test_metadata_formats_of_the_repository_and_of_an_item(catalogue: Source, client: Client) -> None:
    for params in ({}, {"identifier": f"oai:testserver:{Cluster.objects.first().pk}"}):  # type: ignore[union-attr]
        document = oai_get(client, verb="ListMetadataFormats", **params)
        prefixes = [node.text for node in document.iterfind(".//o:metadataPrefix", NS)]
        assert prefixes == ["marcxml", "oai_dc"]


def test_sets_are_the_libraries_and_the_formats(catalogue: Source, client: Client) -> None:
    specs = [node.text for node in oai_get(client, verb="ListSets").iterfind(".//o:setSpec", NS)]
    libraries = {f"library:{code}" for code in Library.objects.values_list("code", flat=True)}
    assert libraries <= set(specs)
    assert {"format:book", "format:audiobook", "format:serial"} <= set(specs)


def test_marcxml_has_every_holding_library_as_852_and_every_member_as_035(
    catalogue: Source, client: Client
) -> None:
    """The LIBRIS title with 28 libraries' holdings records, and a title two sources hold."""
    tove = cluster_of("7149593")
    document = oai_get(
        client, verb="GetRecord", metadataPrefix="marcxml", identifier=f"oai:testserver:{tove.pk}"
    )
    record = document.find(".//m:record", NS)
    assert record is not None
    held = Holding.objects.filter(record__cluster=tove)
    expected = {(h.library.code, h.shelf, h.call_number) for h in held.select_related("library")}
    found = set()
    for field in record.iterfind("m:datafield[@tag='852']", NS):
        sub = {s.get("code"): s.text or "" for s in field.iterfind("m:subfield", NS)}
        found.add((sub["b"], sub.get("c", ""), sub.get("h", "")))
    assert found == expected and len({code for code, _, _ in found}) >= 20
    assert record.findtext("m:controlfield[@tag='001']", namespaces=NS) == str(tove.pk)
    members = [s.text for s in record.iterfind("m:datafield[@tag='035']/m:subfield", NS)]
    assert f"(samsok-source-{catalogue.pk})7149593" in members
    header_sets = {node.text for node in document.iterfind(".//o:setSpec", NS)}
    assert {f"library:{code}" for code, _, _ in expected} | {"format:book"} <= header_sets


def test_oai_dc_describes_the_title(catalogue: Source, client: Client) -> None:
    tove = cluster_of("7149593")
    document = oai_get(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:testserver:{tove.pk}"
    )
    dc = "{http://purl.org/dc/elements/1.1/}"
    titles = [node.text for node in document.iter(f"{dc}title")]
    assert titles and titles[0] == " : ".join(p for p in (tove.data["title"], tove.data.get("subtitle")) if p)
    assert "Jansson, Tove" in [node.text for node in document.iter(f"{dc}creator")]
    assert f"http://testserver/post/{tove.pk}/" in [node.text for node in document.iter(f"{dc}identifier")]


def test_post_answers_like_get(catalogue: Source, client: Client) -> None:
    params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "library:Nyks"}
    posted = client.post("/oai", params)
    assert posted.status_code == 200
    assert identifiers(validate(posted.content)) == identifiers(oai_get(client, **params))
    assert client.put("/oai", params).status_code == 405


def test_sets_select_titles(catalogue: Source, client: Client) -> None:
    nyks = oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml", set="library:Nyks")
    held = Cluster.objects.filter(members__holdings__library__code="Nyks").distinct()
    assert sorted(identifiers(nyks)) == sorted(f"oai:testserver:{c.pk}" for c in held)
    sods = set(
        identifiers(oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml", set="library:Sods"))
    )
    assert sods and sods != set(identifiers(nyks))
    serials = oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml", set="format:serial")
    expected = [c.pk for c in Cluster.objects.all() if "serial" in c.data.get("formats", [])]
    assert expected and sorted(identifiers(serials)) == sorted(f"oai:testserver:{pk}" for pk in expected)


def test_from_and_until_at_both_granularities(catalogue: Source, client: Client) -> None:
    ids = list(Cluster.objects.order_by("id").values_list("id", flat=True))
    base = datetime(2026, 3, 1, tzinfo=UTC)
    for n, pk in enumerate(ids):  # one title a day from 1 March, at 12:00:00.5
        Cluster.objects.filter(pk=pk).update(
            updated_at=base + timedelta(days=n, hours=12, microseconds=500_000)
        )

    def listed(**window: str) -> list[int]:
        document = oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml", **window)
        return [int(i.rsplit(":", 1)[1]) for i in identifiers(document)]

    assert listed(**{"from": "2026-03-02", "until": "2026-03-03"}) == ids[1:3]
    assert listed(**{"from": "2026-03-02T12:00:00Z", "until": "2026-03-03T12:00:00Z"}) == ids[1:3]
    assert listed(**{"from": "2026-03-02T12:00:01Z", "until": "2026-03-04T11:59:59Z"}) == ids[2:3]
    assert listed(until="2026-03-01") == ids[:1]
    assert listed(**{"from": "2026-03-05"}) == ids[4:]


ERRORS = [
    ("badVerb", {}),
    ("badVerb", {"verb": "ListEverything"}),
    ("badVerb", {"verb": ["Identify", "Identify"]}),
    ("badArgument", {"verb": "Identify", "set": "library:Nyks"}),
    ("badArgument", {"verb": "ListRecords"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": ["marcxml", "oai_dc"]}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "marcxml", "from": "2026-13-45"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "marcxml", "from": "yesterday"}),
    (
        "badArgument",
        {
            "verb": "ListRecords",
            "metadataPrefix": "marcxml",
            "from": "2026-01-01",
            "until": "2026-02-01T00:00:00Z",
        },
    ),
    (
        "badArgument",
        {"verb": "ListIdentifiers", "metadataPrefix": "marcxml", "from": "2026-02-01", "until": "2026-01-01"},
    ),
    ("badArgument", {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "marcxml"}),
    ("badArgument", {"verb": "GetRecord", "metadataPrefix": "marcxml"}),
    ("badArgument", {"verb": "ListSets", "metadataPrefix": "marcxml"}),
    ("badResumptionToken", {"verb": "ListRecords", "resumptionToken": "not-a-token"}),
    ("badResumptionToken", {"verb": "ListSets", "resumptionToken": "not-a-token"}),
    ("cannotDisseminateFormat", {"verb": "ListRecords", "metadataPrefix": "mods"}),
    ("cannotDisseminateFormat", {"verb": "GetRecord", "metadataPrefix": "mods", "identifier": "{first}"}),
    (
        "idDoesNotExist",
        {"verb": "GetRecord", "metadataPrefix": "marcxml", "identifier": "oai:elsewhere.org:1"},
    ),
    (
        "idDoesNotExist",
        {"verb": "GetRecord", "metadataPrefix": "marcxml", "identifier": "oai:testserver:999999999"},
    ),
    ("idDoesNotExist", {"verb": "ListMetadataFormats", "identifier": "oai:testserver:0"}),
    ("noRecordsMatch", {"verb": "ListRecords", "metadataPrefix": "marcxml", "from": "2999-01-01"}),
    ("noRecordsMatch", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1990-01-01"}),
    ("noRecordsMatch", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "library:Nowhere"}),
    ("noMetadataFormats", {"verb": "ListMetadataFormats", "identifier": "{deleted}"}),
    ("idDoesNotExist", {"verb": "GetRecord", "metadataPrefix": "marcxml", "identifier": "oai:\x01\x1b:1"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "marcxml", "from": "2026\x0b01-01"}),
]


@pytest.mark.parametrize(("code", "params"), ERRORS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(ERRORS)])
def test_every_error(catalogue: Source, client: Client, code: str, params: dict[str, object]) -> None:
    first = Cluster.objects.order_by("id").first()
    assert first is not None
    ClusterTombstone.objects.create(id=10**9, deleted_at=datetime.now(UTC))
    names = {"first": f"oai:testserver:{first.pk}", "deleted": f"oai:testserver:{10**9}"}
    query = {k: v.format(**names) if isinstance(v, str) else v for k, v in params.items()}
    document = oai_get(client, **query)  # type: ignore[arg-type]
    assert error_code(document) == code
    request = document.find("o:request", NS)
    assert request is not None and request.text == "http://testserver/oai"
    # After badVerb and badArgument the request is echoed without its (faulty) arguments.
    assert (dict(request.attrib) == {}) == (code in ("badVerb", "badArgument"))


def test_tokens_of_another_verb_forged_or_expired_are_refused(
    catalogue: Source, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("oai.verbs.PAGE_SIZE", 5)
    first = oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml")
    token = first.findtext(".//o:resumptionToken", namespaces=NS)
    assert token
    assert error_code(oai_get(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    assert (
        error_code(oai_get(client, verb="ListIdentifiers", resumptionToken=token[:-3] + "abc"))
        == "badResumptionToken"
    )
    assert error_code(oai_get(client, verb="ListIdentifiers", resumptionToken=token)) is None
    monkeypatch.setattr(tokens, "LIFETIME", timedelta(seconds=-1))
    expired = oai_get(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_code(expired) == "badResumptionToken"
    with translation.override("sv"):  # the request's language: Swedish, the default
        message = translation.gettext("The resumption token has expired.")
    assert expired.findtext("o:error", namespaces=NS) == message
    assert message == "Återupptagningsnyckeln (resumptionToken) har gått ut."


def test_no_set_hierarchy_without_libraries(db: None, client: Client) -> None:
    assert error_code(oai_get(client, verb="ListSets")) == "noSetHierarchy"
    listing = oai_get(client, verb="ListRecords", metadataPrefix="marcxml", set="format:book")
    assert error_code(listing) == "noSetHierarchy"
    assert error_code(oai_get(client, verb="ListRecords", metadataPrefix="marcxml")) == "noRecordsMatch"
    identify = oai_get(client, verb="Identify")  # an empty repository still identifies itself
    assert identify.findtext(".//o:earliestDatestamp", namespaces=NS)


def test_a_deleted_title_is_a_deleted_record(catalogue: Source, client: Client) -> None:
    """A title whose only record is withdrawn answers status="deleted", without metadata."""
    record = SourceRecord.objects.get(local_id="t2")
    gone = record.cluster_id
    record.deleted = True
    record.save()
    recluster([record.pk])
    assert not Cluster.objects.filter(pk=gone).exists()
    document = oai_get(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:testserver:{gone}")
    header = document.find(".//o:header", NS)
    assert header is not None and header.get("status") == "deleted"
    assert document.find(".//o:metadata", NS) is None
    listed = oai_get(client, verb="ListIdentifiers", metadataPrefix="marcxml", set="library:Nyks")
    deleted = [
        h.findtext("o:identifier", namespaces=NS)
        for h in listed.iterfind(".//o:header[@status='deleted']", NS)
    ]
    assert deleted == [f"oai:testserver:{gone}"]
