"""schemathesis over openapi.json: every documented operation, bounded and deterministic."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from catalog.search.indexing import index_clusters
from tests.world.search import County, build_county

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

EXAMPLES = 20  # per operation and generation mode: the whole run stays well under half a minute


@pytest.fixture
def county(db: None) -> County:
    county = build_county()
    index_clusters([county.pippi.pk, county.emil.pk, county.orphan.pk])
    return county


@contextmanager
def connection_kept() -> Iterator[None]:
    """Requests through the WSGI app keep the test's database connection open (as Django's test
    client does): its transaction holds the county."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def years_reversed(case: schemathesis.Case) -> bool:
    """year_from after year_to: each valid alone, refused together (a documented 400 that one
    parameter's schema cannot express)."""
    query = case.query or {}
    years = [str(query.get(name, "")) for name in ("year_from", "year_to")]
    return all(year.isdigit() for year in years) and int(years[0]) > int(years[1])


def run(operation: schemathesis.APIOperation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        excluded: list[CheckFunction] = [positive_data_acceptance] if years_reversed(case) else []
        case.call_and_validate(excluded_checks=excluded)

    check()


def test_every_documented_operation_keeps_its_schema(county: County) -> None:
    # Loaded as served, then called through the app (from_wsgi would leave the document's own
    # operation out).
    document = Client().get("/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert {operation.path for operation in operations} == set(document["paths"])
    with connection_kept():
        for operation in operations:
            run(operation, GenerationMode.POSITIVE)
            if list(operation.iter_parameters()):  # nothing to get wrong in a call without parameters
                run(operation, GenerationMode.NEGATIVE)
