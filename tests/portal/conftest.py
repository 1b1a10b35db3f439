"""Fixtures for the patron pages: a small indexed county."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from tests.world.portal import County, build_county


@pytest.fixture
def county(db: None) -> County:
    """Libraries, clusters, holdings; indexed through the real search backend."""
    return build_county(index=True)


@pytest.fixture
def county_unindexed(db: None) -> County:
    return build_county(index=False)


@pytest.fixture
def english() -> Iterator[Client]:
    """A second client (its own cookies) that asks for English."""
    client = Client()
    client.cookies["django_language"] = "en"
    yield client
    translation.activate("sv")
