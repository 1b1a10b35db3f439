"""The public MARCXML export carries public fields only; the staff MARC view keeps the full record."""

import pymarc
import pytest
from django.test import Client
from lxml import etree

from catalog.models import Cluster
from tests.catalog.marc_builders import datafield
from tests.world.places import staff
from tests.world.portal import County

pytestmark = pytest.mark.django_db
NS = {"m": "http://www.loc.gov/MARC21/slim"}


def _with_item_data(cluster: Cluster) -> None:
    """Give the display record what a Koha or LIBRIS export carries about its own copies."""
    member = cluster.members.get(pk=cluster.display_record_id)
    record = pymarc.Record(data=bytes(member.raw))
    record.add_field(
        datafield(
            "952", "a", "Na", "b", "Na", "o", "Hc Strindberg", "p", "30012345", "g", "249.00", "v", "299.00"
        ),
        datafield(
            "952",
            "a",
            "Na",
            "x",
            "Trasig rygg, kasseras",
            "d",
            "2019-02-01",
            "e",
            "Adlibris",
            "z",
            "Lättläst",
        ),
        datafield(
            "852", "b", "Na", "h", "Hc", "p", "30099999", "x", "Intern anteckning", "z", "Finns i magasin"
        ),
        datafield("541", "a", "Bokhandeln AB", "d", "20190201", "h", "249 kr", ind="1 "),
        datafield("561", "a", "Ur privat samling", ind="0 "),
    )
    member.raw = record.as_marc()
    member.save()


def _subfields(root: etree._Element, tag: str) -> list[tuple[str, str]]:
    path = f"//m:record[1]/m:datafield[@tag='{tag}']/m:subfield"
    return [(sub.get("code"), sub.text) for sub in root.xpath(path, namespaces=NS)]


@pytest.mark.sqlite
def test_public_export_leaves_out_item_data_the_library_keeps_to_itself(
    client: Client, county_unindexed: County
) -> None:
    cluster = county_unindexed.cluster("doktor")
    _with_item_data(cluster)
    root = etree.fromstring(client.get(f"/post/{cluster.pk}.xml").content)
    assert _subfields(root, "952") == [
        ("a", "Na"),
        ("b", "Na"),
        ("o", "Hc Strindberg"),
        ("a", "Na"),
        ("z", "Lättläst"),
    ]
    assert _subfields(root, "852") == [("b", "Na"), ("h", "Hc"), ("z", "Finns i magasin")]
    assert _subfields(root, "541") == [] and _subfields(root, "561") == []
    assert _subfields(root, "245")  # the description is all there
    body = etree.tostring(root).decode()
    for private in (
        "30012345",
        "249.00",
        "299.00",
        "Trasig rygg",
        "Adlibris",
        "30099999",
        "Intern",
        "Bokhandeln",
    ):
        assert private not in body


@pytest.mark.sqlite
def test_staff_marc_view_keeps_the_full_record(client: Client, county_unindexed: County) -> None:
    cluster = county_unindexed.cluster("doktor")
    _with_item_data(cluster)
    client.force_login(staff("bibliotekarie", county_unindexed.libraries["Na"]))
    html = client.get(f"/post/{cluster.pk}/marc/").content.decode()
    assert "$p30012345" in html and "$g249.00" in html and "=541  1\\$aBokhandeln AB" in html
