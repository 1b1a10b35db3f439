"""System checks for catalog's pluggable parts: the search backends and availability providers
settings name, and the provider each library picks (``manage.py check --database default``)."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from catalog.availability.registry import PROVIDERS
from catalog.models import Library
from catalog.search import BACKENDS
from portal.registries import dotted_path


@register()
def check_search_backends(**kwargs: Any) -> list[CheckMessage]:
    """Every registered backend loads, and SEARCH_BACKEND names one of them."""
    problems = BACKENDS.problems()
    if settings.SEARCH_BACKEND not in BACKENDS.entries():
        known = ", ".join(BACKENDS.names())
        problems.append(
            Error(
                f"SEARCH_BACKEND {settings.SEARCH_BACKEND!r} is not in settings.SEARCH_BACKENDS ({known}).",
                id="samsok.E002",
            )
        )
    try:
        BACKENDS.load(dotted_path(settings.SEARCH))
    except ImproperlyConfigured as exc:
        problems.append(Error(str(exc), obj="settings.SEARCH", id="samsok.E001"))
    return problems


@register()
def check_availability_providers(**kwargs: Any) -> list[CheckMessage]:
    """Every registered provider loads."""
    return PROVIDERS.problems()


@register(Tags.database)
def check_library_providers(databases: Iterable[str] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Libraries whose availability provider is not registered (they show harvested status)."""
    problems: list[CheckMessage] = []
    for alias in databases or ():
        # migrate runs this before it creates the table.
        if Library._meta.db_table not in connections[alias].introspection.table_names():
            continue
        unknown = (
            Library.objects.using(alias)
            .exclude(availability_provider__in=["", *PROVIDERS.names()])
            .values_list("code", "availability_provider")
        )
        problems += [
            Warning(
                f"Unknown availability provider {name!r}: the library's holdings show the harvested status.",
                hint=f"Pick one of settings.AVAILABILITY_PROVIDERS: {', '.join(PROVIDERS.names())}.",
                obj=f"Library {code}",
                id="samsok.W001",
            )
            for code, name in unknown.order_by("code")
        ]
    return problems
