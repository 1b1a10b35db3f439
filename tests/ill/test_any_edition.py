""" "Any edition is fine": the rota asks the holders of every edition of the work in the same format."""

from datetime import UTC, datetime

import pytest

from catalog.models import Cluster, ItemStatus
from ill.models import Request
from ill.rota import rota_clusters
from tests.world.ill import County, hold, library, place_request
from tests.world.shelves import title

pytestmark = pytest.mark.sqlite
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WORK = "röda rummet|august strindberg"


def codes(request: Request) -> list[str]:
    return [e.library.code for e in request.rota.select_related("library").order_by("position")]


def edition(year: int, fmt: str = "book", work_key: str = WORK) -> Cluster:
    return title({"title": "Röda rummet", "year": year, "formats": [fmt]}, work_key=work_key)


@pytest.fixture
def editions(county: County) -> dict[str, Cluster]:
    """The requested 2015 edition's work: the first edition (held nowhere), a pocket edition
    (held at Ka) and an audiobook (at Vb); Ö holds another work."""
    found = {"first": edition(1879), "pocket": edition(1999), "audiobook": edition(2010, "audiobook")}
    found["other"] = edition(1999, "book", "hemsöborna|august strindberg")
    county.cluster.work = found["first"].work
    county.cluster.save()
    hold(found["pocket"], library("Ka"), ItemStatus.AVAILABLE, "Hc pocket")
    hold(found["audiobook"], library("Vb"), ItemStatus.AVAILABLE, "Hcf", fmt="audiobook")
    hold(found["other"], library("Ö"), ItemStatus.AVAILABLE)
    return found


def test_any_edition_asks_the_holders_of_other_editions_in_the_same_format(
    county: County, editions: dict[str, Cluster]
) -> None:
    request = place_request(county, MONDAY, any_edition=True)
    clusters = rota_clusters(request)
    assert clusters[0] == county.cluster.pk
    assert set(clusters) == {county.cluster.pk, editions["first"].pk, editions["pocket"].pk}
    assert set(codes(request)) == {"Nyks", "Li", "G", "Ka"}
    entry = request.rota.get(library__code="Ka")
    assert entry.call_number == "Hc pocket" and entry.available


def test_this_edition_only_asks_its_own_holders(county: County, editions: dict[str, Cluster]) -> None:
    request = place_request(county, MONDAY, any_edition=False)
    assert rota_clusters(request) == [county.cluster.pk]
    assert set(codes(request)) == {"Nyks", "Li", "G"}


def test_a_title_without_a_work_asks_its_own_holders(county: County) -> None:
    request = place_request(county, MONDAY, any_edition=True)
    assert rota_clusters(request) == [county.cluster.pk]
    assert codes(request) == ["Nyks", "Li", "G"]
