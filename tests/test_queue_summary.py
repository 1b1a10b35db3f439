"""One summary of a title's availability, wherever it is shown: the result list, its live update,
the API's batch and the record's availability all give the same reservation queue."""

import pytest
from django.test import Client

from catalog.models import Cluster, Holding, ItemStatus, Library, SourceRecord
from harvest.models import Source
from opac.hits import make_hit, with_availability

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def three_copies_queue_five() -> Cluster:
    """One library, three copies, all on loan; its reservation queue of 5 stands on every copy."""
    library = Library.objects.create(code="Ty", name="Tyresö bibliotek")
    source = Source.objects.create(library=library, protocol="marc-file", url="/dev/null")
    cluster = Cluster.objects.create(data={"title": "Kallocain", "formats": ["book"]})
    record = SourceRecord.objects.create(source=source, local_id="1", cluster=cluster, data={})
    for copy in range(3):
        Holding.objects.create(
            record=record, library=library, status=ItemStatus.ON_LOAN, queue_length=5, item_id=f"b{copy}"
        )
    return cluster


def test_the_list_the_live_update_and_the_api_give_the_same_queue(three_copies_queue_five: Cluster) -> None:
    cluster = three_copies_queue_five
    listed = with_availability([make_hit({"id": cluster.pk, "title": "Kallocain"})], None)[0]
    assert listed.availability is not None and listed.availability.text == "Utlånad överallt – kö 5"  # noqa: RUF001
    batch = Client().get("/api/v1/availability", {"ids": str(cluster.pk)}).json()["records"][str(cluster.pk)]
    assert (batch["queue_length"], batch["text"]) == (5, "Utlånad överallt – kö 5")  # noqa: RUF001
    live_update = Client().get("/sok/status", {"ids": str(cluster.pk)}).json()["records"][str(cluster.pk)]
    assert live_update["queue_length"] == 5
    record = Client().get(f"/api/v1/records/{cluster.pk}/availability").json()
    assert [holding["queue_length"] for holding in record["holdings"]] == [5, 5, 5]
