"""The pluggable parts named in settings are checked at start-up, and a library's unknown
availability provider is reported (system check, admin form, one log line) instead of hidden."""

import logging

import pytest
from django.conf import settings
from django.core.checks import Error, Tags, Warning, run_checks
from django.forms import modelform_factory
from django.test import override_settings

from catalog.availability.providers.harvested import HarvestedProvider
from catalog.availability.registry import get_provider
from catalog.checks import check_availability_providers, check_library_providers, check_search_backends
from catalog.models import Library
from harvest.checks import check_harvest_protocols
from harvest.models import Source

PROTOCOLS = settings.HARVEST_PROTOCOLS
PROVIDERS = settings.AVAILABILITY_PROVIDERS


def ids(messages: list) -> list[str]:  # type: ignore[type-arg]
    return [message.id for message in messages]


@pytest.mark.sqlite
def test_the_configured_registries_pass() -> None:
    assert check_harvest_protocols() == []
    assert check_availability_providers() == []
    assert check_search_backends() == []


@pytest.mark.sqlite
def test_a_wrong_dotted_path_is_an_error_at_start_up() -> None:
    wrong = {**PROTOCOLS, "oai-pmh": "harvest.protocols.oai_pmh.OaiPmhProtocoll"}
    with override_settings(HARVEST_PROTOCOLS=wrong):
        errors = [message for message in run_checks() if message.id == "samsok.E001"]
        labels = dict(Source._meta.get_field("protocol").choices or [])
    assert len(errors) == 1 and isinstance(errors[0], Error)
    assert "OaiPmhProtocoll" in errors[0].msg and "cannot be imported" in errors[0].msg
    assert errors[0].obj == "settings.HARVEST_PROTOCOLS['oai-pmh']"
    assert labels["oai-pmh"] == "oai-pmh"  # the broken entry still shows, under its name


@pytest.mark.sqlite
def test_a_class_of_the_wrong_kind_is_an_error() -> None:
    wrong = {**PROVIDERS, "daia": "harvest.protocols.oai_pmh.OaiPmhProtocol"}
    with override_settings(AVAILABILITY_PROVIDERS=wrong):
        errors = check_availability_providers()
    assert ids(errors) == ["samsok.E001"]
    assert "is not a subclass of AvailabilityProvider" in errors[0].msg


@pytest.mark.sqlite
def test_a_search_backend_of_the_wrong_kind_is_an_error() -> None:
    backends = {**settings.SEARCH_BACKENDS, "solr": {"BACKEND": "catalog.models.Library"}}
    with override_settings(SEARCH_BACKENDS=backends):
        errors = check_search_backends()
    assert ids(errors) == ["samsok.E001"]
    assert "is not a subclass of SearchBackend" in errors[0].msg


@pytest.mark.sqlite
def test_an_unknown_search_backend_name_is_an_error() -> None:
    with override_settings(SEARCH_BACKEND="solr"):
        errors = check_search_backends()
    assert ids(errors) == ["samsok.E002"]
    assert "'solr'" in errors[0].msg


@pytest.mark.sqlite
def test_source_and_add_source_offer_the_registered_protocols() -> None:
    field = Source._meta.get_field("protocol")
    assert [name for name, _label in field.choices or []] == list(PROTOCOLS)
    assert dict(field.choices or [])["oai-pmh"] == "OAI-PMH"
    with override_settings(HARVEST_PROTOCOLS={"oai-pmh": PROTOCOLS["oai-pmh"]}):
        assert [name for name, _label in field.choices or []] == ["oai-pmh"]


@pytest.mark.sqlite
@pytest.mark.django_db
def test_libraries_with_an_unknown_provider_are_listed_by_the_database_check() -> None:
    Library.objects.create(code="Sods", name="Söderhamn", availability_provider="koha")
    Library.objects.create(code="Li", name="Linköping", availability_provider="daia")
    Library.objects.create(code="Nyks", name="Nyköping")
    warnings = run_checks(tags=[Tags.database], databases=["default"])
    assert ids(warnings) == ["samsok.W001"] and isinstance(warnings[0], Warning)
    assert warnings[0].obj == "Library Sods" and "'koha'" in warnings[0].msg
    assert "samsok.W001" not in ids(run_checks())  # a database check: only when asked for


@pytest.mark.sqlite
@pytest.mark.django_db
def test_the_database_check_is_silent_without_databases() -> None:
    Library.objects.create(code="Sods", name="Söderhamn", availability_provider="koha")
    assert check_library_providers(databases=None) == []


@pytest.mark.sqlite
@pytest.mark.django_db
def test_the_admin_form_refuses_an_unknown_provider() -> None:
    form_class = modelform_factory(Library, fields=["code", "name", "availability_provider"])
    refused = form_class(data={"code": "Sods", "name": "Söderhamn", "availability_provider": "koha"})
    accepted = form_class(data={"code": "Sods", "name": "Söderhamn", "availability_provider": "daia"})
    assert list(refused.errors) == ["availability_provider"]
    assert accepted.errors == {}


@pytest.mark.sqlite
def test_an_unknown_provider_falls_back_with_a_warning_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    typo = Library(pk=9001, code="Sods", name="Söderhamn", availability_provider="koha", availability_url="x")
    other = Library(pk=9002, code="Li", name="Linköping", availability_provider="koha")
    with caplog.at_level(logging.WARNING, logger="catalog.availability.registry"):
        providers = [get_provider(typo), get_provider(typo), get_provider(other)]
    assert all(isinstance(provider, HarvestedProvider) for provider in providers)
    logged = [record.getMessage() for record in caplog.records]
    assert len(logged) == 2
    assert "Sods" in logged[0] and "'koha'" in logged[0]


@pytest.mark.sqlite
def test_a_known_provider_without_an_address_falls_back_quietly(caplog: pytest.LogCaptureFixture) -> None:
    library = Library(pk=9003, code="G", name="Göteborg", availability_provider="daia")
    with caplog.at_level(logging.WARNING, logger="catalog.availability.registry"):
        assert isinstance(get_provider(library), HarvestedProvider)
    assert caplog.records == []
